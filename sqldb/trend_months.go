package sqldb

import (
	"context"
	"database/sql"

	"github.com/dossier/dossier/analytics"
)

// A trend of interactions (or needs) by a customer field that no rollup
// holds (an owner, a team, a custom field, a number), or of the customers
// a filter the rollups do not cover picks, joined every record to its
// customer: 10,000,000 records read through a million seeks, 21 s on
// SQLite. interaction_months (migration 039) holds each customer's live
// records per month, about five rows a customer, so the same trend is a
// pivot of the customers joined to their months: months × the field,
// summing the counts, grouped as any pivot is (a table of groups where
// SQLite would sort, all customers less the gone ones on PostgreSQL).
// need_months (migration 040) does the same for needs, with their type.

// trendOfCustomers answers, as a pivot of the customers, a trend the
// rollups do not: from the months tables by a customer field, or of a
// segment in one series or by a need's type; from the records' join by an
// interaction's channel or feedback of a segment. by is the series' SQL
// over c (for a customer field, join); ok = false leaves the trend to the
// plain query: no filter beyond the live customers, or a store without
// rollups (the tests' plain reference).
func (db *DB) trendOfCustomers(ctx context.Context, q analytics.TrendQuery, by string, join bool, where string, args []any,
	period func(string) string) ([]analytics.TrendGroup, bool, error) {
	plain := plainFilter(q.Filter)
	var (
		raw []rawGroup
		err error
	)
	switch {
	case db.noRollup:
		return nil, false, nil
	case join:
		raw, err = db.trendMonths(ctx, q.Source, by, where, args, plain)
	case plain:
		return nil, false, nil
	case q.By == "":
		raw, err = db.trendMonths(ctx, q.Source, "", where, args, false)
	case q.Source != analytics.SourceInteractions: // a need's type
		raw, err = db.trendMonths(ctx, q.Source, "m.type", where, args, false)
	default: // an interaction's channel or feedback
		raw, err = db.trendRecords(ctx, by, where, args)
		return countedGroups(raw, period, false), err == nil, err
	}
	return countedGroups(raw, period, true), err == nil, err
}

// trendMonths counts the matching customers' interactions (or needs, for
// any source but interactions, as Trend reads it) per month from their
// months table: by is the series' SQL expression over c, or m.type for a
// need's type ("" for one series), where and args the customers' filter.
// plain says the filter keeps every live customer.
func (db *DB) trendMonths(ctx context.Context, source, by, where string, args []any, plain bool) ([]rawGroup, error) {
	table := "need_months"
	if source == analytics.SourceInteractions {
		table = "interaction_months"
	}
	g := groupQuery{from: "customers c JOIN " + table + " m ON m.customer_id = c.id",
		keys: []string{"m.month"}, value: "m.n", where: where, args: args}
	if by != "" {
		g.keys = append(g.keys, by)
	}
	return db.trendGroups(ctx, g, plain)
}

// trendRecords counts the records of the customers a filter picks per
// month and per one of the records' own series, expr (an interaction's
// channel or feedback), which the months tables do not hold: the join of
// every matching customer's records, grouped as trendMonths groups.
func (db *DB) trendRecords(ctx context.Context, expr, where string, args []any) ([]rawGroup, error) {
	g := groupQuery{from: "customers c JOIN interactions x ON x.customer_id = c.id",
		keys: []string{"substr(x.date, 1, 7)", expr}, where: where + " AND " + liveImport("x"), args: args}
	return db.trendGroups(ctx, g, false)
}

// trendGroups runs a trend's grouping: into a table of groups where
// SQLite would sort, and on SQLite in two halves of the customers' ids at
// once, each on a read connection and a core of its own (1,000,000
// customers by owner: 3.2 s of CPU whole, 1.6 s a half). A filter is
// split too: it only narrows each half.
func (db *DB) trendGroups(ctx context.Context, g groupQuery, plain bool) ([]rawGroup, error) {
	hash, err := db.sortsGroups(ctx, g)
	if err != nil {
		return nil, err
	}
	g.hash = hash
	halves, err := db.halves(ctx, false)
	if err != nil {
		return nil, err
	}
	if halves[0] != nil {
		if raw, ok, err := db.aggregateHalves(ctx, g, halves); err != nil || ok {
			return raw, err
		}
	}
	return db.aggregateWhole(ctx, g, plain)
}

// countedGroups turns trendMonths' or trendRecords' groups into a
// trend's: the records summed (the months' counts) or counted.
func countedGroups(raw []rawGroup, period func(string) string, summed bool) []analytics.TrendGroup {
	var fold trendFold
	for _, r := range raw {
		n := r.count
		if summed {
			n = int64(r.sum.Float64)
		}
		var key sql.NullString
		if len(r.keys) > 1 {
			key = r.keys[1]
		}
		fold.add(period(r.keys[0].String), key, n)
	}
	return fold.out
}

// trendFold adds up a trend's groups per period (a day or month already
// rolled up to its month or quarter) and series.
type trendFold struct {
	out []analytics.TrendGroup
	at  map[[2]string]int
}

// add counts n records for period p ("" for none: left out) and key k.
func (f *trendFold) add(p string, k sql.NullString, n int64) {
	if p == "" || n == 0 {
		return
	}
	id := [2]string{p, canonicalKey(k)}
	if i, ok := f.at[id]; ok {
		f.out[i].Count += n
		return
	}
	if f.at == nil {
		f.at = map[[2]string]int{}
	}
	f.at[id] = len(f.out)
	f.out = append(f.out, analytics.TrendGroup{Period: id[0], Key: id[1], Count: n})
}
