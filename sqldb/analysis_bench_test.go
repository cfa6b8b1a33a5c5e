package sqldb_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/demo"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// BenchmarkRecomputeAll scores and analyses DOSSIER_BENCH_CUSTOMERS demo
// customers (default 10,000) on SQLite per iteration, after one warm-up
// run that creates the tasks, tags and risks (the steady state is what a
// nightly run costs). For the figures in BENCHMARKS.md:
//
//	DOSSIER_BENCH_CUSTOMERS=100000 go test -run '^$' -bench RecomputeAll -benchtime 3x ./sqldb
func BenchmarkRecomputeAll(b *testing.B) {
	n := 10_000
	if v, err := strconv.Atoi(os.Getenv("DOSSIER_BENCH_CUSTOMERS")); err == nil && v > 0 {
		n = v
	}
	db := dbtest.SQLite(b, dbtest.Options())
	asOf := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	err := demo.Generate(ctx, demo.Config{Customers: n, Seed: 1, AsOf: asOf}, db.Policy(), func(batch []dossier.BulkCustomer) error {
		return db.LoadCustomers(ctx, batch)
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := db.FinishLoad(ctx); err != nil {
		b.Fatal(err)
	}
	e := defaultEngine(b)
	if _, err := db.RecomputeAll(ctx, asOf, dossier.DefaultScoreSettings(), e, nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	var total int
	for b.Loop() {
		got, err := db.RecomputeAll(ctx, asOf, dossier.DefaultScoreSettings(), e, nil)
		if err != nil {
			b.Fatal(err)
		}
		total += got
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "customers/s")
}
