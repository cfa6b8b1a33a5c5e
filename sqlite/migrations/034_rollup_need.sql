-- The live customers per industry (in full) and need type, kept like the
-- rollups of migrations 023 and 028, for the seeds' ready report "needs per
-- industry" (top-level industry × need type), which no other rollup holds:
-- adding the need type to the market view's table would multiply its
-- combinations by the number of need types.
CREATE TABLE customer_rollup_need (
    id          INTEGER PRIMARY KEY,
    industry    TEXT,
    need_type   TEXT,
    n           INTEGER NOT NULL,
    revenue_sum INTEGER NOT NULL,
    revenue_n   INTEGER NOT NULL
);
INSERT INTO customer_rollup_need (industry, need_type, n, revenue_sum, revenue_n)
SELECT industry, need_type, COUNT(*), COALESCE(SUM(revenue), 0), COUNT(revenue)
FROM customers WHERE hidden = 0 AND merged_into IS NULL
GROUP BY 1, 2;
CREATE TRIGGER customer_rollup_need_insert AFTER INSERT ON customers
WHEN NEW.hidden = 0 AND NEW.merged_into IS NULL
BEGIN
    INSERT INTO customer_rollup_need (industry, need_type, n, revenue_sum, revenue_n)
    VALUES (NEW.industry, NEW.need_type, 1, COALESCE(NEW.revenue, 0), NEW.revenue IS NOT NULL);
END;
CREATE TRIGGER customer_rollup_need_delete AFTER DELETE ON customers
WHEN OLD.hidden = 0 AND OLD.merged_into IS NULL
BEGIN
    INSERT INTO customer_rollup_need (industry, need_type, n, revenue_sum, revenue_n)
    VALUES (OLD.industry, OLD.need_type, -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL));
END;
CREATE TRIGGER customer_rollup_need_update
AFTER UPDATE OF industry, need_type, revenue, hidden, merged_into ON customers
WHEN OLD.industry IS NOT NEW.industry OR OLD.need_type IS NOT NEW.need_type
  OR OLD.revenue IS NOT NEW.revenue OR OLD.hidden IS NOT NEW.hidden OR OLD.merged_into IS NOT NEW.merged_into
BEGIN
    INSERT INTO customer_rollup_need (industry, need_type, n, revenue_sum, revenue_n)
    SELECT OLD.industry, OLD.need_type, -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL)
    WHERE OLD.hidden = 0 AND OLD.merged_into IS NULL;
    INSERT INTO customer_rollup_need (industry, need_type, n, revenue_sum, revenue_n)
    SELECT NEW.industry, NEW.need_type, 1, COALESCE(NEW.revenue, 0), NEW.revenue IS NOT NULL
    WHERE NEW.hidden = 0 AND NEW.merged_into IS NULL;
END;
