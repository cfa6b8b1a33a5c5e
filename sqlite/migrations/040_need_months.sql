-- Each customer's live needs per month collected and need type: for the
-- needs what migration 039 is for the interactions, so that a trend of
-- needs by any customer field, or of any segment, reads one short row per
-- customer, month and type instead of joining every need (a wide row with
-- its description) to its customer. Moves with no customer field; only
-- the needs' own writes and an import undone or restored change it, and
-- each change bumps the customer data version, as in migration 039.
CREATE TABLE need_months (
    customer_id INTEGER NOT NULL,
    month       TEXT NOT NULL,
    type        TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (customer_id, month, type)
) WITHOUT ROWID;
INSERT INTO need_months (customer_id, month, type, n)
SELECT x.customer_id, substr(x.collected_at, 1, 7), x.type, COUNT(*)
FROM needs x
WHERE x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL)
GROUP BY 1, 2, 3;
CREATE TRIGGER need_months_insert AFTER INSERT ON needs
WHEN NEW.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = NEW.import_id AND i.reverted_at IS NOT NULL)
BEGIN
    INSERT INTO need_months (customer_id, month, type, n) VALUES (NEW.customer_id, substr(NEW.collected_at, 1, 7), NEW.type, 1)
    ON CONFLICT (customer_id, month, type) DO UPDATE SET n = n + 1;
    UPDATE data_version SET customers = customers + 1 WHERE id = 1;
END;
CREATE TRIGGER need_months_delete AFTER DELETE ON needs
WHEN OLD.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = OLD.import_id AND i.reverted_at IS NOT NULL)
BEGIN
    UPDATE need_months SET n = n - 1 WHERE customer_id = OLD.customer_id AND month = substr(OLD.collected_at, 1, 7) AND type = OLD.type;
    DELETE FROM need_months WHERE customer_id = OLD.customer_id AND month = substr(OLD.collected_at, 1, 7) AND type = OLD.type AND n = 0;
    UPDATE data_version SET customers = customers + 1 WHERE id = 1;
END;
-- An edited date or type, or a need moved to another customer (a merge).
CREATE TRIGGER need_months_update AFTER UPDATE OF collected_at, type, customer_id, import_id ON needs
WHEN substr(OLD.collected_at, 1, 7) IS NOT substr(NEW.collected_at, 1, 7) OR OLD.type IS NOT NEW.type
  OR OLD.customer_id IS NOT NEW.customer_id OR OLD.import_id IS NOT NEW.import_id
BEGIN
    UPDATE need_months SET n = n - 1 WHERE customer_id = OLD.customer_id AND month = substr(OLD.collected_at, 1, 7) AND type = OLD.type
      AND (OLD.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = OLD.import_id AND i.reverted_at IS NOT NULL));
    DELETE FROM need_months WHERE customer_id = OLD.customer_id AND month = substr(OLD.collected_at, 1, 7) AND type = OLD.type AND n = 0;
    INSERT INTO need_months (customer_id, month, type, n)
    SELECT NEW.customer_id, substr(NEW.collected_at, 1, 7), NEW.type, 1
    WHERE NEW.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = NEW.import_id AND i.reverted_at IS NOT NULL)
    ON CONFLICT (customer_id, month, type) DO UPDATE SET n = n + 1;
    UPDATE data_version SET customers = customers + 1 WHERE id = 1;
END;
-- An import undone takes its needs away; restored, adds them back.
CREATE TRIGGER need_months_import AFTER UPDATE OF reverted_at ON imports
WHEN (OLD.reverted_at IS NULL) <> (NEW.reverted_at IS NULL)
BEGIN
    INSERT INTO need_months (customer_id, month, type, n)
    SELECT x.customer_id, substr(x.collected_at, 1, 7), x.type, CASE WHEN NEW.reverted_at IS NULL THEN COUNT(*) ELSE -COUNT(*) END
    FROM needs x WHERE x.import_id = NEW.id GROUP BY 1, 2, 3
    ON CONFLICT (customer_id, month, type) DO UPDATE SET n = n + excluded.n;
    DELETE FROM need_months WHERE n = 0
      AND customer_id IN (SELECT customer_id FROM needs WHERE import_id = NEW.id);
    UPDATE data_version SET customers = customers + 1 WHERE id = 1;
END;
