package dedupe

import (
	"math"
	"slices"
	"strings"
)

// affFeat is a parsed affiliation (see ParseAffiliation) ready to compare:
// its organisation and the other organisations it names.
type affFeat struct {
	org  []string
	alts [][]string
}

// parseAffiliations fills ds.affs for a list of affiliations alone
// (dataset.nameOnly) and the idf of their organisations' words.
func (ds *dataset) parseAffiliations(recs []Record, w int) {
	ds.affs = make([]affFeat, ds.n())
	// The place an affiliation names is a field of its own: the same
	// organisation in another city ("IBM Research, Hawthorne" and "IBM
	// Research, Yorktown Heights") is often another site.
	ds.features = append(ds.features, feature{key: "place", kind: kindPlace, levels: levelNames[kindPlace]})
	ds.vals = append(ds.vals, nil)
	ds.places = make([]place, ds.n())
	parallel(ds.n(), w, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			a := ParseAffiliation(recs[i].Fields["name"])
			ds.affs[i] = affFeat{org: a.Org, alts: a.Alt}
			ds.places[i] = place{city: a.City, prov: a.Country}
		}
	})
	docs := make([][]string, len(ds.affs))
	for i, a := range ds.affs {
		docs[i] = a.org
	}
	ds.orgIDF = wordsIDF(docs)
}

// wordsIDF is the inverse document frequency of the words of docs.
func wordsIDF(docs [][]string) map[string]float64 {
	df := map[string]int{}
	n := 0
	for _, ws := range docs {
		if len(ws) == 0 {
			continue
		}
		n++
		for i, w := range ws {
			if !slices.Contains(ws[:i], w) {
				df[w]++
			}
		}
	}
	idf := make(map[string]float64, len(df))
	for w, c := range df {
		idf[w] = math.Log(float64(n+1) / float64(c))
	}
	return idf
}

// Organisation levels, the same scale as nameOnlyLevels from "same trade
// name" on: 1 the same organisation (the same words), 2 one organisation
// written short (its words, or its initials, all in the other: "UC
// Berkeley" and "University of California, Berkeley", "HKUST"), then the
// similarity of their words weighted by idf (wordsLevel).
func orgLevel(x, y affFeat, idf map[string]float64) uint8 {
	best := orgPairLevel(x.org, y.org, idf)
	for _, a := range y.alts {
		best = min(best, orgPairLevel(x.org, a, idf))
	}
	for _, a := range x.alts {
		best = min(best, orgPairLevel(a, y.org, idf))
	}
	return best
}

func orgPairLevel(a, b []string, idf map[string]float64) uint8 {
	if len(a) == 0 || len(b) == 0 {
		return fineDifferent
	}
	ca, cb := covers(a, b), covers(b, a)
	switch {
	case ca && cb:
		return 1
	case ca || cb:
		return nameShort
	case wordsIn(a, b) || wordsIn(b, a):
		// All of one's words in the other, but not as its short form:
		// the other adds a word of its own before them ("Chinese
		// University of Hong Kong", "New York University"), another
		// organisation.
		return fineDifferent
	}
	return wordsLevel(weightedCosine(a, b, idf))
}

// wordsIn reports whether every word of a is in b.
func wordsIn(a, b []string) bool {
	for _, w := range a {
		if !slices.ContainsFunc(b, func(x string) bool { return sameWord(x, w) }) {
			return false
		}
	}
	return true
}

// covers reports whether every word of short, in order, is in long or is
// the initials of a run of long's words ("uc" for "university
// california", "nus" for "national university singapore"), long adding
// only keywords before short's last word and anything after it ("mit"
// and "mit csail", "university michigan" and "university michigan ann
// arbor", but not "york university" and "new york university"), and short
// naming one organisation: a word that is not a keyword (not
// "university", "research"), or initials.
func covers(short, long []string) bool {
	if len(short) > len(long) { // every word of short takes one of long or more
		return false
	}
	k, named := 0, false
	for _, w := range short {
		n := 0 // long's words that w takes
		switch {
		case k < len(long) && sameWord(long[k], w):
			n = 1
			named = named || !generic([]string{w})
		case initialsAt(w, long, k):
			n = len(w)
			named = true
		default:
			// long may have keywords here ("ibm research laboratory",
			// "ibm laboratory"); skip them.
			for k < len(long) && !sameWord(long[k], w) && generic(long[k:k+1]) {
				k++
			}
			if k == len(long) || !sameWord(long[k], w) {
				return false
			}
			n = 1
			named = named || !generic([]string{w})
		}
		k += n
	}
	return named
}

// sameWord reports whether a and b are one word, allowing in words of
// five letters or more one slip: a letter replaced, added, dropped, or two
// neighbours swapped ("univeristy", "singapor", "wisconsi").
func sameWord(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) < 5 || len(b) < 5 {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > 1 {
		return false
	}
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if len(a) < len(b) { // one letter added
		return a[i:] == b[i+1:]
	}
	if a[i+1:] == b[i+1:] { // one replaced
		return true
	}
	return i+1 < len(a) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] // two swapped
}

// initialsAt reports whether w (two letters or more) is the initials of
// long's words from k on.
func initialsAt(w string, long []string, k int) bool {
	if len(w) < 2 || k+len(w) > len(long) {
		return false
	}
	for j := range len(w) {
		if long[k+j][0] != w[j] {
			return false
		}
	}
	return true
}

// acronym is the initials of an organisation of two words or more, or its
// one word: the key that meets "NUS" and "National University of
// Singapore" in one block.
func acronym(org []string) string {
	if len(org) == 1 {
		return org[0]
	}
	var b strings.Builder
	for _, w := range org {
		b.WriteByte(w[0])
	}
	return b.String()
}

// affiliationLevel compares two affiliations: the same string is exact,
// otherwise their organisations decide (orgLevel).
func (ds *dataset) affiliationLevel(a, b int, jw *jaroWinkler) uint8 {
	x, y := ds.names[a], ds.names[b]
	if x.core == "" || y.core == "" {
		return missing
	}
	if x.core == y.core {
		return 0
	}
	l := orgLevel(ds.affs[a], ds.affs[b], ds.orgIDF)
	if l <= nameShort {
		return l
	}
	// Otherwise the words of the whole affiliation (its department,
	// city) and those of the organisation must both be alike: the rest
	// of "Dept. of CS, University of Hong Kong, Hong Kong" is that of
	// "Dept. of CS, Chinese University of Hong Kong, Hong Kong".
	return max(l, nameLevel(x, y, jw, ds.idf, true))
}

// orgHashes are the blocking keys of an affiliation: its organisation and
// that organisation's initials.
func orgHashes(a affFeat, dst []uint64) []uint64 {
	if len(a.org) == 0 {
		return dst
	}
	dst = append(dst, fnvAdd(fnvAdd(fnvOffset, "o:"), strings.Join(a.org, " ")))
	return append(dst, fnvAdd(fnvAdd(fnvOffset, "a:"), acronym(a.org)))
}

// levelShares is the share of each level of feature fi among the
// patterns where it is known, floored at minProb.
func levelShares(pats []uint8, counts []float64, nf, fi, levels int) []float64 {
	m := make([]float64, levels)
	var sum float64
	for k, c := range counts {
		if l := pats[k*nf+fi]; l != missing {
			m[l] += c
			sum += c
		}
	}
	for l := range m {
		m[l] = clamp(m[l]/max(sum, 1), minProb, 1)
	}
	return m
}

// estimateAffiliations fits the model of a list of affiliations: the name
// and the place it names. The place's m is learnt, as in a training
// session of Splink, among the pairs of the same organisation (name level
// 1 or better), whose places the blocking did not choose; the name's m and
// the prior by EM over all candidate pairs with the name alone, as for any
// list of names alone, the place's m held fixed. Fitted together, EM
// found "same string and same city" a class of its own.
func estimateAffiliations(ds *dataset, md *model, pats []uint8, counts []float64) *model {
	const nameF, placeF = 0, 1
	nf := len(ds.features)
	var sp []uint8
	var sc []float64
	for k, c := range counts {
		if pats[k*nf+nameF] <= 1 {
			sp = append(sp, pats[k*nf:(k+1)*nf]...)
			sc = append(sc, c)
		}
	}
	placeM := initialM(len(ds.features[placeF].levels))
	if total(sc) >= minSession {
		placeM = levelShares(sp, sc, nf, placeF, len(placeM))
	}
	all := float64(ds.n()) * float64(ds.n()-1) / 2
	uRand := md.u
	var share float64
	for range 5 {
		md.m, share = em(ds, pats, counts, md.u, []bool{true, false})
		md.m[placeF] = placeM
		md.prior = clamp(share*total(counts)/all, 1/all, maxPrior)
		md.u = matchFreeU(uRand, md.m, md.prior)
		md.u[placeF] = uRand[placeF]
	}
	md.uOrd = make([]float64, nf)
	md.single = true
	md.weigh()
	return md
}
