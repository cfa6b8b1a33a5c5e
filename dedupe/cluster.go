package dedupe

import (
	"cmp"
	"slices"
	"strings"
)

func newJW() *jaroWinkler { return &jaroWinkler{} }

// cluster joins records linked by pairs at or above the threshold, the most
// probable pairs first. Against chaining (A~B~C making A and C one company
// although they are not), two groups are never joined when each already has
// a credit code and the codes differ: a credit code names one legal entity.
// A list of names alone is clustered by average link instead (see
// joinAverage), joining two groups when the mean probability between them
// is at least one half, or the threshold when that is lower: without a
// second field, the probability of most true pairs is that of a similar
// name, under 0.9 (0.83 on the Leipzig affiliations), and joining pair by
// pair at any threshold under it chains a whole file into a few clusters.
// Only pairs of the same name at or above the threshold join on their own
// there.
func cluster(ds *dataset, pairs []uint64, levels []uint8, probs []float32, threshold float64, rep *Report) map[string]string {
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
	if ds.nameOnly {
		// Names alone: only the same name joins a pair on its own (a
		// name entered a million times, compared by window, is one
		// cluster); the rest waits for the mean (see joinAverage).
		rep.Matches = countAtLeast(probs, threshold)
		nf := len(ds.features) // the name first, then the place of an affiliation
		for p := range probs {
			if levels[p*nf] == 0 && float64(probs[p]) >= threshold {
				if a, b := find(int32(pairs[p]>>32)), find(int32(uint32(pairs[p]))); a != b {
					parent[max(a, b)] = min(a, b)
				}
			}
		}
		rep.Attached = joinAverage(ds, pairs, probs, unlikely, min(threshold, likely), parent, find)
		return clusterIDs(ds, find, rep)
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
	rep.Attached = attach(ds, pairs, levels, probs, threshold, parent, code, find)
	return clusterIDs(ds, find, rep)
}

// countAtLeast counts the probabilities at or above t.
func countAtLeast(probs []float32, t float64) int {
	k := 0
	for _, pr := range probs {
		if float64(pr) >= t {
			k++
		}
	}
	return k
}

// clusterIDs gives every record the ID of its group's root and counts the
// clusters of two records or more.
func clusterIDs(ds *dataset, find func(int32) int32, rep *Report) map[string]string {
	n := ds.n()
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

// likely is the probability above which a pair is more likely one company
// than two: below the threshold it does not join groups on its own, but
// it may attach a group that has no other candidate (see attach).
const likely = 0.5

// unlikely is the probability under which a pair says its two records are
// two companies: such a pair inside a component stops attach.
const unlikely = 0.01

// attach joins the groups that only likely pairs (between 0.5 and the
// threshold) whose names agree (the same name, trade name or short name)
// connect, when doing so is unambiguous: the groups connected by such
// pairs form a component, and the component becomes one cluster unless
// it holds two credit codes, two different cities, or a pair the model
// finds unlikely (under 0.01) to be one company. A name with no place
// ("铭赫物流有限公司") scores about 0.6 against "济南铭赫物流有限公司",
// because one company in several has a namesake elsewhere; when the data
// hold no namesake, nothing speaks against the match, and when they do,
// the namesakes' different cities keep the component apart. Pairs whose
// names only look alike are left to the threshold: their doubt is about
// the name itself, not a lack of other evidence. Returns the number of
// groups attached.
func attach(ds *dataset, pairs []uint64, levels []uint8, probs []float32, threshold float64, parent []int32, code []string, find func(int32) int32) int {
	nfi := slices.IndexFunc(ds.features, func(f feature) bool { return f.kind == kindName })
	if threshold <= likely || nfi < 0 {
		return 0
	}
	nf := len(ds.features)
	comp := map[int32]int32{} // group root → component root, for groups with a likely pair
	cfind := func(x int32) int32 {
		for {
			p, ok := comp[x]
			if !ok || p == x {
				return x
			}
			comp[x] = comp[p]
			x = p
		}
	}
	for p, pr := range probs {
		if pr < likely || float64(pr) >= threshold || levels[p*nf+nfi] > nameShort {
			continue
		}
		a, b := find(int32(pairs[p]>>32)), find(int32(uint32(pairs[p])))
		if a == b {
			continue
		}
		for _, x := range []int32{a, b} {
			if _, ok := comp[x]; !ok {
				comp[x] = x
			}
		}
		if ca, cb := cfind(a), cfind(b); ca != cb {
			comp[max(ca, cb)] = min(ca, cb)
		}
	}
	if len(comp) == 0 {
		return 0
	}
	// A component is refused when two of its groups disagree.
	refused := map[int32]bool{}
	type seen struct{ code, city string }
	first := map[int32]seen{}
	for i := range ds.n() {
		g := find(int32(i))
		if _, ok := comp[g]; !ok {
			continue
		}
		c := cfind(g)
		s := first[c]
		if cc := code[g]; cc != "" {
			if s.code != "" && s.code != cc {
				refused[c] = true
			}
			s.code = cc
		}
		if ds.places != nil {
			if city := ds.places[i].city; city != "" {
				if s.city != "" && s.city != city {
					refused[c] = true
				}
				s.city = city
			}
		}
		first[c] = s
	}
	for p, pr := range probs {
		if pr >= unlikely {
			continue
		}
		a, b := find(int32(pairs[p]>>32)), find(int32(uint32(pairs[p])))
		if a == b {
			continue
		}
		if _, ok := comp[a]; !ok {
			continue
		}
		if _, ok := comp[b]; ok && cfind(a) == cfind(b) {
			refused[cfind(a)] = true
		}
	}
	attached := 0
	for g := range comp {
		c := cfind(g)
		if g == c || refused[c] {
			continue
		}
		root := find(c)
		gr := find(g)
		if gr == root {
			continue
		}
		if gr < root {
			root, gr = gr, root
		}
		parent[gr] = root
		if code[root] == "" {
			code[root] = code[gr]
		}
		attached++
	}
	return attached
}
