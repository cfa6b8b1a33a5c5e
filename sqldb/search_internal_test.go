package sqldb

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dossier/dossier"
)

func TestNameGrams(t *testing.T) {
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"", nil},
		{"宜", nil},
		{"邦正远", []string{"邦正", "正远"}},
		{"ABC科技", []string{"ab", "bc", "c科", "科技"}},
		{"Ää", []string{"Ää"}}, // only ASCII letters are lowered, as SQLite's lower()
		{"啊啊啊", []string{"啊啊"}},
		{"a%_b", []string{"a%", "%_", "_b"}},
		{"一二三四五六七八九十", []string{"一二", "二三", "三四", "四五", "五六", "六七", "七八", "八九"}}, // searchGrams
		{"\xff\xfe", nil},
	} {
		if got := nameGrams(c.q); !slices.Equal(got, c.want) {
			t.Errorf("nameGrams(%q) = %q, want %q", c.q, got, c.want)
		}
	}
}

// Every pair nameGrams returns is two characters of the lowered term, in
// it, and there are never more than searchGrams.
func FuzzNameGrams(f *testing.F) {
	for _, s := range []string{"邦正远", "ABC科技", "a%_b", "", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		gs := nameGrams(q)
		if len(gs) > searchGrams {
			t.Fatalf("%d pairs", len(gs))
		}
		for _, g := range gs {
			if utf8.RuneCountInString(g) != 2 || !strings.Contains(asciiLower(q), g) {
				t.Fatalf("pair %q of %q", g, q)
			}
		}
	})
}

// WhereForTest is customerWhere, for the external tests to see which
// narrowing a filter gets.
func (db *DB) WhereForTest(ctx context.Context, f dossier.CustomerFilter) (string, []any, error) {
	return db.customerWhere(ctx, f)
}

// QForTest is the store's own placeholder rewriting (q), for the external
// tests' plain SQL on both engines.
func (db *DB) QForTest(query string) string { return db.q(query) }

// SplitForTest makes every plain pivot on SQLite run in two halves
// (aggregate_split.go) until the returned function restores the size
// limit; runs counts the pivots that did.
func SplitForTest() (restore func(), runs func() int64) {
	old, start := splitMinCustomers.Swap(0), splitRuns.Load()
	return func() { splitMinCustomers.Store(old) }, func() int64 { return splitRuns.Load() - start }
}
