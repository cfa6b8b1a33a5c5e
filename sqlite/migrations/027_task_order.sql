-- Task lists are ordered by (due, id) — the board, the home page, the API's
-- keyset cursor — but the task indexes ended at due. When many open tasks
-- share a due date (the nightly recompute gives a whole tier the same
-- one), PostgreSQL read every open task and sorted them for ten rows: the
-- admin's home page took 0.6–1.3 s at 1,000,000 customers (700,000 open
-- tasks). With id at the end, the index gives the order itself. (SQLite's
-- indexes end in the rowid, which is the id, so there the order was
-- already in the index; the same definition keeps the two stores alike.)
CREATE INDEX tasks_due_id ON tasks (status, due, id);
CREATE INDEX tasks_owner_due_id ON tasks (owner, status, due, id);
DROP INDEX tasks_due;
DROP INDEX tasks_owner;
