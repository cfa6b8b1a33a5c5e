package dedupe

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseAffiliation(t *testing.T) {
	tests := []struct {
		in                       string
		org, dept, city, country string
	}{
		{", IBM Almaden Research Center, 650 Harry Road, CA 95120, San Jose, USA", "ibm almaden research center", "", "san jose", "usa"},
		{"Comp. Sci. Div, Dept EECS, UC Berkeley, Berkeley, CA", "uc berkeley", "computer science division department eecs", "berkeley", "usa"},
		// The campus after "University of X" is part of its name and
		// where it is.
		{"University of California, Berkeley, Computer Science Division, Berkeley, CA 94720-1776, USA; E-mail: {a,b}@cs.berkeley.edu", "university california berkeley", "computer science division", "berkeley", "usa"},
		{"University of Maryland, College Park, MD 20742, USA", "university maryland college park", "", "college park", "usa"},
		{"University of Toronto, Toronto, ON, Canada", "university toronto", "", "toronto", "canada"},
		// A department in the organisation's segment is dropped; a
		// university outranks an institute or a company before it.
		{"Department of Computer Science University of Maryland", "university maryland", "", "", ""},
		{"Institute for Advanced Computer Studies, University of Maryland", "university maryland", "", "", ""},
		{"San Diego Supercomputer Center, University of California San Diego, La Jolla, CA", "university california san diego", "", "jolla", "usa"}, // "la" joins words
		// Other scripts and spellings fold to one.
		{"Technische Universität Wien, Wien, Austria", "technical university vienna", "", "vienna", "austria"},
		{"Università di Pisa, Pisa, Italy", "university pisa", "", "pisa", "italy"},
		{"Nat'l University of Singapore", "national university singapore", "", "", ""},
		{"National U. of Singapore, Singapore", "national university singapore", "", "", "singapore"},
		{"U.C. Berkeley", "uc berkeley", "", "", ""},
		{"AT & T Labs-Research, Florham Park, NJ", "att laboratories research", "", "florham park", "usa"},
		// Legal forms go; a company's country goes to the place.
		{"Oracle USA Inc, Redwood Shores, CA", "oracle", "", "redwood shores", "usa"},
		{"Microsoft Corp., One Microsoft Way, Redmond, WA", "microsoft", "", "redmond", "usa"},
		{"Bell Laboratories (India)", "bell laboratories", "", "", "india"},
		// A comma inside the name.
		{"IBM T. J. Watson, Research Center", "ibm tj watson research center", "", "", ""},
		// HTML entities and contact details.
		{"AT&T Labs&mdash;&#8212;Research, Florham Park, NJ", "att laboratories research", "", "florham park", "usa"},
		{"Oracle Corporation, One Oracle Drive, Nashua, NH 03062, USA; e-mail: ning.an&commat;oracle.com", "oracle", "", "nashua", "usa"},
		// Nothing but a place: the place is all there is.
		{"Berkeley", "berkeley", "", "", ""},
		{"USA", "usa", "", "", ""},
		{"", "", "", "", ""},
		{"; , ,", "", "", "", ""},
	}
	for _, tt := range tests {
		a := ParseAffiliation(tt.in)
		got := []string{strings.Join(a.Org, " "), strings.Join(a.Dept, " "), a.City, a.Country}
		want := []string{tt.org, tt.dept, tt.city, tt.country}
		if !slices.Equal(got, want) {
			t.Errorf("ParseAffiliation(%q) = org %q dept %q city %q country %q, want %q", tt.in, got[0], got[1], got[2], got[3], want)
		}
	}
}

func TestCovers(t *testing.T) {
	tests := []struct {
		short, long string
		want        bool
	}{
		{"uc berkeley", "university california berkeley", true},
		{"hkust", "hong kong university science technology", true},
		{"nus", "national university singapore", true},
		{"ucla", "university california los angeles", true},
		{"ibm tj watson research center", "ibm thomas j watson research center", true}, // "tj": the initials of "thomas j"
		{"mit", "mit csail", true},
		{"university michigan", "university michigan ann arbor", true},
		{"att research", "att laboratories research", true}, // a keyword between
		{"national univeristy singapore", "national university singapore", true},
		// Words before, or between, that are not keywords make another
		// organisation.
		{"york university", "new york university", false},
		{"university california los angeles", "university southern california los angeles", false},
		{"university hong kong", "chinese university hong kong", false},
		{"columbia university", "university british columbia", false},
		// Keywords alone name no one.
		{"university", "university toronto", false},
		{"research center", "ibm almaden research center", false},
		{"", "ibm", false},
	}
	for _, tt := range tests {
		if got := covers(strings.Fields(tt.short), strings.Fields(tt.long)); got != tt.want {
			t.Errorf("covers(%q, %q) = %v, want %v", tt.short, tt.long, got, tt.want)
		}
	}
}

func TestSameWord(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"university", "university", true},
		{"univeristy", "university", true}, // swapped
		{"singapor", "singapore", true},    // dropped
		{"wisconsi", "wisconsin", true},
		{"sillicon", "silicon", true}, // added
		{"mirosoft", "microsoft", true},
		{"berkeley", "berkelay", true}, // replaced
		{"toronto", "taranto", false},  // two letters
		{"ucla", "ucsd", false},        // too short for a slip
		{"york", "yorks", false},
	}
	for _, tt := range tests {
		if got := sameWord(tt.a, tt.b); got != tt.want {
			t.Errorf("sameWord(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := sameWord(tt.b, tt.a); got != tt.want {
			t.Errorf("sameWord(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}

// TestAffiliationLevels compares affiliations as the engine does for a
// list of names alone: the organisation decides, the place is a field of
// its own.
func TestAffiliationLevels(t *testing.T) {
	names := []string{
		"University of California, Berkeley, Berkeley, CA, USA", // 0
		"EECS Dept., UC Berkeley",                               // 1
		"Department of Computer Science, University of California, Berkeley",
		"Hong Kong University of Science and Technology, Hong Kong", // 3
		"HKUST", // 4
		"Chinese University of Hong Kong, Hong Kong, China",      // 5
		"University of Hong Kong, Hong Kong, China",              // 6
		"IBM T.J. Watson Research Center, Hawthorne, NY",         // 7
		"IBM T. J. Watson Research Center, Yorktown Heights, NY", // 8
		"IBM T. J. Watson Research Center, Hawthorne, NY, USA",   // 9
	}
	var recs []Record
	for i, n := range names {
		recs = append(recs, Record{ID: string(rune('a' + i)), Fields: map[string]string{"name": n}})
	}
	ds := prepare(recs, nil, 1)
	if !ds.nameOnly || ds.affs == nil || len(ds.features) != 2 || ds.features[1].key != "place" {
		t.Fatalf("affiliations alone: nameOnly %v, parsed %v, features %v", ds.nameOnly, ds.affs != nil, ds.fieldNames())
	}
	jw := newJW()
	tests := []struct {
		a, b        int
		name, place uint8
	}{
		{0, 1, nameShort, missing}, // "UC Berkeley" is short for it
		{0, 2, 1, 0},               // the same organisation, a department added
		{3, 4, nameShort, missing},
		{5, 6, fineDifferent, 1}, // another university, in the same country
		{7, 9, 1, 0},
		{7, 8, 1, 2}, // the same organisation at another site
	}
	for _, tt := range tests {
		if got := ds.level(0, tt.a, tt.b, jw); got != tt.name {
			t.Errorf("name level of %q and %q = %d, want %d", names[tt.a], names[tt.b], got, tt.name)
		}
		if got := ds.level(1, tt.a, tt.b, jw); got != tt.place {
			t.Errorf("place level of %q and %q = %d, want %d", names[tt.a], names[tt.b], got, tt.place)
		}
	}
	// The organisation's initials are a blocking key: "HKUST" meets its
	// full name.
	if !slices.Contains(orgHashes(ds.affs[3], nil), orgHashes(ds.affs[4], nil)[1]) {
		t.Errorf("HKUST and its full name share no blocking key")
	}
}

// FuzzParseAffiliation: any string parses without panic, and every part
// is made of the string's own normalised words: the organisation, the
// department, the place, the city, the rest; the country is one of the
// known spellings.
func FuzzParseAffiliation(f *testing.F) {
	f.Add(", IBM Almaden Research Center, 650 Harry Road, CA 95120, San Jose, USA")
	f.Add("University of California, Berkeley, Computer Science Division, Berkeley, CA 94720-1776, USA; E-mail: {a,b}@cs.berkeley.edu")
	f.Add("Technische Universität Wien, Wien, Austria")
	f.Add("AT & T Labs&mdash;&#8212;Research, Florham Park, NJ")
	f.Add("U. C. , ; / () \xff é")
	f.Fuzz(func(t *testing.T, s string) {
		a := ParseAffiliation(s)
		var words []string
		for _, seg := range affilSegments(s) {
			words = append(words, seg...)
		}
		parts := slices.Concat(a.Org, a.Dept, a.Place, a.Other, strings.Fields(a.City))
		for _, alt := range a.Alt {
			parts = append(parts, alt...)
		}
		for _, w := range parts {
			if !slices.Contains(words, w) {
				t.Fatalf("ParseAffiliation(%q): part word %q is not a word of the string %q", s, w, words)
			}
			if w == "" || !utf8.ValidString(w) {
				t.Fatalf("ParseAffiliation(%q): empty or invalid word %q", s, w)
			}
		}
		if a.Country != "" {
			known := a.Country == "usa"
			for _, c := range countryNames {
				known = known || c == a.Country
			}
			if !known {
				t.Fatalf("ParseAffiliation(%q): unknown country %q", s, a.Country)
			}
		}
		_ = acronym(a.Org)
		covers(a.Org, a.Org)
	})
}
