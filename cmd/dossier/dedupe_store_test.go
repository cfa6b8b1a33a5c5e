package main

import (
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/dossier/dossier/demo"
)

// dedupe on the store: the demo's planted duplicates are found (measured
// against demo.GroundTruth, pairwise), the pairs land in the review queue
// once however often it runs, and --apply merges the clusters, which
// unmerge undoes.
func TestDedupeStore(t *testing.T) {
	const n = 400
	truth := map[string]string{}
	if err := demo.GroundTruth(demo.Config{Customers: n, Seed: 7}, func(rec, cl int64) error {
		truth[strconv.FormatInt(rec, 10)] = strconv.FormatInt(cl, 10)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{"DOSSIER_DB": db}
			if code, _, errOut := runCLI(t, env, "demo", "--customers", strconv.Itoa(n), "--seed", "7"); code != 0 {
				t.Fatalf("demo: %s", errOut)
			}
			code, out, errOut := runCLI(t, env, "dedupe")
			if code != 0 {
				t.Fatalf("dedupe: exit %d: %s", code, errOut)
			}
			got := readClusters(t, out)
			if len(got) != n {
				t.Fatalf("dedupe printed %d records, want every one of %d", len(got), n)
			}
			p, r := pairwise(got, truth)
			t.Logf("pairwise precision %.3f recall %.3f", p, r)
			if p < 0.9 || r < 0.8 {
				t.Errorf("planted duplicates: precision %.3f, recall %.3f; want at least 0.9 and 0.8", p, r)
			}
			if !strings.Contains(errOut, "review queue:") || strings.Contains(errOut, "review queue: 0 new") {
				t.Errorf("first run should fill the review queue: %s", errOut)
			}
			// Running again adds nothing to the queue.
			_, _, errOut = runCLI(t, env, "dedupe")
			if !strings.Contains(errOut, "review queue: 0 new") {
				t.Errorf("second run added pairs again: %s", errOut)
			}

			code, _, errOut = runCLI(t, env, "dedupe", "--apply")
			if code != 0 {
				t.Fatalf("dedupe --apply: exit %d: %s", code, errOut)
			}
			merged := clusteredAway(got)
			if !strings.Contains(errOut, "merged "+strconv.Itoa(merged)+" customers") || merged == 0 {
				t.Fatalf("--apply should merge %d customers: %s", merged, errOut)
			}
			// After merging, the store holds one customer per cluster.
			_, out, _ = runCLI(t, env, "dedupe")
			if after := len(readClusters(t, out)); after != n-merged {
				t.Errorf("after --apply the store lists %d customers, want %d", after, n-merged)
			}
			if code, _, errOut := runCLI(t, env, "unmerge", "1"); code != 0 {
				t.Fatalf("unmerge 1: %s", errOut)
			}
			_, out, _ = runCLI(t, env, "dedupe")
			if after := len(readClusters(t, out)); after != n-merged+1 {
				t.Errorf("after one unmerge the store lists %d customers, want %d", after, n-merged+1)
			}
		})
	}
}

// readClusters parses record_id,cluster_id output.
func readClusters(t *testing.T, out string) map[string]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) == 0 || rows[0][0] != "record_id" {
		t.Fatalf("not record_id,cluster_id CSV (%v): %.200s", err, out)
	}
	m := map[string]string{}
	for _, r := range rows[1:] {
		m[r[0]] = r[1]
	}
	return m
}

// pairwise is the precision and recall of the pairs that got puts in one
// cluster, against the pairs truth does.
func pairwise(got, truth map[string]string) (precision, recall float64) {
	pairs := func(c map[string]string) map[[2]string]bool {
		by := map[string][]string{}
		for id, cl := range c {
			by[cl] = append(by[cl], id)
		}
		out := map[[2]string]bool{}
		for _, ids := range by {
			for i := range ids {
				for j := i + 1; j < len(ids); j++ {
					a, b := min(ids[i], ids[j]), max(ids[i], ids[j])
					out[[2]string{a, b}] = true
				}
			}
		}
		return out
	}
	g, w := pairs(got), pairs(truth)
	var tp int
	for p := range g {
		if w[p] {
			tp++
		}
	}
	if len(g) == 0 || len(w) == 0 {
		return 0, 0
	}
	return float64(tp) / float64(len(g)), float64(tp) / float64(len(w))
}

// clusteredAway counts the records that are not the first of their cluster.
func clusteredAway(c map[string]string) int {
	size := map[string]int{}
	for _, cl := range c {
		size[cl]++
	}
	n := 0
	for _, s := range size {
		n += s - 1
	}
	return n
}
