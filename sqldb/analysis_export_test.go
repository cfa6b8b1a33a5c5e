package sqldb

import (
	"context"
	"slices"
	"strings"

	"github.com/dossier/dossier"
)

// AnalysisComputedAt exposes when a customer's summary was last written,
// for the test that unchanged rows are not rewritten.
func (db *DB) AnalysisComputedAt(ctx context.Context, id int64) (string, error) {
	var at string
	err := db.r.QueryRowContext(ctx, db.q(`SELECT computed_at FROM analyses WHERE customer_id = ?`), id).Scan(&at)
	return at, err
}

// TableRows renders every row of a table as text, sorted, for tests that
// check a run wrote nothing (each row, computed_at included, is as before).
func (db *DB) TableRows(ctx context.Context, table string) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, "SELECT * FROM "+table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		out = append(out, rowKey(vals))
	}
	slices.Sort(out)
	return out, rows.Err()
}

// SetRecompute sets the recompute's number of workers and batch size until
// the returned function restores them (0: the defaults).
func SetRecompute(workers, batch int) (restore func()) {
	w, b := workersOverride, batchOverride
	workersOverride, batchOverride = workers, batch
	return func() { workersOverride, batchOverride = w, b }
}

// QueryPlans returns SQLite's plan of the recompute's interaction
// aggregates and of the count of each segment filter, for the plan tests.
func (db *DB) QueryPlans(ctx context.Context, exprs []string) ([]string, error) {
	queries := []string{interactionAggregatesSQL}
	args := [][]any{{"2026-01-01", "2026-01-01", "2026-01-01", "2026-01-01", 0, 1000, "2026-06-30"}}
	for _, e := range exprs {
		where, a, err := db.customerWhere(ctx, dossier.CustomerFilter{Expr: e})
		if err != nil {
			return nil, err
		}
		queries, args = append(queries, "SELECT COUNT(*) FROM customers c"+where), append(args, a)
	}
	var out []string
	for i, q := range queries {
		plan, err := db.queryPlan(ctx, q, args[i])
		if err != nil {
			return nil, err
		}
		out = append(out, plan)
	}
	return out, nil
}

// queryPlan is SQLite's plan of q, its steps joined by "; ".
func (db *DB) queryPlan(ctx context.Context, q string, args []any) (string, error) {
	var plan []string
	err := db.each(ctx, "EXPLAIN QUERY PLAN "+q, args, func(sc scanner) error {
		var id, parent, unused int
		var detail string
		err := sc.Scan(&id, &parent, &unused, &detail)
		plan = append(plan, detail)
		return err
	})
	return strings.Join(plan, "; "), err
}

// ScopeCountPlan is the query plan of counting a sales rep's list: the
// customers they own or that are shared with their team.
func (db *DB) ScopeCountPlan(ctx context.Context, owner, team string) (string, error) {
	where, args, err := db.customerWhere(ctx, dossier.CustomerFilter{Owner: owner, SharedTeam: team})
	if err != nil {
		return "", err
	}
	return db.queryPlan(ctx, "SELECT COUNT(*) FROM customers c"+where, args)
}
