package sqldb

import (
	"context"
	"fmt"

	"github.com/dossier/dossier"
)

// FindPool implements dossier.PoolService: the customers without an owner
// (the public pool, 公海) of a team, or of every team when team is "", most
// recently changed first, and how many there are. Hidden and merged
// customers are left out, as from every list.
//
// The query leads with the owner index: the pool is small next to the
// store. SQLite's sampled statistics would otherwise pick the index on
// hidden or team and read a large share of a million rows, so on SQLite
// the other conditions are written so that no index serves them (a unary +);
// PostgreSQL plans from its own statistics.
func (db *DB) FindPool(ctx context.Context, team string, limit int) ([]*dossier.Customer, int, error) {
	plain := func(col string) string { return col }
	if db.dialect.Name() == "sqlite" {
		plain = func(col string) string { return "+" + col }
	}
	where := " WHERE c.owner IS NULL AND " + plain("c.hidden") + " = 0 AND " + plain("c.merged_into") + " IS NULL"
	var args []any
	if team != "" {
		where, args = where+" AND "+plain("c.team")+" = ?", append(args, team)
	}
	var total int
	if err := db.r.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM customers c"+where), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count pool: %w", err)
	}
	if limit <= 0 || limit > MaxLimit {
		limit = 50
	}
	rows, err := db.r.QueryContext(ctx, db.q("SELECT "+customerColumns+" FROM customers c"+where+
		" ORDER BY c.updated_at DESC, c.id DESC LIMIT ?"), append(args, limit)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find pool: %w", err)
	}
	defer rows.Close()
	var out []*dossier.Customer
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find pool: %w", err)
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}
