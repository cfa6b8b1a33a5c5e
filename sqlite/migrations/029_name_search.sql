-- A search of the customer list by name ("邦正远") is LIKE '%…%', which no
-- b-tree index answers: a term that few names hold made the list read
-- every customer (1,000,000: 4 s warm, 17 s cold on SQLite). This index
-- holds each name's character pairs (bigrams, ASCII letters lowered); a
-- term's rarest pair narrows the list to the customers whose names hold
-- it, and the LIKE then checks the term itself (sqldb/search.go). Kept by
-- triggers, so every writer (import, merge, the sqlite3 shell) keeps it.
--
-- Triggers may not use a recursive WITH; search_positions numbers the
-- positions of a name instead, up to 1,000 characters. A longer name (no
-- company has one) also gets the empty pair '', which every search reads
-- beside its own.
CREATE TABLE search_positions (i INTEGER PRIMARY KEY);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
INSERT INTO search_positions (i) SELECT i FROM n;

CREATE TABLE customer_grams (
    gram        TEXT NOT NULL,
    customer_id INTEGER NOT NULL,
    PRIMARY KEY (gram, customer_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO customer_grams (gram, customer_id)
SELECT lower(substr(c.name, p.i, 2)), c.id FROM customers c JOIN search_positions p ON p.i < length(c.name)
ORDER BY 1, 2; -- in key order: the b-tree is written front to back
INSERT INTO customer_grams (gram, customer_id) SELECT '', id FROM customers WHERE length(name) > 1000;

CREATE TRIGGER customer_grams_insert AFTER INSERT ON customers
BEGIN
    INSERT OR IGNORE INTO customer_grams (gram, customer_id)
    SELECT lower(substr(NEW.name, i, 2)), NEW.id FROM search_positions WHERE i < length(NEW.name)
    UNION ALL SELECT '', NEW.id WHERE length(NEW.name) > 1000;
END;
CREATE TRIGGER customer_grams_update AFTER UPDATE OF name ON customers
WHEN OLD.name IS NOT NEW.name
BEGIN
    DELETE FROM customer_grams WHERE customer_id = OLD.id
        AND gram IN (SELECT lower(substr(OLD.name, i, 2)) FROM search_positions WHERE i < length(OLD.name) UNION ALL SELECT '');
    INSERT OR IGNORE INTO customer_grams (gram, customer_id)
    SELECT lower(substr(NEW.name, i, 2)), NEW.id FROM search_positions WHERE i < length(NEW.name)
    UNION ALL SELECT '', NEW.id WHERE length(NEW.name) > 1000;
END;
CREATE TRIGGER customer_grams_delete AFTER DELETE ON customers
BEGIN
    DELETE FROM customer_grams WHERE customer_id = OLD.id
        AND gram IN (SELECT lower(substr(OLD.name, i, 2)) FROM search_positions WHERE i < length(OLD.name) UNION ALL SELECT '');
END;
