-- Two pivots that no rollup held stayed over PostgreSQL's 200 ms goal at
-- 1,000,000 customers, each a scan of every customer: a rep's customers per
-- city (owner x city, 232 ms) and revenue by satisfaction (245 ms). The
-- satisfaction joins the rollup of migration 034 (industry and need type:
-- satisfaction per industry, per need type), and a territory rollup holds
-- owner, province and city. Both are kept like the rollups of migrations
-- 023, 028 and 034, and each stays small: 5,834 and 1,013 rows for the
-- 1,000,000-customer demo.
DROP TRIGGER customer_rollup_need_insert;
DROP TRIGGER customer_rollup_need_delete;
DROP TRIGGER customer_rollup_need_update;
DROP TABLE customer_rollup_need;
CREATE TABLE customer_rollup_need (
    id          INTEGER PRIMARY KEY,
    industry    TEXT,
    need_type   TEXT,
    satisfaction INTEGER,
    n           INTEGER NOT NULL,
    revenue_sum INTEGER NOT NULL,
    revenue_n   INTEGER NOT NULL
);
INSERT INTO customer_rollup_need (industry, need_type, satisfaction, n, revenue_sum, revenue_n)
SELECT industry, need_type, satisfaction, COUNT(*), COALESCE(SUM(revenue), 0), COUNT(revenue)
FROM customers WHERE hidden = 0 AND merged_into IS NULL
GROUP BY 1, 2, 3;
CREATE TRIGGER customer_rollup_need_insert AFTER INSERT ON customers
WHEN NEW.hidden = 0 AND NEW.merged_into IS NULL
BEGIN
    INSERT INTO customer_rollup_need (industry, need_type, satisfaction, n, revenue_sum, revenue_n)
    VALUES (NEW.industry, NEW.need_type, NEW.satisfaction, 1, COALESCE(NEW.revenue, 0), NEW.revenue IS NOT NULL);
END;
CREATE TRIGGER customer_rollup_need_delete AFTER DELETE ON customers
WHEN OLD.hidden = 0 AND OLD.merged_into IS NULL
BEGIN
    INSERT INTO customer_rollup_need (industry, need_type, satisfaction, n, revenue_sum, revenue_n)
    VALUES (OLD.industry, OLD.need_type, OLD.satisfaction, -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL));
END;
CREATE TRIGGER customer_rollup_need_update
AFTER UPDATE OF industry, need_type, satisfaction, revenue, hidden, merged_into ON customers
WHEN OLD.industry IS NOT NEW.industry
  OR OLD.need_type IS NOT NEW.need_type
  OR OLD.satisfaction IS NOT NEW.satisfaction
  OR OLD.revenue IS NOT NEW.revenue
  OR OLD.hidden IS NOT NEW.hidden
  OR OLD.merged_into IS NOT NEW.merged_into
BEGIN
    INSERT INTO customer_rollup_need (industry, need_type, satisfaction, n, revenue_sum, revenue_n)
    SELECT OLD.industry, OLD.need_type, OLD.satisfaction, -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL)
    WHERE OLD.hidden = 0 AND OLD.merged_into IS NULL;
    INSERT INTO customer_rollup_need (industry, need_type, satisfaction, n, revenue_sum, revenue_n)
    SELECT NEW.industry, NEW.need_type, NEW.satisfaction, 1, COALESCE(NEW.revenue, 0), NEW.revenue IS NOT NULL
    WHERE NEW.hidden = 0 AND NEW.merged_into IS NULL;
END;

CREATE TABLE customer_rollup_territory (
    id          INTEGER PRIMARY KEY,
    owner       TEXT,
    province    TEXT,
    city        TEXT,
    n           INTEGER NOT NULL,
    revenue_sum INTEGER NOT NULL,
    revenue_n   INTEGER NOT NULL
);
INSERT INTO customer_rollup_territory (owner, province, city, n, revenue_sum, revenue_n)
SELECT owner, province, city, COUNT(*), COALESCE(SUM(revenue), 0), COUNT(revenue)
FROM customers WHERE hidden = 0 AND merged_into IS NULL
GROUP BY 1, 2, 3;
CREATE TRIGGER customer_rollup_territory_insert AFTER INSERT ON customers
WHEN NEW.hidden = 0 AND NEW.merged_into IS NULL
BEGIN
    INSERT INTO customer_rollup_territory (owner, province, city, n, revenue_sum, revenue_n)
    VALUES (NEW.owner, NEW.province, NEW.city, 1, COALESCE(NEW.revenue, 0), NEW.revenue IS NOT NULL);
END;
CREATE TRIGGER customer_rollup_territory_delete AFTER DELETE ON customers
WHEN OLD.hidden = 0 AND OLD.merged_into IS NULL
BEGIN
    INSERT INTO customer_rollup_territory (owner, province, city, n, revenue_sum, revenue_n)
    VALUES (OLD.owner, OLD.province, OLD.city, -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL));
END;
CREATE TRIGGER customer_rollup_territory_update
AFTER UPDATE OF owner, province, city, revenue, hidden, merged_into ON customers
WHEN OLD.owner IS NOT NEW.owner
  OR OLD.province IS NOT NEW.province
  OR OLD.city IS NOT NEW.city
  OR OLD.revenue IS NOT NEW.revenue
  OR OLD.hidden IS NOT NEW.hidden
  OR OLD.merged_into IS NOT NEW.merged_into
BEGIN
    INSERT INTO customer_rollup_territory (owner, province, city, n, revenue_sum, revenue_n)
    SELECT OLD.owner, OLD.province, OLD.city, -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL)
    WHERE OLD.hidden = 0 AND OLD.merged_into IS NULL;
    INSERT INTO customer_rollup_territory (owner, province, city, n, revenue_sum, revenue_n)
    SELECT NEW.owner, NEW.province, NEW.city, 1, COALESCE(NEW.revenue, 0), NEW.revenue IS NOT NULL
    WHERE NEW.hidden = 0 AND NEW.merged_into IS NULL;
END;
