-- A second interaction rollup beside migration 033's: the live
-- interactions per month and the province, city and customer type of their
-- customer, so that a trend by city or customer type (or of the customers
-- of one) reads some ten thousand rows instead of joining every
-- interaction to its customer (about 20 s at 10,000,000 interactions on
-- SQLite). Apart from migration 033's table, because adding the city to it
-- would multiply its rows by the cities of each province. The owner is
-- left out on purpose: a recompute returns many customers to the public
-- pool at once, and each change of owner would move all of that
-- customer's records' counts. Kept like migration 033's rollup.
CREATE TABLE interaction_rollup_place (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    month         TEXT,
    province      TEXT,
    city          TEXT,
    customer_type TEXT,
    n             BIGINT NOT NULL
);
INSERT INTO interaction_rollup_place (month, province, city, customer_type, n)
SELECT substr(x.date, 1, 7), c.province, c.city, c.customer_type, COUNT(*)
FROM interactions x JOIN customers c ON c.id = x.customer_id
WHERE c.hidden = 0 AND c.merged_into IS NULL AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
GROUP BY 1, 2, 3, 4;
-- Per statement, with the records' customers and imports locked as in
-- migration 033 (and in the same order, so the two never deadlock).
CREATE FUNCTION interaction_rollup_place_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM customers WHERE id IN (SELECT customer_id FROM new_rows) ORDER BY id FOR NO KEY UPDATE;
        PERFORM 1 FROM imports WHERE id IN (SELECT import_id FROM new_rows) ORDER BY id FOR NO KEY UPDATE;
        INSERT INTO interaction_rollup_place (month, province, city, customer_type, n)
        SELECT substr(x.date, 1, 7), c.province, c.city, c.customer_type, COUNT(*)
        FROM new_rows x JOIN customers c ON c.id = x.customer_id
        WHERE c.hidden = 0 AND c.merged_into IS NULL AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
        GROUP BY 1, 2, 3, 4;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM 1 FROM customers WHERE id IN (SELECT customer_id FROM old_rows) ORDER BY id FOR NO KEY UPDATE;
        PERFORM 1 FROM imports WHERE id IN (SELECT import_id FROM old_rows) ORDER BY id FOR NO KEY UPDATE;
        INSERT INTO interaction_rollup_place (month, province, city, customer_type, n)
        SELECT substr(x.date, 1, 7), c.province, c.city, c.customer_type, -COUNT(*)
        FROM old_rows x JOIN customers c ON c.id = x.customer_id
        WHERE c.hidden = 0 AND c.merged_into IS NULL AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
        GROUP BY 1, 2, 3, 4;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER interaction_rollup_place_insert AFTER INSERT ON interactions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION interaction_rollup_place_delta();
CREATE TRIGGER interaction_rollup_place_delete AFTER DELETE ON interactions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION interaction_rollup_place_delta();
-- One record's side of the count: sign -1 for its old values, +1 for its new.
CREATE FUNCTION interaction_rollup_place_record(customer BIGINT, imp BIGINT, day TEXT, sign INT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM customers WHERE id = customer FOR NO KEY UPDATE;
    INSERT INTO interaction_rollup_place (month, province, city, customer_type, n)
    SELECT substr(day, 1, 7), c.province, c.city, c.customer_type, sign
    FROM customers c WHERE c.id = customer AND c.hidden = 0 AND c.merged_into IS NULL
      AND (imp IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = imp AND i.reverted_at IS NOT NULL));
END $$;
-- An edited date, or a record moved to another customer (a merge).
CREATE FUNCTION interaction_rollup_place_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM interaction_rollup_place_record(OLD.customer_id, OLD.import_id, OLD.date, -1);
    PERFORM interaction_rollup_place_record(NEW.customer_id, NEW.import_id, NEW.date, 1);
    RETURN NULL;
END $$;
CREATE TRIGGER interaction_rollup_place_update AFTER UPDATE ON interactions FOR EACH ROW
WHEN (substr(OLD.date, 1, 7) IS DISTINCT FROM substr(NEW.date, 1, 7) OR OLD.customer_id IS DISTINCT FROM NEW.customer_id
   OR OLD.import_id IS DISTINCT FROM NEW.import_id)
    EXECUTE FUNCTION interaction_rollup_place_update();
-- A customer whose counted fields or liveness change moves its records'
-- counts.
CREATE FUNCTION interaction_rollup_place_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.hidden = 0 AND OLD.merged_into IS NULL THEN
        INSERT INTO interaction_rollup_place (month, province, city, customer_type, n)
        SELECT substr(x.date, 1, 7), OLD.province, OLD.city, OLD.customer_type, -COUNT(*)
        FROM interactions x WHERE x.customer_id = OLD.id AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
        GROUP BY 1;
    END IF;
    IF NEW.hidden = 0 AND NEW.merged_into IS NULL THEN
        INSERT INTO interaction_rollup_place (month, province, city, customer_type, n)
        SELECT substr(x.date, 1, 7), NEW.province, NEW.city, NEW.customer_type, COUNT(*)
        FROM interactions x WHERE x.customer_id = NEW.id AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
        GROUP BY 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER interaction_rollup_place_customer AFTER UPDATE ON customers FOR EACH ROW
WHEN (OLD.province IS DISTINCT FROM NEW.province OR OLD.city IS DISTINCT FROM NEW.city
   OR OLD.customer_type IS DISTINCT FROM NEW.customer_type
   OR OLD.hidden IS DISTINCT FROM NEW.hidden OR OLD.merged_into IS DISTINCT FROM NEW.merged_into)
    EXECUTE FUNCTION interaction_rollup_place_customer();
-- An import undone takes its records' counts away; restored, adds them back.
CREATE FUNCTION interaction_rollup_place_import() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO interaction_rollup_place (month, province, city, customer_type, n)
    SELECT substr(x.date, 1, 7), c.province, c.city, c.customer_type,
           CASE WHEN NEW.reverted_at IS NULL THEN COUNT(*) ELSE -COUNT(*) END
    FROM interactions x JOIN customers c ON c.id = x.customer_id
    WHERE x.import_id = NEW.id AND c.hidden = 0 AND c.merged_into IS NULL
    GROUP BY 1, 2, 3, 4;
    RETURN NULL;
END $$;
CREATE TRIGGER interaction_rollup_place_import AFTER UPDATE ON imports FOR EACH ROW
WHEN ((OLD.reverted_at IS NULL) <> (NEW.reverted_at IS NULL))
    EXECUTE FUNCTION interaction_rollup_place_import();
CREATE FUNCTION interaction_rollup_place_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM interaction_rollup_place;
    RETURN NULL;
END $$;
CREATE TRIGGER interaction_rollup_place_truncate AFTER TRUNCATE ON interactions
    FOR EACH STATEMENT EXECUTE FUNCTION interaction_rollup_place_truncate();
