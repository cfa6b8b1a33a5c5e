-- A customer's name change (an import's resolve, an edit, a merge) deleted
-- its old character pairs with "gram IN (SELECT customer_name_grams(…))".
-- The planner takes that set function for 1,000 rows, and with the key
-- (gram, customer_id) it hashed the pairs and scanned all of
-- customer_grams, about 12 rows a customer: 44–126 ms at 100,000 customers
-- for each renamed one, a third of an import's server time
-- (BENCHMARKS.md, helper pgimport). As an array the pairs are a handful
-- of probes of the primary key. Same rows deleted.
CREATE OR REPLACE FUNCTION customer_grams_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM customer_grams WHERE customer_id = OLD.id AND gram = ANY (ARRAY(SELECT customer_name_grams(OLD.name)));
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO customer_grams (gram, customer_id)
        SELECT g, NEW.id FROM customer_name_grams(NEW.name) AS g
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
