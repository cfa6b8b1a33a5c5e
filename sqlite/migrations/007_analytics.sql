-- Saved segments (SPEC R21): a named filter expression in the segment
-- language (package filter), private to its owner unless shared.
CREATE TABLE segments (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    expression TEXT NOT NULL,
    owner      TEXT NOT NULL DEFAULT '',
    shared     INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
