package demo

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/dossier/dossier"
)

// TestNamesUnique generates 20000 companies and checks that no two
// distinct companies share a name. (Two planted duplicates of one company
// may spell it the same way; neither spells it like the original.)
func TestNamesUnique(t *testing.T) {
	t.Parallel()
	cfg := Config{Customers: 20000, Seed: 9, AsOf: testAsOf}
	clusters := map[int64]int64{}
	if err := GroundTruth(cfg, func(id, c int64) error { clusters[id] = c; return nil }); err != nil {
		t.Fatal(err)
	}
	owner := map[string]int64{} // name → cluster
	long := 0
	err := Generate(context.Background(), cfg, dossier.DefaultResolvePolicy(), func(b []dossier.BulkCustomer) error {
		for _, bc := range b {
			c := bc.Customer
			if other, ok := owner[c.Name]; ok && other != clusters[c.ID] {
				t.Errorf("%q names records of companies %d and %d", c.Name, other, clusters[c.ID])
			}
			owner[c.Name] = clusters[c.ID]
			if !strings.HasSuffix(c.Name, "公司") || dossier.CleanText(c.Name) != c.Name {
				t.Errorf("name %q", c.Name)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	g, _ := newGenerator(cfg, dossier.DefaultResolvePolicy())
	for i := range cfg.Customers {
		if len(g.names.trade(i)) > 2 {
			long++
		}
	}
	if share := float64(long) / float64(cfg.Customers); share < 0.1 || share > 0.6 {
		t.Errorf("%.0f%% of trade names have more than two characters", share*100)
	}
}

// TestTradeNamesInjective checks the trade-name space and e-mail domains at
// sizes where 3- and 4-character names take over.
func TestTradeNamesInjective(t *testing.T) {
	t.Parallel()
	n := 300_000
	if testing.Short() {
		n = 30_000
	}
	ns, err := newNameSpace(1, n)
	if err != nil {
		t.Fatal(err)
	}
	names, domains := make(map[string]bool, n), make(map[string]bool, n)
	for i := range n {
		tr := ns.trade(i)
		zh, d := joinZH(tr), domain(tr, "com")
		if names[zh] || domains[d] {
			t.Fatalf("index %d: trade name %s or domain %s repeats", i, zh, d)
		}
		names[zh], domains[d] = true, true
		for k := 1; k < len(tr); k++ {
			if tr[k] == tr[k-1] {
				t.Fatalf("trade name %s repeats a character", zh)
			}
		}
	}
}

// TestNamesSplitOneWay: no industry word is a trade character followed by
// another word, so trade name + word cannot be read two ways.
func TestNamesSplitOneWay(t *testing.T) {
	var words []string
	for _, d := range industryTable {
		for _, w := range d.words {
			words = append(words, w.zh)
		}
	}
	for _, w := range words {
		for _, c := range tradeChars {
			if rest, ok := strings.CutPrefix(w, c.zh); ok && slices.Contains(words, rest) {
				t.Errorf("word %s = trade character %s + word %s", w, c.zh, rest)
			}
		}
	}
	for _, p := range dossier.Provinces() {
		if strings.ContainsFunc(p.Short, func(r rune) bool {
			return !slices.ContainsFunc(tradeChars, func(s syllable) bool { return s.zh == string(r) })
		}) {
			continue
		}
		t.Errorf("province %s is spelt with trade characters only", p.Short)
	}
}

func TestNameVariants(t *testing.T) {
	g, _ := newGenerator(Config{Customers: 2000, Seed: 4}, dossier.DefaultResolvePolicy())
	for c := range 2000 {
		p := g.profile(c, 0)
		v := variantName(&p, newRand(4, streamDuplicate, uint64(c)))
		if v == p.name || !strings.Contains(v, p.tradeZH()) || dossier.CleanText(v) != v {
			t.Errorf("variant %q of %q", v, p.name)
		}
	}
}

func TestTables(t *testing.T) {
	for _, d := range industryTable {
		ind, ok := dossier.FindIndustry(d.path)
		if !ok || ind.Parent == "" || ind.Path != d.path {
			t.Errorf("industry %q is not a sub-industry of the hierarchy", d.path)
		}
	}
	for _, p := range dossier.Provinces() {
		if pd, ok := provinceData[p.Name]; !ok || len(pd.code) != 2 || pd.weight <= 0 {
			t.Errorf("province %s has no weight or code", p.Name)
		}
	}
	var texts []string
	for _, d := range industryTable {
		texts = append(texts, d.business...)
	}
	for _, p := range products {
		texts = append(append(append(texts, p.name), p.desc...), p.pains...)
	}
	texts = append(append(append(texts, decisionProcesses...), strategicGoals...), contactPreferences...)
	for _, tpls := range noteTemplates {
		for _, tp := range tpls {
			texts = append(texts, tp.text)
		}
	}
	for _, s := range texts {
		if dossier.CleanText(s) != s {
			t.Errorf("%q is not canonical text: use half-width punctuation", s)
		}
	}
}
