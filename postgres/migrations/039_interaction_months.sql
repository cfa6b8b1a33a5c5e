-- Each customer's live interactions per month, so that a trend by any
-- customer field (an owner, a team, a custom field, a number) or of any
-- segment reads one short row per customer and month instead of joining
-- every interaction to its customer, where the rollups of migrations 033
-- and 037 cover only the fields they group. Keyed by the customer and not
-- by its fields, it moves with none of them: an owner changed, a customer
-- hidden or merged away is the reading query's join, not a write here.
-- Only the records' own writes and an import undone or restored change
-- it. A month whose count falls to zero loses its row. The month is only
-- compared for equality: the C collation.
CREATE TABLE interaction_months (
    customer_id BIGINT NOT NULL,
    month       TEXT COLLATE "C" NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (customer_id, month)
);
INSERT INTO interaction_months (customer_id, month, n)
SELECT x.customer_id, substr(x.date, 1, 7), COUNT(*)
FROM interactions x
WHERE x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL)
GROUP BY 1, 2;
-- Per statement, with the records' customers and imports locked first as
-- in migration 033 (same order, so that the two never deadlock, and two
-- writers of one customer's records take turns at its rows here).
CREATE FUNCTION interaction_months_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM customers WHERE id IN (SELECT customer_id FROM new_rows) ORDER BY id FOR NO KEY UPDATE;
        PERFORM 1 FROM imports WHERE id IN (SELECT import_id FROM new_rows) ORDER BY id FOR NO KEY UPDATE;
        INSERT INTO interaction_months (customer_id, month, n)
        SELECT x.customer_id, substr(x.date, 1, 7), COUNT(*) FROM new_rows x
        WHERE x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL)
        GROUP BY 1, 2
        ON CONFLICT (customer_id, month) DO UPDATE SET n = interaction_months.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM 1 FROM customers WHERE id IN (SELECT customer_id FROM old_rows) ORDER BY id FOR NO KEY UPDATE;
        PERFORM 1 FROM imports WHERE id IN (SELECT import_id FROM old_rows) ORDER BY id FOR NO KEY UPDATE;
        INSERT INTO interaction_months (customer_id, month, n)
        SELECT x.customer_id, substr(x.date, 1, 7), -COUNT(*) FROM old_rows x
        WHERE x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL)
        GROUP BY 1, 2
        ON CONFLICT (customer_id, month) DO UPDATE SET n = interaction_months.n + excluded.n;
        DELETE FROM interaction_months m WHERE m.n = 0 AND m.customer_id IN (SELECT customer_id FROM old_rows);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER interaction_months_insert AFTER INSERT ON interactions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION interaction_months_delta();
CREATE TRIGGER interaction_months_delete AFTER DELETE ON interactions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION interaction_months_delta();
-- One record's side of the count: sign -1 for its old values, +1 for its new.
CREATE FUNCTION interaction_months_record(customer BIGINT, imp BIGINT, day TEXT, sign INT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF imp IS NOT NULL AND EXISTS (SELECT 1 FROM imports i WHERE i.id = imp AND i.reverted_at IS NOT NULL) THEN
        RETURN;
    END IF;
    PERFORM 1 FROM customers WHERE id = customer FOR NO KEY UPDATE;
    INSERT INTO interaction_months (customer_id, month, n) VALUES (customer, substr(day, 1, 7), sign)
    ON CONFLICT (customer_id, month) DO UPDATE SET n = interaction_months.n + excluded.n;
    DELETE FROM interaction_months WHERE customer_id = customer AND month = substr(day, 1, 7) AND n = 0;
END $$;
-- An edited date, or a record moved to another customer (a merge).
CREATE FUNCTION interaction_months_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM interaction_months_record(OLD.customer_id, OLD.import_id, OLD.date, -1);
    PERFORM interaction_months_record(NEW.customer_id, NEW.import_id, NEW.date, 1);
    RETURN NULL;
END $$;
CREATE TRIGGER interaction_months_update AFTER UPDATE ON interactions FOR EACH ROW
WHEN (substr(OLD.date, 1, 7) IS DISTINCT FROM substr(NEW.date, 1, 7) OR OLD.customer_id IS DISTINCT FROM NEW.customer_id
   OR OLD.import_id IS DISTINCT FROM NEW.import_id)
    EXECUTE FUNCTION interaction_months_update();
-- An import undone takes its records away; restored, adds them back.
CREATE FUNCTION interaction_months_import() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM customers WHERE id IN (SELECT customer_id FROM interactions WHERE import_id = NEW.id) ORDER BY id FOR NO KEY UPDATE;
    INSERT INTO interaction_months (customer_id, month, n)
    SELECT x.customer_id, substr(x.date, 1, 7), CASE WHEN NEW.reverted_at IS NULL THEN COUNT(*) ELSE -COUNT(*) END
    FROM interactions x WHERE x.import_id = NEW.id GROUP BY 1, 2
    ON CONFLICT (customer_id, month) DO UPDATE SET n = interaction_months.n + excluded.n;
    DELETE FROM interaction_months m WHERE m.n = 0
      AND m.customer_id IN (SELECT customer_id FROM interactions WHERE import_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER interaction_months_import AFTER UPDATE ON imports FOR EACH ROW
WHEN ((OLD.reverted_at IS NULL) <> (NEW.reverted_at IS NULL))
    EXECUTE FUNCTION interaction_months_import();
CREATE FUNCTION interaction_months_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM interaction_months;
    RETURN NULL;
END $$;
CREATE TRIGGER interaction_months_truncate AFTER TRUNCATE ON interactions
    FOR EACH STATEMENT EXECUTE FUNCTION interaction_months_truncate();
