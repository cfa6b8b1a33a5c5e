-- Import undo: a run can be reverted (and restored). Its observations stay
-- (they are append-only) but resolution skips them; contacts, interactions
-- and projects it wrote are hidden through their import_id; customers left
-- with no fact in force are hidden, not deleted.
ALTER TABLE imports ADD COLUMN unchanged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN user_name TEXT NOT NULL DEFAULT '';
ALTER TABLE imports ADD COLUMN reverted_at TEXT;
ALTER TABLE imports ADD COLUMN reverted_by TEXT NOT NULL DEFAULT '';
CREATE INDEX imports_status ON imports (status);
ALTER TABLE customers ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
CREATE INDEX customers_hidden ON customers (hidden);
CREATE INDEX contacts_import ON contacts (import_id);
CREATE INDEX interactions_import ON interactions (import_id);
CREATE INDEX projects_import ON projects (import_id);

-- Projects carry a status (进行中, 已完成, …) as the import of projects reads it.
ALTER TABLE projects ADD COLUMN status TEXT NOT NULL DEFAULT '';

-- Questionnaires (R28): a named set of registry fields with the question
-- asked for each (JSON list of {"field", "question_zh", "question_en"}).
CREATE TABLE questionnaires (
    name       TEXT PRIMARY KEY,
    title_zh   TEXT NOT NULL,
    title_en   TEXT NOT NULL DEFAULT '',
    questions  TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- A link a customer opens without an account: only the token's hash is
-- kept; it expires, and is spent once answered.
CREATE TABLE survey_links (
    id            INTEGER PRIMARY KEY,
    token_hash    TEXT NOT NULL UNIQUE,
    customer_id   INTEGER NOT NULL REFERENCES customers (id),
    questionnaire TEXT NOT NULL,
    created_by    TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    answered_at   TEXT
);
CREATE INDEX survey_links_customer ON survey_links (customer_id);
