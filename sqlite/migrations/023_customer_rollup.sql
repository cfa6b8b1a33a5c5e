-- Counts and revenue sums of the live customers per grade, stage,
-- follow-up priority, province and top-level industry, so that the pivots
-- and list totals over those dimensions read a few thousand rows instead
-- of scanning 1,000,000 index entries (0.3–0.9 s) after every write: the
-- result cache (migration 017) keeps an answer for one data version only.
-- The table holds deltas: a write to customers adds a row per combination
-- it changes (+1 for the new values, -1 for the old ones), in the writing
-- transaction, so the rollup is always exactly the live customers'; a
-- reader sums the rows of a combination, and the store compacts them now
-- and then (sqldb/rollup.go). Only inserts: on PostgreSQL two writers
-- never wait for each other on a shared counter row.
CREATE TABLE customer_rollup (
    id                 INTEGER PRIMARY KEY,
    grade              TEXT,
    stage              TEXT,
    follow_up_priority TEXT,
    province           TEXT,
    industry_top       TEXT,
    n                  INTEGER NOT NULL,
    revenue_sum        INTEGER NOT NULL,
    revenue_n          INTEGER NOT NULL
);
INSERT INTO customer_rollup (grade, stage, follow_up_priority, province, industry_top, n, revenue_sum, revenue_n)
SELECT grade, stage, follow_up_priority, province,
       CASE WHEN instr(industry, '-') > 0 THEN substr(industry, 1, instr(industry, '-') - 1) ELSE industry END,
       COUNT(*), COALESCE(SUM(revenue), 0), COUNT(revenue)
FROM customers WHERE hidden = 0 AND merged_into IS NULL
GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER customer_rollup_insert AFTER INSERT ON customers
WHEN NEW.hidden = 0 AND NEW.merged_into IS NULL
BEGIN
    INSERT INTO customer_rollup (grade, stage, follow_up_priority, province, industry_top, n, revenue_sum, revenue_n)
    VALUES (NEW.grade, NEW.stage, NEW.follow_up_priority, NEW.province,
            CASE WHEN instr(NEW.industry, '-') > 0 THEN substr(NEW.industry, 1, instr(NEW.industry, '-') - 1) ELSE NEW.industry END,
            1, COALESCE(NEW.revenue, 0), NEW.revenue IS NOT NULL);
END;
CREATE TRIGGER customer_rollup_delete AFTER DELETE ON customers
WHEN OLD.hidden = 0 AND OLD.merged_into IS NULL
BEGIN
    INSERT INTO customer_rollup (grade, stage, follow_up_priority, province, industry_top, n, revenue_sum, revenue_n)
    VALUES (OLD.grade, OLD.stage, OLD.follow_up_priority, OLD.province,
            CASE WHEN instr(OLD.industry, '-') > 0 THEN substr(OLD.industry, 1, instr(OLD.industry, '-') - 1) ELSE OLD.industry END,
            -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL));
END;
-- An update adds rows only when it changes what the rollup holds: a
-- recompute that writes scores alone costs the WHEN test per row.
CREATE TRIGGER customer_rollup_update
AFTER UPDATE OF grade, stage, follow_up_priority, province, industry, revenue, hidden, merged_into ON customers
WHEN OLD.grade IS NOT NEW.grade OR OLD.stage IS NOT NEW.stage
  OR OLD.follow_up_priority IS NOT NEW.follow_up_priority OR OLD.province IS NOT NEW.province
  OR OLD.industry IS NOT NEW.industry OR OLD.revenue IS NOT NEW.revenue
  OR OLD.hidden IS NOT NEW.hidden OR OLD.merged_into IS NOT NEW.merged_into
BEGIN
    INSERT INTO customer_rollup (grade, stage, follow_up_priority, province, industry_top, n, revenue_sum, revenue_n)
    SELECT OLD.grade, OLD.stage, OLD.follow_up_priority, OLD.province,
           CASE WHEN instr(OLD.industry, '-') > 0 THEN substr(OLD.industry, 1, instr(OLD.industry, '-') - 1) ELSE OLD.industry END,
           -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL)
    WHERE OLD.hidden = 0 AND OLD.merged_into IS NULL;
    INSERT INTO customer_rollup (grade, stage, follow_up_priority, province, industry_top, n, revenue_sum, revenue_n)
    SELECT NEW.grade, NEW.stage, NEW.follow_up_priority, NEW.province,
           CASE WHEN instr(NEW.industry, '-') > 0 THEN substr(NEW.industry, 1, instr(NEW.industry, '-') - 1) ELSE NEW.industry END,
           1, COALESCE(NEW.revenue, 0), NEW.revenue IS NOT NULL
    WHERE NEW.hidden = 0 AND NEW.merged_into IS NULL;
END;
-- The live customers per month of creation (the management view's growth
-- chart), kept the same way; apart, since the month would multiply the
-- combinations above by the number of months.
CREATE TABLE customer_rollup_month (
    id    INTEGER PRIMARY KEY,
    month TEXT,
    n     INTEGER NOT NULL
);
INSERT INTO customer_rollup_month (month, n)
SELECT substr(created_at, 1, 7), COUNT(*) FROM customers WHERE hidden = 0 AND merged_into IS NULL GROUP BY 1;
CREATE TRIGGER customer_rollup_month_insert AFTER INSERT ON customers
WHEN NEW.hidden = 0 AND NEW.merged_into IS NULL
BEGIN
    INSERT INTO customer_rollup_month (month, n) VALUES (substr(NEW.created_at, 1, 7), 1);
END;
CREATE TRIGGER customer_rollup_month_delete AFTER DELETE ON customers
WHEN OLD.hidden = 0 AND OLD.merged_into IS NULL
BEGIN
    INSERT INTO customer_rollup_month (month, n) VALUES (substr(OLD.created_at, 1, 7), -1);
END;
CREATE TRIGGER customer_rollup_month_update AFTER UPDATE OF created_at, hidden, merged_into ON customers
WHEN OLD.created_at IS NOT NEW.created_at OR OLD.hidden IS NOT NEW.hidden OR OLD.merged_into IS NOT NEW.merged_into
BEGIN
    INSERT INTO customer_rollup_month (month, n)
    SELECT substr(OLD.created_at, 1, 7), -1 WHERE OLD.hidden = 0 AND OLD.merged_into IS NULL;
    INSERT INTO customer_rollup_month (month, n)
    SELECT substr(NEW.created_at, 1, 7), 1 WHERE NEW.hidden = 0 AND NEW.merged_into IS NULL;
END;
