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
    id            INTEGER PRIMARY KEY,
    month         TEXT,
    province      TEXT,
    city          TEXT,
    customer_type TEXT,
    n             INTEGER NOT NULL
);
INSERT INTO interaction_rollup_place (month, province, city, customer_type, n)
SELECT substr(x.date, 1, 7), c.province, c.city, c.customer_type, COUNT(*)
FROM interactions x JOIN customers c ON c.id = x.customer_id
WHERE c.hidden = 0 AND c.merged_into IS NULL AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
GROUP BY 1, 2, 3, 4;
CREATE TRIGGER interaction_rollup_place_insert AFTER INSERT ON interactions
BEGIN
    INSERT INTO interaction_rollup_place (month, province, city, customer_type, n)
    SELECT substr(NEW.date, 1, 7), c.province, c.city, c.customer_type, 1
    FROM customers c WHERE c.id = NEW.customer_id AND c.hidden = 0 AND c.merged_into IS NULL
      AND (NEW.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = NEW.import_id AND i.reverted_at IS NOT NULL));
END;
CREATE TRIGGER interaction_rollup_place_delete AFTER DELETE ON interactions
BEGIN
    INSERT INTO interaction_rollup_place (month, province, city, customer_type, n)
    SELECT substr(OLD.date, 1, 7), c.province, c.city, c.customer_type, -1
    FROM customers c WHERE c.id = OLD.customer_id AND c.hidden = 0 AND c.merged_into IS NULL
      AND (OLD.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = OLD.import_id AND i.reverted_at IS NOT NULL));
END;
-- An edited date, or a record moved to another customer (a merge).
CREATE TRIGGER interaction_rollup_place_update AFTER UPDATE OF date, customer_id, import_id ON interactions
WHEN substr(OLD.date, 1, 7) IS NOT substr(NEW.date, 1, 7) OR OLD.customer_id IS NOT NEW.customer_id OR OLD.import_id IS NOT NEW.import_id
BEGIN
    INSERT INTO interaction_rollup_place (month, province, city, customer_type, n)
    SELECT substr(OLD.date, 1, 7), c.province, c.city, c.customer_type, -1
    FROM customers c WHERE c.id = OLD.customer_id AND c.hidden = 0 AND c.merged_into IS NULL
      AND (OLD.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = OLD.import_id AND i.reverted_at IS NOT NULL));
    INSERT INTO interaction_rollup_place (month, province, city, customer_type, n)
    SELECT substr(NEW.date, 1, 7), c.province, c.city, c.customer_type, 1
    FROM customers c WHERE c.id = NEW.customer_id AND c.hidden = 0 AND c.merged_into IS NULL
      AND (NEW.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = NEW.import_id AND i.reverted_at IS NOT NULL));
END;
-- A customer whose counted fields or liveness change moves its records'
-- counts (a seek into interactions_customer_recent).
CREATE TRIGGER interaction_rollup_place_customer
AFTER UPDATE OF province, city, customer_type, hidden, merged_into ON customers
WHEN OLD.province IS NOT NEW.province OR OLD.city IS NOT NEW.city OR OLD.customer_type IS NOT NEW.customer_type
  OR OLD.hidden IS NOT NEW.hidden OR OLD.merged_into IS NOT NEW.merged_into
BEGIN
    INSERT INTO interaction_rollup_place (month, province, city, customer_type, n)
    SELECT substr(x.date, 1, 7), OLD.province, OLD.city, OLD.customer_type, -COUNT(*)
    FROM interactions x WHERE x.customer_id = OLD.id AND OLD.hidden = 0 AND OLD.merged_into IS NULL
      AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
    GROUP BY 1;
    INSERT INTO interaction_rollup_place (month, province, city, customer_type, n)
    SELECT substr(x.date, 1, 7), NEW.province, NEW.city, NEW.customer_type, COUNT(*)
    FROM interactions x WHERE x.customer_id = NEW.id AND NEW.hidden = 0 AND NEW.merged_into IS NULL
      AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
    GROUP BY 1;
END;
-- An import undone takes its records' counts away; restored, adds them back.
CREATE TRIGGER interaction_rollup_place_import AFTER UPDATE OF reverted_at ON imports
WHEN (OLD.reverted_at IS NULL) <> (NEW.reverted_at IS NULL)
BEGIN
    INSERT INTO interaction_rollup_place (month, province, city, customer_type, n)
    SELECT substr(x.date, 1, 7), c.province, c.city, c.customer_type,
           CASE WHEN NEW.reverted_at IS NULL THEN COUNT(*) ELSE -COUNT(*) END
    FROM interactions x JOIN customers c ON c.id = x.customer_id
    WHERE x.import_id = NEW.id AND c.hidden = 0 AND c.merged_into IS NULL
    GROUP BY 1, 2, 3, 4;
END;
