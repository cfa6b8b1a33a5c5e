-- Dossier schema, SQLite dialect. Dates are ISO text ("2006-01-02"),
-- timestamps UTC RFC 3339 text with microseconds, money whole yuan.
CREATE TABLE customers (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL,
    credit_code         TEXT,
    industry            TEXT,
    customer_type       TEXT,
    stage               TEXT,
    province            TEXT,
    city                TEXT,
    address             TEXT,
    employees           REAL,
    revenue             INTEGER,
    founded             TEXT,
    registered_capital  INTEGER,
    main_business       TEXT,
    branches            TEXT,
    strategic_value     TEXT,
    owner               TEXT,
    team                TEXT,
    industry_rank       TEXT,
    market_share        REAL,
    core_advantages     TEXT,
    main_competitors    TEXT,
    revenue_history     TEXT,
    profit_growth       REAL,
    customer_groups     TEXT,
    partners            TEXT,
    strategic_goals     TEXT,
    need_type           TEXT,
    need_description    TEXT,
    budget              TEXT,
    purchase_timeline   TEXT,
    expected_amount     INTEGER,
    pain_points         TEXT,
    decision_process    TEXT,
    decision_factors    TEXT,
    satisfaction        INTEGER,
    debt_ratio          REAL,
    overdue_receivables INTEGER,
    churn_reason        TEXT,
    grade               TEXT,
    need_match          INTEGER,
    likelihood          INTEGER,
    follow_up_priority  TEXT,
    custom              TEXT NOT NULL DEFAULT '{}',
    last_contact        TEXT,
    score               INTEGER,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX customers_name ON customers (name);
CREATE INDEX customers_credit_code ON customers (credit_code);
CREATE INDEX customers_industry ON customers (industry);
CREATE INDEX customers_region ON customers (province, city);
CREATE INDEX customers_stage ON customers (stage);
CREATE INDEX customers_grade ON customers (grade);
CREATE INDEX customers_owner ON customers (owner);
CREATE INDEX customers_team ON customers (team);
CREATE INDEX customers_priority ON customers (follow_up_priority);
CREATE INDEX customers_score ON customers (score);
CREATE INDEX customers_last_contact ON customers (last_contact);
CREATE INDEX customers_updated ON customers (updated_at);

-- An observation is one source event: the values it carried (JSON object of
-- field key to canonical value) with their provenance. Never updated.
CREATE TABLE observations (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    src_channel  TEXT NOT NULL,
    src_detail   TEXT NOT NULL DEFAULT '',
    collected_at TEXT NOT NULL,
    collected_by TEXT NOT NULL DEFAULT '',
    import_id    INTEGER,
    vals         TEXT NOT NULL,
    remarks      TEXT NOT NULL DEFAULT '{}',
    recorded_at  TEXT NOT NULL
);
CREATE INDEX observations_customer ON observations (customer_id, id);

CREATE TABLE contacts (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    name         TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    role         TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    preferences  TEXT NOT NULL DEFAULT '',
    src_channel  TEXT NOT NULL,
    src_detail   TEXT NOT NULL DEFAULT '',
    collected_at TEXT NOT NULL,
    collected_by TEXT NOT NULL DEFAULT '',
    import_id    INTEGER,
    created_at   TEXT NOT NULL
);
CREATE INDEX contacts_customer ON contacts (customer_id);
CREATE INDEX contacts_phone ON contacts (phone);
CREATE INDEX contacts_email ON contacts (email);

CREATE TABLE interactions (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers (id),
    contact_id    INTEGER,
    date          TEXT NOT NULL,
    channel       TEXT NOT NULL DEFAULT '',
    summary       TEXT NOT NULL DEFAULT '',
    feedback      TEXT NOT NULL DEFAULT '',
    feedback_text TEXT NOT NULL DEFAULT '',
    recorded_by   TEXT NOT NULL DEFAULT '',
    src_channel   TEXT NOT NULL,
    src_detail    TEXT NOT NULL DEFAULT '',
    collected_at  TEXT NOT NULL,
    collected_by  TEXT NOT NULL DEFAULT '',
    import_id     INTEGER,
    created_at    TEXT NOT NULL
);
CREATE INDEX interactions_customer_date ON interactions (customer_id, date);
CREATE INDEX interactions_date ON interactions (date);

CREATE TABLE needs (
    id              INTEGER PRIMARY KEY,
    customer_id     INTEGER NOT NULL REFERENCES customers (id),
    type            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    explicit        INTEGER NOT NULL DEFAULT 1,
    budget          TEXT NOT NULL DEFAULT '',
    timeline        TEXT NOT NULL DEFAULT '',
    expected_amount INTEGER,
    urgency         INTEGER NOT NULL DEFAULT 3,
    importance      INTEGER NOT NULL DEFAULT 3,
    src_channel     TEXT NOT NULL,
    src_detail      TEXT NOT NULL DEFAULT '',
    collected_at    TEXT NOT NULL,
    collected_by    TEXT NOT NULL DEFAULT '',
    import_id       INTEGER
);
CREATE INDEX needs_customer ON needs (customer_id);
CREATE INDEX needs_type ON needs (type);

CREATE TABLE projects (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    name         TEXT NOT NULL,
    start_date   TEXT NOT NULL DEFAULT '',
    end_date     TEXT NOT NULL DEFAULT '',
    amount       INTEGER,
    satisfaction INTEGER,
    src_channel  TEXT NOT NULL,
    src_detail   TEXT NOT NULL DEFAULT '',
    collected_at TEXT NOT NULL,
    collected_by TEXT NOT NULL DEFAULT '',
    import_id    INTEGER
);
CREATE INDEX projects_customer ON projects (customer_id);

CREATE TABLE scores (
    customer_id      INTEGER PRIMARY KEY REFERENCES customers (id),
    as_of            TEXT NOT NULL,
    r                INTEGER NOT NULL,
    f                INTEGER NOT NULL,
    m                INTEGER NOT NULL,
    v                INTEGER NOT NULL,
    total            INTEGER NOT NULL,
    priority         TEXT NOT NULL,
    settings_version INTEGER NOT NULL,
    explanation      TEXT NOT NULL,
    computed_at      TEXT NOT NULL
);

CREATE TABLE fields (
    key        TEXT PRIMARY KEY,
    label_zh   TEXT NOT NULL,
    label_en   TEXT NOT NULL,
    category   TEXT NOT NULL,
    type       TEXT NOT NULL,
    required   INTEGER NOT NULL DEFAULT 0,
    key_fact   INTEGER NOT NULL DEFAULT 0,
    options    TEXT NOT NULL DEFAULT '[]',
    aliases    TEXT NOT NULL DEFAULT '[]',
    position   INTEGER NOT NULL,
    retired    INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    team          TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
