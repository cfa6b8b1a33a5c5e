package dedupe

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFoldWords(t *testing.T) {
	tests := []struct{ in, want string }{
		{"aalborg univ", "aalborg university"},
		{"dept of comput sci", "department of computer science"},
		{"ibm almaden res ctr", "ibm almaden research center"},
		{"bell labs", "bell laboratories"},
		{"natl inst of standards and tech", "national institute of standards and technology"},
		{"university of toronto", "university of toronto"}, // nothing to fold
		{"", ""},
	}
	for _, tt := range tests {
		got := strings.Join(foldWords(strings.Fields(tt.in)), " ")
		if got != tt.want {
			t.Errorf("foldWords(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestNameLevelNamesAlone checks the finer levels a list of names alone
// gets, and that without them (fine false) the levels stay as they were.
func TestNameLevelNamesAlone(t *testing.T) {
	idf := map[string]float64{"university": 0.2, "of": 0.1, "aalborg": 3, "denmark": 1.5, "department": 0.5,
		"computer": 0.7, "science": 0.7, "arizona": 3, "state": 1, "tempe": 3, "az": 2.5, "usa": 0.6, "toronto": 3}
	tests := []struct {
		a, b string
		fine uint8 // level with fine
		want uint8 // level without
	}{
		{"Aalborg Univ.", "Aalborg University", 0, 0}, // abbreviation folded
		{"Aalborg University", "Aalborg University, Denmark", 4, 3},
		// "University of X" and "University of Y": alike letter by
		// letter, different word by word.
		{"University of Aalborg", "University of Toronto", fineDifferent, 4},
		// One name is the other with words added.
		{"Arizona State University", "Arizona State University, Tempe, AZ, USA", 4, 4},
		{"Dept. of Computer Science, Aalborg University, Denmark", "Aalborg University, Denmark, Department of Computer Science", 1, 1}, // the same words in another order
		{"Department of Computer Science, Arizona State University, Tempe", "Aalborg University, Denmark", fineDifferent, nameDifferent},
		{"深圳市华为技术有限公司", "腾讯科技有限公司", fineDifferent, nameDifferent},
	}
	jw := newJW()
	for _, tt := range tests {
		x, y := newNameFeat(ParseName(tt.a)), newNameFeat(ParseName(tt.b))
		if got := nameLevel(x, y, jw, idf, true); got != tt.fine {
			t.Errorf("nameLevel(%s, %s, fine) = %d, want %d", tt.a, tt.b, got, tt.fine)
		}
		if got := nameLevel(x, y, jw, idf, false); got != tt.want {
			t.Errorf("nameLevel(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestWordsLevel(t *testing.T) {
	tests := []struct {
		s    float64
		want uint8
	}{{1, 3}, {0.92, 3}, {0.85, 4}, {0.8, 4}, {0.7, 5}, {0.65, 5}, {0.6, 6}, {0.5, 6}, {0.49, fineDifferent}, {0, fineDifferent}}
	for _, tt := range tests {
		if got := wordsLevel(tt.s); got != tt.want {
			t.Errorf("wordsLevel(%g) = %d, want %d", tt.s, got, tt.want)
		}
	}
}

// TestJoinAverage: a and b are likely one (0.8), b and c too (0.8), but a
// and c were never found alike; c would bring the mean of the group to
// 0.4 and stays apart, where single link would chain all three. d and e
// (0.6) join.
func TestJoinAverage(t *testing.T) {
	ds := &dataset{ids: []string{"a", "b", "c", "d", "e"}}
	pairs := []uint64{pairKey(0, 1), pairKey(1, 2), pairKey(3, 4)}
	probs := []float32{0.8, 0.8, 0.6}
	parent := []int32{0, 1, 2, 3, 4}
	find := func(x int32) int32 {
		for parent[x] != x {
			x = parent[x]
		}
		return x
	}
	if got := joinAverage(ds, pairs, probs, unlikely, likely, parent, find); got != 2 {
		t.Errorf("joined %d groups, want 2", got)
	}
	var roots []int32
	for i := range parent {
		roots = append(roots, find(int32(i)))
	}
	if diff := cmp.Diff([]int32{0, 0, 2, 3, 3}, roots); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	// With a–c also likely, the mean of c against {a, b} is 0.75: c joins.
	pairs = append(pairs, pairKey(0, 2))
	probs = append(probs, 0.7)
	parent = []int32{0, 1, 2, 3, 4}
	joinAverage(ds, pairs, probs, unlikely, likely, parent, find)
	if find(2) != find(0) || slices.Contains([]int32{find(3)}, find(0)) {
		t.Errorf("c not joined to a and b, or d joined to them: parents %v", parent)
	}
}

func FuzzNameLevelNamesAlone(f *testing.F) {
	f.Add("Aalborg Univ., Denmark", "Dept. of Computer Sci., Aalborg University")
	f.Add(", IBM Almaden Research Center, 650 Harry Road, CA 95120, San Jose, USA", "Almaden")
	f.Add("深圳市华为技术有限公司", "Huawei")
	f.Fuzz(func(t *testing.T, a, b string) {
		x, y := newNameFeat(ParseName(a)), newNameFeat(ParseName(b))
		idf := map[string]float64{}
		for _, w := range append(slices.Clone(x.tokens), y.tokens...) {
			idf[w] = 1
		}
		jw := newJW()
		l := nameLevel(x, y, jw, idf, true)
		if l != missing && int(l) >= len(nameOnlyLevels) {
			t.Fatalf("nameLevel(%q, %q) = %d, beyond the %d levels", a, b, l, len(nameOnlyLevels))
		}
		if r := nameLevel(y, x, jw, idf, true); r != l {
			t.Fatalf("nameLevel not symmetric: %d and %d for %q, %q", l, r, a, b)
		}
	})
}

// TestNamesAloneCopies: copies of one name, alone, compared by window
// only (each with the next), are one cluster; average link alone would
// leave them in pieces, since the pairs outside the window count as 0.
func TestNamesAloneCopies(t *testing.T) {
	ds := &dataset{ids: []string{"a", "b", "c", "d", "e"}, nameOnly: true,
		features: []feature{{key: "name", kind: kindName, levels: nameOnlyLevels}}}
	pairs := []uint64{pairKey(0, 1), pairKey(1, 2), pairKey(2, 3), pairKey(3, 4)}
	levels := []uint8{0, 0, 0, 0}
	probs := []float32{0.99, 0.99, 0.99, 0.99}
	got := cluster(ds, pairs, levels, probs, 0.9, &Report{})
	want := map[string]string{"a": "a", "b": "a", "c": "a", "d": "a", "e": "a"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("clusters (-want +got):\n%s", diff)
	}
}

func TestFreeText(t *testing.T) {
	tests := []struct {
		names []string
		want  bool
	}{
		{[]string{"Department of Computer Science, Aalborg University, Denmark", "IBM Almaden Research Center, San Jose"}, true},
		{[]string{"art's deli", "spago (los angeles)", "hard rock cafe"}, false},
		{[]string{"深圳市华为技术有限公司", "腾讯科技有限公司"}, false},
		{[]string{"", ""}, false},
	}
	for _, tt := range tests {
		var recs []Record
		for i, n := range tt.names {
			recs = append(recs, Record{ID: string(rune('a' + i)), Fields: map[string]string{"name": n}})
		}
		if got := prepare(recs, nil, 1).nameOnly; got != tt.want {
			t.Errorf("names alone %q: nameOnly %v, want %v", tt.names, got, tt.want)
		}
	}
	// The same free text beside another field is not names alone.
	recs := []Record{{ID: "a", Fields: map[string]string{"name": "IBM Almaden Research Center, 650 Harry Road, San Jose", "city": "San Jose"}}}
	if prepare(recs, nil, 1).nameOnly {
		t.Errorf("a name with a city counts as names alone")
	}
	// Run reports the finer levels for names alone.
	recs = []Record{
		{ID: "a", Fields: map[string]string{"name": "Dept. of Computer Sci., Aalborg Univ., Denmark"}},
		{ID: "b", Fields: map[string]string{"name": "Aalborg University, Department of Computer Science"}},
	}
	res, err := Run(t.Context(), recs, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(res.Report.Model[0].Levels); got != len(nameOnlyLevels) {
		t.Errorf("names alone: %d name levels in the model, want %d", got, len(nameOnlyLevels))
	}
}

// FuzzRunNamesAlone runs the names-alone path (free text, no other field)
// on any three names: every record gets a cluster, and nothing panics.
func FuzzRunNamesAlone(f *testing.F) {
	f.Add("Dept. of Computer Sci., Aalborg Univ., Denmark", "Aalborg University, Department of Computer Science", "IBM Almaden Research Center, San Jose, CA")
	f.Add("", "a b c d e f", "\xff \xff \xff \xff")
	f.Fuzz(func(t *testing.T, n1, n2, n3 string) {
		recs := []Record{
			{ID: "a", Fields: map[string]string{"name": n1 + " one two three four"}},
			{ID: "b", Fields: map[string]string{"name": n2 + " one two three four"}},
			{ID: "c", Fields: map[string]string{"name": n3}},
		}
		res, err := Run(t.Context(), recs, Options{SamplePairs: 10})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if res.Cluster[r.ID] == "" {
				t.Fatalf("record %s has no cluster: %v", r.ID, res.Cluster)
			}
		}
	})
}
