package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/dossier/dossier/demo"
)

// firstDuplicate returns the ids of the demo's first planted duplicate and
// of the record it copies.
func firstDuplicate(t *testing.T, cfg demo.Config) (orig, dup int64) {
	t.Helper()
	_ = demo.GroundTruth(cfg, func(id, cluster int64) error {
		if id != cluster && dup == 0 {
			orig, dup = cluster, id
		}
		return nil
	})
	if dup == 0 {
		t.Fatal("the demo planted no duplicate")
	}
	return orig, dup
}

func TestQualityCommands(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{"DOSSIER_DB": db, "USER": "tester"}
			if code, _, errOut := runCLI(t, env, "demo", "--customers", "300", "--seed", "3"); code != 0 {
				t.Fatalf("demo: %s", errOut)
			}
			orig, dup := firstDuplicate(t, demo.Config{Customers: 300, Seed: 3})
			code, out, errOut := runCLI(t, env, "merge", itoa(int(orig)), itoa(int(dup)), "--reason", "same company")
			if code != 0 || !strings.Contains(out, "merged into") {
				t.Fatalf("merge: exit %d: %s %s", code, out, errOut)
			}
			if code, _, errOut := runCLI(t, env, "merge", itoa(int(orig)), itoa(int(dup))); code != 1 || !strings.Contains(errOut, "was merged into") {
				t.Errorf("merging again: exit %d: %s", code, errOut)
			}
			code, out, _ = runCLI(t, env, "verify", itoa(int(orig)), "--json")
			var states []map[string]any
			if code != 0 || json.Unmarshal([]byte(out), &states) != nil || len(states) < 5 {
				t.Errorf("verify: exit %d: %s", code, out)
			}
			code, out, _ = runCLI(t, env, "conflicts", "--json")
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				var c map[string]any
				if err := json.Unmarshal([]byte(line), &c); err != nil || c["verification"] == nil {
					t.Fatalf("conflicts --json line %q: %v", line, err)
				}
			}
			if code != 0 {
				t.Errorf("conflicts: exit %d", code)
			}
			code, out, _ = runCLI(t, env, "invalid", "--csv")
			rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if code != 0 || err != nil || len(rows) < 2 || rows[0][0] != "customer_id" {
				t.Errorf("invalid --csv: exit %d, %v: %s", code, err, out)
			}
			if code, out, _ := runCLI(t, env, "gaps", "--json"); code != 0 || !strings.Contains(out, `"missing"`) {
				t.Errorf("gaps: exit %d: %.200s", code, out)
			}
			code, out, errOut = runCLI(t, env, "unmerge", "1")
			if code != 0 || !strings.Contains(out, "undone") {
				t.Errorf("unmerge: exit %d: %s %s", code, out, errOut)
			}
			for _, args := range [][]string{{"merge", "1"}, {"unmerge", "x"}, {"verify"}, {"gaps", "extra"}} {
				if code, _, _ := runCLI(t, env, args...); code != 2 {
					t.Errorf("%v: exit %d, want 2", args, code)
				}
			}
		})
	}
}
