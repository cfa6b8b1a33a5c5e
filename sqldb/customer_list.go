package sqldb

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/filter"
)

// MaxLimit caps one page of a list.
const MaxLimit = 500

var sortColumns = map[string]string{
	"id": "c.id", "name": "c.name", "updated": "c.updated_at", "score": "c.score", "last_contact": "c.last_contact",
}

// orderBy turns a dossier.SortKeys value into an ORDER BY clause; unknown
// keys are an error rather than silently ignored. NULLs sort last both ways
// on both engines.
func orderBy(sort string) (string, error) {
	if sort == "" {
		sort = "-id"
	}
	if !slices.Contains(dossier.SortKeys, sort) {
		return "", dossier.FieldError("sort", "cannot sort by %q; use one of %s", sort, strings.Join(dossier.SortKeys, ", "))
	}
	dir := "ASC"
	key, desc := strings.CutPrefix(sort, "-")
	if desc {
		dir = "DESC"
	}
	col := sortColumns[key]
	if key == "id" {
		return "c.id " + dir, nil
	}
	return fmt.Sprintf("CASE WHEN %s IS NULL THEN 1 ELSE 0 END, %s %s, c.id %s", col, col, dir, dir), nil
}

// customerWhere is the WHERE clause of a customer filter: its simple fields
// and its segment expression, compiled against the registry in force. It
// never lists a customer merged into another (its facts live on in its
// survivor) nor one that only undone imports spoke of.
func (db *DB) customerWhere(ctx context.Context, f dossier.CustomerFilter) (string, []any, error) {
	var (
		where = []string{"c.hidden = 0", "c.merged_into IS NULL"}
		args  []any
	)
	if strings.TrimSpace(f.Expr) != "" {
		reg, err := db.Registry(ctx)
		if err != nil {
			return "", nil, err
		}
		e, err := filter.Parse(f.Expr, reg)
		if err != nil {
			return "", nil, err
		}
		if sql, a := e.Where(db.dialect.Name()); sql != "" { // blank or control characters only: no condition
			where, args = append(where, sql), a
		}
	}
	eq := func(col, v string) {
		if v != "" {
			where, args = append(where, col+" = ?"), append(args, v)
		}
	}
	eq("c.province", f.Province)
	eq("c.city", f.City)
	eq("c.stage", f.Stage)
	eq("c.grade", f.Grade)
	eq("c.follow_up_priority", f.Priority)
	sw, sa := scopeWhere("c", f.Owner, f.SharedTeam, f.Team)
	where, args = append(where, sw...), append(args, sa...)
	if f.Industry != "" {
		where = append(where, "(c.industry = ? OR c.industry LIKE ? ESCAPE '\\')")
		args = append(args, f.Industry, likeEscape(f.Industry)+"-%")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		where = append(where, "(c.name LIKE ? ESCAPE '\\' OR c.credit_code = ?)")
		args = append(args, "%"+likeEscape(q)+"%", strings.ToUpper(q))
	}
	return " WHERE " + strings.Join(where, " AND "), args, nil
}

// keyset narrows a filter's WHERE clause to the customers past its cursor
// in the order of orderBy: id orders by the id alone; the others by the
// sort key the cursor carries (the value it had when the page was read, so
// that neither an insert nor a later change of that customer moves the
// boundary), then by id among equal keys, customers without a key last.
func keyset(f dossier.CustomerFilter, where string, args []any) (string, []any, error) {
	sort := f.Sort
	if sort == "" {
		sort = "-id"
	}
	key, desc := strings.CutPrefix(sort, "-")
	op := ">"
	if desc {
		op = "<"
	}
	col, ok := sortColumns[key]
	switch {
	case !ok:
		return "", nil, dossier.FieldError("sort", "cannot sort by %q", f.Sort)
	case key == "id":
		return where + " AND c.id " + op + " ?", append(args, f.After), nil
	case f.AfterNull:
		return where + fmt.Sprintf(" AND %s IS NULL AND c.id %s ?", col, op), append(args, f.After), nil
	}
	var v any = f.AfterKey
	switch key {
	case "score":
		n, err := strconv.ParseInt(f.AfterKey, 10, 64)
		if err != nil {
			return "", nil, dossier.FieldError("cursor", "invalid cursor: pass next_cursor from the previous page unchanged")
		}
		v = n
	case "updated":
		t, err := time.Parse(time.RFC3339Nano, f.AfterKey)
		if err != nil {
			return "", nil, dossier.FieldError("cursor", "invalid cursor: pass next_cursor from the previous page unchanged")
		}
		v = ts(t)
	}
	return where + fmt.Sprintf(" AND (%[1]s IS NULL OR %[1]s %[2]s ? OR (%[1]s = ? AND c.id %[2]s ?))", col, op), append(args, v, v, f.After), nil
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// FindCustomers implements dossier.CustomerService.
func (db *DB) FindCustomers(ctx context.Context, f dossier.CustomerFilter) ([]*dossier.Customer, int, error) {
	order, err := orderBy(f.Sort)
	if err != nil {
		return nil, 0, err
	}
	where, args, err := db.customerWhere(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := db.r.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM customers c"+where), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count customers: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > MaxLimit {
		limit = 50
	}
	offset := max(f.Offset, 0)
	if f.After > 0 {
		if where, args, err = keyset(f, where, args); err != nil {
			return nil, 0, err
		}
		offset = 0
	}
	q := "SELECT " + customerColumns + " FROM customers c" + where + " ORDER BY " + order + " LIMIT ? OFFSET ?"
	rows, err := db.r.QueryContext(ctx, db.q(q), append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find customers: %w", err)
	}
	defer rows.Close()
	var out []*dossier.Customer
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find customers: %w", err)
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}
