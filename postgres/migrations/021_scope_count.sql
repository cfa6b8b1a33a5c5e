-- A sales rep's list counts "mine or shared with my team": the flags every
-- list filters on are held in the index so that the count reads no table
-- rows (see the SQLite migration of the same number), and the id ends it
-- for an id-ordered page of the rep's customers.
CREATE INDEX customers_owner_live ON customers (owner, hidden, merged_into, id);
DROP INDEX customers_owner;
CREATE INDEX customers_team_shared_live ON customers (team, shared_with_team, hidden, merged_into, id);
DROP INDEX customers_team_shared;
