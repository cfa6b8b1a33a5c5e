package dedupe

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Affiliation is a free-text affiliation ("Dept. of Computer Science,
// University of California, Berkeley, CA 94720, USA; E-mail: …") split
// into its parts, every part as normalised words (lower case, accents
// dropped, abbreviations and a few foreign words of organisation names
// folded to English, "of", "the", "de" … dropped): Org is the organisation
// ("university california berkeley": its strongest segment, with a campus
// that follows a "University of X"), Dept the department, school or lab
// segments, Place the places (countries, states, cities) and Other the
// segments that are none of these. Streets, postcodes, e-mail addresses
// and web addresses are dropped.
type Affiliation struct {
	Org, Dept, Place, Other []string
	// City is the first segment after the organisation that names no
	// organisation, department or country, its postcode and state
	// dropped ("yorktown heights"); Country is the country that Place
	// names, in one spelling ("usa" for a state of the United States).
	City, Country string
	// Alt are the other segments that name an organisation ("Lucent
	// Technologies" after "Bell Laboratories"): a second chance to meet.
	Alt [][]string
}

// segment classes, from the strongest organisation to noise.
type segClass uint8

const (
	segUniversity segClass = iota // a university, college
	segInstitute                  // an institute
	segCompany                    // a company, laboratory, research centre
	segUnknown                    // a name with no keyword: "Oracle", "Berkeley", "HKUST"
	segDept                       // a department, division, school, group
	segPlace                      // a country, state, postcode
	segNoise                      // a street, a post box, a room
)

// ParseAffiliation splits an affiliation into its parts. It never fails:
// a string with no organisation keyword takes its first segment that is
// not a place, department or street as the organisation (or, with none,
// its first segment).
func ParseAffiliation(s string) Affiliation {
	var a Affiliation
	segs := affilSegments(s)
	classes := make([]segClass, len(segs))
	best := -1
	for i, ws := range segs {
		classes[i] = classify(ws)
		if classes[i] <= segUnknown && (best < 0 || classes[i] < classes[best]) {
			best = i
		}
	}
	if best < 0 {
		for i, c := range classes {
			if c != segNoise && len(segs[i]) > 0 {
				best = i
				break
			}
		}
	}
	if best < 0 {
		return a
	}
	for i, ws := range segs {
		switch {
		case i == best:
			if i > 0 && classes[i-1] == segUnknown && generic(ws) {
				// "IBM T. J. Watson, Research Center": a comma inside
				// the name.
				a.Org = append(a.Org, segs[i-1]...)
				a.Other = a.Other[:len(a.Other)-len(segs[i-1])]
			}
			a.Org = append(a.Org, orgWords(ws)...)
			if i+1 < len(segs) && isCampus(ws, segs[i+1], classes[i+1]) {
				a.Org = append(a.Org, segs[i+1]...)
				a.City = strings.Join(segs[i+1], " ") // the campus is where it is
				classes[i+1] = segNoise               // taken
			}
		case classes[i] < segUnknown:
			a.Alt = append(a.Alt, orgWords(ws))
		case classes[i] == segDept:
			a.Dept = append(a.Dept, ws...)
		case classes[i] == segPlace:
			a.Place = append(a.Place, ws...)
		case classes[i] == segNoise:
		default:
			a.Other = append(a.Other, ws...)
			if a.City == "" && i > best {
				a.City = cityOf(ws)
			}
		}
	}
	a.Org = trimOrg(a.Org, classes[best] >= segCompany, &a.Place)
	a.Country = countryOf(a.Place)
	return a
}

// trimOrg drops the legal form from an organisation ("Oracle Corp.",
// "Oracle USA Inc": the same company) and, from a company's name, the
// countries at its end, which go to the place ("Oracle USA", "Bell Labs
// India"); a university's name keeps them ("National University of
// Singapore"). It never leaves the organisation empty.
func trimOrg(org []string, company bool, place *[]string) []string {
	var kept []string
	for _, w := range org {
		if !companyForms[w] {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		return org
	}
	for company && len(kept) > 1 {
		w := kept[len(kept)-1]
		if _, ok := countryNames[w]; !ok || usStates[w] {
			break
		}
		*place = append(*place, w)
		kept = kept[:len(kept)-1]
	}
	return kept
}

// cityOf is a segment as a city: its postcodes and the states or
// countries after it dropped ("stanford ca 94305" → "stanford"); empty
// when more than three words are left.
func cityOf(ws []string) string {
	var c []string
	for _, w := range ws {
		if !hasDigit(w) {
			c = append(c, w)
		}
	}
	for len(c) > 1 && placeWords[c[len(c)-1]] {
		c = c[:len(c)-1]
	}
	if len(c) == 0 || len(c) > 3 {
		return ""
	}
	return strings.Join(c, " ")
}

// countryOf is the country that place words name, the last one named:
// "usa" also for a state of the United States when no country is named.
func countryOf(ws []string) string {
	country, state := "", false
	for i, w := range ws {
		if i+1 < len(ws) {
			if c, ok := countryNames[w+" "+ws[i+1]]; ok {
				country = c
				continue
			}
		}
		if c, ok := countryNames[w]; ok {
			country = c
		} else if usStates[w] {
			state = true
		}
	}
	if country == "" && state {
		return "usa"
	}
	return country
}

// isCampus reports whether next, the segment after the organisation org,
// names its campus or city as part of its name: "University of
// California, Berkeley", "University of Maryland, College Park", "Indian
// Institute of Technology, Bombay". A name with its place already in it
// ("University of Toronto, Toronto") takes nothing.
func isCampus(org, next []string, c segClass) bool {
	// "College Park" reads like a college.
	named := c == segInstitute && len(next) <= 2 && !containsWord(next, "institute")
	if (c != segUnknown && !named) || len(next) == 0 || len(next) > 3 || len(org) < 2 {
		return false
	}
	// A name that has its campus already ("University of California
	// San Diego, La Jolla") takes none.
	if (org[0] != "university" && org[0] != "institute") || len(org) > 3 {
		return false
	}
	for _, w := range next {
		if containsWord(org, w) {
			return false
		}
	}
	return true
}

// orgWords drops a department that leads the organisation's segment
// ("department computer science university maryland"): the words from the
// last academic keyword's phrase on. A segment with no such keyword is
// kept whole.
func orgWords(ws []string) []string {
	if len(ws) == 0 || !deptWords[ws[0]] {
		return ws
	}
	for i, w := range ws {
		if universityWords[w] || instituteWords[w] {
			// "University of X" starts at the keyword; "X University"
			// one word before it.
			if i+1 < len(ws) || i == 0 {
				return ws[i:]
			}
			return ws[i-1:]
		}
	}
	return ws
}

func containsWord(ws []string, w string) bool {
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}

// classify says what a segment of words is.
func classify(ws []string) segClass {
	if len(ws) == 0 {
		return segNoise
	}
	if isStreet(ws) {
		return segNoise
	}
	hasUniv, hasInst, hasCompany, hasDept := false, false, false, false
	allPlace := true
	for _, w := range ws {
		hasUniv = hasUniv || universityWords[w]
		hasInst = hasInst || instituteWords[w]
		hasCompany = hasCompany || companyWords[w]
		hasDept = hasDept || deptWords[w]
		if !placeWords[w] && !isDigits(w) {
			allPlace = false
		}
	}
	switch {
	case allPlace:
		return segPlace
	case hasUniv:
		return segUniversity
	case hasInst:
		return segInstitute
	case hasDept:
		return segDept
	case hasCompany:
		return segCompany
	}
	return segUnknown
}

// isStreet reports whether a segment is an address line: a number with a
// street word, or a post box.
func isStreet(ws []string) bool {
	num, street := false, false
	for _, w := range ws {
		num = num || hasDigit(w)
		street = street || streetWords[w]
	}
	return street && (num || len(ws) <= 4)
}

func isDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

func hasDigit(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= '0' && w[i] <= '9' {
			return true
		}
	}
	return false
}

// affilSegments cleans s (HTML entities, e-mail and web addresses) and
// splits it at commas, semicolons, slashes and brackets into segments of
// normalised words.
func affilSegments(s string) [][]string {
	s = cutContact(htmlEntities.Replace(s))
	var segs [][]string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == '/' || r == '(' || r == ')' || r == '|' || r == '，' || r == '；'
	}) {
		if ws := affilWords(part); len(ws) > 0 {
			segs = append(segs, ws)
		}
	}
	return segs
}

// htmlEntities are the HTML entities that affiliations scraped from web
// pages carry; dashes become spaces.
var htmlEntities = strings.NewReplacer("&amp;", "&", "&ndash;", " ", "&mdash;", " ", "&#8211;", " ", "&#8212;", " ",
	"&commat;", "@", "&lcub;", "{", "&rcub;", "}", "&nbsp;", " ", "&quot;", " ", "&apos;", "'")

// cutContact drops what follows "e-mail", "email" or "http": contact
// details, not the organisation. Words holding "@" are dropped later.
func cutContact(s string) string {
	l := strings.ToLower(s)
	for _, m := range []string{"e-mail", "email", "http:", "https:", "www."} {
		if i := strings.Index(l, m); i >= 0 {
			s, l = s[:i], l[:i]
		}
	}
	return s
}

// affilWords normalises one segment into words: width and case folded,
// accents dropped, "AT&T" and "AT & T" one word, "U. C." and "U.C." one
// word ("uc"), abbreviations and foreign words folded (abbrev,
// foreignWords), words joining the name ("of", "the", "de") dropped.
func affilWords(s string) []string {
	var raw []string
	for f := range strings.FieldsSeq(joinAmpersand(s)) {
		if strings.Contains(f, "@") {
			continue
		}
		// Inside a word, dots, apostrophes and ampersands vanish
		// ("Nat'l", "AT&T", "U.C."); other punctuation splits.
		f = foldLatin(f)
		for w := range strings.FieldsFuncSeq(f, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '\'' && r != '&'
		}) {
			w = strings.Map(func(r rune) rune {
				if r == '.' || r == '\'' || r == '&' {
					return -1
				}
				return r
			}, w)
			if w != "" {
				raw = append(raw, w)
			}
		}
	}
	raw = joinInitials(raw)
	out := raw[:0]
	for _, w := range raw {
		if full, ok := abbrev[w]; ok {
			w = full
		}
		if full, ok := foreignWords[w]; ok {
			w = full
		} else if w == "u" { // "National U. of Singapore"
			w = "university"
		}
		if !joinWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// joinAmpersand writes "AT & T" as "AT&T": an ampersand between two short
// words in capitals is part of a name, not "and".
func joinAmpersand(s string) string {
	fs := strings.Fields(s)
	for i := 1; i+1 < len(fs); i++ {
		if fs[i] == "&" && shortCaps(fs[i-1]) && shortCaps(fs[i+1]) {
			fs[i-1] += "&" + fs[i+1]
			fs = append(fs[:i], fs[i+2:]...)
		}
	}
	return strings.Join(fs, " ")
}

func shortCaps(w string) bool {
	if len(w) == 0 || len(w) > 2 {
		return false
	}
	for _, r := range w {
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// joinInitials joins a run of two or more one-letter words ("u c
// berkeley" → "uc berkeley"): initials written with dots and spaces.
func joinInitials(ws []string) []string {
	out := ws[:0]
	for i := 0; i < len(ws); {
		j := i
		for j < len(ws) && len(ws[j]) == 1 && !isDigits(ws[j]) {
			j++
		}
		if j-i >= 2 {
			out = append(out, strings.Join(ws[i:j], ""))
			i = j
			continue
		}
		out = append(out, ws[i])
		i++
	}
	return out
}

// foldLatin folds width and case and drops accents: "Universität" →
// "universitat".
func foldLatin(s string) string {
	s = width.Fold.String(s)
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'ß':
			b.WriteString("ss")
			continue
		case 'ø':
			r = 'o'
		case 'æ':
			b.WriteString("ae")
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// generic reports whether every word of ws is a keyword of organisation
// names ("research center"): such a segment names no one organisation.
func generic(ws []string) bool {
	for _, w := range ws {
		if !universityWords[w] && !instituteWords[w] && !companyWords[w] && !deptWords[w] {
			return false
		}
	}
	return true
}
