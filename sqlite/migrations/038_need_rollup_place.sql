-- A second need rollup beside migration 035's, as migration 037 is for
-- interactions: the live needs per month collected, need type, and the
-- province, city and customer type of their customer (54,680 rows for the
-- 1,000,000-customer demo), so that a trend of needs by province, city or
-- customer type, or of the customers of one, reads it instead of joining
-- every need to its customer (8 s at 1,650,720 needs on SQLite). Kept like
-- migration 035's rollup.
CREATE TABLE need_rollup_place (
    id           INTEGER PRIMARY KEY,
    month        TEXT,
    type         TEXT,
    province     TEXT,
    city         TEXT,
    customer_type TEXT,
    n            INTEGER NOT NULL
);
INSERT INTO need_rollup_place (month, type, province, city, customer_type, n)
SELECT substr(x.collected_at, 1, 7), x.type, c.province, c.city, c.customer_type, COUNT(*)
FROM needs x JOIN customers c ON c.id = x.customer_id
WHERE c.hidden = 0 AND c.merged_into IS NULL
  AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER need_rollup_place_insert AFTER INSERT ON needs
BEGIN
    INSERT INTO need_rollup_place (month, type, province, city, customer_type, n)
    SELECT substr(NEW.collected_at, 1, 7), NEW.type, c.province, c.city, c.customer_type, 1
    FROM customers c WHERE c.id = NEW.customer_id AND c.hidden = 0 AND c.merged_into IS NULL
      AND (NEW.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = NEW.import_id AND i.reverted_at IS NOT NULL));
END;
CREATE TRIGGER need_rollup_place_delete AFTER DELETE ON needs
BEGIN
    INSERT INTO need_rollup_place (month, type, province, city, customer_type, n)
    SELECT substr(OLD.collected_at, 1, 7), OLD.type, c.province, c.city, c.customer_type, -1
    FROM customers c WHERE c.id = OLD.customer_id AND c.hidden = 0 AND c.merged_into IS NULL
      AND (OLD.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = OLD.import_id AND i.reverted_at IS NOT NULL));
END;
-- An edited date or type, or a need moved to another customer (a merge).
CREATE TRIGGER need_rollup_place_update AFTER UPDATE OF collected_at, type, customer_id, import_id ON needs
WHEN substr(OLD.collected_at, 1, 7) IS NOT substr(NEW.collected_at, 1, 7) OR OLD.type IS NOT NEW.type
  OR OLD.customer_id IS NOT NEW.customer_id OR OLD.import_id IS NOT NEW.import_id
BEGIN
    INSERT INTO need_rollup_place (month, type, province, city, customer_type, n)
    SELECT substr(OLD.collected_at, 1, 7), OLD.type, c.province, c.city, c.customer_type, -1
    FROM customers c WHERE c.id = OLD.customer_id AND c.hidden = 0 AND c.merged_into IS NULL
      AND (OLD.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = OLD.import_id AND i.reverted_at IS NOT NULL));
    INSERT INTO need_rollup_place (month, type, province, city, customer_type, n)
    SELECT substr(NEW.collected_at, 1, 7), NEW.type, c.province, c.city, c.customer_type, 1
    FROM customers c WHERE c.id = NEW.customer_id AND c.hidden = 0 AND c.merged_into IS NULL
      AND (NEW.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = NEW.import_id AND i.reverted_at IS NOT NULL));
END;
-- A customer whose counted fields or liveness change moves its needs'
-- counts (a seek into needs_customer); a recompute, which writes scores,
-- priorities and owners, costs only the WHEN test.
CREATE TRIGGER need_rollup_place_customer
AFTER UPDATE OF province, city, customer_type, hidden, merged_into ON customers
WHEN OLD.province IS NOT NEW.province OR OLD.city IS NOT NEW.city OR OLD.customer_type IS NOT NEW.customer_type
  OR OLD.hidden IS NOT NEW.hidden OR OLD.merged_into IS NOT NEW.merged_into
BEGIN
    INSERT INTO need_rollup_place (month, type, province, city, customer_type, n)
    SELECT substr(x.collected_at, 1, 7), x.type, OLD.province, OLD.city, OLD.customer_type, -COUNT(*)
    FROM needs x WHERE x.customer_id = OLD.id AND OLD.hidden = 0 AND OLD.merged_into IS NULL
      AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
    GROUP BY 1, 2;
    INSERT INTO need_rollup_place (month, type, province, city, customer_type, n)
    SELECT substr(x.collected_at, 1, 7), x.type, NEW.province, NEW.city, NEW.customer_type, COUNT(*)
    FROM needs x WHERE x.customer_id = NEW.id AND NEW.hidden = 0 AND NEW.merged_into IS NULL
      AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
    GROUP BY 1, 2;
END;
-- An import undone takes its needs' counts away; restored, adds them back.
CREATE TRIGGER need_rollup_place_import AFTER UPDATE OF reverted_at ON imports
WHEN (OLD.reverted_at IS NULL) <> (NEW.reverted_at IS NULL)
BEGIN
    INSERT INTO need_rollup_place (month, type, province, city, customer_type, n)
    SELECT substr(x.collected_at, 1, 7), x.type, c.province, c.city, c.customer_type,
           CASE WHEN NEW.reverted_at IS NULL THEN COUNT(*) ELSE -COUNT(*) END
    FROM needs x JOIN customers c ON c.id = x.customer_id
    WHERE x.import_id = NEW.id AND c.hidden = 0 AND c.merged_into IS NULL
    GROUP BY 1, 2, 3, 4, 5;
END;
