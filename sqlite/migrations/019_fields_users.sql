-- The settings screens of the web UI (issue #7, screen 8).
--
-- A custom field may carry help text in both languages, shown beside its
-- input; and every saved definition of a field is kept as a version, with
-- who saved it, as rule sets are (migration 006), so a change to a field's
-- labels, options or flags can be read back and traced (R31).
ALTER TABLE fields ADD COLUMN help_zh TEXT NOT NULL DEFAULT '';
ALTER TABLE fields ADD COLUMN help_en TEXT NOT NULL DEFAULT '';
CREATE TABLE field_versions (
    key        TEXT NOT NULL,
    version    INTEGER NOT NULL,
    definition TEXT NOT NULL,
    saved_by   TEXT NOT NULL DEFAULT '',
    saved_at   TEXT NOT NULL,
    PRIMARY KEY (key, version)
);

-- A user who leaves is deactivated, not deleted: their name stays on the
-- facts, interactions and audit entries they recorded, but they can no
-- longer sign in and their sessions and API tokens stop working.
ALTER TABLE users ADD COLUMN deactivated INTEGER NOT NULL DEFAULT 0;
