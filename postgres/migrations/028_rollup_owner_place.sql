-- Two more rollups beside migration 023's, kept the same way (delta rows
-- written by triggers in the writing statement, compacted by the store),
-- for the pivots and list totals that one cannot answer: the sales view
-- (owner and team by grade, stage and follow-up priority: a rep's
-- follow-up progress) and the market view (province, city and the full
-- industry: customers and revenue per city, per sub-industry). Adding
-- owner or city to migration 023's table instead would multiply its
-- combinations by the number of reps or cities, until it held nearly a row
-- per customer; apart, each stays a few thousand rows.
CREATE TABLE customer_rollup_owner (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner              TEXT,
    team               TEXT,
    grade              TEXT,
    stage              TEXT,
    follow_up_priority TEXT,
    n                  BIGINT NOT NULL,
    revenue_sum        NUMERIC NOT NULL,
    revenue_n          BIGINT NOT NULL
);
INSERT INTO customer_rollup_owner (owner, team, grade, stage, follow_up_priority, n, revenue_sum, revenue_n)
SELECT owner, team, grade, stage, follow_up_priority, COUNT(*), COALESCE(SUM(revenue), 0), COUNT(revenue)
FROM customers WHERE hidden = 0 AND merged_into IS NULL
GROUP BY 1, 2, 3, 4, 5;
CREATE TABLE customer_rollup_place (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    province    TEXT,
    city        TEXT,
    industry    TEXT,
    n           BIGINT NOT NULL,
    revenue_sum NUMERIC NOT NULL,
    revenue_n   BIGINT NOT NULL
);
INSERT INTO customer_rollup_place (province, city, industry, n, revenue_sum, revenue_n)
SELECT province, city, industry, COUNT(*), COALESCE(SUM(revenue), 0), COUNT(revenue)
FROM customers WHERE hidden = 0 AND merged_into IS NULL
GROUP BY 1, 2, 3;

-- Inserts and deletes per statement, from the transition tables, as in
-- migration 023.
CREATE FUNCTION customer_rollup2_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO customer_rollup_owner (owner, team, grade, stage, follow_up_priority, n, revenue_sum, revenue_n)
        SELECT owner, team, grade, stage, follow_up_priority, COUNT(*), COALESCE(SUM(revenue), 0), COUNT(revenue)
        FROM new_rows WHERE hidden = 0 AND merged_into IS NULL
        GROUP BY 1, 2, 3, 4, 5;
        INSERT INTO customer_rollup_place (province, city, industry, n, revenue_sum, revenue_n)
        SELECT province, city, industry, COUNT(*), COALESCE(SUM(revenue), 0), COUNT(revenue)
        FROM new_rows WHERE hidden = 0 AND merged_into IS NULL
        GROUP BY 1, 2, 3;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO customer_rollup_owner (owner, team, grade, stage, follow_up_priority, n, revenue_sum, revenue_n)
        SELECT owner, team, grade, stage, follow_up_priority, -COUNT(*), -COALESCE(SUM(revenue), 0), -COUNT(revenue)
        FROM old_rows WHERE hidden = 0 AND merged_into IS NULL
        GROUP BY 1, 2, 3, 4, 5;
        INSERT INTO customer_rollup_place (province, city, industry, n, revenue_sum, revenue_n)
        SELECT province, city, industry, -COUNT(*), -COALESCE(SUM(revenue), 0), -COUNT(revenue)
        FROM old_rows WHERE hidden = 0 AND merged_into IS NULL
        GROUP BY 1, 2, 3;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_rollup2_insert AFTER INSERT ON customers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_rollup2_delta();
CREATE TRIGGER customer_rollup2_delete AFTER DELETE ON customers
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_rollup2_delta();

-- Updates per row, each table's trigger only when its own columns (or the
-- customer's liveness) change, as in migration 023.
CREATE FUNCTION customer_rollup_owner_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.hidden = 0 AND OLD.merged_into IS NULL THEN
        INSERT INTO customer_rollup_owner (owner, team, grade, stage, follow_up_priority, n, revenue_sum, revenue_n)
        VALUES (OLD.owner, OLD.team, OLD.grade, OLD.stage, OLD.follow_up_priority,
                -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL)::int);
    END IF;
    IF NEW.hidden = 0 AND NEW.merged_into IS NULL THEN
        INSERT INTO customer_rollup_owner (owner, team, grade, stage, follow_up_priority, n, revenue_sum, revenue_n)
        VALUES (NEW.owner, NEW.team, NEW.grade, NEW.stage, NEW.follow_up_priority,
                1, COALESCE(NEW.revenue, 0), (NEW.revenue IS NOT NULL)::int);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_rollup_owner_update AFTER UPDATE ON customers FOR EACH ROW
WHEN (OLD.owner IS DISTINCT FROM NEW.owner OR OLD.team IS DISTINCT FROM NEW.team
   OR OLD.grade IS DISTINCT FROM NEW.grade OR OLD.stage IS DISTINCT FROM NEW.stage
   OR OLD.follow_up_priority IS DISTINCT FROM NEW.follow_up_priority OR OLD.revenue IS DISTINCT FROM NEW.revenue
   OR OLD.hidden IS DISTINCT FROM NEW.hidden OR OLD.merged_into IS DISTINCT FROM NEW.merged_into)
    EXECUTE FUNCTION customer_rollup_owner_update();

CREATE FUNCTION customer_rollup_place_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.hidden = 0 AND OLD.merged_into IS NULL THEN
        INSERT INTO customer_rollup_place (province, city, industry, n, revenue_sum, revenue_n)
        VALUES (OLD.province, OLD.city, OLD.industry, -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL)::int);
    END IF;
    IF NEW.hidden = 0 AND NEW.merged_into IS NULL THEN
        INSERT INTO customer_rollup_place (province, city, industry, n, revenue_sum, revenue_n)
        VALUES (NEW.province, NEW.city, NEW.industry, 1, COALESCE(NEW.revenue, 0), (NEW.revenue IS NOT NULL)::int);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_rollup_place_update AFTER UPDATE ON customers FOR EACH ROW
WHEN (OLD.province IS DISTINCT FROM NEW.province OR OLD.city IS DISTINCT FROM NEW.city
   OR OLD.industry IS DISTINCT FROM NEW.industry OR OLD.revenue IS DISTINCT FROM NEW.revenue
   OR OLD.hidden IS DISTINCT FROM NEW.hidden OR OLD.merged_into IS DISTINCT FROM NEW.merged_into)
    EXECUTE FUNCTION customer_rollup_place_update();

-- TRUNCATE empties these too (migration 023's function empties its own).
CREATE FUNCTION customer_rollup2_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM customer_rollup_owner;
    DELETE FROM customer_rollup_place;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_rollup2_truncate AFTER TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION customer_rollup2_truncate();
