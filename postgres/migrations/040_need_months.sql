-- Each customer's live needs per month collected and need type: for the
-- needs what migration 039 is for the interactions, so that a trend of
-- needs by any customer field, or of any segment, reads one short row per
-- customer, month and type instead of joining every need (a wide row with
-- its description) to its customer. Moves with no customer field; only
-- the needs' own writes and an import undone or restored change it.
CREATE TABLE need_months (
    customer_id BIGINT NOT NULL,
    month       TEXT COLLATE "C" NOT NULL,
    type        TEXT NOT NULL,
    n           BIGINT NOT NULL,
    PRIMARY KEY (customer_id, month, type)
);
INSERT INTO need_months (customer_id, month, type, n)
SELECT x.customer_id, substr(x.collected_at, 1, 7), x.type, COUNT(*)
FROM needs x
WHERE x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL)
GROUP BY 1, 2, 3;
-- Per statement (a COPY of many customers' needs is one), with the needs'
-- customers and imports locked first as in migration 035.
CREATE FUNCTION need_months_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM customers WHERE id IN (SELECT customer_id FROM new_rows) ORDER BY id FOR NO KEY UPDATE;
        PERFORM 1 FROM imports WHERE id IN (SELECT import_id FROM new_rows) ORDER BY id FOR NO KEY UPDATE;
        INSERT INTO need_months (customer_id, month, type, n)
        SELECT x.customer_id, substr(x.collected_at, 1, 7), x.type, COUNT(*) FROM new_rows x
        WHERE x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL)
        GROUP BY 1, 2, 3
        ON CONFLICT (customer_id, month, type) DO UPDATE SET n = need_months.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM 1 FROM customers WHERE id IN (SELECT customer_id FROM old_rows) ORDER BY id FOR NO KEY UPDATE;
        PERFORM 1 FROM imports WHERE id IN (SELECT import_id FROM old_rows) ORDER BY id FOR NO KEY UPDATE;
        INSERT INTO need_months (customer_id, month, type, n)
        SELECT x.customer_id, substr(x.collected_at, 1, 7), x.type, -COUNT(*) FROM old_rows x
        WHERE x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL)
        GROUP BY 1, 2, 3
        ON CONFLICT (customer_id, month, type) DO UPDATE SET n = need_months.n + excluded.n;
        DELETE FROM need_months m WHERE m.n = 0 AND m.customer_id IN (SELECT customer_id FROM old_rows);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER need_months_insert AFTER INSERT ON needs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION need_months_delta();
CREATE TRIGGER need_months_delete AFTER DELETE ON needs
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION need_months_delta();
-- One need's side of the count: sign -1 for its old values, +1 for its new.
CREATE FUNCTION need_months_record(customer BIGINT, imp BIGINT, day TEXT, typ TEXT, sign INT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF imp IS NOT NULL AND EXISTS (SELECT 1 FROM imports i WHERE i.id = imp AND i.reverted_at IS NOT NULL) THEN
        RETURN;
    END IF;
    PERFORM 1 FROM customers WHERE id = customer FOR NO KEY UPDATE;
    INSERT INTO need_months (customer_id, month, type, n) VALUES (customer, substr(day, 1, 7), typ, sign)
    ON CONFLICT (customer_id, month, type) DO UPDATE SET n = need_months.n + excluded.n;
    DELETE FROM need_months WHERE customer_id = customer AND month = substr(day, 1, 7) AND type = typ AND n = 0;
END $$;
-- An edited date or type, or a need moved to another customer (a merge).
CREATE FUNCTION need_months_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM need_months_record(OLD.customer_id, OLD.import_id, OLD.collected_at, OLD.type, -1);
    PERFORM need_months_record(NEW.customer_id, NEW.import_id, NEW.collected_at, NEW.type, 1);
    RETURN NULL;
END $$;
CREATE TRIGGER need_months_update AFTER UPDATE ON needs FOR EACH ROW
WHEN (substr(OLD.collected_at, 1, 7) IS DISTINCT FROM substr(NEW.collected_at, 1, 7) OR OLD.type IS DISTINCT FROM NEW.type
   OR OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.import_id IS DISTINCT FROM NEW.import_id)
    EXECUTE FUNCTION need_months_update();
-- An import undone takes its needs away; restored, adds them back.
CREATE FUNCTION need_months_import() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM customers WHERE id IN (SELECT customer_id FROM needs WHERE import_id = NEW.id) ORDER BY id FOR NO KEY UPDATE;
    INSERT INTO need_months (customer_id, month, type, n)
    SELECT x.customer_id, substr(x.collected_at, 1, 7), x.type, CASE WHEN NEW.reverted_at IS NULL THEN COUNT(*) ELSE -COUNT(*) END
    FROM needs x WHERE x.import_id = NEW.id GROUP BY 1, 2, 3
    ON CONFLICT (customer_id, month, type) DO UPDATE SET n = need_months.n + excluded.n;
    DELETE FROM need_months m WHERE m.n = 0
      AND m.customer_id IN (SELECT customer_id FROM needs WHERE import_id = NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER need_months_import AFTER UPDATE ON imports FOR EACH ROW
WHEN ((OLD.reverted_at IS NULL) <> (NEW.reverted_at IS NULL))
    EXECUTE FUNCTION need_months_import();
CREATE FUNCTION need_months_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM need_months;
    RETURN NULL;
END $$;
CREATE TRIGGER need_months_truncate AFTER TRUNCATE ON needs
    FOR EACH STATEMENT EXECUTE FUNCTION need_months_truncate();
