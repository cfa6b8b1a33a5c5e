package sqldb

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dossier/dossier"
)

// TestEncodeExplanationIsJSONMarshal: the recompute compares a score's
// explanation with the stored text byte for byte, so the fast encoder must
// give exactly what json.Marshal gives, for real scores and for arguments
// and strings it hands back to json.Marshal.
func TestEncodeExplanationIsJSONMarshal(t *testing.T) {
	check := func(lines []dossier.ScoreLine) {
		t.Helper()
		want, err := json.Marshal(lines)
		if err != nil {
			t.Fatal(err)
		}
		if got := encodeExplanation(lines); !bytes.Equal(got, want) {
			t.Fatalf("encodeExplanation:\n got %s\nwant %s", got, want)
		}
	}
	check(nil)
	check([]dossier.ScoreLine{})
	rng := rand.New(rand.NewPCG(1, 2))
	asOf := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	s := dossier.DefaultScoreSettings()
	for range 5000 {
		in := dossier.ScoreInputs{RecentContacts: rng.IntN(200)}
		if rng.IntN(4) > 0 {
			in.LastContact = asOf.AddDate(0, 0, -rng.IntN(800))
		}
		in.ExpectedAmount = []string{"", "120万", "35000", "2.5亿", "abc", "1234567"}[rng.IntN(6)]
		in.Budget = []string{"", "50-100万", "1-2亿", "x"}[rng.IntN(4)]
		in.StrategicValue = []string{"", "benchmark", "regional_leader", "ordinary"}[rng.IntN(4)]
		check(dossier.ComputeScore(in, asOf, s).Explanation)
	}
	odd := []any{"a<b", "a&b", "引号\"", "back\\slash", "tab\t", "\u2028", "\u2029 at start", "at end\u2029", "\u2027 and \u202a pass", "bad \xff utf8", "中文 ok",
		0.0, math.Copysign(0, -1), 1e-7, 1e21, 123456789.125, -2.5, 1.0 / 3, 7, int64(8), true, nil, []string{"x"}}
	for _, a := range odd {
		check([]dossier.ScoreLine{{Component: "F", Points: 3, Reason: "r", Key: "k", Args: []any{"x", a}}})
		if s, ok := a.(string); ok {
			check([]dossier.ScoreLine{{Component: s, Reason: s, Key: s, Missing: true}})
		}
	}
}

// TestEncodeICPIsJSONMarshal: a summary is rewritten only when its stored
// form differs, so encodeICP must give what json.Marshal of the map gives:
// sorted names, a repeated name's last fit, escapes, none at all.
func TestEncodeICPIsJSONMarshal(t *testing.T) {
	names := []string{"制造业中型企业(种子001)", "a", "b", "", "<html>", "q\"uote", "bad\xff", "line\u2028sep", "Z"}
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		var fits []dossier.ICPFit
		for range r.IntN(5) {
			fits = append(fits, dossier.ICPFit{Name: names[r.IntN(len(names))], Fit: r.IntN(201) - 50})
		}
		if got, want := encodeICP(fits), marshalICP(fits); got != want {
			t.Fatalf("%v: %s, json.Marshal gives %s", fits, got, want)
		}
	}
	if got := encodeICP(nil); got != "{}" {
		t.Errorf("no fits: %s", got)
	}
}
