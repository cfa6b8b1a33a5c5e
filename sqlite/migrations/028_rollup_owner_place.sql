-- Two more rollups beside migration 023's, kept the same way (delta rows
-- written by triggers in the writing transaction, compacted by the store),
-- for the pivots and list totals that one cannot answer: the sales view
-- (owner and team by grade, stage and follow-up priority: a rep's
-- follow-up progress) and the market view (province, city and the full
-- industry: customers and revenue per city, per sub-industry). Adding
-- owner or city to migration 023's table instead would multiply its
-- combinations by the number of reps or cities, until it held nearly a row
-- per customer; apart, each stays a few thousand rows.
CREATE TABLE customer_rollup_owner (
    id                 INTEGER PRIMARY KEY,
    owner              TEXT,
    team               TEXT,
    grade              TEXT,
    stage              TEXT,
    follow_up_priority TEXT,
    n                  INTEGER NOT NULL,
    revenue_sum        INTEGER NOT NULL,
    revenue_n          INTEGER NOT NULL
);
INSERT INTO customer_rollup_owner (owner, team, grade, stage, follow_up_priority, n, revenue_sum, revenue_n)
SELECT owner, team, grade, stage, follow_up_priority, COUNT(*), COALESCE(SUM(revenue), 0), COUNT(revenue)
FROM customers WHERE hidden = 0 AND merged_into IS NULL
GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER customer_rollup_owner_insert AFTER INSERT ON customers
WHEN NEW.hidden = 0 AND NEW.merged_into IS NULL
BEGIN
    INSERT INTO customer_rollup_owner (owner, team, grade, stage, follow_up_priority, n, revenue_sum, revenue_n)
    VALUES (NEW.owner, NEW.team, NEW.grade, NEW.stage, NEW.follow_up_priority, 1, COALESCE(NEW.revenue, 0), NEW.revenue IS NOT NULL);
END;
CREATE TRIGGER customer_rollup_owner_delete AFTER DELETE ON customers
WHEN OLD.hidden = 0 AND OLD.merged_into IS NULL
BEGIN
    INSERT INTO customer_rollup_owner (owner, team, grade, stage, follow_up_priority, n, revenue_sum, revenue_n)
    VALUES (OLD.owner, OLD.team, OLD.grade, OLD.stage, OLD.follow_up_priority, -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL));
END;
CREATE TRIGGER customer_rollup_owner_update
AFTER UPDATE OF owner, team, grade, stage, follow_up_priority, revenue, hidden, merged_into ON customers
WHEN OLD.owner IS NOT NEW.owner OR OLD.team IS NOT NEW.team OR OLD.grade IS NOT NEW.grade
  OR OLD.stage IS NOT NEW.stage OR OLD.follow_up_priority IS NOT NEW.follow_up_priority
  OR OLD.revenue IS NOT NEW.revenue OR OLD.hidden IS NOT NEW.hidden OR OLD.merged_into IS NOT NEW.merged_into
BEGIN
    INSERT INTO customer_rollup_owner (owner, team, grade, stage, follow_up_priority, n, revenue_sum, revenue_n)
    SELECT OLD.owner, OLD.team, OLD.grade, OLD.stage, OLD.follow_up_priority, -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL)
    WHERE OLD.hidden = 0 AND OLD.merged_into IS NULL;
    INSERT INTO customer_rollup_owner (owner, team, grade, stage, follow_up_priority, n, revenue_sum, revenue_n)
    SELECT NEW.owner, NEW.team, NEW.grade, NEW.stage, NEW.follow_up_priority, 1, COALESCE(NEW.revenue, 0), NEW.revenue IS NOT NULL
    WHERE NEW.hidden = 0 AND NEW.merged_into IS NULL;
END;

CREATE TABLE customer_rollup_place (
    id          INTEGER PRIMARY KEY,
    province    TEXT,
    city        TEXT,
    industry    TEXT,
    n           INTEGER NOT NULL,
    revenue_sum INTEGER NOT NULL,
    revenue_n   INTEGER NOT NULL
);
INSERT INTO customer_rollup_place (province, city, industry, n, revenue_sum, revenue_n)
SELECT province, city, industry, COUNT(*), COALESCE(SUM(revenue), 0), COUNT(revenue)
FROM customers WHERE hidden = 0 AND merged_into IS NULL
GROUP BY 1, 2, 3;
CREATE TRIGGER customer_rollup_place_insert AFTER INSERT ON customers
WHEN NEW.hidden = 0 AND NEW.merged_into IS NULL
BEGIN
    INSERT INTO customer_rollup_place (province, city, industry, n, revenue_sum, revenue_n)
    VALUES (NEW.province, NEW.city, NEW.industry, 1, COALESCE(NEW.revenue, 0), NEW.revenue IS NOT NULL);
END;
CREATE TRIGGER customer_rollup_place_delete AFTER DELETE ON customers
WHEN OLD.hidden = 0 AND OLD.merged_into IS NULL
BEGIN
    INSERT INTO customer_rollup_place (province, city, industry, n, revenue_sum, revenue_n)
    VALUES (OLD.province, OLD.city, OLD.industry, -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL));
END;
CREATE TRIGGER customer_rollup_place_update
AFTER UPDATE OF province, city, industry, revenue, hidden, merged_into ON customers
WHEN OLD.province IS NOT NEW.province OR OLD.city IS NOT NEW.city OR OLD.industry IS NOT NEW.industry
  OR OLD.revenue IS NOT NEW.revenue OR OLD.hidden IS NOT NEW.hidden OR OLD.merged_into IS NOT NEW.merged_into
BEGIN
    INSERT INTO customer_rollup_place (province, city, industry, n, revenue_sum, revenue_n)
    SELECT OLD.province, OLD.city, OLD.industry, -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL)
    WHERE OLD.hidden = 0 AND OLD.merged_into IS NULL;
    INSERT INTO customer_rollup_place (province, city, industry, n, revenue_sum, revenue_n)
    SELECT NEW.province, NEW.city, NEW.industry, 1, COALESCE(NEW.revenue, 0), NEW.revenue IS NOT NULL
    WHERE NEW.hidden = 0 AND NEW.merged_into IS NULL;
END;
