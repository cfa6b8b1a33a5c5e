package dedupe

import (
	"context"
	"math"
	"slices"
	"strings"

	"github.com/adrg/strutil/metrics"
)

// nameShort is the name level of a short name; the levels before it say
// the names agree.
const nameShort = 2

// missing is the level of a field that one of the two records lacks: it
// carries no evidence either way.
const missing = 255

// compareAll computes the level of every feature for every pair: a flat
// slice, len(features) entries per pair.
func compareAll(ctx context.Context, ds *dataset, pairs []uint64, w int) ([]uint8, error) {
	nf := len(ds.features)
	levels := make([]uint8, len(pairs)*nf)
	parallel(len(pairs), w, func(lo, hi int) {
		jw := newJW()
		for p := lo; p < hi; p++ {
			if (p-lo)&0xFFFF == 0 && ctx.Err() != nil {
				return
			}
			a, b := int(pairs[p]>>32), int(uint32(pairs[p]))
			for fi := range ds.features {
				levels[p*nf+fi] = ds.level(fi, a, b, jw)
			}
		}
	})
	return levels, ctx.Err()
}

// level compares feature fi of records a and b.
func (ds *dataset) level(fi, a, b int, jw *jaroWinkler) uint8 {
	switch ds.features[fi].kind {
	case kindName:
		if ds.affs != nil {
			return ds.affiliationLevel(a, b, jw)
		}
		return nameLevel(ds.names[a], ds.names[b], jw, ds.idf, ds.nameOnly)
	case kindPlace:
		return placeLevel(ds.places[a], ds.places[b])
	case kindID:
		return ds.idLevelHashed(fi, a, b)
	}
	if t := ds.strTab[fi]; t != nil {
		return t.of(a, b)
	}
	return stringLevel(ds.vals[fi][a], ds.vals[fi][b], jw, ds.wordIDF[fi])
}

// Name levels: 0 the same name without region and form; 1 the same trade
// name (the industry words dropped or changed) or the same words in
// another order; 2 a short name (a trade name the other name starts
// with); 3 similar; 4 somewhat similar; 5 different. With fine (a list
// of names alone, see dataset.nameOnly) names in words also have 5
// related and 6 weakly related, and different is 7 (nameOnlyLevels).
func nameLevel(x, y nameFeat, jw *jaroWinkler, idf map[string]float64, fine bool) uint8 {
	if x.core == "" || y.core == "" {
		return missing
	}
	if x.core == y.core {
		return 0
	}
	if x.han && y.han {
		if x.trade == y.trade && len(x.trade) >= 6 { // two Chinese characters or more
			return 1
		}
		if shortName(x, y) || shortName(y, x) {
			return nameShort
		}
		// Decode both names once for the slip and the similarity.
		jw.ra, jw.rb = decode(jw.ra, x.core), decode(jw.rb, y.core)
		if oneSlip(jw.ra, jw.rb) {
			return nameShort + 1
		}
		return fineLevel(simLevel(jw.compareRunes(jw.ra, jw.rb), 3), fine)
	}
	j, c := tokenOverlap(x.tokens, y.tokens)
	if j == 1 {
		return 1
	}
	// Long names ("IBM Almaden Research Center, 650 Harry Road, San
	// Jose") are compared by their rare words; short ones letter by
	// letter and word by word.
	s := weightedCosine(x.tokens, y.tokens, idf)
	if fine {
		// Alone, the name is all the evidence, and letter-by-letter
		// similarity or a plain share of words finds "University of X"
		// and "University of Y" alike: only rare words count, and only
		// one-word names are compared letter by letter.
		if len(x.tokens) == 1 && len(y.tokens) == 1 {
			s = max(s, jw.Compare(x.core, y.core))
		}
		if c == 1 && min(len(x.tokens), len(y.tokens)) >= 2 {
			s = max(s, 0.9) // one name is the other with words added
		}
		return wordsLevel(s)
	}
	s = max(s, j)
	if max(len(x.tokens), len(y.tokens)) <= 4 {
		s = max(s, jw.Compare(x.core, y.core))
	}
	if c == 1 && min(len(x.tokens), len(y.tokens)) >= 2 {
		s = max(s, 0.9) // one name is the other with words added
	}
	return fineLevel(simLevel(s, 3), fine)
}

// nameDifferent is the name level "different"; fineDifferent is that
// level among nameOnlyLevels.
const (
	nameDifferent = 5
	fineDifferent = 7
)

// fineLevel moves "different" to its place among nameOnlyLevels when fine
// is set, for the Chinese names, which do not use the finer levels.
func fineLevel(l uint8, fine bool) uint8 {
	if fine && l == nameDifferent {
		return fineDifferent
	}
	return l
}

// wordsLevel is the level among nameOnlyLevels of two names in words with
// similarity s. Two ways of writing an affiliation, one with its
// department, street and country, often share only half their rare words;
// the finer levels let the model learn how much that says.
func wordsLevel(s float64) uint8 {
	switch {
	case s >= 0.8:
		return simLevel(s, 3)
	case s >= 0.65:
		return 5
	case s >= 0.5:
		return 6
	}
	return fineDifferent
}

// oneSlip reports whether two Chinese names of four characters or more
// differ by one character replaced, added or dropped (星酷商贸, 盛酷商贸):
// one slip of the input method. Jaro-Winkler finds such short strings
// only somewhat similar.
func oneSlip(x, y []rune) bool {
	if len(x) > len(y) {
		x, y = y, x
	}
	if len(x) < 4 || len(y)-len(x) > 1 {
		return false
	}
	i := 0
	for i < len(x) && x[i] == y[i] {
		i++
	}
	if i == len(x) { // equal, or y is x with one more character at the end
		return true
	}
	if len(x) == len(y) {
		return slices.Equal(x[i+1:], y[i+1:])
	}
	return slices.Equal(x[i:], y[i+1:])
}

// shortName reports whether x is the short name people say for y: a trade
// name alone (two characters or more) that y's name starts with
// ("君聚天华" for "君聚天华工艺装饰品"), where the parser did not find the
// industry words that would make the two trade names equal.
func shortName(x, y nameFeat) bool {
	return x.core == x.trade && len(x.trade) >= 6 && len(y.core) > len(x.core) && strings.HasPrefix(y.core, x.trade)
}

// weightedCosine is the cosine of two word sets weighted by idf: the share
// of the names' information that they have in common.
func weightedCosine(a, b []string, idf map[string]float64) float64 {
	var dot, na, nb float64
	for i, w := range a {
		if slices.Contains(a[:i], w) {
			continue
		}
		x := idf[w] * idf[w]
		na += x
		if slices.Contains(b, w) {
			dot += x
		}
	}
	for i, w := range b {
		if !slices.Contains(b[:i], w) {
			nb += idf[w] * idf[w]
		}
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// simLevel maps a similarity to the levels similar / somewhat / different
// starting at first.
func simLevel(s float64, first uint8) uint8 {
	switch {
	case s >= 0.92:
		return first
	case s >= 0.8:
		return first + 1
	}
	return first + 2
}

// tokenOverlap returns the Jaccard index of two word sets and the share of
// the smaller set found in the larger.
func tokenOverlap(a, b []string) (jaccard, contain float64) {
	if len(a) == 0 || len(b) == 0 {
		return 0, 0
	}
	inter := 0
	for i, w := range a {
		if slices.Contains(a[:i], w) {
			continue
		}
		if slices.Contains(b, w) {
			inter++
		}
	}
	ua, ub := distinctCount(a), distinctCount(b)
	return float64(inter) / float64(ua+ub-inter), float64(inter) / float64(min(ua, ub))
}

func distinctCount(ws []string) int {
	n := 0
	for i, w := range ws {
		if !slices.Contains(ws[:i], w) {
			n++
		}
	}
	return n
}

// Place levels: 0 same city; 1 same province (one side knows only the
// province, or both only it); 2 different.
func placeLevel(x, y place) uint8 {
	switch {
	case x.city != "" && y.city != "":
		if x.city == y.city || wordPrefix(x.city, y.city) || wordPrefix(y.city, x.city) {
			return 0
		}
		return 2
	case x.prov != "" && y.prov != "":
		if x.prov == y.prov {
			return 1
		}
		return 2
	}
	return missing
}

// wordPrefix reports whether short is long's first words ("new york",
// "new york city").
func wordPrefix(short, long string) bool {
	return len(long) > len(short) && strings.HasPrefix(long, short) && long[len(short)] == ' '
}

// idLevelHashed is idLevel of feature fi of records a and b: only when
// the two records share a hash are the strings compared (a hash collision
// then costs a string comparison, never a wrong level).
func (ds *dataset) idLevelHashed(fi, a, b int) uint8 {
	off, h := ds.idOff[fi], ds.idHash[fi]
	x, y := h[off[a]:off[a+1]], h[off[b]:off[b+1]]
	if len(x) == 0 || len(y) == 0 {
		return missing
	}
	for _, u := range x {
		for _, v := range y {
			if u == v {
				return idLevel(ds.vals[fi][a], ds.vals[fi][b])
			}
		}
	}
	return 1
}

// idLevel: 0 when the two lists share a value, 1 when they do not.
func idLevel(x, y string) uint8 {
	if x == "" || y == "" {
		return missing
	}
	if x == y {
		return 0
	}
	if !strings.Contains(x, listSep) && !strings.Contains(y, listSep) {
		return 1
	}
	for v := range strings.SplitSeq(x, listSep) {
		for w := range strings.SplitSeq(y, listSep) {
			if v == w {
				return 0
			}
		}
	}
	return 1
}

var lev = metrics.NewLevenshtein()

// numeric reports whether s is digits with separators: a date, a number.
func numeric(s string) bool {
	d := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			d++
		case r == '-' || r == '/' || r == '.' || r == ' ' || r == ':':
		default:
			return false
		}
	}
	return d > 0
}

// stringLevel: 0 equal, 1 similar, 2 somewhat similar, 3 different.
// Values of several words (an address) are also compared by their rare
// words, weighted by idf.
func stringLevel(x, y string, jw *jaroWinkler, idf map[string]float64) uint8 {
	if x == "" || y == "" {
		return missing
	}
	if x == y {
		return 0
	}
	if numeric(x) && numeric(y) {
		// Dates, postcodes, numbers: a slip of one or two keys, not
		// Jaro-Winkler, which finds "1498-01-01" and "1544-01-01" alike.
		switch d := lev.Distance(x, y); {
		case d <= 1:
			return 1
		case d == 2:
			return 2
		}
		return 3
	}
	s := jw.Compare(x, y)
	if strings.Contains(x, " ") || strings.Contains(y, " ") {
		xs, ys := strings.Fields(x), strings.Fields(y)
		j, _ := tokenOverlap(xs, ys)
		s = max(s, j)
		if idf != nil {
			s = max(s, weightedCosine(xs, ys, idf))
		}
	}
	return simLevel(s, 1)
}
