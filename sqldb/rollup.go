package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/filter"
)

// The customer rollups (migrations 023, 028, 034, 036, 041 and 042) hold
// the live customers' counts and revenue sums per combination of a few
// columns, kept by triggers in each writing transaction as delta rows. A pivot or list
// total whose dimensions, measure and filter one of them covers is
// answered from it: a few thousand rows instead of a scan of every live
// customer, which the result cache had to pay again after each write. The
// answer is the same as the plain query's (TestRollupEqualsPlainSQL);
// everything else takes the plain query.

// rollupCube is one rollup table and the customer columns it groups by.
// "industry_top" is the top level of the industry (what analytics.TopIndustry
// gives), which a cube holding the full industry can answer too.
type rollupCube struct {
	table string
	cols  []string
}

// rollupCubes are tried in order, the one with the fewest rows first: the
// first that covers a query answers it.
var rollupCubes = []rollupCube{
	{"customer_rollup_outcome", []string{"stage", "customer_type", "churn_reason", "lost_to", "won_from"}},
	{"customer_rollup_contact", []string{"last_contact_month", "grade", "stage"}},
	{"customer_rollup_owner", []string{"owner", "team", "grade", "stage", "follow_up_priority"}},
	{"customer_rollup_territory", []string{"owner", "province", "city"}},
	{"customer_rollup_need", []string{"industry", "need_type", "satisfaction"}},
	{"customer_rollup_place", []string{"province", "city", "industry"}},
	{"customer_rollup", []string{"grade", "stage", "follow_up_priority", "province", "industry_top"}},
}

// column is the cube's column for a customer column or "industry_top", ""
// when it holds none.
func (c rollupCube) column(col string) string {
	switch {
	case slices.Contains(c.cols, col):
		return col
	case col == "industry_top" && slices.Contains(c.cols, "industry"):
		return "industry" // grouped in full, folded to the top level by rollupFolds
	}
	return ""
}

// rollupTerm is one condition of a compiled segment filter that a rollup
// can evaluate: equality with, or membership in, values of one column, or
// the hierarchical match of an industry ("制造业" and "制造业-…").
var rollupTerm = regexp.MustCompile(`^c\.([a-z_]+) (= \?|IN \(\?(, \?)*\))$`)

const industryTerm = `(c.industry = ? OR c.industry LIKE ? ESCAPE '\')`

// rollupCond is a condition of a filter on one customer column.
type rollupCond struct {
	col, sql string // sql names the column without the "c." prefix
	args     []any
}

// rollupFilter is a list filter as conditions a rollup may evaluate.
type rollupFilter struct {
	conds    []rollupCond
	industry string // the quick filter's industry, with its sub-industries
}

// rollupFilterOf splits a list filter into rollup conditions; ok = false
// when it needs what no rollup holds.
func (db *DB) rollupFilterOf(ctx context.Context, f dossier.CustomerFilter) (rollupFilter, bool, error) {
	var rf rollupFilter
	if f.Owner != "" || f.SharedTeam != "" || f.Team != "" || strings.TrimSpace(f.Query) != "" {
		return rf, false, nil // a rep's scope is an OR, counted through its indexes (migration 021)
	}
	if strings.TrimSpace(f.Expr) != "" {
		reg, err := db.Registry(ctx)
		if err != nil {
			return rf, false, err
		}
		e, err := filter.Parse(f.Expr, reg)
		if err != nil {
			return rf, false, err
		}
		if w, args := e.Where(db.dialect.Name()); w != "" {
			conds, ok := rollupTerms(w, args)
			if !ok {
				return rf, false, nil
			}
			rf.conds = conds
		}
	}
	for _, eq := range []struct{ col, v string }{
		{"province", f.Province}, {"city", f.City}, {"stage", f.Stage}, {"grade", f.Grade}, {"follow_up_priority", f.Priority},
	} {
		if eq.v != "" {
			rf.conds = append(rf.conds, rollupCond{eq.col, eq.col + " = ?", []any{eq.v}})
		}
	}
	rf.industry = f.Industry
	return rf, true, nil
}

// rollupTerms splits a compiled filter that is a conjunction of
// rollupTerm conditions into conditions on the rollup's columns.
func rollupTerms(w string, args []any) ([]rollupCond, bool) {
	if strings.HasPrefix(w, "(") && strings.HasSuffix(w, ")") && !strings.HasPrefix(w, industryTerm) {
		w = w[1 : len(w)-1]
	}
	var out []rollupCond
	for _, t := range strings.Split(w, " AND ") {
		n := strings.Count(t, "?")
		if n > len(args) {
			return nil, false
		}
		c := rollupCond{sql: strings.ReplaceAll(t, "c.", ""), args: args[:n:n]}
		switch m := rollupTerm.FindStringSubmatch(t); {
		case t == industryTerm:
			c.col = "industry"
		case m != nil:
			c.col = m[1]
		default:
			return nil, false
		}
		out, args = append(out, c), args[n:]
	}
	return out, len(args) == 0
}

// where is the cube's WHERE clause for a filter; ok = false when the
// filter needs a column the cube does not hold.
func (c rollupCube) where(rf rollupFilter) (string, []any, bool) {
	var (
		where []string
		args  []any
	)
	for _, cond := range rf.conds {
		if !slices.Contains(c.cols, cond.col) {
			return "", nil, false
		}
		where, args = append(where, cond.sql), append(args, cond.args...)
	}
	if ind := rf.industry; ind != "" {
		switch {
		case slices.Contains(c.cols, "industry"):
			// The list's own condition, on the same engine: the same matches.
			where = append(where, strings.ReplaceAll(industryTerm, "c.", ""))
			args = append(args, ind, likeEscape(ind)+"-%")
		case slices.Contains(c.cols, "industry_top") && !strings.Contains(ind, "-") && strings.ToLower(ind) == strings.ToUpper(ind):
			// The list matches the industry and its sub-industries, which
			// is its top-level industry when it has no "-" itself. LIKE
			// ignores ASCII case on SQLite, so a value with ASCII letters
			// is left to a cube holding the full industry.
			where, args = append(where, "industry_top = ?"), append(args, ind)
		default:
			return "", nil, false
		}
	}
	if len(where) == 0 {
		return "", nil, true
	}
	return " WHERE " + strings.Join(where, " AND "), args, true
}

// rollupDim is the customer column (or "industry_top") of a pivot
// dimension, "" when it is not a plain column.
func rollupDim(reg *dossier.Registry, d analytics.Dim, dialect string) string {
	if d.Expr != "" {
		return ""
	}
	switch d.Field {
	case analytics.IndustryTop:
		return "industry_top"
	case analytics.LastContactMonth, analytics.LastContactQuarter:
		return "last_contact_month" // migration 042's month, folded by rollupFolds
	case analytics.CreatedMonth:
		return ""
	}
	e, _, _, err := filter.Column(reg, d.Field, dialect)
	if err != nil || !strings.HasPrefix(e, "c.") {
		return ""
	}
	return strings.TrimPrefix(e, "c.")
}

// rollupFolds are the fold functions of the rollup's dimensions: the top
// level of an industry grouped in full, or what a cube's industry_top
// holds already (folding it again changes nothing); the month of last
// contact, which the cube holds as the plain query's fold makes it of a
// date, and its quarter.
func rollupFolds(dims []analytics.Dim) []func(string) string {
	folds := make([]func(string) string, len(dims))
	for i, d := range dims {
		switch d.Field {
		case analytics.IndustryTop:
			folds[i] = analytics.TopIndustry
		case analytics.LastContactMonth:
			folds[i] = analytics.MonthOf // what the plain query's fold makes of a date
		case analytics.LastContactQuarter:
			folds[i] = analytics.QuarterOf
		}
	}
	return folds
}

// rollupPlan is a query as one cube answers it.
type rollupPlan struct {
	cube  rollupCube
	cols  []string // the cube's columns of the dimensions
	where string
	args  []any
}

// rollupPlanFor finds the first cube that holds every dimension (customer
// columns or "industry_top") and the filter's conditions.
func rollupPlanFor(dims []string, rf rollupFilter) (rollupPlan, bool) {
next:
	for _, c := range rollupCubes {
		p := rollupPlan{cube: c}
		for _, d := range dims {
			col := c.column(d)
			if col == "" {
				continue next
			}
			p.cols = append(p.cols, col)
		}
		var ok bool
		if p.where, p.args, ok = c.where(rf); ok {
			return p, true
		}
	}
	return rollupPlan{}, false
}

// rollupAggregate answers an Aggregate query from a rollup; ok = false
// when the query needs what no rollup holds.
func (db *DB) rollupAggregate(ctx context.Context, reg *dossier.Registry, q analytics.Query) ([]rawGroup, bool, error) {
	if db.noRollup {
		return nil, false, nil
	}
	// A filter, dimension or measure in error takes the plain query too,
	// which reports it as it always has.
	rf, ok, err := db.rollupFilterOf(ctx, q.Filter)
	if !ok || err != nil {
		return nil, false, nil
	}
	if len(q.Dims) == 1 && q.Dims[0] == (analytics.Dim{Field: analytics.CreatedMonth}) {
		// Customers per month of creation, of all live customers only.
		if q.Value != "" || len(rf.conds) > 0 || rf.industry != "" {
			return nil, false, nil
		}
		raw, err := db.rollupRows(ctx, "customer_rollup_month", "SELECT month, CAST(SUM(n) AS BIGINT), CAST(0 AS DOUBLE PRECISION), CAST(0 AS BIGINT)"+
			" FROM customer_rollup_month GROUP BY month HAVING SUM(n) <> 0", nil, 1)
		return raw, err == nil, err
	}
	var dims []string
	for _, d := range q.Dims {
		c := rollupDim(reg, d, db.dialect.Name())
		if c == "" {
			return nil, false, nil
		}
		dims = append(dims, c)
	}
	if q.Value != "" {
		v, _, _, err := filter.Column(reg, q.Value, db.dialect.Name())
		if err != nil || v != "c.revenue" {
			return nil, false, nil
		}
	}
	p, ok := rollupPlanFor(dims, rf)
	if !ok {
		return nil, false, nil
	}
	by := strings.Join(p.cols, ", ")
	raw, err := db.rollupRows(ctx, p.cube.table, "SELECT "+by+", CAST(SUM(n) AS BIGINT), CAST(SUM(revenue_sum) AS DOUBLE PRECISION), CAST(SUM(revenue_n) AS BIGINT)"+
		" FROM "+p.cube.table+p.where+" GROUP BY "+by+" HAVING SUM(n) <> 0", p.args, len(p.cols))
	if err != nil {
		return nil, false, err
	}
	if q.Value == "" {
		// As the plain query: no sum or count of values without a measure.
		out := make([]rawGroup, len(raw))
		for i, g := range raw {
			out[i] = rawGroup{keys: g.keys, count: g.count}
		}
		raw = out
	}
	return raw, true, nil
}

// rollupRows runs a grouping query over a rollup table, cached per data
// version like the plain one.
func (db *DB) rollupRows(ctx context.Context, table, query string, args []any, dims int) ([]rawGroup, error) {
	query = db.q(query)
	return cached(ctx, db, cacheKey("rollup", query, args), func(ctx context.Context) ([]rawGroup, error) {
		defer db.maybeCompactRollup(ctx, table)
		return db.aggregateRows(ctx, query, args, dims, true)
	})
}

// rollupCount counts a filter's customers from a rollup; ok = false when
// the filter needs what no rollup holds.
func (db *DB) rollupCount(ctx context.Context, f dossier.CustomerFilter) (int, bool, error) {
	if db.noRollup {
		return 0, false, nil
	}
	rf, ok, err := db.rollupFilterOf(ctx, f)
	if !ok || err != nil {
		return 0, false, nil // the plain count reports the error
	}
	p, ok := rollupPlanFor(nil, rf)
	if !ok {
		return 0, false, nil
	}
	query := db.q("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM " + p.cube.table + p.where)
	n, err := cached(ctx, db, cacheKey("rollup-count", query, p.args), func(ctx context.Context) (int, error) {
		defer db.maybeCompactRollup(ctx, p.cube.table)
		var n int
		if err := db.r.QueryRowContext(ctx, query, p.args...).Scan(&n); err != nil {
			return 0, fmt.Errorf("count customers: %w", err)
		}
		return n, nil
	})
	return n, err == nil, err
}

// rollupState tracks the rollups' sizes to know when to compact them.
type rollupState struct {
	compacting atomic.Bool
	mu         sync.Mutex
	span       map[string]int64 // id span of each table after the last compaction; none yet: 0
}

func (s *rollupState) spanOf(table string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.span[table]
}

func (s *rollupState) setSpan(table string, span int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.span == nil {
		s.span = map[string]int64{}
	}
	s.span[table] = span
}

// rollupSlack is how many delta rows a rollup may gain beyond twice its
// compacted size before it is compacted again.
const rollupSlack = 20000

// maybeCompactRollup compacts the rollups in the background when the delta
// rows of the one just read have grown past its compacted size; readers
// sum whatever rows are there, so compaction only keeps them fast.
func (db *DB) maybeCompactRollup(ctx context.Context, table string) {
	span, ok := rollupSpan(ctx, db.r, table)
	if !ok || span <= 2*db.rollup.spanOf(table)+rollupSlack {
		return
	}
	if !db.rollup.compacting.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer db.rollup.compacting.Store(false)
		_ = db.CompactRollup(context.WithoutCancel(ctx))
	}()
}

// rollupSpan is the id span of a rollup table's rows: how many delta rows
// it has taken since it was last compacted, plus its compacted size.
func rollupSpan(ctx context.Context, pool *sql.DB, table string) (int64, bool) {
	var lo, hi sql.NullInt64
	if err := pool.QueryRowContext(ctx, "SELECT MIN(id), MAX(id) FROM "+table).Scan(&lo, &hi); err != nil || !lo.Valid {
		return 0, false
	}
	return hi.Int64 - lo.Int64 + 1, true
}

// rollupTables are the rollup tables: their grouping columns and their
// summed ones.
var rollupTables = []struct{ name, keys, sums string }{
	{"customer_rollup", "grade, stage, follow_up_priority, province, industry_top", "n, revenue_sum, revenue_n"},
	{"customer_rollup_owner", "owner, team, grade, stage, follow_up_priority", "n, revenue_sum, revenue_n"},
	{"customer_rollup_place", "province, city, industry", "n, revenue_sum, revenue_n"},
	{"customer_rollup_need", "industry, need_type, satisfaction", "n, revenue_sum, revenue_n"},
	{"customer_rollup_territory", "owner, province, city", "n, revenue_sum, revenue_n"},
	{"customer_rollup_outcome", "stage, customer_type, churn_reason, lost_to, won_from", "n, revenue_sum, revenue_n"},
	{"customer_rollup_contact", "last_contact_month, grade, stage", "n, revenue_sum, revenue_n"},
	{"customer_rollup_month", "month", "n"},
	{"interaction_rollup", "month, grade, stage, province, industry", "n"},
	{"interaction_rollup_place", "month, province, city, customer_type", "n"},
	{"need_rollup", "month, type, grade, stage, industry", "n"},
	{"need_rollup_place", "month, type, province, city, customer_type", "n"},
}

// CompactRollup replaces the rows of each rollup table by one per
// combination. On PostgreSQL it is one statement per table, which deletes
// exactly the rows it sums (rows that writers add meanwhile stay as they
// are); on SQLite the single writer makes the two statements atomic.
func (db *DB) CompactRollup(ctx context.Context) error {
	for _, t := range rollupTables {
		if err := db.compactRollupTable(ctx, t.name, t.keys, t.sums); err != nil {
			return fmt.Errorf("compact %s: %w", t.name, err)
		}
		if span, ok := rollupSpan(ctx, db.w, t.name); ok {
			db.rollup.setSpan(t.name, span)
		}
	}
	return nil
}

func (db *DB) compactRollupTable(ctx context.Context, table, keys, sums string) error {
	var hi sql.NullInt64
	if err := db.w.QueryRowContext(ctx, "SELECT MAX(id) FROM "+table).Scan(&hi); err != nil || !hi.Valid {
		return err
	}
	var sel, nonzero []string
	for _, c := range strings.Split(sums, ", ") {
		sel = append(sel, "SUM("+c+")")
		nonzero = append(nonzero, "SUM("+c+") <> 0")
	}
	sum := " SELECT " + keys + ", " + strings.Join(sel, ", ") + " FROM %s GROUP BY " + keys + " HAVING " + strings.Join(nonzero, " OR ")
	insert := "INSERT INTO " + table + " (" + keys + ", " + sums + ")"
	return db.inTx(ctx, func(tx *Tx) error {
		if db.dialect.Name() == filter.SQLite {
			if _, err := tx.exec(ctx, insert+fmt.Sprintf(sum, table+" WHERE id <= ?"), hi.Int64); err != nil {
				return err
			}
			_, err := tx.exec(ctx, "DELETE FROM "+table+" WHERE id <= ?", hi.Int64)
			return err
		}
		_, err := tx.exec(ctx, "WITH d AS (DELETE FROM "+table+" WHERE id <= ? RETURNING "+keys+", "+sums+") "+
			insert+fmt.Sprintf(sum, "d"), hi.Int64)
		return err
	})
}
