package sqldb_test

import (
	"database/sql"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/postgres"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqlite"
)

// BenchmarkAfterWrite is the first pivot, list total or management view
// after a write: each operation bumps the data version first (as any write
// to customers does), so the result cache cannot answer. "rollup" answers
// from the customer rollup where it covers the query, "plain" scans the
// customers as before migration 023. The store of DOSSIER_BENCH_DB is
// written to (its data version); use a copy.
//
//	DOSSIER_BENCH_DB=/tmp/copy-1m.db go test ./sqldb -run '^$' -bench AfterWrite -benchtime 5x -count 3
func BenchmarkAfterWrite(b *testing.B) {
	path := os.Getenv("DOSSIER_BENCH_DB")
	if path == "" {
		b.Skip("DOSSIER_BENCH_DB is not set")
	}
	open := sqlite.Open
	if strings.HasPrefix(path, "postgres://") {
		open = postgres.Open
	}
	pivots := map[string]analytics.PivotRequest{
		"pivot-grade-stage":          {Rows: analytics.Dim{Field: "grade"}, Cols: analytics.Dim{Field: "stage"}, Measure: analytics.Measure{Kind: "count"}},
		"pivot-industry-avg-revenue": {Rows: analytics.Dim{Field: analytics.IndustryTop}, Measure: analytics.Measure{Kind: "avg", Field: "revenue"}},
		"pivot-province-filtered":    {Rows: analytics.Dim{Field: "province"}, Measure: analytics.Measure{Kind: "count"}, Filter: dossier.CustomerFilter{Expr: "grade = 重点"}},
		// migration 028's sales and market views
		"pivot-owner-stage":               {Rows: analytics.Dim{Field: "owner"}, Cols: analytics.Dim{Field: "stage"}, Measure: analytics.Measure{Kind: "count"}},
		"pivot-city":                      {Rows: analytics.Dim{Field: "city"}, Measure: analytics.Measure{Kind: "count"}},
		"pivot-full-industry-avg-revenue": {Rows: analytics.Dim{Field: "industry"}, Measure: analytics.Measure{Kind: "avg", Field: "revenue"}},
		// migration 041's outcomes
		"pivot-customer-type": {Rows: analytics.Dim{Field: "customer_type"}, Measure: analytics.Measure{Kind: "count"}},
		"pivot-lost-to":       {Rows: analytics.Dim{Field: "lost_to"}, Measure: analytics.Measure{Kind: "count"}},
		// migration 042's month of last contact
		"pivot-last-contact-month": {Rows: analytics.Dim{Field: analytics.LastContactMonth}, Measure: analytics.Measure{Kind: "count"}},
		// rollups of migrations 034 and 036 answer the next three; no
		// rollup holds owner × industry
		"pivot-owner-city":        {Rows: analytics.Dim{Field: "owner"}, Cols: analytics.Dim{Field: "city"}, Measure: analytics.Measure{Kind: "count"}},
		"pivot-needs-by-industry": {Rows: analytics.Dim{Field: analytics.IndustryTop}, Cols: analytics.Dim{Field: "need_type"}, Measure: analytics.Measure{Kind: "count"}},
		"pivot-satisfaction":      {Rows: analytics.Dim{Field: "satisfaction"}, Measure: analytics.Measure{Kind: "avg", Field: "revenue"}}, // not in the analysis index
		"pivot-owner-industry":    {Rows: analytics.Dim{Field: "owner"}, Cols: analytics.Dim{Field: "industry"}, Measure: analytics.Measure{Kind: "count"}},
	}
	totals := map[string]dossier.CustomerFilter{
		"total-all":          {},
		"total-grade":        {Grade: "key"},
		"total-industry":     {Industry: "制造业"},
		"total-city":         {City: "上海市"},
		"total-sub-industry": {Industry: "制造业-汽车零部件"},
	}
	for _, mode := range []string{"rollup", "plain"} {
		db, err := open(ctx, path, sqldb.Options{NoRollup: mode == "plain"})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		if mode == "rollup" {
			if err := db.CompactRollup(ctx); err != nil {
				b.Fatal(err)
			}
		}
		write := rawPool(db)
		run := func(name string, op func() error) {
			b.Run(mode+"/"+name, func(b *testing.B) { eachAfterWrite(b, write, op) })
		}
		for name, req := range pivots {
			run(name, func() error { _, err := analytics.Pivot(ctx, db, req); return err })
		}
		for name, f := range totals {
			f.Limit = 50
			run(name, func() error { _, _, err := db.FindCustomers(ctx, f); return err })
		}
		run("churn", func() error { _, err := analytics.Churn(ctx, db, dossier.CustomerFilter{}); return err })
		run("winloss", func() error { _, err := analytics.WinLoss(ctx, db, dossier.CustomerFilter{}); return err })
		run("overview", func() error { _, err := analytics.Summarize(ctx, db, dossier.CustomerFilter{}, "zh"); return err })
	}
}

// eachAfterWrite runs op b.N times, each right after a write to customers
// (a bump of the data version, outside the timer), so that the result
// cache cannot answer, and reports op's CPU time per operation.
func eachAfterWrite(b *testing.B, write *sql.DB, op func() error) {
	var cpu time.Duration
	for b.Loop() {
		b.StopTimer()
		if _, err := write.ExecContext(ctx, "UPDATE data_version SET customers = customers + 1 WHERE id = 1"); err != nil {
			b.Fatal(err)
		}
		start := cpuTime()
		b.StartTimer()
		if err := op(); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - start
	}
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
}
