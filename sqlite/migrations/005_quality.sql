-- Data quality (SPEC R6-R8). A merge never moves or edits an observation:
-- the absorbed customer keeps its facts and points at its survivor, whose
-- profile is resolved from the observations of every customer merged into it.
ALTER TABLE customers ADD COLUMN merged_into INTEGER REFERENCES customers (id);
CREATE INDEX customers_merged_into ON customers (merged_into);

-- A duplicate contact, once merged, is hidden behind the contact it merged
-- into; interactions that name it keep their contact_id.
ALTER TABLE contacts ADD COLUMN merged_into INTEGER REFERENCES contacts (id);

-- One merge of customer absorbed into survivor: who, why, when, and when it
-- was undone. moves lists every row the merge changed (JSON), so undo can
-- put each back exactly.
CREATE TABLE merges (
    id          INTEGER PRIMARY KEY,
    survivor    INTEGER NOT NULL REFERENCES customers (id),
    absorbed    INTEGER NOT NULL REFERENCES customers (id),
    merged_by   TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    moves       TEXT NOT NULL DEFAULT '{}',
    merged_at   TEXT NOT NULL,
    undone_at   TEXT,
    undone_by   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX merges_survivor ON merges (survivor);
CREATE INDEX merges_absorbed ON merges (absorbed);

-- The duplicate review queue: candidate pairs (customer_a < customer_b)
-- from the matcher, with the evidence for them and what a person decided.
CREATE TABLE dedupe_pairs (
    id          INTEGER PRIMARY KEY,
    customer_a  INTEGER NOT NULL REFERENCES customers (id),
    customer_b  INTEGER NOT NULL REFERENCES customers (id),
    probability REAL NOT NULL,
    weight      REAL NOT NULL,
    evidence    TEXT NOT NULL DEFAULT '[]',
    status      TEXT NOT NULL DEFAULT 'open',
    decided_by  TEXT NOT NULL DEFAULT '',
    decided_at  TEXT,
    merge_id    INTEGER REFERENCES merges (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (customer_a, customer_b)
);
CREATE INDEX dedupe_pairs_status ON dedupe_pairs (status, probability);
