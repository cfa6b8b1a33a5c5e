package sqldb

import (
	"context"
	"fmt"

	"github.com/dossier/dossier"
)

// CustomersAfter implements dossier.ExportStore: up to limit customers
// matching f with an id above afterID, in id order. Keyset paging keeps each
// page as cheap as the first however far an export has gone.
func (db *DB) CustomersAfter(ctx context.Context, f dossier.CustomerFilter, afterID int64, limit int) ([]*dossier.Customer, error) {
	where, args, err := db.customerWhere(ctx, f)
	if err != nil {
		return nil, err
	}
	where += " AND c.id > ?"
	if limit <= 0 || limit > MaxLimit {
		limit = MaxLimit
	}
	q := "SELECT " + customerColumns + " FROM customers c" + where + " ORDER BY c.id LIMIT ?"
	rows, err := db.r.QueryContext(ctx, db.q(q), append(args, afterID, limit)...)
	if err != nil {
		return nil, fmt.Errorf("export customers: %w", err)
	}
	defer rows.Close()
	var out []*dossier.Customer
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, fmt.Errorf("export customers: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
