-- Derived data-quality rows (issue #4 at scale). The quality lists
-- (conflicts, gaps, invalid values) used to be computed by scanning every
-- customer on each request; these tables hold each active customer's
-- result, written in the same transaction that changes its facts, so the
-- lists are indexed queries. They are derived only: dropping their rows
-- loses nothing, and the store rebuilds them (quality_basis says for which
-- field registry and settings they were computed; a mismatch means rebuild).
CREATE TABLE quality_customers (
    customer_id INTEGER PRIMARY KEY REFERENCES customers (id),
    score       INTEGER NOT NULL,              -- completeness, 0-100
    filled      INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    missing     TEXT NOT NULL DEFAULT '[]',    -- JSON list of gaps
    gaps        INTEGER NOT NULL,              -- length of missing
    conflicts   INTEGER NOT NULL,
    invalid     INTEGER NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX quality_customers_gaps ON quality_customers (score, customer_id) WHERE gaps > 0;

-- One row per missing fact, with the customer's score, for the gaps list of
-- one field.
CREATE TABLE quality_gaps (
    field       TEXT NOT NULL,
    score       INTEGER NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    PRIMARY KEY (field, score, customer_id)
);
CREATE INDEX quality_gaps_customer ON quality_gaps (customer_id);

-- Key facts in conflict; seq keeps the order of the verification (registry
-- order, the decision maker last).
CREATE TABLE quality_conflicts (
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    seq         INTEGER NOT NULL,
    field       TEXT NOT NULL,
    detail      TEXT NOT NULL,                 -- JSON FieldVerification
    PRIMARY KEY (customer_id, seq)
);
CREATE INDEX quality_conflicts_field ON quality_conflicts (field, customer_id, seq);

-- Values failing their field's validation, and required fields left empty.
CREATE TABLE quality_invalid (
    customer_id    INTEGER NOT NULL REFERENCES customers (id),
    seq            INTEGER NOT NULL,
    field          TEXT NOT NULL,
    value          TEXT NOT NULL,
    problem        TEXT NOT NULL,
    observation_id INTEGER NOT NULL DEFAULT 0,
    contact_id     INTEGER NOT NULL DEFAULT 0,
    is_current     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (customer_id, seq)
);
CREATE INDEX quality_invalid_field ON quality_invalid (field, customer_id, seq);

-- What the rows were computed with: a fingerprint of the field registry and
-- the quality settings. No row, or another fingerprint, means stale.
CREATE TABLE quality_basis (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    basis       TEXT NOT NULL,
    built_at    TEXT NOT NULL
);
