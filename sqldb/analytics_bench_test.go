package sqldb_test

import (
	"os"
	"strings"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/postgres"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqlite"
)

// benchDB opens the store named by DOSSIER_BENCH_DB (a SQLite file or a
// postgres:// URL filled by `dossier demo --customers 1000000`); see
// bench/analytics.sh.
func benchDB(b *testing.B) *sqldb.DB {
	path := os.Getenv("DOSSIER_BENCH_DB")
	if path == "" {
		b.Skip("DOSSIER_BENCH_DB is not set; see bench/analytics.sh")
	}
	open := sqlite.Open
	if strings.HasPrefix(path, "postgres://") {
		open = postgres.Open
	}
	db, err := open(ctx, path, sqldb.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// segmentExprs are the examples of segment filters.
var segmentExprs = map[string]string{
	"grade-need":    "grade = 重点 AND need_match >= 4",
	"industry-not":  "industry IN (制造业, 零售) AND NOT stage = 流失",
	"revenue":       "revenue >= 1亿",
	"name-contains": "name ~ 科技",
	"last-contact":  "last_contact_date < 2026-01-01",
	"priority":      "priority = high AND total >= 60",
}

// BenchmarkSegmentFilter is a list page of a segment: the count and the
// first 50 customers, each right after a write (so not from the result
// cache, which would answer every repeat in a millisecond). The store of
// DOSSIER_BENCH_DB is written to (its data version): use a copy.
func BenchmarkSegmentFilter(b *testing.B) {
	db := benchDB(b)
	write := rawPool(db)
	for name, expr := range segmentExprs {
		b.Run(name, func(b *testing.B) {
			eachAfterWrite(b, write, func() error {
				_, _, err := db.FindCustomers(ctx, dossier.CustomerFilter{Expr: expr, Limit: 50})
				return err
			})
		})
	}
}

// BenchmarkPivot groups every customer by two fields.
func BenchmarkPivot(b *testing.B) {
	db := benchDB(b)
	for name, req := range map[string]analytics.PivotRequest{
		"grade-stage":          {Rows: analytics.Dim{Field: "grade"}, Cols: analytics.Dim{Field: "stage"}, Measure: analytics.Measure{Kind: "count"}},
		"industry-avg-revenue": {Rows: analytics.Dim{Field: analytics.IndustryTop}, Measure: analytics.Measure{Kind: "avg", Field: "revenue"}},
		"province-filtered":    {Rows: analytics.Dim{Field: "province"}, Measure: analytics.Measure{Kind: "count"}, Filter: dossier.CustomerFilter{Expr: "grade = 重点"}},
	} {
		b.Run(name, func(b *testing.B) {
			defer cpuPerOp(b)()
			for b.Loop() {
				if _, err := analytics.Pivot(ctx, db, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// cpuPerOp reports the process's CPU time (user + system) per operation
// beside the wall time: on a shared, loaded machine the wall time mostly
// measures waiting for a core.
func cpuPerOp(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
		}
	}
}

// trendBenches are the benchmark's trends: all interactions per month
// (about 24 months), in total and per channel; by customer fields that no
// interaction rollup holds and of a segment (each customer's months,
// migration 039); by channel of a segment; and needs by owner.
var trendBenches = map[string]analytics.TrendQuery{
	"total":             {Source: analytics.SourceInteractions},
	"by-channel":        {Source: analytics.SourceInteractions, By: "channel"},
	"by-owner":          {Source: analytics.SourceInteractions, By: "owner"},
	"by-team":           {Source: analytics.SourceInteractions, By: "team"},
	"by-satisfaction":   {Source: analytics.SourceInteractions, By: "satisfaction"},
	"segment":           {Source: analytics.SourceInteractions, Filter: dossier.CustomerFilter{Expr: "grade = 重点 AND need_match >= 4"}},
	"by-owner-filtered": {Source: analytics.SourceInteractions, By: "owner", Filter: dossier.CustomerFilter{Expr: "industry IN (制造业, 零售) AND NOT stage = 流失"}},
	"needs-by-owner":    {Source: analytics.SourceNeeds, By: "owner"},
	"channel-segment":   {Source: analytics.SourceInteractions, By: "channel", Filter: dossier.CustomerFilter{Expr: "grade = 重点 AND need_match >= 4"}},
	"channel-key":       {Source: analytics.SourceInteractions, By: "channel", Filter: dossier.CustomerFilter{Expr: "grade = 重点"}},
}

// BenchmarkTrend computes each of trendBenches, monthly.
func BenchmarkTrend(b *testing.B) {
	db := benchDB(b)
	for name, q := range trendBenches {
		b.Run(name, func(b *testing.B) {
			q.Period = analytics.PeriodMonth
			defer cpuPerOp(b)()
			for b.Loop() {
				if _, err := analytics.Trend(ctx, db, analytics.TrendRequest{Query: q}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
