package dossier_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/dossier/dossier"
)

// TestScoreReasonsAsFormatted: the reasons ComputeScore concatenates are
// what fmt gives for their formats, over random inputs and settings.
func TestScoreReasonsAsFormatted(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	asOf := day("2026-11-24")
	labels := map[string]string{"expected": "expected amount", "budget": "budget midpoint"}
	for i := range 5000 {
		s := dossier.DefaultScoreSettings()
		s.RLow, s.FWindowMonths, s.MHigh, s.VBenchmark = r.IntN(50)-5, r.IntN(13), r.IntN(40), r.IntN(20)
		in := dossier.ScoreInputs{RecentContacts: r.IntN(200),
			ExpectedAmount: []string{"", "600000", "x", "1234567"}[r.IntN(4)],
			Budget:         []string{"", "100000-500000", "20万"}[r.IntN(3)],
			StrategicValue: []string{"", "benchmark", "regional_leader", "other"}[r.IntN(4)]}
		if r.IntN(5) > 0 {
			in.LastContact = asOf.AddDate(0, 0, -r.IntN(900))
		}
		sc := dossier.ComputeScore(in, asOf, s)
		want := make([]string, 0, 4)
		if in.LastContact.IsZero() {
			want = append(want, fmt.Sprintf("R %d: no contact recorded", s.RLow))
		} else {
			want = append(want, fmt.Sprintf("R %d: last contact %s, %d months ago", sc.R, dossier.FormatDate(in.LastContact),
				dossier.MonthsBetween(in.LastContact, asOf)))
		}
		per := float64(in.RecentContacts) / float64(max(s.FWindowMonths, 1))
		want = append(want, fmt.Sprintf("F %d: %d contacts in the last %d months, %.1f a month", sc.F, in.RecentContacts, s.FWindowMonths, per))
		m := sc.Explanation[2]
		if m.Missing {
			want = append(want, fmt.Sprintf("M %d: expected purchase unknown", s.MLow))
		} else {
			from := m.Key[len("score.m."):]
			want = append(want, fmt.Sprintf("M %d: %s %s", sc.M, labels[from], m.Args[0]))
		}
		label := in.StrategicValue
		if label == "" {
			label = "ordinary"
		}
		want = append(want, fmt.Sprintf("V %d: strategic value %s", sc.V, label))
		for j, l := range sc.Explanation {
			if l.Reason != want[j] {
				t.Fatalf("input %d (%+v), line %d: %q, want %q", i, in, j, l.Reason, want[j])
			}
		}
	}
}
