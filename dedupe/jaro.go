package dedupe

// jaroWinkler computes what metrics.JaroWinkler (github.com/adrg/strutil,
// case sensitive) computes, bit for bit, without allocating: that
// implementation turns each string into runes six times per comparison
// and builds two slices of matched runes, which made it a third of the
// comparison of a million customers' pairs, most of it allocation. This
// one decodes each string once into buffers it keeps, and is checked
// against the library by TestJaroWinklerSameAsLibrary and
// FuzzJaroWinkler. One per goroutine.
type jaroWinkler struct {
	ra, rb []rune
	usedA  []bool
	usedB  []bool
	mA, mB []rune
}

// decode appends the runes of s to dst[:0], as []rune(s) would give them
// (an invalid byte is one utf8.RuneError).
func decode(dst []rune, s string) []rune {
	dst = dst[:0]
	for _, r := range s {
		dst = append(dst, r)
	}
	return dst
}

// Compare returns the Jaro-Winkler similarity of a and b.
func (j *jaroWinkler) Compare(a, b string) float64 {
	j.ra, j.rb = decode(j.ra, a), decode(j.rb, b)
	return j.compareRunes(j.ra, j.rb)
}

// compareRunes is Compare of two decoded strings; ra and rb may be j.ra
// and j.rb.
func (j *jaroWinkler) compareRunes(ra, rb []rune) float64 {
	// The common prefix, at most four runes.
	lenPrefix := 0
	for lenPrefix < len(ra) && lenPrefix < len(rb) && ra[lenPrefix] == rb[lenPrefix] {
		lenPrefix++
	}
	lenPrefix = min(lenPrefix, 4)
	similarity := j.jaro(ra, rb)
	return similarity + (0.1 * float64(lenPrefix) * (1.0 - similarity))
}

func (j *jaroWinkler) jaro(ra, rb []rune) float64 {
	lenA, lenB := len(ra), len(rb)
	if lenA == 0 && lenB == 0 {
		return 1
	}
	if lenA == 0 || lenB == 0 {
		return 0
	}
	halfLen := max(0, max(lenA, lenB)/2)
	j.mA = matching(ra, rb, halfLen, &j.usedB, j.mA)
	j.mB = matching(rb, ra, halfLen, &j.usedA, j.mB)
	fmLen, smLen := len(j.mA), len(j.mB)
	if fmLen == 0 || smLen == 0 {
		return 0.0
	}
	t := 0
	for i := range min(fmLen, smLen) {
		if j.mA[i] != j.mB[i] {
			t++
		}
	}
	return (float64(fmLen)/float64(lenA) +
		float64(smLen)/float64(lenB) +
		float64(fmLen-t/2)/float64(fmLen)) / 3.0
}

// matching appends to dst[:0] the runes of a that find an unused equal
// rune of b within limit of their position, in a's order, marking the
// runes of b used (the library's matchingRunes).
func matching(a, b []rune, limit int, used *[]bool, dst []rune) []rune {
	dst = dst[:0]
	u := (*used)[:0]
	for range b {
		u = append(u, false)
	}
	*used = u
	for i, r := range a {
		end := min(i+limit+1, len(b))
		for k := max(0, i-limit); k < end; k++ {
			if !u[k] && r == b[k] {
				dst = append(dst, r)
				u[k] = true
				break
			}
		}
	}
	return dst
}
