-- Team sharing (issue #8): a sales rep sees their own customers and those of
-- their team whose owner (or manager, or an admin) shared them with it.
ALTER TABLE customers ADD COLUMN shared_with_team INTEGER NOT NULL DEFAULT 0;
CREATE INDEX customers_team_shared ON customers (team, shared_with_team);
