-- A cheap version of the customer data, so that `dossier serve` can keep
-- list totals and pivots in memory and know, with one indexed read, when
-- they are stale: at 1,000,000 customers each is a scan of the analysis
-- index, and 32 clients asking the same ones again and again kept two
-- cores busy with nothing new. A counter bumped by a trigger would hold
-- its row lock until the writing transaction commits, so one long import
-- would block every edit (and two writers could deadlock on it). Instead a
-- statement trigger only marks the transaction (a transaction-local
-- setting, no lock), and the store bumps the counter as the last statement
-- before COMMIT (sqldb.Tx), holding the lock for the commit alone. A
-- second server on the same database sees the change at its next request.
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    customers BIGINT NOT NULL
);
INSERT INTO data_version (id, customers) VALUES (1, 0);
CREATE FUNCTION customers_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('dossier.customers_written', '1', true);
    RETURN NULL;
END $$;
CREATE TRIGGER customers_written AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON customers
    FOR EACH STATEMENT EXECUTE FUNCTION customers_written();
-- Sorted list pages read 50 rows through an index instead of sorting the
-- scope: with the id as tie-breaker in the index, ORDER BY col, id (either
-- direction) is an index scan.
CREATE INDEX customers_score_id ON customers (score, id);
CREATE INDEX customers_last_contact_id ON customers (last_contact, id);
CREATE INDEX customers_name_id ON customers (name, id);
CREATE INDEX customers_updated_id ON customers (updated_at, id);
DROP INDEX customers_score;
DROP INDEX customers_last_contact;
DROP INDEX customers_name;
DROP INDEX customers_updated;
-- A sales user's list and start page read their own customers in each
-- order: with only customers_owner, every one of them (83,000 at 1,000,000
-- customers and 12 sales users) was read and sorted for ten rows.
CREATE INDEX customers_owner_score ON customers (owner, score, id);
CREATE INDEX customers_owner_last_contact ON customers (owner, last_contact, id);
CREATE INDEX customers_owner_updated ON customers (owner, updated_at, id);
CREATE INDEX customers_owner_name ON customers (owner, name, id);
