-- Webhooks and the REST API (issue #9). A subscription names a URL, the secret its deliveries
-- are signed with, and its events as ",customer.created,task.due," so that
-- one LIKE finds the subscribers of an event on both engines.
CREATE TABLE webhooks (
    id          INTEGER PRIMARY KEY,
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,
    events      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT ''
);

-- The outbox: one row per event and subscriber, written in the transaction
-- of the change it reports. A server claims due rows by setting
-- lease_until; others skip them until it passes, so two servers do not send
-- one row twice, and a crash mid-send only delays it.
CREATE TABLE webhook_deliveries (
    id           INTEGER PRIMARY KEY,
    webhook_id   INTEGER NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event        TEXT NOT NULL,
    payload      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      TEXT NOT NULL,
    lease_until  TEXT,
    lease_holder TEXT NOT NULL DEFAULT '',
    delivered_at TEXT,
    dead         INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE delivered_at IS NULL AND dead = 0;
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (webhook_id, id);

-- When a task's task.due event was recorded, so that it is announced once.
ALTER TABLE tasks ADD COLUMN due_announced_at TEXT;

-- Interactions are edited through the API with optimistic versions, as
-- customers are: the second of two concurrent edits is refused.
ALTER TABLE interactions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE contacts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE projects ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
