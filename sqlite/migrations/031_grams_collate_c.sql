-- PostgreSQL's migration 031 compares customer_grams' pairs bytewise (the
-- "C" collation). SQLite's key already does (BINARY): nothing to change
-- here. The number keeps both stores' migrations alike (dossier copy
-- checks them).
SELECT 1;
