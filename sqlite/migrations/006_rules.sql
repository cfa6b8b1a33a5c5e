-- Analysis by rules (SPEC R9–R20, DESIGN idea 3): tags, risks, tasks, the
-- latest analysis summary per customer, score history, rule versions, and
-- the business-registry signals as profile columns.
ALTER TABLE customers ADD COLUMN dishonest_debtor REAL;
ALTER TABLE customers ADD COLUMN abnormal_operations REAL;
ALTER TABLE customers ADD COLUMN administrative_penalties REAL;
ALTER TABLE customers ADD COLUMN equity_freezes REAL;

-- Hierarchical tags ("行业-制造业-细分领域-汽车零部件"): set by hand
-- (source manual, rule_id '') or by a tag rule (source rule).
CREATE TABLE customer_tags (
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    tag         TEXT NOT NULL,
    source      TEXT NOT NULL,
    rule_id     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    PRIMARY KEY (customer_id, tag, source)
);
CREATE INDEX customer_tags_tag ON customer_tags (tag);

-- A risk is opened when a rule first fires and resolved when it stops.
CREATE TABLE risks (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    category     TEXT NOT NULL,
    level        TEXT NOT NULL,
    trigger_text TEXT NOT NULL,
    rule_id      TEXT NOT NULL,
    since        TEXT NOT NULL,
    resolved_at  TEXT
);
CREATE INDEX risks_customer ON risks (customer_id, resolved_at);
CREATE INDEX risks_open ON risks (category, level) WHERE resolved_at IS NULL;

-- Follow-up and action-list tasks.
CREATE TABLE tasks (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    owner       TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL,
    due         TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open',
    source      TEXT NOT NULL DEFAULT 'manual',
    created_at  TEXT NOT NULL,
    closed_at   TEXT,
    updated_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX tasks_customer ON tasks (customer_id, status);
CREATE INDEX tasks_owner ON tasks (owner, status, due);
CREATE INDEX tasks_due ON tasks (status, due);

-- The current analysis summary of each customer, for lists and filters;
-- the full explanation is recomputed on demand. A row is rewritten only when
-- it changes, so computed_at is when it last changed (the as-of date of the
-- latest run is the score's).
CREATE TABLE analyses (
    customer_id    INTEGER PRIMARY KEY REFERENCES customers (id),
    value          TEXT NOT NULL,
    grade          TEXT NOT NULL,
    tier           TEXT NOT NULL,
    cadence        TEXT NOT NULL,
    next_follow_up TEXT NOT NULL,
    risk_level     TEXT NOT NULL,
    icp            TEXT NOT NULL DEFAULT '{}',
    need_match_suggestion  INTEGER NOT NULL DEFAULT 0,
    likelihood_suggestion  INTEGER NOT NULL DEFAULT 0,
    errors         INTEGER NOT NULL DEFAULT 0,
    rules_version  TEXT NOT NULL,
    computed_at    TEXT NOT NULL
);
CREATE INDEX analyses_value ON analyses (value);
CREATE INDEX analyses_tier ON analyses (tier);
CREATE INDEX analyses_grade ON analyses (grade);

-- Score history: a row whenever priority, tier or value changes, with why.
CREATE TABLE score_history (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    as_of       TEXT NOT NULL,
    total       INTEGER NOT NULL,
    priority    TEXT NOT NULL,
    tier        TEXT NOT NULL,
    value       TEXT NOT NULL,
    cause       TEXT NOT NULL,
    computed_at TEXT NOT NULL
);
CREATE INDEX score_history_customer ON score_history (customer_id, id);

-- Every saved version of a kind of rules.
CREATE TABLE rule_versions (
    kind     TEXT NOT NULL,
    version  INTEGER NOT NULL,
    body     TEXT NOT NULL,
    saved_by TEXT NOT NULL DEFAULT '',
    saved_at TEXT NOT NULL,
    PRIMARY KEY (kind, version)
);
