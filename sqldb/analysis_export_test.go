package sqldb

import "context"

// AnalysisComputedAt exposes when a customer's summary was last written,
// for the test that unchanged rows are not rewritten.
func (db *DB) AnalysisComputedAt(ctx context.Context, id int64) (string, error) {
	var at string
	err := db.r.QueryRowContext(ctx, db.q(`SELECT computed_at FROM analyses WHERE customer_id = ?`), id).Scan(&at)
	return at, err
}
