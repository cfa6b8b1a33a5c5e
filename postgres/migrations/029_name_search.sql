-- A search of the customer list by name ("邦正远") is LIKE '%…%', which no
-- b-tree index answers: a term that few names hold made the list read
-- every customer (1,000,000: 0.5–1.2 s). This index holds each name's
-- character pairs (bigrams, ASCII letters lowered, as SQLite's lower()
-- does); a term's rarest pair narrows the list to the customers whose
-- names hold it, and the LIKE then checks the term itself
-- (sqldb/search.go). Kept by triggers, like the SQLite store's.
--
-- search_positions only keeps the two stores' tables alike (dossier copy
-- copies every table); SQLite's triggers need it.
CREATE TABLE search_positions (i INTEGER PRIMARY KEY);
INSERT INTO search_positions (i) SELECT generate_series(1, 1000);

CREATE TABLE customer_grams (
    gram        TEXT NOT NULL,
    customer_id BIGINT NOT NULL,
    PRIMARY KEY (gram, customer_id)
);
CREATE FUNCTION customer_name_grams(name text) RETURNS SETOF text LANGUAGE sql IMMUTABLE AS $$
    SELECT translate(substr(name, i, 2), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
    FROM generate_series(1, least(length(name) - 1, 1000)) AS i
    UNION SELECT '' WHERE length(name) > 1000 -- a long name: read by every search
$$;
INSERT INTO customer_grams (gram, customer_id)
SELECT g, c.id FROM customers c, customer_name_grams(c.name) AS g
ON CONFLICT DO NOTHING;

-- Inserts per statement (a COPY of a batch adds its pairs in one insert),
-- name changes and deletes per row.
CREATE FUNCTION customer_grams_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO customer_grams (gram, customer_id)
    SELECT g, n.id FROM new_rows n, customer_name_grams(n.name) AS g
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_grams_insert AFTER INSERT ON customers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION customer_grams_insert();
CREATE FUNCTION customer_grams_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM customer_grams WHERE customer_id = OLD.id AND gram IN (SELECT customer_name_grams(OLD.name));
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO customer_grams (gram, customer_id)
        SELECT g, NEW.id FROM customer_name_grams(NEW.name) AS g
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_grams_update AFTER UPDATE OF name ON customers FOR EACH ROW
WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION customer_grams_change();
CREATE TRIGGER customer_grams_delete AFTER DELETE ON customers FOR EACH ROW
    EXECUTE FUNCTION customer_grams_change();
CREATE FUNCTION customer_grams_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM customer_grams;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_grams_truncate AFTER TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION customer_grams_truncate();
-- Statistics for the planner now, not when autovacuum comes round (if it runs).
ANALYZE customer_grams;
