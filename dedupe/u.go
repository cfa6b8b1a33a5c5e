package dedupe

import (
	"math"
	"math/rand/v2"
)

// The u side of the model: how often two records that are not the same
// entity agree at each level, from random pairs and, for exact agreement,
// from the value counts.

// randomU compares random pairs of records: the share of each level among
// them is u. Laplace smoothing keeps u above zero for levels no random pair
// reached.
func randomU(ds *dataset, opt Options) [][]float64 {
	n := ds.n()
	nf := len(ds.features)
	counts := make([][]float64, nf)
	for fi, f := range ds.features {
		counts[fi] = make([]float64, len(f.levels))
	}
	total := n * (n - 1) / 2
	r := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	jw := newJW()
	sample := func(a, b int) {
		for fi := range ds.features {
			if l := ds.level(fi, a, b, jw); l != missing {
				counts[fi][l]++
			}
		}
	}
	if total <= opt.SamplePairs {
		for a := range n {
			for b := a + 1; b < n; b++ {
				sample(a, b)
			}
		}
	} else {
		// The pairs are drawn in order, then compared in parallel, each
		// range into its own counts; the counts are whole numbers, so
		// their sum does not depend on the split.
		drawn := make([][2]int32, opt.SamplePairs)
		for k := range drawn {
			a, b := r.IntN(n), r.IntN(n-1)
			if b >= a {
				b++
			}
			drawn[k] = [2]int32{int32(a), int32(b)}
		}
		parts := make([][][]float64, opt.Workers)
		parallelChunks(len(drawn), opt.Workers, func(c, lo, hi int) {
			cs := make([][]float64, nf)
			for fi, f := range ds.features {
				cs[fi] = make([]float64, len(f.levels))
			}
			jw := newJW()
			for _, d := range drawn[lo:hi] {
				for fi := range ds.features {
					if l := ds.level(fi, int(d[0]), int(d[1]), jw); l != missing {
						cs[fi][l]++
					}
				}
			}
			parts[c] = cs
		})
		for _, cs := range parts {
			for fi := range cs {
				for l, x := range cs[fi] {
					counts[fi][l] += x
				}
			}
		}
	}
	u := make([][]float64, nf)
	for fi, c := range counts {
		sum := 0.0
		for _, x := range c {
			sum += x + 1
		}
		u[fi] = make([]float64, len(c))
		for l, x := range c {
			u[fi][l] = (x + 1) / sum
		}
		// A sample cannot see how rare an exact agreement on a name or an
		// identifier is (one in 10¹¹ pairs of a million records); the
		// value frequencies can.
		if ex, ok := exactU(ds, fi); ok {
			rescale(u[fi], ex)
		}
	}
	return u
}

// exactU is the share of pairs of records (both with a value) that agree
// exactly on feature fi: Σ c·(c−1) over the value counts c, divided by
// n·(n−1). Defined for names, identifiers and generic strings.
func exactU(ds *dataset, fi int) (float64, bool) {
	same, all, ok := exactCounts(ds, fi)
	if !ok {
		return 0, false
	}
	if ds.features[fi].kind == kindID {
		// An identifier names one entity: two different companies share
		// one only by a typing error. Counting agreements in the file
		// would count the duplicates themselves; commonly shared values
		// (a switchboard) are weighed down by the term frequency.
		return ds.uFloor(fi, all), true
	}
	return max(same/all, ds.uFloor(fi, all)), true
}

// exactCounts returns the number of (unordered) pairs that agree exactly
// on feature fi and the number of pairs that both have a value.
func exactCounts(ds *dataset, fi int) (same, all float64, ok bool) {
	fr := ds.freq[fi]
	if fr == nil || fr.n < 2 {
		return 0, 0, false
	}
	return fr.same, fr.n * (fr.n - 1) / 2, true
}

// uFloor is the least u of an exact agreement: one pair in the file, but
// in a small file no more than the chance that two different companies
// share a name (taken as one in a million). For identifiers it is the u
// itself (see exactU): one in a billion for a credit code, which names one
// legal entity, so that a shared one is a typing error; one in ten million
// for a phone or e-mail. Without it a file of a hundred rows could not
// learn that agreeing on a credit code means much.
func (ds *dataset) uFloor(fi int, all float64) float64 {
	switch f := ds.features[fi]; {
	case f.key == "credit_code":
		return 1e-9
	case f.kind == kindID: // a phone or mailbox is shared more often: an agent, a front desk
		return 1e-7
	}
	return min(1/all, 1e-6)
}

// correctExactU lowers u of each exact level by the exact agreements that
// the model takes for matches (the candidate pairs at that level, weighed
// by their match probability); false when nothing moved.
func correctExactU(ds *dataset, md *model, pats []uint8, counts []float64) bool {
	nf := len(ds.features)
	exactMatches := make([]float64, nf)
	md.weigh()
	for k, c := range counts {
		pat := pats[k*nf : (k+1)*nf]
		p := md.prob(pat) * c
		for fi, l := range pat {
			if l == 0 {
				exactMatches[fi] += p
			}
		}
	}
	moved := false
	for fi, f := range ds.features {
		same, all, ok := exactCounts(ds, fi)
		// Only names and identifiers: for them an exact agreement between
		// two different entities is rare by nature. A shared address or
		// date of birth is common enough that the counts stand.
		if !ok {
			continue
		}
		matches := exactMatches[fi]
		if f.kind != kindName && f.kind != kindID {
			matches = 0
		}
		ex := max(max(same-matches, same/100)/all, ds.uFloor(fi, all))
		if f.kind == kindID { // see exactU
			ex = ds.uFloor(fi, all)
		}
		if fr := ds.freq[fi]; fr.nOrd >= 2 {
			ord := max(max(fr.sameOrd-matches, fr.sameOrd/100)/all, ds.uFloor(fi, all))
			if f.kind == kindID {
				ord = ex
			}
			md.uOrd[fi] = min(ord/(fr.nOrd/fr.n), 1)
		}
		if math.Abs(ex-md.u[fi][0]) > 0.01*md.u[fi][0] || md.uOrd[fi] == 0 {
			rescale(md.u[fi], ex)
			moved = true
		}
	}
	md.weigh()
	return moved
}

// rescale sets u[0] to ex and the other levels to their sampled shares of
// the rest.
func rescale(u []float64, ex float64) {
	rest := 1 - u[0]
	u[0] = ex
	for l := 1; l < len(u); l++ {
		u[l] = u[l] / rest * (1 - ex)
	}
}
