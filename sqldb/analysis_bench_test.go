package sqldb_test

import (
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/demo"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// BenchmarkRecomputeAll scores and analyses DOSSIER_BENCH_CUSTOMERS demo
// customers (default 10,000) on SQLite per iteration, after one warm-up
// run that creates the tasks, tags and risks, beside the score alone as the
// reference. For the figures in BENCHMARKS.md:
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
	e := defaultEngine(b).Terse()
	if _, err := db.RecomputeAll(ctx, asOf, dossier.DefaultScoreSettings(), e, nil); err != nil {
		b.Fatal(err)
	}
	// The reference: the R14 score alone, as dossier score computed it before
	// the analysis existed.
	b.Run("scores-only", func(b *testing.B) {
		measure(b, func() (int, error) { return db.RecomputeScores(ctx, asOf, dossier.DefaultScoreSettings(), nil) })
	})
	b.Run("all", func(b *testing.B) {
		measure(b, func() (int, error) { return db.RecomputeAll(ctx, asOf, dossier.DefaultScoreSettings(), e, nil) })
	})
	// The next day: the nightly cost. Only the scores, summaries and
	// records whose values moved with the date are rewritten.
	day := 0
	b.Run("all-next-day", func(b *testing.B) {
		measure(b, func() (int, error) {
			day++
			return db.RecomputeAll(ctx, asOf.AddDate(0, 0, day), dossier.DefaultScoreSettings(), e, nil)
		})
	})
}

func measure(b *testing.B, run func() (int, error)) {
	cpu0 := cpuTime()
	total := 0
	for b.Loop() {
		n, err := run()
		if err != nil {
			b.Fatal(err)
		}
		total += n
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "customers/s")
	// On a shared machine wall time says little; the process's CPU time per
	// customer (user + system, all goroutines) is the figure that scales.
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(total), "cpu-µs/customer")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
