package sqldb_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/demo"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// TestPoolReturnWithNewScore: a recompute that returns customers to the
// public pool clears their owner, counts the change in their version and
// frees their open tasks, both for customers whose score changes in the
// same run (one update writes score and owner) and for those whose score
// does not.
func TestPoolReturnWithNewScore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		cfg := demo.Config{Customers: 300, Seed: 5, AsOf: start}
		loadDemo(t, db, cfg)
		an := defaultEngine(t).Terse()
		if _, err := db.RecomputeAll(ctx, start, dossier.DefaultScoreSettings(), an, nil); err != nil {
			t.Fatal(err)
		}
		var lastAudit int64
		if err := rawPool(db).QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM audit_log").Scan(&lastAudit); err != nil {
			t.Fatal(err)
		}
		owner, version, score := ownersOf(t, db), liveColumn(t, db, "CAST(version AS TEXT)"), liveColumn(t, db, "CAST(score AS TEXT)")
		if _, err := db.RecomputeAll(ctx, start.AddDate(0, 1, 0), dossier.DefaultScoreSettings(), an, nil); err != nil {
			t.Fatal(err)
		}
		pooled := map[int64]bool{}
		rows, err := rawPool(db).QueryContext(ctx, "SELECT entity_id FROM audit_log WHERE action = 'customer.pool' AND id > "+strconv.FormatInt(lastAudit, 10))
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			pooled[id] = true
		}
		rows.Close()
		owner2, version2, score2 := ownersOf(t, db), liveColumn(t, db, "CAST(version AS TEXT)"), liveColumn(t, db, "CAST(score AS TEXT)")
		newScore, sameScore := 0, 0
		for id := range owner {
			lost := owner[id] != "" && owner2[id] == ""
			if lost != pooled[id] {
				t.Errorf("customer %d: owner %q -> %q, pool audit entry %v", id, owner[id], owner2[id], pooled[id])
			}
			if !pooled[id] {
				continue
			}
			if v, _ := strconv.Atoi(version[id]); version2[id] != strconv.Itoa(v+1) {
				t.Errorf("customer %d returned to the pool: version %s -> %s, want one more", id, version[id], version2[id])
			}
			if score[id] != score2[id] {
				newScore++
			} else {
				sameScore++
			}
		}
		t.Logf("returned to the pool: %d with a new score, %d with the same", newScore, sameScore)
		if newScore == 0 || sameScore == 0 {
			t.Fatalf("returned to the pool: %d with a new score, %d with the same: the test needs both", newScore, sameScore)
		}
		var owned int
		if err := rawPool(db).QueryRowContext(ctx, "SELECT COUNT(*) FROM tasks t JOIN customers c ON c.id = t.customer_id WHERE t.status = 'open' AND t.owner <> '' AND c.owner IS NULL").Scan(&owned); err != nil {
			t.Fatal(err)
		}
		if owned != 0 {
			t.Errorf("%d open tasks of customers in the pool still have an owner", owned)
		}
	})
}
