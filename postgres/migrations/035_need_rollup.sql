-- The live needs per month they were collected, need type, and the grade,
-- stage and industry of their customer, so that a trend of needs (the
-- seeds' "share of each need type"), by one of those fields or of the
-- customers they select, reads the rollup instead of every need (and, by a
-- customer field, joining each need to its customer). Counted: the needs
-- of live customers that no undone import wrote, as the trend's plain
-- query counts them. Kept like the interaction rollup (migration 033),
-- whose triggers' locks these follow. The province is left out: with it
-- the rollup would hold nearly a row per need.
CREATE TABLE need_rollup (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    month        TEXT,
    type         TEXT,
    grade        TEXT,
    stage        TEXT,
    industry     TEXT,
    n            BIGINT NOT NULL
);
INSERT INTO need_rollup (month, type, grade, stage, industry, n)
SELECT substr(x.collected_at, 1, 7), x.type, c.grade, c.stage, c.industry, COUNT(*)
FROM needs x JOIN customers c ON c.id = x.customer_id
WHERE c.hidden = 0 AND c.merged_into IS NULL
  AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
GROUP BY 1, 2, 3, 4, 5;
CREATE FUNCTION need_rollup_delta() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM customers WHERE id IN (SELECT customer_id FROM new_rows) ORDER BY id FOR NO KEY UPDATE;
        PERFORM 1 FROM imports WHERE id IN (SELECT import_id FROM new_rows) ORDER BY id FOR NO KEY UPDATE;
        INSERT INTO need_rollup (month, type, grade, stage, industry, n)
        SELECT substr(x.collected_at, 1, 7), x.type, c.grade, c.stage, c.industry, COUNT(*)
        FROM new_rows x JOIN customers c ON c.id = x.customer_id
        WHERE c.hidden = 0 AND c.merged_into IS NULL
          AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
        GROUP BY 1, 2, 3, 4, 5;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM 1 FROM customers WHERE id IN (SELECT customer_id FROM old_rows) ORDER BY id FOR NO KEY UPDATE;
        PERFORM 1 FROM imports WHERE id IN (SELECT import_id FROM old_rows) ORDER BY id FOR NO KEY UPDATE;
        INSERT INTO need_rollup (month, type, grade, stage, industry, n)
        SELECT substr(x.collected_at, 1, 7), x.type, c.grade, c.stage, c.industry, -COUNT(*)
        FROM old_rows x JOIN customers c ON c.id = x.customer_id
        WHERE c.hidden = 0 AND c.merged_into IS NULL
          AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
        GROUP BY 1, 2, 3, 4, 5;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER need_rollup_insert AFTER INSERT ON needs
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION need_rollup_delta();
CREATE TRIGGER need_rollup_delete AFTER DELETE ON needs
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION need_rollup_delta();
-- One need's side of the count: sign -1 for its old values, +1 for its new.
CREATE FUNCTION need_rollup_record(customer BIGINT, imp BIGINT, collected TEXT, kind TEXT, sign INT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM customers WHERE id = customer FOR NO KEY UPDATE;
    INSERT INTO need_rollup (month, type, grade, stage, industry, n)
    SELECT substr(collected, 1, 7), kind, c.grade, c.stage, c.industry, sign
    FROM customers c WHERE c.id = customer AND c.hidden = 0 AND c.merged_into IS NULL
      AND (imp IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = imp AND i.reverted_at IS NOT NULL));
END $$;
-- An edited date or type, or a need moved to another customer (a merge).
CREATE FUNCTION need_rollup_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM need_rollup_record(OLD.customer_id, OLD.import_id, OLD.collected_at, OLD.type, -1);
    PERFORM need_rollup_record(NEW.customer_id, NEW.import_id, NEW.collected_at, NEW.type, 1);
    RETURN NULL;
END $$;
CREATE TRIGGER need_rollup_update AFTER UPDATE ON needs FOR EACH ROW
WHEN (substr(OLD.collected_at, 1, 7) IS DISTINCT FROM substr(NEW.collected_at, 1, 7) OR OLD.type IS DISTINCT FROM NEW.type
   OR OLD.customer_id IS DISTINCT FROM NEW.customer_id OR OLD.import_id IS DISTINCT FROM NEW.import_id)
    EXECUTE FUNCTION need_rollup_update();
-- A customer whose counted fields or liveness change moves its needs'
-- counts; a recompute, which writes scores, priorities and owners, costs
-- only the WHEN test.
CREATE FUNCTION need_rollup_customer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.hidden = 0 AND OLD.merged_into IS NULL THEN
        INSERT INTO need_rollup (month, type, grade, stage, industry, n)
        SELECT substr(x.collected_at, 1, 7), x.type, OLD.grade, OLD.stage, OLD.industry, -COUNT(*)
        FROM needs x WHERE x.customer_id = OLD.id
          AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
        GROUP BY 1, 2;
    END IF;
    IF NEW.hidden = 0 AND NEW.merged_into IS NULL THEN
        INSERT INTO need_rollup (month, type, grade, stage, industry, n)
        SELECT substr(x.collected_at, 1, 7), x.type, NEW.grade, NEW.stage, NEW.industry, COUNT(*)
        FROM needs x WHERE x.customer_id = NEW.id
          AND (x.import_id IS NULL OR NOT EXISTS (SELECT 1 FROM imports i WHERE i.id = x.import_id AND i.reverted_at IS NOT NULL))
        GROUP BY 1, 2;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER need_rollup_customer AFTER UPDATE ON customers FOR EACH ROW
WHEN (OLD.grade IS DISTINCT FROM NEW.grade OR OLD.stage IS DISTINCT FROM NEW.stage
   OR OLD.industry IS DISTINCT FROM NEW.industry
   OR OLD.hidden IS DISTINCT FROM NEW.hidden OR OLD.merged_into IS DISTINCT FROM NEW.merged_into)
    EXECUTE FUNCTION need_rollup_customer();
-- An import undone takes its needs' counts away; restored, adds them back.
CREATE FUNCTION need_rollup_import() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO need_rollup (month, type, grade, stage, industry, n)
    SELECT substr(x.collected_at, 1, 7), x.type, c.grade, c.stage, c.industry,
           CASE WHEN NEW.reverted_at IS NULL THEN COUNT(*) ELSE -COUNT(*) END
    FROM needs x JOIN customers c ON c.id = x.customer_id
    WHERE x.import_id = NEW.id AND c.hidden = 0 AND c.merged_into IS NULL
    GROUP BY 1, 2, 3, 4, 5;
    RETURN NULL;
END $$;
CREATE TRIGGER need_rollup_import AFTER UPDATE ON imports FOR EACH ROW
WHEN ((OLD.reverted_at IS NULL) <> (NEW.reverted_at IS NULL))
    EXECUTE FUNCTION need_rollup_import();
CREATE FUNCTION need_rollup_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM need_rollup;
    RETURN NULL;
END $$;
CREATE TRIGGER need_rollup_truncate AFTER TRUNCATE ON needs
    FOR EACH STATEMENT EXECUTE FUNCTION need_rollup_truncate();
-- The needs an import wrote, for the trigger above and the trend's
-- all-records path: few needs come from imports, so the index is small.
CREATE INDEX needs_import ON needs (import_id) WHERE import_id IS NOT NULL;
