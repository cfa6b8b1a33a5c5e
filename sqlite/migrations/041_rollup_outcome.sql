-- Churn reasons, win/loss per competitor and customers by type are reports
-- of the issue (R26, R27) that no rollup held: at 1,000,000 customers each
-- scanned the churned or won customers, or all of them (win/loss 1.5 s on
-- SQLite, 0.65 s on PostgreSQL; customers by type 209-256 ms on
-- PostgreSQL). This rollup holds a customer's outcome: its stage, type,
-- churn reason and the competitor it was lost to or won from (70 rows for
-- the 1,000,000-customer demo). It is kept like the rollups of migrations
-- 023, 028 and 036; the recompute and the public pool never write these
-- columns, so only new customers and changes of these fields pay for it.
CREATE TABLE customer_rollup_outcome (
    id            INTEGER PRIMARY KEY,
    stage         TEXT,
    customer_type TEXT,
    churn_reason  TEXT,
    lost_to       TEXT,
    won_from      TEXT,
    n             INTEGER NOT NULL,
    revenue_sum   INTEGER NOT NULL,
    revenue_n     INTEGER NOT NULL
);
INSERT INTO customer_rollup_outcome (stage, customer_type, churn_reason, lost_to, won_from, n, revenue_sum, revenue_n)
SELECT stage, customer_type, churn_reason, lost_to, won_from, COUNT(*), COALESCE(SUM(revenue), 0), COUNT(revenue)
FROM customers WHERE hidden = 0 AND merged_into IS NULL
GROUP BY 1, 2, 3, 4, 5;
CREATE TRIGGER customer_rollup_outcome_insert AFTER INSERT ON customers
WHEN NEW.hidden = 0 AND NEW.merged_into IS NULL
BEGIN
    INSERT INTO customer_rollup_outcome (stage, customer_type, churn_reason, lost_to, won_from, n, revenue_sum, revenue_n)
    VALUES (NEW.stage, NEW.customer_type, NEW.churn_reason, NEW.lost_to, NEW.won_from, 1, COALESCE(NEW.revenue, 0), NEW.revenue IS NOT NULL);
END;
CREATE TRIGGER customer_rollup_outcome_delete AFTER DELETE ON customers
WHEN OLD.hidden = 0 AND OLD.merged_into IS NULL
BEGIN
    INSERT INTO customer_rollup_outcome (stage, customer_type, churn_reason, lost_to, won_from, n, revenue_sum, revenue_n)
    VALUES (OLD.stage, OLD.customer_type, OLD.churn_reason, OLD.lost_to, OLD.won_from, -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL));
END;
CREATE TRIGGER customer_rollup_outcome_update
AFTER UPDATE OF stage, customer_type, churn_reason, lost_to, won_from, revenue, hidden, merged_into ON customers
WHEN OLD.stage IS NOT NEW.stage
  OR OLD.customer_type IS NOT NEW.customer_type
  OR OLD.churn_reason IS NOT NEW.churn_reason
  OR OLD.lost_to IS NOT NEW.lost_to
  OR OLD.won_from IS NOT NEW.won_from
  OR OLD.revenue IS NOT NEW.revenue
  OR OLD.hidden IS NOT NEW.hidden
  OR OLD.merged_into IS NOT NEW.merged_into
BEGIN
    INSERT INTO customer_rollup_outcome (stage, customer_type, churn_reason, lost_to, won_from, n, revenue_sum, revenue_n)
    SELECT OLD.stage, OLD.customer_type, OLD.churn_reason, OLD.lost_to, OLD.won_from, -1, -COALESCE(OLD.revenue, 0), -(OLD.revenue IS NOT NULL)
    WHERE OLD.hidden = 0 AND OLD.merged_into IS NULL;
    INSERT INTO customer_rollup_outcome (stage, customer_type, churn_reason, lost_to, won_from, n, revenue_sum, revenue_n)
    SELECT NEW.stage, NEW.customer_type, NEW.churn_reason, NEW.lost_to, NEW.won_from, 1, COALESCE(NEW.revenue, 0), NEW.revenue IS NOT NULL
    WHERE NEW.hidden = 0 AND NEW.merged_into IS NULL;
END;
