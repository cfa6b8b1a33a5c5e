-- The live needs per month they were collected, need type, and the grade,
-- stage and industry of their customer, so that a trend of needs (the
-- seeds' "share of each need type"), by one of those fields or of the
-- customers they select, reads the rollup instead of every need (and, by a
-- customer field, joining each need to its customer). Counted: the needs
-- of live customers that no undone import wrote, as the trend's plain
-- query counts them. Kept like the interaction rollup (migration 033):
-- delta rows added by triggers in the writing transaction, summed by
-- readers, compacted by the store. The province is left out: with it the
-- rollup would hold nearly a row per need.
CREATE TABLE need_rollup (
    id           INTEGER PRIMARY KEY,
    month        TEXT,
    type         TEXT,
    grade        TEXT,
    stage        TEXT,
    industry     TEXT,
    n            INTEGER NOT NULL
);
INSERT INTO need_rollup (month, type, grade, stage, industry, n)
SELECT substr(x.collected_at, 1, 7), x.type, c.grade, c.stage, c.industry, COUNT(*)
FROM needs x JOIN customers c ON c.id = x.customer_id
WHERE c.hidden = 0 AND c.merged_into IS NULL
  AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER need_rollup_insert AFTER INSERT ON needs
BEGIN
    INSERT INTO need_rollup (month, type, grade, stage, industry, n)
    SELECT substr(NEW.collected_at, 1, 7), NEW.type, c.grade, c.stage, c.industry, 1
    FROM customers c WHERE c.id = NEW.customer_id AND c.hidden = 0 AND c.merged_into IS NULL
      AND (NEW.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = NEW.import_id AND i.reverted_at IS NOT NULL));
END;
CREATE TRIGGER need_rollup_delete AFTER DELETE ON needs
BEGIN
    INSERT INTO need_rollup (month, type, grade, stage, industry, n)
    SELECT substr(OLD.collected_at, 1, 7), OLD.type, c.grade, c.stage, c.industry, -1
    FROM customers c WHERE c.id = OLD.customer_id AND c.hidden = 0 AND c.merged_into IS NULL
      AND (OLD.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = OLD.import_id AND i.reverted_at IS NOT NULL));
END;
-- An edited date or type, or a need moved to another customer (a merge).
CREATE TRIGGER need_rollup_update AFTER UPDATE OF collected_at, type, customer_id, import_id ON needs
WHEN substr(OLD.collected_at, 1, 7) IS NOT substr(NEW.collected_at, 1, 7) OR OLD.type IS NOT NEW.type
  OR OLD.customer_id IS NOT NEW.customer_id OR OLD.import_id IS NOT NEW.import_id
BEGIN
    INSERT INTO need_rollup (month, type, grade, stage, industry, n)
    SELECT substr(OLD.collected_at, 1, 7), OLD.type, c.grade, c.stage, c.industry, -1
    FROM customers c WHERE c.id = OLD.customer_id AND c.hidden = 0 AND c.merged_into IS NULL
      AND (OLD.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = OLD.import_id AND i.reverted_at IS NOT NULL));
    INSERT INTO need_rollup (month, type, grade, stage, industry, n)
    SELECT substr(NEW.collected_at, 1, 7), NEW.type, c.grade, c.stage, c.industry, 1
    FROM customers c WHERE c.id = NEW.customer_id AND c.hidden = 0 AND c.merged_into IS NULL
      AND (NEW.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = NEW.import_id AND i.reverted_at IS NOT NULL));
END;
-- A customer whose counted fields or liveness change moves its needs'
-- counts (a seek into needs_customer); a recompute, which writes scores,
-- priorities and owners, costs only the WHEN test.
CREATE TRIGGER need_rollup_customer
AFTER UPDATE OF grade, stage, industry, hidden, merged_into ON customers
WHEN OLD.grade IS NOT NEW.grade OR OLD.stage IS NOT NEW.stage OR OLD.industry IS NOT NEW.industry
  OR OLD.hidden IS NOT NEW.hidden OR OLD.merged_into IS NOT NEW.merged_into
BEGIN
    INSERT INTO need_rollup (month, type, grade, stage, industry, n)
    SELECT substr(x.collected_at, 1, 7), x.type, OLD.grade, OLD.stage, OLD.industry, -COUNT(*)
    FROM needs x WHERE x.customer_id = OLD.id AND OLD.hidden = 0 AND OLD.merged_into IS NULL
      AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
    GROUP BY 1, 2;
    INSERT INTO need_rollup (month, type, grade, stage, industry, n)
    SELECT substr(x.collected_at, 1, 7), x.type, NEW.grade, NEW.stage, NEW.industry, COUNT(*)
    FROM needs x WHERE x.customer_id = NEW.id AND NEW.hidden = 0 AND NEW.merged_into IS NULL
      AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
    GROUP BY 1, 2;
END;
-- An import undone takes its needs' counts away; restored, adds them back.
CREATE TRIGGER need_rollup_import AFTER UPDATE OF reverted_at ON imports
WHEN (OLD.reverted_at IS NULL) <> (NEW.reverted_at IS NULL)
BEGIN
    INSERT INTO need_rollup (month, type, grade, stage, industry, n)
    SELECT substr(x.collected_at, 1, 7), x.type, c.grade, c.stage, c.industry,
           CASE WHEN NEW.reverted_at IS NULL THEN COUNT(*) ELSE -COUNT(*) END
    FROM needs x JOIN customers c ON c.id = x.customer_id
    WHERE x.import_id = NEW.id AND c.hidden = 0 AND c.merged_into IS NULL
    GROUP BY 1, 2, 3, 4, 5;
END;
-- The needs an import wrote, for the trigger above and the trend's
-- all-records path: few needs come from imports, so the index is small.
CREATE INDEX needs_import ON needs (import_id) WHERE import_id IS NOT NULL;
