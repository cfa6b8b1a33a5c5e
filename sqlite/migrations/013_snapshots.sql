-- Review over time (SPEC R32) and analyses (R1).
--
-- A study is an analysis in the sense of R1: a goal, a scope (a filter
-- expression, often a saved segment's) and the roles that may see it. The
-- per-customer rule results are the analyses table (006); hence the name.
CREATE TABLE studies (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    goal       TEXT NOT NULL DEFAULT '',
    segment    TEXT NOT NULL DEFAULT '',
    scope      TEXT NOT NULL DEFAULT '',
    owner      TEXT NOT NULL DEFAULT '',
    roles      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

-- A snapshot is the key values of every live customer in its scope at one
-- moment: taken quarterly by the server, on demand, or by a study's run.
-- done_at stays NULL until its last row is written, so a snapshot cut short
-- is never compared.
CREATE TABLE snapshots (
    id        INTEGER PRIMARY KEY,
    label     TEXT NOT NULL DEFAULT '',
    study_id  INTEGER REFERENCES studies (id),
    scope     TEXT NOT NULL DEFAULT '',
    taken_by  TEXT NOT NULL DEFAULT '',
    taken_at  TEXT NOT NULL,
    done_at   TEXT,
    customers INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX snapshots_study ON snapshots (study_id, taken_at);
CREATE INDEX snapshots_taken ON snapshots (taken_at);

-- One narrow row per customer and snapshot ('' for unknown): 48 bytes on SQLite
-- with its B-tree (measured at 100,000), so a quarterly snapshot of 1,000,000
-- customers is about 48 MB. No foreign key on customer_id: customers are
-- never deleted, and the check would add a lookup per row written.
CREATE TABLE snapshot_rows (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots (id),
    customer_id INTEGER NOT NULL,
    score       INTEGER NOT NULL DEFAULT 0,
    priority    TEXT NOT NULL DEFAULT '',
    tier        TEXT NOT NULL DEFAULT '',
    grade       TEXT NOT NULL DEFAULT '',
    value       TEXT NOT NULL DEFAULT '',
    stage       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (snapshot_id, customer_id)
) WITHOUT ROWID;
