package dedupe

import (
	"math/rand/v2"
	"testing"

	"github.com/adrg/strutil/metrics"
)

// TestJaroWinklerSameAsLibrary: the engine's Jaro-Winkler gives exactly
// (bit for bit) what github.com/adrg/strutil gives, on the cases that
// matter (names, addresses, empty strings, invalid UTF-8) and on random
// strings over a small alphabet, where matches and transpositions are
// frequent. The comparison levels, and so the clusters, depend on it.
func TestJaroWinklerSameAsLibrary(t *testing.T) {
	cases := [][2]string{
		{"", ""}, {"", "a"}, {"a", ""}, {"a", "a"}, {"martha", "marhta"}, {"dixon", "dicksonx"},
		{"jellyfish", "smellyfish"}, {"华为技术", "华为科技"}, {"星酷商贸", "盛酷商贸"},
		{"北京市朝阳区建国路88号", "北京朝阳建国路88号院"}, {"abc\xffdef", "abc\xfedef"}, {"\xff", "\xfe"},
		{"aaaa", "aaab"}, {"abcd", "dcba"}, {"上海君聚天华", "上海君聚天华工艺装饰品"},
	}
	alpha := []string{"a", "b", "c", "华", "为", "技", "术", " ", "\xff", "é"}
	r := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		s := ""
		for range r.IntN(12) {
			s += alpha[r.IntN(len(alpha))]
		}
		return s
	}
	for range 20_000 {
		cases = append(cases, [2]string{word(), word()})
	}
	lib := metrics.NewJaroWinkler()
	jw := newJW()
	for _, c := range cases {
		want := lib.Compare(c[0], c[1])
		if got := jw.Compare(c[0], c[1]); got != want {
			t.Fatalf("Compare(%q, %q) = %v, want the library's %v", c[0], c[1], got, want)
		}
	}
}

func FuzzJaroWinkler(f *testing.F) {
	f.Add("martha", "marhta")
	f.Add("华为技术", "华为科技")
	f.Add("abc\xff", "")
	lib := metrics.NewJaroWinkler()
	jw := newJW()
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := jw.Compare(a, b), lib.Compare(a, b); got != want {
			t.Fatalf("Compare(%q, %q) = %v, want the library's %v", a, b, got, want)
		}
	})
}
