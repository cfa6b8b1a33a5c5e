-- Every import is a recorded run: its file, source and counts. Observations,
-- contacts and interactions it wrote carry its id in import_id.
CREATE TABLE imports (
    id            INTEGER PRIMARY KEY,
    file          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    src_channel   TEXT NOT NULL,
    src_detail    TEXT NOT NULL DEFAULT '',
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    imported      INTEGER NOT NULL DEFAULT 0,
    updated       INTEGER NOT NULL DEFAULT 0,
    rejected      INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL DEFAULT 'running'
);
CREATE INDEX observations_import ON observations (import_id);
