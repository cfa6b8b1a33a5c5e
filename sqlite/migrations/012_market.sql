-- Market and competitors (issue #6, SPEC R26-R27). Every market fact keeps
-- its source like a customer's fact: channel, source detail, when collected,
-- by whom; rows are only ever added.
ALTER TABLE customers ADD COLUMN lost_to TEXT;
ALTER TABLE customers ADD COLUMN won_from TEXT;

CREATE TABLE market_records (
    id            INTEGER PRIMARY KEY,
    region        TEXT NOT NULL,
    industry      TEXT NOT NULL,
    year          INTEGER NOT NULL,
    size          INTEGER NOT NULL,
    growth        REAL,
    channel       TEXT NOT NULL,
    source_detail TEXT NOT NULL DEFAULT '',
    collected_at  TEXT NOT NULL,
    collected_by  TEXT NOT NULL DEFAULT '',
    recorded_at   TEXT NOT NULL
);
CREATE INDEX market_records_year ON market_records (year, region, industry);

CREATE TABLE market_notes (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,
    region        TEXT NOT NULL DEFAULT '',
    industry      TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL,
    body          TEXT NOT NULL DEFAULT '',
    channel       TEXT NOT NULL,
    source_detail TEXT NOT NULL DEFAULT '',
    collected_at  TEXT NOT NULL,
    collected_by  TEXT NOT NULL DEFAULT '',
    recorded_at   TEXT NOT NULL
);

CREATE TABLE competitors (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    positioning   TEXT NOT NULL DEFAULT '',
    strengths     TEXT NOT NULL DEFAULT '',
    weaknesses    TEXT NOT NULL DEFAULT '',
    price_level   TEXT NOT NULL DEFAULT '',
    channel       TEXT NOT NULL,
    source_detail TEXT NOT NULL DEFAULT '',
    collected_at  TEXT NOT NULL,
    collected_by  TEXT NOT NULL DEFAULT '',
    recorded_at   TEXT NOT NULL
);

CREATE TABLE market_shares (
    id            INTEGER PRIMARY KEY,
    competitor_id INTEGER NOT NULL REFERENCES competitors (id),
    region        TEXT NOT NULL,
    year          INTEGER NOT NULL,
    share         REAL NOT NULL,
    channel       TEXT NOT NULL,
    source_detail TEXT NOT NULL DEFAULT '',
    collected_at  TEXT NOT NULL,
    collected_by  TEXT NOT NULL DEFAULT '',
    recorded_at   TEXT NOT NULL
);
CREATE INDEX market_shares_region ON market_shares (region, year);
