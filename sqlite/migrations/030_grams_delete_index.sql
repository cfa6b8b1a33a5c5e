-- PostgreSQL's migration 030 makes its rename trigger delete a customer's
-- old name pairs through the primary key of customer_grams. SQLite's
-- trigger (migration 029) already does: nothing to change here. The
-- number keeps both stores' migrations alike (dossier copy checks them).
SELECT 1;
