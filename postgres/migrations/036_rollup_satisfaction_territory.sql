-- Two pivots that no rollup held stayed over PostgreSQL's 200 ms goal at
-- 1,000,000 customers, each a scan of every customer: a rep's customers per
-- city (owner x city, 232 ms) and revenue by satisfaction (245 ms). The
-- satisfaction joins the rollup of migration 034 (industry and need type:
-- satisfaction per industry, per need type), and a territory rollup holds
-- owner, province and city. Both are kept like the rollups of migrations
-- 023, 028 and 034, and each stays small: 5,834 and 1,013 rows for the
-- 1,000,000-customer demo.
DROP TRIGGER customer_rollup_need_insert ON customers;
DROP TRIGGER customer_rollup_need_delete ON customers;
DROP TRIGGER customer_rollup_need_update ON customers;
DROP TRIGGER customer_rollup_need_truncate ON customers;
DROP FUNCTION customer_rollup_need_delta();
DROP FUNCTION customer_rollup_need_update();
DROP FUNCTION customer_rollup_need_truncate();
DROP TABLE customer_rollup_need;
CREATE TABLE customer_rollup_need (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    industry    TEXT,
    need_type   TEXT,
    satisfaction BIGINT,
    n           BIGINT NOT NULL,
    revenue_sum NUMERIC NOT NULL,
    revenue_n   BIGINT NOT NULL
);
INSERT INTO customer_rollup_need (industry, need_type, satisfaction, n, revenue_sum, revenue_n)
SELECT industry, need_type, satisfaction, COUNT(*), COALESCE(SUM(revenue), 0), COUNT(revenue)
FROM customers WHERE hidden = 0 AND merged_into IS NULL
GROUP BY 1, 2, 3;
CREATE FUNCTION customer_rollup_need_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO customer_rollup_need (industry, need_type, satisfaction, n, revenue_sum, revenue_n)
        SELECT industry, need_type, satisfaction, COUNT(*), COALESCE(SUM(revenue), 0), COUNT(revenue)
        FROM new_rows WHERE hidden = 0 AND merged_into IS NULL
        GROUP BY 1, 2, 3;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO customer_rollup_need (industry, need_type, satisfaction, n, revenue_sum, revenue_n)
        SELECT industry, need_type, satisfaction, -COUNT(*), -COALESCE(SUM(revenue), 0), -COUNT(revenue)
        FROM old_rows WHERE hidden = 0 AND merged_into IS NULL
        GROUP BY 1, 2, 3;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_rollup_need_insert AFTER INSERT ON customers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_rollup_need_delta();
CREATE TRIGGER customer_rollup_need_delete AFTER DELETE ON customers
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_rollup_need_delta();
CREATE FUNCTION customer_rollup_need_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.hidden = 0 AND OLD.merged_into IS NULL THEN
        INSERT INTO customer_rollup_need (industry, need_type, satisfaction, n, revenue_sum, revenue_n)
        VALUES (OLD.industry, OLD.need_type, OLD.satisfaction, -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL)::int);
    END IF;
    IF NEW.hidden = 0 AND NEW.merged_into IS NULL THEN
        INSERT INTO customer_rollup_need (industry, need_type, satisfaction, n, revenue_sum, revenue_n)
        VALUES (NEW.industry, NEW.need_type, NEW.satisfaction, 1, COALESCE(NEW.revenue, 0), (NEW.revenue IS NOT NULL)::int);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_rollup_need_update AFTER UPDATE ON customers FOR EACH ROW
WHEN (OLD.industry IS DISTINCT FROM NEW.industry
   OR OLD.need_type IS DISTINCT FROM NEW.need_type
   OR OLD.satisfaction IS DISTINCT FROM NEW.satisfaction
   OR OLD.revenue IS DISTINCT FROM NEW.revenue
   OR OLD.hidden IS DISTINCT FROM NEW.hidden
   OR OLD.merged_into IS DISTINCT FROM NEW.merged_into)
    EXECUTE FUNCTION customer_rollup_need_update();
CREATE FUNCTION customer_rollup_need_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM customer_rollup_need;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_rollup_need_truncate AFTER TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION customer_rollup_need_truncate();

CREATE TABLE customer_rollup_territory (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner       TEXT,
    province    TEXT,
    city        TEXT,
    n           BIGINT NOT NULL,
    revenue_sum NUMERIC NOT NULL,
    revenue_n   BIGINT NOT NULL
);
INSERT INTO customer_rollup_territory (owner, province, city, n, revenue_sum, revenue_n)
SELECT owner, province, city, COUNT(*), COALESCE(SUM(revenue), 0), COUNT(revenue)
FROM customers WHERE hidden = 0 AND merged_into IS NULL
GROUP BY 1, 2, 3;
CREATE FUNCTION customer_rollup_territory_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO customer_rollup_territory (owner, province, city, n, revenue_sum, revenue_n)
        SELECT owner, province, city, COUNT(*), COALESCE(SUM(revenue), 0), COUNT(revenue)
        FROM new_rows WHERE hidden = 0 AND merged_into IS NULL
        GROUP BY 1, 2, 3;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO customer_rollup_territory (owner, province, city, n, revenue_sum, revenue_n)
        SELECT owner, province, city, -COUNT(*), -COALESCE(SUM(revenue), 0), -COUNT(revenue)
        FROM old_rows WHERE hidden = 0 AND merged_into IS NULL
        GROUP BY 1, 2, 3;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_rollup_territory_insert AFTER INSERT ON customers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_rollup_territory_delta();
CREATE TRIGGER customer_rollup_territory_delete AFTER DELETE ON customers
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_rollup_territory_delta();
CREATE FUNCTION customer_rollup_territory_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.hidden = 0 AND OLD.merged_into IS NULL THEN
        INSERT INTO customer_rollup_territory (owner, province, city, n, revenue_sum, revenue_n)
        VALUES (OLD.owner, OLD.province, OLD.city, -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL)::int);
    END IF;
    IF NEW.hidden = 0 AND NEW.merged_into IS NULL THEN
        INSERT INTO customer_rollup_territory (owner, province, city, n, revenue_sum, revenue_n)
        VALUES (NEW.owner, NEW.province, NEW.city, 1, COALESCE(NEW.revenue, 0), (NEW.revenue IS NOT NULL)::int);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_rollup_territory_update AFTER UPDATE ON customers FOR EACH ROW
WHEN (OLD.owner IS DISTINCT FROM NEW.owner
   OR OLD.province IS DISTINCT FROM NEW.province
   OR OLD.city IS DISTINCT FROM NEW.city
   OR OLD.revenue IS DISTINCT FROM NEW.revenue
   OR OLD.hidden IS DISTINCT FROM NEW.hidden
   OR OLD.merged_into IS DISTINCT FROM NEW.merged_into)
    EXECUTE FUNCTION customer_rollup_territory_update();
CREATE FUNCTION customer_rollup_territory_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM customer_rollup_territory;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_rollup_territory_truncate AFTER TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION customer_rollup_territory_truncate();
