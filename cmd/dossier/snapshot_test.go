package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
)

// TestSnapshotCommands runs take, list and compare, and an analysis's
// create, run and compare, on both stores.
func TestSnapshotCommands(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			if code, _, errOut := runCLI(t, nil, "demo", "--customers", "60", "--db", db); code != 0 {
				t.Fatal(errOut)
			}
			env := map[string]string{"DOSSIER_DB": db, "USER": "ops"}
			cli := func(want int, args ...string) string {
				t.Helper()
				code, out, errOut := runCLI(t, env, args...)
				if code != want {
					t.Fatalf("%v: exit %d, want %d: %s%s", args, code, want, out, errOut)
				}
				return out + errOut
			}
			cli(1, "snapshot", "compare") // no snapshot yet
			if out := cli(0, "snapshot", "take", "--label", "Q3"); !strings.Contains(out, "snapshot 1 taken: 60 customers") {
				t.Errorf("take: %s", out)
			}
			if out := cli(0, "snapshot", "list"); !strings.Contains(out, "Q3") || !strings.Contains(out, "60") {
				t.Errorf("list: %s", out)
			}
			// Against now nothing has changed: every transition is from a level to itself.
			var c dossier.Comparison
			if err := json.Unmarshal([]byte(cli(0, "snapshot", "compare", "--json")), &c); err != nil {
				t.Fatal(err)
			}
			if c.Customers != 60 || c.New != 0 || c.Gone != 0 || c.ScoreFrom != c.ScoreTo {
				t.Errorf("compare: %+v", c)
			}
			for _, tr := range c.Dimension("grade").Transitions {
				if tr.From != tr.To {
					t.Errorf("grade changed without a change: %+v", tr)
				}
			}
			if out := cli(0, "snapshot", "compare", "--from", "1", "--to", "now", "--filter", "grade = 重点"); !strings.Contains(out, "customers matching grade = 重点") || !strings.Contains(out, "GRADE THEN → NOW") {
				t.Errorf("compare text: %s", out)
			}
			if out := cli(0, "snapshot", "compare", "--customer", "3"); !strings.Contains(out, "customer 3 from #1 Q3") {
				t.Errorf("customer: %s", out)
			}
			cli(1, "snapshot", "compare", "--from", "last year")
			cli(2, "snapshot", "take", "--filter", "grade = = 1")

			cli(0, "analysis", "create", "重点复盘", "--goal", "重点客户变化", "--filter", "grade = 重点", "--roles", "manager")
			cli(2, "analysis", "create", "bad", "--roles", "boss")
			cli(1, "analysis", "compare", "重点复盘") // no run yet
			if out := cli(0, "analysis", "run", "重点复盘"); !strings.Contains(out, "analysis 重点复盘 run: snapshot 2") {
				t.Errorf("run: %s", out)
			}
			cli(0, "analysis", "run", "重点复盘")
			if out := cli(0, "analysis", "list"); !strings.Contains(out, "重点复盘") || !strings.Contains(out, "manager") {
				t.Errorf("analysis list: %s", out)
			}
			if out := cli(0, "analysis", "compare", "重点复盘"); !strings.Contains(out, "from #2 重点复盘 #1") || !strings.Contains(out, "to #3 重点复盘 #2") {
				t.Errorf("analysis compare: %s", out)
			}
		})
	}
}

// TestQuarterlySnapshot: the first check of a quarter takes a snapshot,
// the next finds it and takes none.
func TestQuarterlySnapshot(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			if code, _, errOut := runCLI(t, nil, "demo", "--customers", "20", "--db", db); code != 0 {
				t.Fatal(errOut)
			}
			store, err := openStore(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			if !quarterlySnapshot(context.Background(), log, store, "a", 0) {
				t.Fatal("first check took no snapshot")
			}
			if quarterlySnapshot(context.Background(), log, store, "b", 0) {
				t.Error("second check took another snapshot")
			}
			ss, err := store.Snapshots(context.Background(), 0)
			if err != nil || len(ss) != 1 || ss[0].Label != quarterName(time.Now()) || ss[0].Customers != 20 {
				t.Errorf("snapshots: %+v %v", ss, err)
			}
		})
	}
}

func TestQuarterStart(t *testing.T) {
	for in, want := range map[string]string{"2026-01-01": "2026-01-01", "2026-03-31": "2026-01-01", "2026-04-01": "2026-04-01", "2026-11-24": "2026-10-01"} {
		d, _ := time.Parse(dossier.DateLayout, in)
		if got := quarterStart(d).Format(dossier.DateLayout); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
	if n := quarterName(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)); n != "2026Q4" {
		t.Error(n)
	}
}
