-- A second need rollup beside migration 035's, as migration 037 is for
-- interactions: the live needs per month collected, need type, and the
-- province, city and customer type of their customer (54,680 rows for the
-- 1,000,000-customer demo), so that a trend of needs by province, city or
-- customer type, or of the customers of one, reads it instead of joining
-- every need to its customer (8 s at 1,650,720 needs on SQLite). Kept like
-- migration 035's rollup.
CREATE TABLE need_rollup_place (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    month        TEXT,
    type         TEXT,
    province     TEXT,
    city         TEXT,
    customer_type TEXT,
    n            BIGINT NOT NULL
);
INSERT INTO need_rollup_place (month, type, province, city, customer_type, n)
SELECT substr(x.collected_at, 1, 7), x.type, c.province, c.city, c.customer_type, COUNT(*)
FROM needs x JOIN customers c ON c.id = x.customer_id
WHERE c.hidden = 0 AND c.merged_into IS NULL
  AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
GROUP BY 1, 2, 3, 4, 5;
CREATE FUNCTION need_rollup_place_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM customers WHERE id IN (SELECT customer_id FROM new_rows) ORDER BY id FOR NO KEY UPDATE;
        PERFORM 1 FROM imports WHERE id IN (SELECT import_id FROM new_rows) ORDER BY id FOR NO KEY UPDATE;
        INSERT INTO need_rollup_place (month, type, province, city, customer_type, n)
        SELECT substr(x.collected_at, 1, 7), x.type, c.province, c.city, c.customer_type, COUNT(*)
        FROM new_rows x JOIN customers c ON c.id = x.customer_id
        WHERE c.hidden = 0 AND c.merged_into IS NULL
          AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
        GROUP BY 1, 2, 3, 4, 5;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM 1 FROM customers WHERE id IN (SELECT customer_id FROM old_rows) ORDER BY id FOR NO KEY UPDATE;
        PERFORM 1 FROM imports WHERE id IN (SELECT import_id FROM old_rows) ORDER BY id FOR NO KEY UPDATE;
        INSERT INTO need_rollup_place (month, type, province, city, customer_type, n)
        SELECT substr(x.collected_at, 1, 7), x.type, c.province, c.city, c.customer_type, -COUNT(*)
        FROM old_rows x JOIN customers c ON c.id = x.customer_id
        WHERE c.hidden = 0 AND c.merged_into IS NULL
          AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
        GROUP BY 1, 2, 3, 4, 5;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER need_rollup_place_insert AFTER INSERT ON needs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION need_rollup_place_delta();
CREATE TRIGGER need_rollup_place_delete AFTER DELETE ON needs
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION need_rollup_place_delta();
-- One need's side of the count: sign -1 for its old values, +1 for its new.
CREATE FUNCTION need_rollup_place_record(customer BIGINT, imp BIGINT, collected TEXT, kind TEXT, sign INT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM customers WHERE id = customer FOR NO KEY UPDATE;
    INSERT INTO need_rollup_place (month, type, province, city, customer_type, n)
    SELECT substr(collected, 1, 7), kind, c.province, c.city, c.customer_type, sign
    FROM customers c WHERE c.id = customer AND c.hidden = 0 AND c.merged_into IS NULL
      AND (imp IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = imp AND i.reverted_at IS NOT NULL));
END $$;
-- An edited date or type, or a need moved to another customer (a merge).
CREATE FUNCTION need_rollup_place_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM need_rollup_place_record(OLD.customer_id, OLD.import_id, OLD.collected_at, OLD.type, -1);
    PERFORM need_rollup_place_record(NEW.customer_id, NEW.import_id, NEW.collected_at, NEW.type, 1);
    RETURN NULL;
END $$;
CREATE TRIGGER need_rollup_place_update AFTER UPDATE ON needs FOR EACH ROW
WHEN (substr(OLD.collected_at, 1, 7) IS DISTINCT FROM substr(NEW.collected_at, 1, 7) OR OLD.type IS DISTINCT FROM NEW.type
   OR OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.import_id IS DISTINCT FROM NEW.import_id)
    EXECUTE FUNCTION need_rollup_place_update();
-- A customer whose counted fields or liveness change moves its needs'
-- counts; a recompute, which writes scores, priorities and owners, costs
-- only the WHEN test.
CREATE FUNCTION need_rollup_place_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.hidden = 0 AND OLD.merged_into IS NULL THEN
        INSERT INTO need_rollup_place (month, type, province, city, customer_type, n)
        SELECT substr(x.collected_at, 1, 7), x.type, OLD.province, OLD.city, OLD.customer_type, -COUNT(*)
        FROM needs x WHERE x.customer_id = OLD.id
          AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
        GROUP BY 1, 2;
    END IF;
    IF NEW.hidden = 0 AND NEW.merged_into IS NULL THEN
        INSERT INTO need_rollup_place (month, type, province, city, customer_type, n)
        SELECT substr(x.collected_at, 1, 7), x.type, NEW.province, NEW.city, NEW.customer_type, COUNT(*)
        FROM needs x WHERE x.customer_id = NEW.id
          AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
        GROUP BY 1, 2;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER need_rollup_place_customer AFTER UPDATE ON customers FOR EACH ROW
WHEN (OLD.province IS DISTINCT FROM NEW.province OR OLD.city IS DISTINCT FROM NEW.city
   OR OLD.customer_type IS DISTINCT FROM NEW.customer_type
   OR OLD.hidden IS DISTINCT FROM NEW.hidden OR OLD.merged_into IS DISTINCT FROM NEW.merged_into)
    EXECUTE FUNCTION need_rollup_place_customer();
-- An import undone takes its needs' counts away; restored, adds them back.
CREATE FUNCTION need_rollup_place_import() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO need_rollup_place (month, type, province, city, customer_type, n)
    SELECT substr(x.collected_at, 1, 7), x.type, c.province, c.city, c.customer_type,
           CASE WHEN NEW.reverted_at IS NULL THEN COUNT(*) ELSE -COUNT(*) END
    FROM needs x JOIN customers c ON c.id = x.customer_id
    WHERE x.import_id = NEW.id AND c.hidden = 0 AND c.merged_into IS NULL
    GROUP BY 1, 2, 3, 4, 5;
    RETURN NULL;
END $$;
CREATE TRIGGER need_rollup_place_import AFTER UPDATE ON imports FOR EACH ROW
WHEN ((OLD.reverted_at IS NULL) <> (NEW.reverted_at IS NULL))
    EXECUTE FUNCTION need_rollup_place_import();
CREATE FUNCTION need_rollup_place_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM need_rollup_place;
    RETURN NULL;
END $$;
CREATE TRIGGER need_rollup_place_truncate AFTER TRUNCATE ON needs
    FOR EACH STATEMENT EXECUTE FUNCTION need_rollup_place_truncate();
