-- The character pairs of customer names are only ever compared for
-- equality (sqldb/search.go), yet their key compared them in the
-- database's collation (strcoll, even under C.UTF-8), about 20 times per
-- insert. Inserting a new customer's 12 or so pairs was half of the
-- customers COPY of an import batch; in the "C" collation (bytes, as
-- SQLite's key compares them) the insert takes about a quarter less time
-- (BENCHMARKS.md, helper pgimport). Equality is byte equality in both, so
-- the same rows match. Rebuilds the primary key.
ALTER TABLE customer_grams ALTER COLUMN gram TYPE TEXT COLLATE "C";
