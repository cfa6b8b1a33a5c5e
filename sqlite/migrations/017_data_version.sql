-- A cheap version of the customer data, so that `dossier serve` can keep
-- list totals and pivots in memory and know, with one indexed read, when
-- they are stale: at 1,000,000 customers each is a scan of the analysis
-- index (0.1 to 0.9 s of CPU), and 32 clients asking the same ones again
-- and again kept two cores busy with nothing new. Any write to customers
-- bumps the counter in the same transaction, so a second server on the
-- same database sees the change at its next request. SQLite has a single
-- writer, so a row trigger costs one small update per written row and
-- never waits.
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    customers INTEGER NOT NULL
);
INSERT INTO data_version (id, customers) VALUES (1, 0);
CREATE TRIGGER customers_version_insert AFTER INSERT ON customers
BEGIN UPDATE data_version SET customers = customers + 1 WHERE id = 1; END;
CREATE TRIGGER customers_version_update AFTER UPDATE ON customers
BEGIN UPDATE data_version SET customers = customers + 1 WHERE id = 1; END;
CREATE TRIGGER customers_version_delete AFTER DELETE ON customers
BEGIN UPDATE data_version SET customers = customers + 1 WHERE id = 1; END;
-- Sorted list pages read 50 rows through an index instead of sorting the
-- scope: the list sorts NULLs last both ways, so a descending order uses
-- the index backwards on its non-NULL part (SQLite puts NULLs first).
-- customers_score, customers_last_contact and customers_name (migration
-- 001) already end with the rowid, the tie-breaker.
-- A sales user's list and start page read their own customers in each
-- order: with only customers_owner, every one of them (83,000 at 1,000,000
-- customers and 12 sales users) was read and sorted for ten rows.
CREATE INDEX customers_owner_score ON customers (owner, score);
CREATE INDEX customers_owner_last_contact ON customers (owner, last_contact);
CREATE INDEX customers_owner_updated ON customers (owner, updated_at);
CREATE INDEX customers_owner_name ON customers (owner, name);
-- Statistics for the new indexes, sampled like PRAGMA optimize's: with
-- none, SQLite took them for very selective and read a sales user's list
-- by (owner, name) and sorted it even when customers_owner gave the order.
PRAGMA analysis_limit = 400;
ANALYZE customers;
PRAGMA analysis_limit = 0;
