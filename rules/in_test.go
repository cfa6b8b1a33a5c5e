package rules

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"
)

// TestInStringsIsExprIn: "x in list" over a list of strings goes to
// in_strings (no reflection), and gives what expr's own in gives, also
// negated and for needles and lists built in the expression.
func TestInStringsIsExprIn(t *testing.T) {
	c := newCompiler(Variables(fields))
	words := []string{"", "a", "b", "风险-高流失风险", "a;b", " a"}
	exprs := []string{`needle in tags`, `needle not in tags`, `!(needle in need_types)`,
		`needle in tags && "a" in need_types`, `upper(needle) in tags`, `needle in ["a", "b"]`}
	r := rand.New(rand.NewPCG(1, 2))
	for _, src := range exprs {
		p, err := c.compile("tags", "t", "when", strings.ReplaceAll(src, "needle", "industry_top"), asBool)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		patched := strings.Contains(p.prog.Node().String(), "in_strings(")
		if want := src != `needle in ["a", "b"]`; patched != want {
			t.Errorf("%s: calls in_strings %v, want %v: %s", src, patched, want, p.prog.Node())
		}
		plain, err := expr.Compile(strings.ReplaceAll(src, "needle", "industry_top"), expr.Env(c.env), asBool)
		if err != nil {
			t.Fatal(err)
		}
		for range 500 {
			env := typeEnv(Variables(fields))
			env["industry_top"] = words[r.IntN(len(words))]
			env["tags"] = randomList(r, words)
			env["need_types"] = randomList(r, words)
			got, err1 := vm.Run(p.prog, env)
			want, err2 := vm.Run(plain, env)
			if fmt.Sprint(got, err1) != fmt.Sprint(want, err2) {
				t.Fatalf("%s over %v: %v, %v; expr's in: %v, %v", src, env["tags"], got, err1, want, err2)
			}
		}
	}
}

func randomList(r *rand.Rand, words []string) []string {
	out := []string{}
	for range r.IntN(4) {
		out = append(out, words[r.IntN(len(words))])
	}
	return out
}
