package sqldb

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dossier/dossier"
)

// recordTable describes a table of customers' records (contacts,
// interactions, projects) for the reads they share: a keyset page in id
// order of the live rows in the user's scope, one row by id, and one row
// checked against the version a change names.
type recordTable[T any] struct {
	what    string // "contact", in messages
	alias   string // the table's alias in cols and live
	cols    string
	live    string // FROM and WHERE of the rows an API may read
	scan    func(scanner) (*T, error)
	version func(*T) int64
}

// cond is one condition of a list with its argument, used when set.
type cond struct {
	sql string
	v   any
	set bool
}

// page lists one keyset page of p's rows that also match conds.
func (rt recordTable[T]) page(ctx context.Context, db *DB, p dossier.RecordPage, conds ...cond) ([]T, error) {
	if p.Sort != "" && !slices.Contains(dossier.InteractionSorts, p.Sort) {
		return nil, dossier.FieldError("sort", "cannot sort by %q; use one of %s", p.Sort, strings.Join(dossier.InteractionSorts, ", "))
	}
	order, after := rt.alias+".id DESC", rt.alias+".id < ?"
	if p.Sort == "id" {
		order, after = rt.alias+".id ASC", rt.alias+".id > ?"
	}
	conds = append([]cond{{rt.alias + ".customer_id = ?", p.CustomerID, p.CustomerID > 0}}, conds...)
	conds = append(conds, cond{after, p.After, p.After > 0})
	where, args := []string{""}, []any{}
	for _, c := range conds {
		if c.set {
			where, args = append(where, c.sql), append(args, c.v)
		}
	}
	sw, sa := scopeWhere("c", p.Owner, p.SharedTeam, p.Team)
	where, args = append(where, sw...), append(args, sa...)
	limit := p.Limit
	if limit <= 0 || limit > MaxLimit {
		limit = 50
	}
	q := "SELECT " + rt.cols + rt.live + strings.Join(where, " AND ") + " ORDER BY " + order + " LIMIT ?"
	rows, err := db.r.QueryContext(ctx, db.q(q), append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("find %ss: %w", rt.what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := rt.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("find %ss: %w", rt.what, err)
		}
		out = append(out, *v)
	}
	return out, rows.Err()
}

// one reads the live row of id, or ENOTFOUND.
func (rt recordTable[T]) one(ctx context.Context, qr rowQuerier, q func(string) string, id int64) (*T, error) {
	v, err := rt.scan(qr.QueryRowContext(ctx, q("SELECT "+rt.cols+rt.live+" AND "+rt.alias+".id = ?"), id))
	if isNoRows(err) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "%s %d not found", rt.what, id)
	}
	if err != nil {
		return nil, fmt.Errorf("find %s %d: %w", rt.what, id, err)
	}
	return v, nil
}

// versioned reads the row of id in tx, checked against the version a
// change or delete names (ECONFLICT when stale).
func (rt recordTable[T]) versioned(ctx context.Context, tx *Tx, id, version int64) (*T, error) {
	v, err := rt.one(ctx, tx, tx.db.q, id)
	if err != nil {
		return nil, err
	}
	if err := checkVersion(rt.what, id, rt.version(v), version); err != nil {
		return nil, err
	}
	return v, nil
}
