package dedupe

import (
	"math"
	"slices"
)

// model is a Fellegi–Sunter model: for each feature and level, m (the share
// of true matches at that level) and u (the share of non-matches), and the
// prior share of matches among candidate pairs.
type model struct {
	m, u  [][]float64
	w     [][]float64 // log2(m/u) per level
	prior float64
	// uOrd is u of the exact level for an ordinary value (one held by at
	// most tfMin records) of features with value counts; u[fi][0] is the
	// average over all values, which EM and the prior use.
	uOrd []float64
	// single marks a model fitted on one field without training sessions.
	single bool
}

const (
	emRounds = 40
	minProb  = 1e-6
	maxBits  = 40 // no single level may claim more than 2⁴⁰ to one
	maxPrior = 0.5
	// pseudoPairs is the weight of the starting m in every M step.
	pseudoPairs = 10
)

// estimate fits the model as Splink does. u comes from random pairs,
// almost all of which are non-matches. m comes from expectation
// maximisation in training sessions, one per blocking rule: among the pairs
// that agree exactly on one field (the name, a credit code, a phone …),
// the other fields' levels are not biased by the blocking, so EM on them,
// with that field left out, estimates their m. A field's m is the mean over
// the sessions that trained it; a field no session could train keeps a
// cautious default. Last, the prior share of matches among the candidate
// pairs is fitted with m and u fixed. Pairs are grouped by their pattern
// of levels, so each EM round costs the number of patterns, not of pairs.
func estimate(ds *dataset, pairs []uint64, levels []uint8, opt Options) *model {
	nf := len(ds.features)
	md := &model{m: make([][]float64, nf), u: randomU(ds, opt)}
	pats, counts := patterns(levels, nf, len(pairs), opt.Workers)
	if ds.affs != nil {
		return estimateAffiliations(ds, md, pats, counts)
	}
	sum := make([][]float64, nf)
	trained := make([]int, nf)
	for fi, f := range ds.features {
		sum[fi] = make([]float64, len(f.levels))
	}
	for _, rule := range trainingRules(ds) {
		sp, sc := selectPatterns(pats, counts, nf, rule)
		if total(sc) < minSession {
			continue
		}
		use := make([]bool, nf)
		for fi := range use {
			use[fi] = fi != rule
		}
		m, _ := em(ds, sp, sc, md.u, use)
		for fi := range use {
			if use[fi] && hasLevels(sp, nf, fi) {
				trained[fi]++
				for l := range m[fi] {
					sum[fi][l] += m[fi][l]
				}
			}
		}
	}
	for fi, f := range ds.features {
		md.m[fi] = initialM(len(f.levels))
		if trained[fi] > 0 {
			for l := range sum[fi] {
				md.m[fi][l] = sum[fi][l] / float64(trained[fi])
			}
		}
		monotone(md.m[fi], md.u[fi])
	}
	md.uOrd = make([]float64, nf)
	if slices.Max(append(trained, 0)) == 0 && len(counts) > 0 {
		// One field (a list of organisation names): no session can train
		// it, so EM runs on all candidate pairs with the field itself, as
		// the classic Fellegi–Sunter tools do; its share of matches among
		// the candidates gives the prior.
		all := float64(ds.n()) * float64(ds.n()-1) / 2
		use := make([]bool, nf)
		for fi := range use {
			use[fi] = true
		}
		var share float64
		uRand := md.u
		for range 5 {
			md.m, share = em(ds, pats, counts, md.u, use)
			md.prior = clamp(share*total(counts)/all, 1/all, maxPrior)
			md.u = matchFreeU(uRand, md.m, md.prior)
		}
		md.single = true
		md.weigh()
		return md
	}
	md.prior = fitPrior(md, pats, counts, nf, ds.n())
	// In a file full of duplicates many exact agreements are the true
	// matches themselves: take the expected matches out of u's exact
	// level and fit again.
	for range 6 {
		if !correctExactU(ds, md, pats, counts) {
			break
		}
		md.prior = fitPrior(md, pats, counts, nf, ds.n())
	}
	md.weigh()
	return md
}

// matchFreeU takes the matches out of u measured on random pairs: a
// random pair matches with the probability prior, and then its levels
// follow m, so u = (random − prior·m) / (1 − prior). In a file full of
// duplicates (a list of affiliations, 7 records per organisation) the
// matches are a good part of the random pairs that agree, and u measured
// on them makes every agreement look common.
func matchFreeU(uRand, m [][]float64, prior float64) [][]float64 {
	out := make([][]float64, len(uRand))
	for fi := range uRand {
		out[fi] = make([]float64, len(uRand[fi]))
		sum := 0.0
		for l, r := range uRand[fi] {
			out[fi][l] = max(r-prior*m[fi][l], r/100) / (1 - prior)
			sum += out[fi][l]
		}
		for l := range out[fi] {
			out[fi][l] /= sum
		}
	}
	return out
}

// minSession is the fewest pairs a training session needs.
const minSession = 20

// trainingRules are the fields whose exact agreement defines a training
// session: the name, identifiers and selective generic fields.
func trainingRules(ds *dataset) []int {
	var out []int
	for fi, f := range ds.features {
		if f.kind == kindName || f.kind == kindID || (f.kind == kindString && ds.selective[fi]) {
			out = append(out, fi)
		}
	}
	return out
}

// selectPatterns keeps the patterns whose field fi is at level 0.
func selectPatterns(pats []uint8, counts []float64, nf, fi int) ([]uint8, []float64) {
	var sp []uint8
	var sc []float64
	for k, c := range counts {
		pat := pats[k*nf : (k+1)*nf]
		if pat[fi] == 0 {
			sp = append(sp, pat...)
			sc = append(sc, c)
		}
	}
	return sp, sc
}

func hasLevels(pats []uint8, nf, fi int) bool {
	for k := 0; k < len(pats); k += nf {
		if pats[k+fi] != missing {
			return true
		}
	}
	return false
}

func total(c []float64) float64 {
	s := 0.0
	for _, x := range c {
		s += x
	}
	return s
}

// em estimates m of the fields marked in use (the others are ignored) and
// the share of matches, with u fixed.
func em(ds *dataset, pats []uint8, counts []float64, u [][]float64, use []bool) ([][]float64, float64) {
	nf := len(ds.features)
	md := &model{m: make([][]float64, nf), u: u, prior: 0.3}
	for fi, f := range ds.features {
		md.m[fi] = initialM(len(f.levels))
	}
	masked := make([]uint8, len(pats))
	for k := range pats {
		masked[k] = pats[k]
		if !use[k%nf] {
			masked[k] = missing
		}
	}
	for range emRounds {
		md.weigh()
		num := make([][]float64, nf)
		den := make([]float64, nf)
		for fi := range num {
			num[fi] = make([]float64, len(md.m[fi]))
		}
		var matched float64
		for k, c := range counts {
			pat := masked[k*nf : (k+1)*nf]
			p := md.prob(pat) * c
			matched += p
			for fi, l := range pat {
				if l != missing {
					num[fi][l] += p
					den[fi] += p
				}
			}
		}
		md.prior = clamp(matched/total(counts), minProb, 1-minProb)
		for fi := range num {
			// A few pseudo-pairs drawn from the starting m keep a field
			// that matches rarely show from swinging to an extreme.
			m0 := initialM(len(num[fi]))
			for l := range num[fi] {
				md.m[fi][l] = clamp((num[fi][l]+pseudoPairs*m0[l])/(den[fi]+pseudoPairs), minProb, 1)
			}
			monotone(md.m[fi], u[fi])
		}
	}
	return md.m, md.prior
}

// fitPrior finds the probability that two records drawn at random match,
// as Splink's prior: the expected number of matches among the candidate
// pairs (pairs outside the blocks are taken as non-matches) over the number
// of all pairs, iterated to its fixed point with m and u fixed. Scoring a
// pair with this prior and u from random pairs is coherent; a prior
// fitted among candidate pairs would count blocking as evidence twice.
func fitPrior(md *model, pats []uint8, counts []float64, nf, n int) float64 {
	md.weigh()
	all := float64(n) * float64(n-1) / 2
	if all < 1 || len(counts) == 0 {
		return minProb
	}
	md.prior = clamp(total(counts)/all/10, 1/all, maxPrior)
	for range 100 {
		var matched float64
		for k, c := range counts {
			matched += md.prob(pats[k*nf:(k+1)*nf]) * c
		}
		next := clamp(matched/all, 1/all, maxPrior)
		if math.Abs(next-md.prior) < 1e-4*md.prior {
			md.prior = next
			break
		}
		md.prior = next
	}
	return md.prior
}

// monotone pools adjacent levels whose evidence is out of order, so that a
// better level never counts for less than a worse one (pool adjacent
// violators on m/u, keeping the sum of m).
func monotone(m, u []float64) {
	for changed := true; changed; {
		changed = false
		for l := 1; l < len(m); l++ {
			if m[l]/u[l] > m[l-1]/u[l-1]*(1+1e-9) {
				r := (m[l-1] + m[l]) / (u[l-1] + u[l])
				m[l-1], m[l] = r*u[l-1], r*u[l]
				changed = true
			}
		}
	}
}

// initialM starts EM from "matches mostly agree": the best level likely,
// the worst unlikely.
func initialM(levels int) []float64 {
	m := make([]float64, levels)
	rest := 0.2
	m[0] = 0.8
	for l := 1; l < levels; l++ {
		rest /= 2
		m[l] = rest
	}
	m[levels-1] += rest
	return m
}

// patterns groups the pairs by their level vector, in the order of each
// pattern's first pair. Ranges of pairs are grouped in parallel and the
// groups merged in range order, which keeps that order (and so every sum
// EM makes over the patterns) what a serial pass gives.
func patterns(levels []uint8, nf, npairs, w int) ([]uint8, []float64) {
	type part struct {
		pats   []uint8
		counts []float64
	}
	parts := make([]part, max(1, w))
	parallelChunks(npairs, len(parts), func(c, lo, hi int) {
		idx := newPatIndex(nf)
		var p part
		for q := lo; q < hi; q++ {
			pat := levels[q*nf : (q+1)*nf]
			k, ok := idx.find(pat, len(p.counts))
			if !ok {
				p.pats = append(p.pats, pat...)
				p.counts = append(p.counts, 0)
			}
			p.counts[k]++
		}
		parts[c] = p
	})
	if len(parts) == 1 {
		return parts[0].pats, parts[0].counts
	}
	idx := newPatIndex(nf)
	var pats []uint8
	var counts []float64
	for _, p := range parts {
		for k, c := range p.counts {
			pat := p.pats[k*nf : (k+1)*nf]
			g, ok := idx.find(pat, len(counts))
			if !ok {
				pats = append(pats, pat...)
				counts = append(counts, 0)
			}
			counts[g] += c
		}
	}
	return pats, counts
}

// patIndex numbers level patterns: packed into a uint64 when there are at
// most eight features (hashing it is much cheaper than a string).
type patIndex struct {
	small map[uint64]int
	large map[string]int
}

func newPatIndex(nf int) *patIndex {
	if nf <= 8 {
		return &patIndex{small: map[uint64]int{}}
	}
	return &patIndex{large: map[string]int{}}
}

// find returns pat's number and true, or numbers it next and returns
// next and false.
func (x *patIndex) find(pat []uint8, next int) (int, bool) {
	if x.small != nil {
		var key uint64
		for _, l := range pat {
			key = key<<8 | uint64(l)
		}
		if k, ok := x.small[key]; ok {
			return k, true
		}
		x.small[key] = next
		return next, false
	}
	if k, ok := x.large[string(pat)]; ok {
		return k, true
	}
	x.large[string(pat)] = next
	return next, false
}

func (md *model) weigh() {
	md.w = make([][]float64, len(md.m))
	for fi := range md.m {
		md.w[fi] = make([]float64, len(md.m[fi]))
		for l := range md.m[fi] {
			md.w[fi][l] = clamp(math.Log2(md.m[fi][l]/md.u[fi][l]), -maxBits, maxBits)
		}
	}
}

// bits is the total weight of a pattern, prior included.
func (md *model) bits(pat []uint8) float64 {
	w := math.Log2(md.prior / (1 - md.prior))
	for fi, l := range pat {
		if l != missing {
			w += md.w[fi][l]
		}
	}
	return w
}

func (md *model) prob(pat []uint8) float64 { return 1 / (1 + math.Exp2(-md.bits(pat))) }

// score gives the match probability of every pair, with the term
// frequency adjustment: agreeing on a common value ("london", "william")
// says less than the average exact agreement.
func (md *model) score(ds *dataset, pairs []uint64, levels []uint8, w int) []float32 {
	nf := len(md.m)
	out := make([]float32, len(pairs))
	parallel(len(pairs), w, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			pat := levels[p*nf : (p+1)*nf]
			out[p] = float32(sigmoid2(md.bits(pat) + md.tfBits(ds, int(pairs[p]>>32), pat)))
		}
	})
	return out
}

func sigmoid2(bits float64) float64 { return 1 / (1 + math.Exp2(-bits)) }

// tfBits is the term frequency adjustment of a pair whose first record is
// a, as Splink makes it: an exact agreement on a value held by f records
// weighs log2(m/u_v) with u_v = (f−1)/(n−1), the chance that another
// record has that value, instead of the average log2(m/u). Values held by
// at most tfMin records are not told apart (two or three records with one
// value are as likely one company entered twice as a coincidence): they
// share the u of ordinary values. The adjustment only ever lowers a
// weight, by at most maxTF bits: rare values are not rewarded beyond the
// average, which already holds the matches.
func (md *model) tfBits(ds *dataset, a int, pat []uint8) float64 {
	adj := 0.0
	for fi, l := range pat {
		fr := ds.freq[fi]
		if l != 0 || fr == nil || md.uOrd == nil || md.uOrd[fi] == 0 {
			continue
		}
		uv := md.uOrd[fi]
		if f := fr.count[a]; f > tfMin {
			uv = float64(f-1) / (fr.n - 1)
		}
		adj += clamp(math.Log2(md.u[fi][0]/uv), -maxTF, 0)
	}
	return adj
}

const (
	maxTF = 10
	tfMin = 10
)

func (md *model) describe(ds *dataset) []FieldWeight {
	out := make([]FieldWeight, len(ds.features))
	for fi, f := range ds.features {
		out[fi].Field = f.key
		for l, name := range f.levels {
			out[fi].Levels = append(out[fi].Levels, LevelWeight{Level: name, M: md.m[fi][l], U: md.u[fi][l], Weight: md.w[fi][l]})
		}
	}
	return out
}

func clamp(x, lo, hi float64) float64 { return max(lo, min(hi, x)) }
