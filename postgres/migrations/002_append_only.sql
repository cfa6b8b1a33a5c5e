-- Observations are the record of what every source said: the store refuses
-- to change or delete them, whatever code path asks.
CREATE FUNCTION observations_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'observations are append-only';
END;
$$;
CREATE TRIGGER observations_no_update BEFORE UPDATE OR DELETE ON observations
    FOR EACH ROW EXECUTE FUNCTION observations_append_only();
