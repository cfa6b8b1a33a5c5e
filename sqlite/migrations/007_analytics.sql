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

-- A covering index of the fields that segments and pivots use most: a
-- count or sum grouped by any of them reads this index (about a sixth of
-- the table's size) instead of the table, and a segment led by grade seeks
-- into it. Its cost is one more index entry per customer write.
CREATE INDEX customers_analysis ON customers (grade, stage, follow_up_priority, score, need_match, likelihood,
    industry, province, city, revenue, expected_amount, employees, customer_type, need_type, last_contact, owner, team);

-- Trends count interactions per day and channel or feedback: this index
-- holds all three in date order, so a trend over every interaction reads it
-- alone, without sorting.
CREATE INDEX interactions_trend ON interactions (date, channel, feedback);
