package sqldb_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/demo"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// recomputeTables are the tables a recompute may write.
var recomputeTables = []string{"customers", "scores", "analyses", "score_history", "observations", "tasks", "risks",
	"customer_tags", "audit_log", "quality_customers", "quality_gaps", "quality_conflicts", "quality_invalid"}

func recomputeSnapshot(t *testing.T, db *sqldb.DB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, table := range recomputeTables {
		rows, err := db.TableRows(ctx, table)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		out[table] = rows
	}
	return out
}

// changedRows counts the rows of each table that are not in before, and
// the rows of before that are gone.
func changedRows(before, after map[string][]string) map[string]int {
	out := map[string]int{}
	for table, rows := range after {
		for _, r := range rows {
			if _, found := slices.BinarySearch(before[table], r); !found {
				out[table]++
			}
		}
		for _, r := range before[table] {
			if _, found := slices.BinarySearch(rows, r); !found {
				out[table]++
			}
		}
	}
	return out
}

// TestRecomputeWritesOnlyChanges: a rerun of the recompute, the same day or
// the next, writes no row whose values did not change (every table compared
// row by row, computed_at included, with a later clock); the next day's
// changed scores are rewritten, every stored score equals the one computed,
// FindScore reports the run's date for the scores left as they were, and a
// real change still writes the score history with its cause.
func TestRecomputeWritesOnlyChanges(t *testing.T) {
	for _, st := range dbtest.Stores(t) {
		t.Run(st.Name, func(t *testing.T) {
			now := time.Date(2026, 6, 30, 22, 0, 0, 0, time.UTC)
			opt := dbtest.Options()
			opt.Now = func() time.Time { return now }
			db := st.Open(t, opt)
			cfg := demo.Config{Customers: 300, Seed: 5, AsOf: day("2026-06-30")}
			loadDemo(t, db, cfg)
			recompute(t, db, "2026-06-30")
			before := recomputeSnapshot(t, db)

			now = now.Add(time.Hour)
			recompute(t, db, "2026-06-30")
			for table, n := range changedRows(before, recomputeSnapshot(t, db)) {
				if n > 0 {
					t.Errorf("an unchanged rerun the same day wrote %d rows of %s", n, table)
				}
			}

			now = now.Add(24 * time.Hour)
			got := recompute(t, db, "2026-07-01")
			after := recomputeSnapshot(t, db)
			ch := changedRows(before, after)
			t.Logf("next day: rows changed %v of %d scores", ch, len(before["scores"]))
			if n := ch["scores"] / 2; n == 0 || n >= len(got) { // a rewritten row counts twice
				t.Errorf("next day rewrote %d of %d scores: want some, not all", n, len(got))
			}
			for _, l := range got {
				sc, err := db.FindScore(ctx, l.Score.CustomerID)
				if err != nil {
					t.Fatal(err)
				}
				want := l.Score
				want.Name = sc.Name
				if fmt.Sprint(*sc) != fmt.Sprint(want) {
					t.Fatalf("stored score %+v, computed %+v", *sc, want)
				}
			}
			now = now.Add(time.Hour)
			recompute(t, db, "2026-07-01")
			for table, n := range changedRows(after, recomputeSnapshot(t, db)) {
				if n > 0 {
					t.Errorf("an unchanged rerun the next day wrote %d rows of %s", n, table)
				}
			}

			// A low-priority customer gets a large expected purchase and
			// weekly contact: its priority and tier change, and the history
			// says why.
			i := slices.IndexFunc(got, func(l line) bool { return l.Score.Priority == "low" })
			if i < 0 {
				t.Fatal("no low-priority customer")
			}
			id := got[i].Score.CustomerID
			c, err := db.FindCustomerByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.UpdateCustomer(ctx, id, dossier.CustomerUpdate{Values: map[string]string{"expected_amount": "9000000", "strategic_value": "benchmark"},
				Source: src(dossier.ChannelInternal, "CRM", "2026-07-01"), Version: c.Version}); err != nil {
				t.Fatal(err)
			}
			for d := range 12 {
				date := dossier.FormatDate(day("2026-07-01").AddDate(0, 0, -7*d))
				if err := db.CreateInteraction(ctx, &dossier.Interaction{CustomerID: id, Date: date, Channel: "phone",
					Source: src(dossier.ChannelInternal, "CRM", date)}); err != nil {
					t.Fatal(err)
				}
			}
			hist0, _ := db.ScoreHistory(ctx, id)
			now = now.Add(time.Hour)
			recompute(t, db, "2026-07-01")
			hist, err := db.ScoreHistory(ctx, id)
			if err != nil || len(hist) != len(hist0)+1 {
				t.Fatalf("history %d → %d entries (%v)", len(hist0), len(hist), err)
			}
			if h := hist[0]; h.Priority != "high" || !strings.Contains(h.Cause, "priority low→high") || h.AsOf != "2026-07-01" {
				t.Errorf("history entry %+v: want priority low→high as of 2026-07-01", h)
			}
			// The same cause in parts, for the reader's language.
			if d := hist[0].Detail; d == nil || d.First || len(d.Lines) != 4 || d.Lines[0].Key != "score.r" ||
				!slices.Contains(d.Changes, dossier.HistoryChange{What: "priority", From: "low", To: "high"}) {
				t.Errorf("history detail %+v", hist[0].Detail)
			}
			if c, _ := db.FindCustomerByID(ctx, id); c.Values["follow_up_priority"] != "high" {
				t.Errorf("customer's priority %q after the change", c.Values["follow_up_priority"])
			}
			if sc, _ := db.FindScore(ctx, id); sc.Total != 100 || sc.Priority != "high" {
				t.Errorf("score after the change %+v", sc)
			}
		})
	}
}

// TestRecomputeParallelEqualsSerial: batches read and evaluated by several
// workers at once and written in id order leave every table exactly as
// one worker does (rows compared with their ids and computed_at), the
// first day and the next, and emit the customers in id order.
func TestRecomputeParallelEqualsSerial(t *testing.T) {
	for _, st := range dbtest.Stores(t) {
		t.Run(st.Name, func(t *testing.T) {
			var snaps [2][]map[string][]string
			var emitted [2][]int64
			for k, workers := range []int{1, 3} {
				restore := sqldb.SetRecompute(workers, 37)
				now := time.Date(2026, 6, 30, 22, 0, 0, 0, time.UTC)
				opt := dbtest.Options()
				opt.Now = func() time.Time { return now }
				db := st.Open(t, opt)
				cfg := demo.Config{Customers: 400, Seed: 7, AsOf: day("2026-06-30")}
				loadDemo(t, db, cfg)
				for _, d := range []string{"2026-06-30", "2026-07-01", "2026-08-15"} {
					now = now.Add(time.Hour)
					for _, l := range recompute(t, db, d) {
						emitted[k] = append(emitted[k], l.Score.CustomerID)
					}
					snaps[k] = append(snaps[k], recomputeSnapshot(t, db))
				}
				restore()
			}
			if !slices.IsSorted(emitted[1][:len(emitted[1])/3]) || len(emitted[1]) != len(emitted[0]) {
				t.Errorf("parallel run emitted %d customers (serial %d), first day in id order: %v",
					len(emitted[1]), len(emitted[0]), slices.IsSorted(emitted[1][:len(emitted[1])/3]))
			}
			for d := range snaps[0] {
				for table, n := range changedRows(snaps[0][d], snaps[1][d]) {
					if n > 0 {
						t.Errorf("run %d: %d rows of %s differ between 1 and 3 workers", d+1, n, table)
					}
				}
				if len(snaps[0][d]["analyses"]) < 300 {
					t.Fatalf("run %d: only %d analyses", d+1, len(snaps[0][d]["analyses"]))
				}
			}
		})
	}
}
