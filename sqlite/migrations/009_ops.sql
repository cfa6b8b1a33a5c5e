-- Background jobs that several servers on one database must run only once
-- at a time (the periodic score recompute): one row per job, leased by one
-- process until leased_until. A holder that dies loses the lease when it
-- expires, so the next due run happens elsewhere.
CREATE TABLE job_leases (
    name          TEXT PRIMARY KEY,
    holder        TEXT NOT NULL DEFAULT '',
    leased_until  TEXT,
    last_started  TEXT,
    last_finished TEXT,
    last_status   TEXT NOT NULL DEFAULT '',
    runs          INTEGER NOT NULL DEFAULT 0
);

-- An import's progress, written in each batch's own transaction: after a
-- crash the run still says 'running', and batches/last_row say exactly which
-- rows are in (every row up to last_row; none after).
ALTER TABLE imports ADD COLUMN batches INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN last_row INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN heartbeat_at TEXT;
