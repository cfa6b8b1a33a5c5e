package sqldb_test

import (
	"testing"

	"github.com/dossier/dossier"
)

// BenchmarkSnapshotTake takes a snapshot of every customer of the store
// named by DOSSIER_BENCH_DB, which it writes to: use a copy (bench/snapshot.sh).
// The reference, in the same run, is the same rows copied by one
// CREATE TABLE … AS SELECT with no batches, no header and no index: the
// floor of what the engine can do.
func BenchmarkSnapshotTake(b *testing.B) {
	db := benchDB(b)
	b.Run("snapshot", func(b *testing.B) {
		start := cpuTime()
		defer func() { b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op") }()
		for b.Loop() {
			s := &dossier.Snapshot{Label: "bench"}
			if err := db.TakeSnapshot(ctx, s); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(s.Customers), "customers")
		}
	})
	b.Run("reference-create-as-select", func(b *testing.B) {
		start := cpuTime()
		defer func() { b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op") }()
		for b.Loop() {
			_ = db.ExecForTest(ctx, `DROP TABLE IF EXISTS bench_snapshot_ref`)
			if err := db.ExecForTest(ctx, `CREATE TABLE bench_snapshot_ref AS SELECT c.id, COALESCE(c.score, 0) AS score,
				COALESCE(c.follow_up_priority, '') AS priority, COALESCE(a.tier, '') AS tier, COALESCE(c.grade, '') AS grade,
				COALESCE(a.value, '') AS value, COALESCE(c.stage, '') AS stage
				FROM customers c LEFT JOIN analyses a ON a.customer_id = c.id WHERE c.hidden = 0 AND c.merged_into IS NULL`); err != nil {
				b.Fatal(err)
			}
		}
		_ = db.ExecForTest(ctx, `DROP TABLE IF EXISTS bench_snapshot_ref`)
	})
}

// BenchmarkSnapshotCompare compares the latest snapshot with now: every
// customer, and a segment.
func BenchmarkSnapshotCompare(b *testing.B) {
	db := benchDB(b)
	ss, err := db.Snapshots(ctx, -1)
	if err != nil || len(ss) == 0 {
		b.Skip("no snapshot in the store: run BenchmarkSnapshotTake first")
	}
	now := &dossier.Snapshot{}
	for name, expr := range map[string]string{"all": "", "segment": "grade = 重点 AND need_match >= 4"} {
		b.Run(name, func(b *testing.B) {
			start := cpuTime()
			defer func() { b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op") }()
			for b.Loop() {
				if _, err := db.CompareSnapshots(ctx, &ss[0], now, dossier.CustomerFilter{Expr: expr}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
