-- The live interactions per month of their date and the grade, stage,
-- province and industry of their customer, so that a trend by one of
-- those fields, or of the customers they select, reads a few hundred
-- thousand rows (318,890 for the 1,000,000-customer demo) instead of
-- joining every interaction to its customer. Counted: the interactions of
-- live customers that no undone import wrote, as the trend's plain query
-- counts them. Kept like the customer rollups (migration 023): delta rows
-- added by triggers in the writing transaction, summed by readers,
-- compacted by the store. A
-- customer whose counted fields change moves its interactions' counts; an
-- import undone or restored takes away or adds back its interactions'.
CREATE TABLE interaction_rollup (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    month        TEXT,
    grade        TEXT,
    stage        TEXT,
    province     TEXT,
    industry     TEXT,
    n            BIGINT NOT NULL
);
INSERT INTO interaction_rollup (month, grade, stage, province, industry, n)
SELECT substr(x.date, 1, 7), c.grade, c.stage, c.province, c.industry, COUNT(*)
FROM interactions x JOIN customers c ON c.id = x.customer_id
WHERE c.hidden = 0 AND c.merged_into IS NULL
  AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
GROUP BY 1, 2, 3, 4, 5;
-- Inserts and deletes are counted per statement (a COPY in one grouped
-- insert). The customers and imports the records name are locked first,
-- as an update of them would lock them (FOR NO KEY UPDATE): a concurrent
-- change of a customer's counted fields, which moves the counts of the
-- records it sees, then waits for this statement's transaction (or
-- this one for it, and reads the customer as changed), so no record is
-- counted under a customer's old values. (FOR SHARE would let two writers
-- of one customer's records both hold it and then deadlock on the update
-- of its last contact, or of the import's counts, that each makes next.)
CREATE FUNCTION interaction_rollup_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM customers WHERE id IN (SELECT customer_id FROM new_rows) ORDER BY id FOR NO KEY UPDATE;
        PERFORM 1 FROM imports WHERE id IN (SELECT import_id FROM new_rows) ORDER BY id FOR NO KEY UPDATE;
        INSERT INTO interaction_rollup (month, grade, stage, province, industry, n)
        SELECT substr(x.date, 1, 7), c.grade, c.stage, c.province, c.industry, COUNT(*)
        FROM new_rows x JOIN customers c ON c.id = x.customer_id
        WHERE c.hidden = 0 AND c.merged_into IS NULL
          AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
        GROUP BY 1, 2, 3, 4, 5;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM 1 FROM customers WHERE id IN (SELECT customer_id FROM old_rows) ORDER BY id FOR NO KEY UPDATE;
        PERFORM 1 FROM imports WHERE id IN (SELECT import_id FROM old_rows) ORDER BY id FOR NO KEY UPDATE;
        INSERT INTO interaction_rollup (month, grade, stage, province, industry, n)
        SELECT substr(x.date, 1, 7), c.grade, c.stage, c.province, c.industry, -COUNT(*)
        FROM old_rows x JOIN customers c ON c.id = x.customer_id
        WHERE c.hidden = 0 AND c.merged_into IS NULL
          AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
        GROUP BY 1, 2, 3, 4, 5;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER interaction_rollup_insert AFTER INSERT ON interactions
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION interaction_rollup_delta();
CREATE TRIGGER interaction_rollup_delete AFTER DELETE ON interactions
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION interaction_rollup_delta();
-- One record's side of the count: sign -1 for its old values, +1 for its new.
CREATE FUNCTION interaction_rollup_record(customer BIGINT, imp BIGINT, day TEXT, sign INT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM customers WHERE id = customer FOR NO KEY UPDATE;
    INSERT INTO interaction_rollup (month, grade, stage, province, industry, n)
    SELECT substr(day, 1, 7), c.grade, c.stage, c.province, c.industry, sign
    FROM customers c WHERE c.id = customer AND c.hidden = 0 AND c.merged_into IS NULL
      AND (imp IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = imp AND i.reverted_at IS NOT NULL));
END $$;
-- An edited date, or a record moved to another customer (a merge).
CREATE FUNCTION interaction_rollup_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM interaction_rollup_record(OLD.customer_id, OLD.import_id, OLD.date, -1);
    PERFORM interaction_rollup_record(NEW.customer_id, NEW.import_id, NEW.date, 1);
    RETURN NULL;
END $$;
CREATE TRIGGER interaction_rollup_update AFTER UPDATE ON interactions FOR EACH ROW
WHEN (substr(OLD.date, 1, 7) IS DISTINCT FROM substr(NEW.date, 1, 7) OR OLD.customer_id IS DISTINCT FROM NEW.customer_id
   OR OLD.import_id IS DISTINCT FROM NEW.import_id)
    EXECUTE FUNCTION interaction_rollup_update();
-- A customer whose counted fields or liveness change moves its records'
-- counts; a recompute, which writes scores, priorities and owners, costs
-- only the WHEN test.
CREATE FUNCTION interaction_rollup_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.hidden = 0 AND OLD.merged_into IS NULL THEN
        INSERT INTO interaction_rollup (month, grade, stage, province, industry, n)
        SELECT substr(x.date, 1, 7), OLD.grade, OLD.stage, OLD.province, OLD.industry, -COUNT(*)
        FROM interactions x WHERE x.customer_id = OLD.id
          AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
        GROUP BY 1;
    END IF;
    IF NEW.hidden = 0 AND NEW.merged_into IS NULL THEN
        INSERT INTO interaction_rollup (month, grade, stage, province, industry, n)
        SELECT substr(x.date, 1, 7), NEW.grade, NEW.stage, NEW.province, NEW.industry, COUNT(*)
        FROM interactions x WHERE x.customer_id = NEW.id
          AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
        GROUP BY 1;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER interaction_rollup_customer AFTER UPDATE ON customers FOR EACH ROW
WHEN (OLD.grade IS DISTINCT FROM NEW.grade OR OLD.stage IS DISTINCT FROM NEW.stage
   OR OLD.province IS DISTINCT FROM NEW.province OR OLD.industry IS DISTINCT FROM NEW.industry
   OR OLD.hidden IS DISTINCT FROM NEW.hidden OR OLD.merged_into IS DISTINCT FROM NEW.merged_into)
    EXECUTE FUNCTION interaction_rollup_customer();
-- An import undone takes its records' counts away; restored, adds them back.
CREATE FUNCTION interaction_rollup_import() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO interaction_rollup (month, grade, stage, province, industry, n)
    SELECT substr(x.date, 1, 7), c.grade, c.stage, c.province, c.industry,
           CASE WHEN NEW.reverted_at IS NULL THEN COUNT(*) ELSE -COUNT(*) END
    FROM interactions x JOIN customers c ON c.id = x.customer_id
    WHERE x.import_id = NEW.id AND c.hidden = 0 AND c.merged_into IS NULL
    GROUP BY 1, 2, 3, 4, 5;
    RETURN NULL;
END $$;
CREATE TRIGGER interaction_rollup_import AFTER UPDATE ON imports FOR EACH ROW
WHEN ((OLD.reverted_at IS NULL) <> (NEW.reverted_at IS NULL))
    EXECUTE FUNCTION interaction_rollup_import();
CREATE FUNCTION interaction_rollup_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM interaction_rollup;
    RETURN NULL;
END $$;
CREATE TRIGGER interaction_rollup_truncate AFTER TRUNCATE ON interactions
    FOR EACH STATEMENT EXECUTE FUNCTION interaction_rollup_truncate();
