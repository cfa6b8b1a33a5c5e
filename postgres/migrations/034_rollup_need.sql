-- The live customers per industry (in full) and need type, kept like the
-- rollups of migrations 023 and 028, for the seeds' ready report "needs per
-- industry" (top-level industry × need type), which no other rollup holds:
-- adding the need type to the market view's table would multiply its
-- combinations by the number of need types.
CREATE TABLE customer_rollup_need (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    industry    TEXT,
    need_type   TEXT,
    n           BIGINT NOT NULL,
    revenue_sum NUMERIC NOT NULL,
    revenue_n   BIGINT NOT NULL
);
INSERT INTO customer_rollup_need (industry, need_type, n, revenue_sum, revenue_n)
SELECT industry, need_type, COUNT(*), COALESCE(SUM(revenue), 0), COUNT(revenue)
FROM customers WHERE hidden = 0 AND merged_into IS NULL
GROUP BY 1, 2;
CREATE FUNCTION customer_rollup_need_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO customer_rollup_need (industry, need_type, n, revenue_sum, revenue_n)
        SELECT industry, need_type, COUNT(*), COALESCE(SUM(revenue), 0), COUNT(revenue)
        FROM new_rows WHERE hidden = 0 AND merged_into IS NULL
        GROUP BY 1, 2;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO customer_rollup_need (industry, need_type, n, revenue_sum, revenue_n)
        SELECT industry, need_type, -COUNT(*), -COALESCE(SUM(revenue), 0), -COUNT(revenue)
        FROM old_rows WHERE hidden = 0 AND merged_into IS NULL
        GROUP BY 1, 2;
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
        INSERT INTO customer_rollup_need (industry, need_type, n, revenue_sum, revenue_n)
        VALUES (OLD.industry, OLD.need_type, -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL)::int);
    END IF;
    IF NEW.hidden = 0 AND NEW.merged_into IS NULL THEN
        INSERT INTO customer_rollup_need (industry, need_type, n, revenue_sum, revenue_n)
        VALUES (NEW.industry, NEW.need_type, 1, COALESCE(NEW.revenue, 0), (NEW.revenue IS NOT NULL)::int);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_rollup_need_update AFTER UPDATE ON customers FOR EACH ROW
WHEN (OLD.industry IS DISTINCT FROM NEW.industry OR OLD.need_type IS DISTINCT FROM NEW.need_type
   OR OLD.revenue IS DISTINCT FROM NEW.revenue
   OR OLD.hidden IS DISTINCT FROM NEW.hidden OR OLD.merged_into IS DISTINCT FROM NEW.merged_into)
    EXECUTE FUNCTION customer_rollup_need_update();
CREATE FUNCTION customer_rollup_need_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM customer_rollup_need;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_rollup_need_truncate AFTER TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION customer_rollup_need_truncate();
