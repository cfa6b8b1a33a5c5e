package dedupe

import (
	"cmp"
	"slices"
	"strings"

	"github.com/adrg/strutil/metrics"
)

func newJW() *metrics.JaroWinkler { return metrics.NewJaroWinkler() }

// cluster joins records linked by pairs at or above the threshold, the most
// probable pairs first. Against chaining (A~B~C making A and C one company
// although they are not), two groups are never joined when each already has
// a credit code and the codes differ: a credit code names one legal entity.
func cluster(ds *dataset, pairs []uint64, probs []float32, threshold float64, rep *Report) map[string]string {
	n := ds.n()
	parent := make([]int32, n)
	code := make([]string, n) // the credit code of each group's root
	ccf := slices.IndexFunc(ds.features, func(f feature) bool { return f.key == "credit_code" })
	for i := range parent {
		parent[i] = int32(i)
		if ccf >= 0 {
			code[i], _, _ = strings.Cut(ds.vals[ccf][i], listSep)
		}
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	var strong []int32
	for p, pr := range probs {
		if float64(pr) >= threshold {
			strong = append(strong, int32(p))
		}
	}
	rep.Matches = len(strong)
	slices.SortStableFunc(strong, func(a, b int32) int { return cmp.Compare(probs[b], probs[a]) })
	for _, p := range strong {
		a, b := find(int32(pairs[p]>>32)), find(int32(uint32(pairs[p])))
		if a == b {
			continue
		}
		if code[a] != "" && code[b] != "" && code[a] != code[b] {
			rep.Refused++
			continue
		}
		if b < a { // the root is the earliest record
			a, b = b, a
		}
		parent[b] = a
		if code[a] == "" {
			code[a] = code[b]
		}
	}
	out := make(map[string]string, n)
	size := make(map[int32]int)
	for i := range n {
		r := find(int32(i))
		size[r]++
		if _, dup := out[ds.ids[i]]; !dup {
			out[ds.ids[i]] = ds.ids[r]
		}
	}
	for _, s := range size {
		if s > 1 {
			rep.Clusters++
		}
	}
	return out
}

// explain lists the pairs at or above the floor with their evidence, the
// most probable first and at most max of them; it returns how many more
// were above the floor.
func explain(ds *dataset, md *model, pairs []uint64, levels []uint8, probs []float32, floor float64, max int) ([]Pair, int) {
	nf := len(ds.features)
	var idx []int32 // int32 halves this list for a million copies of one company
	for p, pr := range probs {
		if float64(pr) >= floor {
			idx = append(idx, int32(p))
		}
	}
	slices.SortStableFunc(idx, func(a, b int32) int { return cmp.Compare(probs[b], probs[a]) })
	left := 0
	if len(idx) > max {
		left = len(idx) - max
		idx = idx[:max]
	}
	out := make([]Pair, 0, len(idx))
	for _, p32 := range idx {
		p := int(p32)
		pr := probs[p]
		pat := levels[p*nf : (p+1)*nf]
		pair := Pair{A: ds.ids[pairs[p]>>32], B: ds.ids[uint32(pairs[p])], Probability: float64(pr), Weight: md.bits(pat) + md.tfBits(ds, int(pairs[p]>>32), pat)}
		for fi, l := range pat {
			if l == missing {
				pair.Evidence = append(pair.Evidence, Evidence{Field: ds.features[fi].key, Level: "missing"})
				continue
			}
			pair.Evidence = append(pair.Evidence, Evidence{Field: ds.features[fi].key, Level: ds.features[fi].levels[l], Weight: md.w[fi][l]})
		}
		out = append(out, pair)
	}
	return out, left
}
