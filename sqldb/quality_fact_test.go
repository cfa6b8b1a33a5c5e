package sqldb_test

import (
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/demo"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// TestPriorityFactsKeepQualityExact follows recomputes whose follow-up
// priorities change, recorded as facts that refresh a customer's quality
// rows only where the priority can matter (touchForFact): after each, the
// quality tables must equal the full scans. (follow_up_priority is a
// built-in field, neither required nor a key fact, and cannot be edited.)
func TestPriorityFactsKeepQualityExact(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		cfg := demo.Config{Customers: 300, Seed: 5, AsOf: start}
		loadDemo(t, db, cfg)
		changed := 0
		recompute := func(step string, months int) {
			t.Helper()
			before := priorities(t, db)
			if _, err := db.RecomputeScores(ctx, start.AddDate(0, months, 0), dossier.DefaultScoreSettings(), nil); err != nil {
				t.Fatal(err)
			}
			after := priorities(t, db)
			n := 0
			for id, p := range after {
				if before[id] != p {
					n++
				}
			}
			if n == 0 && months > 0 {
				t.Fatalf("%s: no priority changed: the step proves nothing", step)
			}
			changed += n
			sameLists(t, db, step)
		}
		recompute("first scores", 0)
		recompute("a year later", 12)

		recompute("back a year", 0)
		recompute("two years on", 24)
		// A full analysis much later returns overdue customers to the
		// public pool: their owner is cleared by an internal fact too.
		owners := func() (n int) {
			for _, c := range ownersOf(t, db) {
				if c != "" {
					n++
				}
			}
			return n
		}
		an := defaultEngine(t).Terse()
		if _, err := db.RecomputeAll(ctx, start.AddDate(0, 24, 0), dossier.DefaultScoreSettings(), an, nil); err != nil {
			t.Fatal(err) // follow-up tasks, due within a month
		}
		sameLists(t, db, "analysed")
		had := owners()
		if _, err := db.RecomputeAll(ctx, start.AddDate(0, 30, 0), dossier.DefaultScoreSettings(), an, nil); err != nil {
			t.Fatal(err)
		}
		if owners() >= had {
			t.Fatalf("no customer returned to the pool (%d owned before and after): the step proves nothing", had)
		}
		sameLists(t, db, "returned to the pool")
		if changed == 0 {
			t.Fatal("no priority changed at all")
		}
	})
}

// priorities maps each live customer to its follow-up priority.
func priorities(t *testing.T, db *sqldb.DB) map[int64]string {
	return liveColumn(t, db, "follow_up_priority")
}

// ownersOf maps each live customer to its owner.
func ownersOf(t *testing.T, db *sqldb.DB) map[int64]string {
	return liveColumn(t, db, "owner")
}

// liveColumn maps each live customer to a text column (a constant name).
func liveColumn(t *testing.T, db *sqldb.DB, col string) map[int64]string {
	t.Helper()
	rows, err := rawPool(db).QueryContext(ctx, "SELECT id, COALESCE("+col+", '') FROM customers WHERE hidden = 0 AND merged_into IS NULL")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var (
			id int64
			p  string
		)
		if err := rows.Scan(&id, &p); err != nil {
			t.Fatal(err)
		}
		out[id] = p
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
