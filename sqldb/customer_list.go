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

// nullableSorts are the sort columns that may be NULL; the others
// (name, updated_at, id) never are.
var nullableSorts = map[string]bool{"score": true, "last_contact": true}

// sortOrder is a list order: a column and a direction, with the id as
// tie-breaker. NULLs sort last both ways on both engines: FindCustomers
// reads the non-NULL part, then the NULL part by id, so that each part is
// one index scan ("col DIR, id DIR" on an index of (col, id)) rather than a
// sort of the whole scope by an expression.
type sortOrder struct {
	col, dir string
	nullable bool
}

// orderOf checks a dossier.SortKeys value; unknown keys are an error rather
// than silently ignored.
func orderOf(sort string) (sortOrder, error) {
	if sort == "" {
		sort = "-id"
	}
	if !slices.Contains(dossier.SortKeys, sort) {
		return sortOrder{}, dossier.FieldError("sort", "cannot sort by %q; use one of %s", sort, strings.Join(dossier.SortKeys, ", "))
	}
	key, desc := strings.CutPrefix(sort, "-")
	o := sortOrder{col: sortColumns[key], dir: "ASC", nullable: nullableSorts[key]}
	if desc {
		o.dir = "DESC"
	}
	return o, nil
}

func (o sortOrder) by() string {
	if o.col == "c.id" {
		return "c.id " + o.dir
	}
	return o.col + " " + o.dir + ", c.id " + o.dir
}

// customerWhere is the WHERE clause of a customer filter: its simple fields
// and its segment expression, compiled against the registry in force. It
// never lists a customer merged into another (its facts live on in its
// survivor) nor one that only undone imports spoke of.
func (db *DB) customerWhere(ctx context.Context, f dossier.CustomerFilter) (string, []any, error) {
	return db.customerWhereHint(ctx, f, false)
}

// customerWhereHint is customerWhere; inOrder, on SQLite, keeps the simple
// field filters from choosing the index, so that a page of the first few
// in a sort order walks the sort column's index and filters as it goes: a
// start page's ten key customers by score read the 170,000 key customers
// of 1,000,000 through the analysis index and sorted them (1 s) when a
// walk down the score index finds them within a few dozen rows.
func (db *DB) customerWhereHint(ctx context.Context, f dossier.CustomerFilter, inOrder bool) (string, []any, error) {
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
		narrow, nargs, err := db.tagNarrow(ctx, e.RequiredTags())
		if err != nil {
			return "", nil, err
		}
		if narrow != "" {
			where, args = append(where, narrow), append(args, nargs...)
		}
	}
	eq := func(col, v string) {
		if inOrder && db.dialect.Name() == filter.SQLite {
			col = "+" + col
		}
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
		narrow, nargs, err := db.searchNarrow(ctx, q)
		if err != nil {
			return "", nil, err
		}
		if narrow != "" {
			where, args = append(where, narrow), append(args, nargs...)
		}
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

// FindCustomers implements dossier.CustomerService. The total is counted
// once per data version and filter (cache.go), or with CheapTotal taken
// only from the rollup or that cache (customer_count.go); the page is read through
// the sort column's index, NULLs last (sortOrder), and a scope of "mine or
// shared with my team" as two index scans (scopeParts).
func (db *DB) FindCustomers(ctx context.Context, f dossier.CustomerFilter) ([]*dossier.Customer, int, error) {
	order, err := orderOf(f.Sort)
	if err != nil {
		return nil, 0, err
	}
	where, args, err := db.customerWhere(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	total := 0
	switch {
	case f.CheapTotal:
		n, ok, err := db.cheapTotal(ctx, f, where, args)
		if err != nil {
			return nil, 0, err
		}
		if total = -1; ok {
			total = n
		}
	case !f.NoTotal:
		if total, err = db.countScope(ctx, f, where, args); err != nil {
			return nil, 0, err
		}
	}
	// A few rows in a column's order (the home page): see customerWhereHint.
	inOrder := f.NoTotal && order.col != "c.id"
	pageWhere := where
	if inOrder {
		if pageWhere, _, err = db.customerWhereHint(ctx, f, true); err != nil {
			return nil, 0, err
		}
	}
	parts, err := db.scopeParts(ctx, f, pageWhere, args, inOrder)
	if err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 || limit > MaxLimit {
		limit = 50
	}
	offset := max(f.Offset, 0)
	if f.After > 0 {
		for i, p := range parts {
			if parts[i].where, parts[i].args, err = keyset(f, p.where, p.args); err != nil {
				return nil, 0, err
			}
		}
		offset = 0
	}
	if !order.nullable {
		out, err := db.customerPage(ctx, parts, order.by(), limit, offset)
		return out, total, err
	}
	notNull, isNull := " AND "+order.col+" IS NOT NULL", " AND "+order.col+" IS NULL"
	out, err := db.customerPage(ctx, and(parts, notNull), order.by(), limit, offset)
	if err != nil || len(out) == limit {
		return out, total, err
	}
	// Past the last non-NULL row: the NULL part, by id, from where the
	// page's offset falls in it.
	if len(out) > 0 {
		offset = 0
	} else {
		n, err := db.countCustomers(ctx, where+notNull, args)
		if err != nil {
			return nil, 0, err
		}
		offset = max(offset-n, 0)
	}
	rest, err := db.customerPage(ctx, and(parts, isNull), "c.id "+order.dir, limit-len(out), offset)
	return append(out, rest...), total, err
}

// clause is a WHERE clause and its arguments.
type clause struct {
	where string
	args  []any
}

func and(parts []clause, cond string) []clause {
	out := make([]clause, len(parts))
	for i, p := range parts {
		out[i] = clause{p.where + cond, p.args}
	}
	return out
}

// scopeParts splits the scope "owned by me or shared with my team" into
// its two halves, each an index scan in the page's order (customers_owner_*,
// customers_team_shared_live, both ending with the id); as one OR, SQLite read
// every customer of the owner and sorted them (83,000 each at 1,000,000
// customers and 12 sales users). Other filters are one part.
func (db *DB) scopeParts(ctx context.Context, f dossier.CustomerFilter, where string, args []any, inOrder bool) ([]clause, error) {
	if f.Owner == "" || f.SharedTeam == "" {
		return []clause{{where, args}}, nil
	}
	g := f
	g.Owner, g.SharedTeam = "", ""
	base, bargs, err := db.customerWhereHint(ctx, g, inOrder)
	if err != nil {
		return nil, err
	}
	return []clause{
		{base + " AND c.owner = ?", append(slices.Clip(bargs), f.Owner)},
		{base + " AND c.team = ? AND c.shared_with_team = 1", append(slices.Clip(bargs), f.SharedTeam)},
	}, nil
}

// customerPage reads one page of the union of parts: each part's first
// offset+limit customers in order, then the page of their union.
func (db *DB) customerPage(ctx context.Context, parts []clause, order string, limit, offset int) ([]*dossier.Customer, error) {
	where, args := parts[0].where, parts[0].args
	if len(parts) > 1 {
		var sub []string
		args = nil
		for i, p := range parts {
			sub = append(sub, fmt.Sprintf("SELECT id FROM (SELECT c.id FROM customers c%s ORDER BY %s LIMIT %d) AS part%d", p.where, order, offset+limit, i))
			args = append(args, p.args...)
		}
		where = " WHERE c.id IN (" + strings.Join(sub, " UNION ") + ")"
	}
	q := "SELECT " + customerColumns + " FROM customers c" + where + " ORDER BY " + order + " LIMIT ? OFFSET ?"
	rows, err := db.r.QueryContext(ctx, db.q(q), append(slices.Clip(args), limit, offset)...)
	if err != nil {
		return nil, fmt.Errorf("find customers: %w", err)
	}
	defer rows.Close()
	var out []*dossier.Customer
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, fmt.Errorf("find customers: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
