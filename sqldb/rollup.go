package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/filter"
)

// The customer rollup (migration 023) holds the live customers' counts and
// revenue sums per grade, stage, follow-up priority, province and top-level
// industry, kept by triggers in each writing transaction as delta rows. A
// pivot or list total whose dimensions, measure and filter it covers is
// answered from it: a few thousand rows instead of a scan of every live
// customer, which the result cache had to pay again after each write. The
// answer is the same as the plain query's (TestRollupEqualsPlainSQL);
// everything else takes the plain query.

// rollupColumns maps the customer columns the rollup groups by to its own.
var rollupColumns = map[string]string{
	"c.grade":              "grade",
	"c.stage":              "stage",
	"c.follow_up_priority": "follow_up_priority",
	"c.province":           "province",
}

// rollupTerm is one condition of a compiled segment filter that the rollup
// can evaluate: equality with, or membership in, values of one column.
var rollupTerm = regexp.MustCompile(`^c\.(grade|stage|follow_up_priority|province) (= \?|IN \(\?(, \?)*\))$`)

// rollupWhere is the rollup's WHERE clause for a customer filter, or
// ok = false when the filter needs a column the rollup does not hold.
func (db *DB) rollupWhere(ctx context.Context, f dossier.CustomerFilter) (string, []any, bool, error) {
	if f.City != "" || f.Owner != "" || f.SharedTeam != "" || f.Team != "" || strings.TrimSpace(f.Query) != "" {
		return "", nil, false, nil
	}
	var (
		where []string
		args  []any
	)
	if strings.TrimSpace(f.Expr) != "" {
		reg, err := db.Registry(ctx)
		if err != nil {
			return "", nil, false, err
		}
		e, err := filter.Parse(f.Expr, reg)
		if err != nil {
			return "", nil, false, err
		}
		w, a := e.Where(db.dialect.Name())
		if w != "" {
			terms, ok := rollupTerms(w)
			if !ok {
				return "", nil, false, nil
			}
			where, args = terms, a
		}
	}
	for _, eq := range []struct{ col, v string }{
		{"province", f.Province}, {"stage", f.Stage}, {"grade", f.Grade}, {"follow_up_priority", f.Priority},
	} {
		if eq.v != "" {
			where, args = append(where, eq.col+" = ?"), append(args, eq.v)
		}
	}
	if f.Industry != "" {
		// The list matches the industry and its sub-industries ("制造业"
		// and "制造业-…"), which is its top-level industry when it has no
		// "-" itself. LIKE ignores ASCII case on SQLite, so a value with
		// ASCII letters takes the plain query.
		if strings.Contains(f.Industry, "-") || strings.ToLower(f.Industry) != strings.ToUpper(f.Industry) {
			return "", nil, false, nil
		}
		where, args = append(where, "industry_top = ?"), append(args, f.Industry)
	}
	if len(where) == 0 {
		return "", nil, true, nil
	}
	return " WHERE " + strings.Join(where, " AND "), args, true, nil
}

// rollupTerms rewrites a compiled filter that is a conjunction of
// rollupTerm conditions for the rollup table.
func rollupTerms(w string) ([]string, bool) {
	if strings.HasPrefix(w, "(") && strings.HasSuffix(w, ")") {
		w = w[1 : len(w)-1]
	}
	var out []string
	for _, t := range strings.Split(w, " AND ") {
		if !rollupTerm.MatchString(t) {
			return nil, false
		}
		out = append(out, strings.TrimPrefix(t, "c."))
	}
	return out, true
}

// rollupDim is the rollup column of a pivot dimension, "" when it has none.
func rollupDim(reg *dossier.Registry, d analytics.Dim, dialect string) string {
	if d.Expr != "" {
		return ""
	}
	if d.Field == analytics.IndustryTop {
		return "industry_top"
	}
	switch d.Field {
	case analytics.LastContactMonth, analytics.LastContactQuarter, analytics.CreatedMonth:
		return ""
	}
	e, _, _, err := filter.Column(reg, d.Field, dialect)
	if err != nil {
		return ""
	}
	return rollupColumns[e]
}

// rollupFolds are the fold functions of the rollup's dimensions: its
// top-level industry is what analytics.TopIndustry gives already, and
// folding it again changes nothing.
func rollupFolds(dims []analytics.Dim) []func(string) string {
	folds := make([]func(string) string, len(dims))
	for i, d := range dims {
		if d.Field == analytics.IndustryTop {
			folds[i] = analytics.TopIndustry
		}
	}
	return folds
}

// rollupAggregate answers an Aggregate query from the rollup; ok = false
// when the query needs what the rollup does not hold.
func (db *DB) rollupAggregate(ctx context.Context, reg *dossier.Registry, q analytics.Query) ([]rawGroup, bool, error) {
	if db.noRollup {
		return nil, false, nil
	}
	// A filter, dimension or measure in error takes the plain query too,
	// which reports it as it always has.
	where, args, ok, err := db.rollupWhere(ctx, q.Filter)
	if !ok || err != nil {
		return nil, false, nil
	}
	if len(q.Dims) == 1 && q.Dims[0] == (analytics.Dim{Field: analytics.CreatedMonth}) {
		// Customers per month of creation, of all live customers only.
		if q.Value != "" || where != "" {
			return nil, false, nil
		}
		raw, err := db.rollupRows(ctx, "SELECT month, CAST(SUM(n) AS BIGINT), CAST(0 AS DOUBLE PRECISION), CAST(0 AS BIGINT)"+
			" FROM customer_rollup_month GROUP BY month HAVING SUM(n) <> 0", nil, 1)
		return raw, err == nil, err
	}
	var cols []string
	for _, d := range q.Dims {
		c := rollupDim(reg, d, db.dialect.Name())
		if c == "" {
			return nil, false, nil
		}
		cols = append(cols, c)
	}
	if q.Value != "" {
		v, _, _, err := filter.Column(reg, q.Value, db.dialect.Name())
		if err != nil || v != "c.revenue" {
			return nil, false, nil
		}
	}
	by := strings.Join(cols, ", ")
	raw, err := db.rollupRows(ctx, "SELECT "+by+", CAST(SUM(n) AS BIGINT), CAST(SUM(revenue_sum) AS DOUBLE PRECISION), CAST(SUM(revenue_n) AS BIGINT)"+
		" FROM customer_rollup"+where+" GROUP BY "+by+" HAVING SUM(n) <> 0", args, len(cols))
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
func (db *DB) rollupRows(ctx context.Context, query string, args []any, dims int) ([]rawGroup, error) {
	query = db.q(query)
	return cached(ctx, db, cacheKey("rollup", query, args), func(ctx context.Context) ([]rawGroup, error) {
		defer db.maybeCompactRollup(ctx)
		return db.aggregateRows(ctx, query, args, dims, true)
	})
}

// rollupCount counts a filter's customers from the rollup; ok = false when
// the filter needs what the rollup does not hold.
func (db *DB) rollupCount(ctx context.Context, f dossier.CustomerFilter) (int, bool, error) {
	if db.noRollup {
		return 0, false, nil
	}
	where, args, ok, err := db.rollupWhere(ctx, f)
	if !ok || err != nil {
		return 0, false, nil // the plain count reports the error
	}
	query := db.q("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM customer_rollup" + where)
	n, err := cached(ctx, db, cacheKey("rollup-count", query, args), func(ctx context.Context) (int, error) {
		defer db.maybeCompactRollup(ctx)
		var n int
		if err := db.r.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
			return 0, fmt.Errorf("count customers: %w", err)
		}
		return n, nil
	})
	return n, err == nil, err
}

// rollupState tracks the rollup's size to know when to compact it.
type rollupState struct {
	compacting atomic.Bool
	span       atomic.Int64 // id span of the rollup after the last compaction; 0: none yet
}

// rollupSlack is how many delta rows the rollup may gain beyond twice its
// compacted size before it is compacted again.
const rollupSlack = 20000

// maybeCompactRollup compacts the rollup in the background when its delta
// rows have grown past its compacted size; readers sum whatever rows are
// there, so compaction only keeps them fast.
func (db *DB) maybeCompactRollup(ctx context.Context) {
	var lo, hi sql.NullInt64
	if err := db.r.QueryRowContext(ctx, "SELECT MIN(id), MAX(id) FROM customer_rollup").Scan(&lo, &hi); err != nil || !lo.Valid {
		return
	}
	span := hi.Int64 - lo.Int64 + 1
	if base := db.rollup.span.Load(); span <= 2*base+rollupSlack {
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

// rollupTables are the rollup tables: their grouping columns and their
// summed ones.
var rollupTables = []struct{ name, keys, sums string }{
	{"customer_rollup", "grade, stage, follow_up_priority, province, industry_top", "n, revenue_sum, revenue_n"},
	{"customer_rollup_month", "month", "n"},
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
	}
	var lo, hi sql.NullInt64
	if err := db.w.QueryRowContext(ctx, "SELECT MIN(id), MAX(id) FROM customer_rollup").Scan(&lo, &hi); err == nil && lo.Valid {
		db.rollup.span.Store(hi.Int64 - lo.Int64 + 1)
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
