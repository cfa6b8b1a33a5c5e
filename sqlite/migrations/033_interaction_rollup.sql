-- The live interactions per month of their date and the grade, stage,
-- province and industry of their customer, so that a trend by one of
-- those fields, or of the customers they select, reads a few hundred
-- thousand rows (318,890 for the 1,000,000-customer demo) instead of
-- joining every interaction to its customer (21 s at 10,000,000 interactions). Counted: the interactions of
-- live customers that no undone import wrote, as the trend's plain query
-- counts them. Kept like the customer rollups (migration 023): delta rows
-- added by triggers in the writing transaction, summed by readers,
-- compacted by the store. A customer whose counted fields change moves its
-- interactions' counts; an import undone or restored takes away or adds
-- back its interactions'.
CREATE TABLE interaction_rollup (
    id           INTEGER PRIMARY KEY,
    month        TEXT,
    grade        TEXT,
    stage        TEXT,
    province     TEXT,
    industry     TEXT,
    n            INTEGER NOT NULL
);
INSERT INTO interaction_rollup (month, grade, stage, province, industry, n)
SELECT substr(x.date, 1, 7), c.grade, c.stage, c.province,
       c.industry,
       COUNT(*)
FROM interactions x JOIN customers c ON c.id = x.customer_id
WHERE c.hidden = 0 AND c.merged_into IS NULL
  AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER interaction_rollup_insert AFTER INSERT ON interactions
BEGIN
    INSERT INTO interaction_rollup (month, grade, stage, province, industry, n)
    SELECT substr(NEW.date, 1, 7), c.grade, c.stage, c.province,
           c.industry, 1
    FROM customers c WHERE c.id = NEW.customer_id AND c.hidden = 0 AND c.merged_into IS NULL
      AND (NEW.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = NEW.import_id AND i.reverted_at IS NOT NULL));
END;
CREATE TRIGGER interaction_rollup_delete AFTER DELETE ON interactions
BEGIN
    INSERT INTO interaction_rollup (month, grade, stage, province, industry, n)
    SELECT substr(OLD.date, 1, 7), c.grade, c.stage, c.province,
           c.industry, -1
    FROM customers c WHERE c.id = OLD.customer_id AND c.hidden = 0 AND c.merged_into IS NULL
      AND (OLD.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = OLD.import_id AND i.reverted_at IS NOT NULL));
END;
-- An edited date, or a record moved to another customer (a merge).
CREATE TRIGGER interaction_rollup_update AFTER UPDATE OF date, customer_id, import_id ON interactions
WHEN substr(OLD.date, 1, 7) IS NOT substr(NEW.date, 1, 7) OR OLD.customer_id IS NOT NEW.customer_id OR OLD.import_id IS NOT NEW.import_id
BEGIN
    INSERT INTO interaction_rollup (month, grade, stage, province, industry, n)
    SELECT substr(OLD.date, 1, 7), c.grade, c.stage, c.province,
           c.industry, -1
    FROM customers c WHERE c.id = OLD.customer_id AND c.hidden = 0 AND c.merged_into IS NULL
      AND (OLD.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = OLD.import_id AND i.reverted_at IS NOT NULL));
    INSERT INTO interaction_rollup (month, grade, stage, province, industry, n)
    SELECT substr(NEW.date, 1, 7), c.grade, c.stage, c.province,
           c.industry, 1
    FROM customers c WHERE c.id = NEW.customer_id AND c.hidden = 0 AND c.merged_into IS NULL
      AND (NEW.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = NEW.import_id AND i.reverted_at IS NOT NULL));
END;
-- A customer whose counted fields or liveness change moves its records'
-- counts (a seek into interactions_customer_recent); a recompute, which
-- writes scores, priorities and owners, costs only the WHEN test.
CREATE TRIGGER interaction_rollup_customer
AFTER UPDATE OF grade, stage, province, industry, hidden, merged_into ON customers
WHEN OLD.grade IS NOT NEW.grade OR OLD.stage IS NOT NEW.stage OR OLD.province IS NOT NEW.province
  OR OLD.industry IS NOT NEW.industry OR OLD.hidden IS NOT NEW.hidden OR OLD.merged_into IS NOT NEW.merged_into
BEGIN
    INSERT INTO interaction_rollup (month, grade, stage, province, industry, n)
    SELECT substr(x.date, 1, 7), OLD.grade, OLD.stage, OLD.province,
           OLD.industry,
           -COUNT(*)
    FROM interactions x WHERE x.customer_id = OLD.id AND OLD.hidden = 0 AND OLD.merged_into IS NULL
      AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
    GROUP BY 1;
    INSERT INTO interaction_rollup (month, grade, stage, province, industry, n)
    SELECT substr(x.date, 1, 7), NEW.grade, NEW.stage, NEW.province,
           NEW.industry,
           COUNT(*)
    FROM interactions x WHERE x.customer_id = NEW.id AND NEW.hidden = 0 AND NEW.merged_into IS NULL
      AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
    GROUP BY 1;
END;
-- An import undone takes its records' counts away; restored, adds them back.
CREATE TRIGGER interaction_rollup_import AFTER UPDATE OF reverted_at ON imports
WHEN (OLD.reverted_at IS NULL) <> (NEW.reverted_at IS NULL)
BEGIN
    INSERT INTO interaction_rollup (month, grade, stage, province, industry, n)
    SELECT substr(x.date, 1, 7), c.grade, c.stage, c.province,
           c.industry,
           CASE WHEN NEW.reverted_at IS NULL THEN COUNT(*) ELSE -COUNT(*) END
    FROM interactions x JOIN customers c ON c.id = x.customer_id
    WHERE x.import_id = NEW.id AND c.hidden = 0 AND c.merged_into IS NULL
    GROUP BY 1, 2, 3, 4, 5;
END;
