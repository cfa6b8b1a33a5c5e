package demo

import (
	"context"
	"testing"
	"time"

	"github.com/dossier/dossier"
)

// stats counts what a data set contains, so the shares below can be checked
// and logged (go test -v -run Rates).
type stats struct {
	records, interactions                                   int
	missing                                                 map[string]int
	stage                                                   map[string]int
	incompleteChain, quietSixMonths, never, conflictRevenue int
	pendingFacts, dynamicFacts                              int
}

func collect(t *testing.T, cfg Config) stats {
	t.Helper()
	s := stats{missing: map[string]int{}, stage: map[string]int{}}
	sixMonths := cfg.AsOf.AddDate(0, -6, 0).Format(dossier.DateLayout)
	err := Generate(context.Background(), cfg, dossier.DefaultResolvePolicy(), func(b []dossier.BulkCustomer) error {
		for _, bc := range b {
			s.add(bc, sixMonths)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *stats) add(bc dossier.BulkCustomer, sixMonths string) {
	c := bc.Customer
	s.records++
	s.interactions += len(bc.Interactions)
	s.stage[c.Stage]++
	for _, k := range []string{"budget", "expected_amount", "purchase_timeline", "credit_code", "revenue",
		"strategic_value", "grade", "debt_ratio", "decision_process", "main_competitors"} {
		if c.Values[k] == "" {
			s.missing[k]++
		}
	}
	if len(dossier.DecisionChainGaps(bc.Contacts)) > 0 {
		s.incompleteChain++
	}
	switch {
	case c.LastContact == "":
		s.never++
	case c.LastContact < sixMonths:
		s.quietSixMonths++
	}
	revenues := map[string]bool{}
	for _, o := range bc.Observations {
		if v, ok := o.Values["revenue"]; ok {
			revenues[v] = true
		}
		for _, rm := range o.Remarks {
			switch rm {
			case dossier.RemarkPending:
				s.pendingFacts++
			case dossier.RemarkDynamic:
				s.dynamicFacts++
			}
		}
	}
	if len(revenues) > 1 {
		s.conflictRevenue++
	}
}

func TestRates(t *testing.T) {
	t.Parallel()
	cfg := Config{Customers: 10000, Seed: 21, AsOf: time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)}
	s := collect(t, cfg)
	n := float64(s.records)
	share := func(k int) float64 { return float64(k) / n }
	within := func(what string, got, lo, hi float64) {
		t.Logf("%-28s %.3f", what, got)
		if got < lo || got > hi {
			t.Errorf("%s: %.3f, want %.2f-%.2f", what, got, lo, hi)
		}
	}
	within("interactions per customer", float64(s.interactions)/n, 8, 10.5)
	within("budget missing", share(s.missing["budget"]), 0.15, 0.25)
	within("expected amount missing", share(s.missing["expected_amount"]), 0.35, 0.47)
	within("credit code missing", share(s.missing["credit_code"]), 0, 0.02)
	within("prospects", share(s.stage["prospect"]), 0.4, 0.55)
	within("won", share(s.stage["won"]), 0.3, 0.42)
	within("churned", share(s.stage["churned"]), 0.13, 0.23)
	within("incomplete decision chain", share(s.incompleteChain), 0.3, 0.8)
	within("never contacted", share(s.never), 0.02, 0.1)
	within("no contact in six months", share(s.quietSixMonths), 0.1, 0.4)
	within("revenue in conflict", share(s.conflictRevenue), 0.2, 0.6)
	within("risk inputs (debt ratio)", 1-share(s.missing["debt_ratio"]), 0.15, 0.35)
	within("pending facts per customer", share(s.pendingFacts), 0.3, 1.5)
	within("dynamic facts per customer", share(s.dynamicFacts), 0.5, 2)
	for _, k := range []string{"purchase_timeline", "revenue", "strategic_value", "grade", "decision_process", "main_competitors"} {
		t.Logf("%-28s %.3f", k+" missing", share(s.missing[k]))
	}
}
