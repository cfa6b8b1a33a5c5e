-- The REST API changes and deletes segments, tasks and analyses (studies)
-- with a version check (If-Match or a version field), like customers,
-- contacts, interactions and projects: a stale version is refused (409)
-- instead of overwriting a concurrent change. Existing rows start at 1.
ALTER TABLE segments ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE tasks ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE studies ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
