package dossier_test

import (
	"testing"
	"time"

	"github.com/dossier/dossier"
)

func day(s string) time.Time {
	t, err := time.Parse(dossier.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

// The seed's table (001) and the boundaries DESIGN.md settles.
func TestComputeScore(t *testing.T) {
	s := dossier.DefaultScoreSettings()
	asOf := day("2026-08-02")
	tests := []struct {
		name       string
		in         dossier.ScoreInputs
		r, f, m, v int
		priority   string
	}{
		{"never contacted, nothing known", dossier.ScoreInputs{}, 10, 10, 10, 0, "low"},
		{"R: exactly 3 months ago is within 3 months", dossier.ScoreInputs{LastContact: day("2026-05-02")}, 30, 10, 10, 0, "low"},
		{"R: a day more is within 6 months", dossier.ScoreInputs{LastContact: day("2026-05-01")}, 20, 10, 10, 0, "low"},
		{"R: exactly 6 months", dossier.ScoreInputs{LastContact: day("2026-02-02")}, 20, 10, 10, 0, "low"},
		{"R: older than 6 months", dossier.ScoreInputs{LastContact: day("2026-02-01")}, 10, 10, 10, 0, "low"},
		{"F: 9 contacts in 3 months is 3 a month", dossier.ScoreInputs{RecentContacts: 9}, 10, 30, 10, 0, "low"},
		{"F: 8 contacts is under 3 a month", dossier.ScoreInputs{RecentContacts: 8}, 10, 20, 10, 0, "low"},
		{"F: 3 contacts is 1 a month", dossier.ScoreInputs{RecentContacts: 3}, 10, 20, 10, 0, "low"},
		{"F: 2 contacts is under 1 a month", dossier.ScoreInputs{RecentContacts: 2}, 10, 10, 10, 0, "low"},
		{"M: 50万 expected", dossier.ScoreInputs{ExpectedAmount: "500000"}, 10, 10, 30, 0, "low"},
		{"M: just under 50万", dossier.ScoreInputs{ExpectedAmount: "499999"}, 10, 10, 20, 0, "low"},
		{"M: 20万", dossier.ScoreInputs{ExpectedAmount: "200000"}, 10, 10, 20, 0, "low"},
		{"M: under 20万", dossier.ScoreInputs{ExpectedAmount: "199999"}, 10, 10, 10, 0, "low"},
		{"M: budget 30-50万 midpoint 40万", dossier.ScoreInputs{Budget: "300000-500000"}, 10, 10, 20, 0, "low"},
		{"M: budget 50-100万 midpoint 75万", dossier.ScoreInputs{Budget: "500000-1000000"}, 10, 10, 30, 0, "low"},
		{"M: expected amount wins over budget", dossier.ScoreInputs{ExpectedAmount: "100000", Budget: "500000-1000000"}, 10, 10, 10, 0, "low"},
		{"M: negotiable budget is unknown", dossier.ScoreInputs{Budget: "negotiable"}, 10, 10, 10, 0, "low"},
		{"V: benchmark", dossier.ScoreInputs{StrategicValue: "benchmark"}, 10, 10, 10, 10, "low"},
		{"V: regional leader", dossier.ScoreInputs{StrategicValue: "regional_leader"}, 10, 10, 10, 5, "low"},
		{"total 80 is high", dossier.ScoreInputs{LastContact: day("2026-07-01"), RecentContacts: 9, ExpectedAmount: "200000"}, 30, 30, 20, 0, "high"},
		{"total 75 is medium", dossier.ScoreInputs{LastContact: day("2026-07-01"), RecentContacts: 3, ExpectedAmount: "200000", StrategicValue: "regional_leader"}, 30, 20, 20, 5, "medium"},
		{"total 60 is medium", dossier.ScoreInputs{LastContact: day("2026-07-01"), RecentContacts: 3}, 30, 20, 10, 0, "medium"},
		{"total 55 is low", dossier.ScoreInputs{LastContact: day("2026-04-01"), RecentContacts: 3, StrategicValue: "regional_leader"}, 20, 20, 10, 5, "low"},
		{"all top marks", dossier.ScoreInputs{LastContact: day("2026-08-01"), RecentContacts: 12, ExpectedAmount: "800000", StrategicValue: "benchmark"}, 30, 30, 30, 10, "high"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := dossier.ComputeScore(tt.in, asOf, s)
			if got.R != tt.r || got.F != tt.f || got.M != tt.m || got.V != tt.v || got.Priority != tt.priority {
				t.Errorf("got R%d F%d M%d V%d %s, want R%d F%d M%d V%d %s", got.R, got.F, got.M, got.V, got.Priority, tt.r, tt.f, tt.m, tt.v, tt.priority)
			}
			if got.Total != got.R+got.F+got.M+got.V {
				t.Errorf("total %d is not the sum", got.Total)
			}
			if len(got.Explanation) != 4 {
				t.Errorf("want one explanation line per component, got %d", len(got.Explanation))
			}
		})
	}
}

// The seed's example customer (002): last talk 2024-03-15 face to face, budget
// 30-50万, priority 中. Scored two weeks later it comes out medium.
func TestSeedExampleScore(t *testing.T) {
	in := dossier.ScoreInputs{LastContact: day("2024-03-15"), RecentContacts: 1, Budget: "300000-500000"}
	got := dossier.ComputeScore(in, day("2024-04-01"), dossier.DefaultScoreSettings())
	if got.Total != 60 || got.Priority != "medium" {
		t.Fatalf("seed example: %d %s, want 60 medium", got.Total, got.Priority)
	}
	want := "R 30: last contact 2024-03-15, 0 months ago"
	if got.Explanation[0].Reason != want {
		t.Errorf("explanation %q, want %q", got.Explanation[0].Reason, want)
	}
	if m := got.Explanation[2]; m.Reason != "M 20: budget midpoint 40万" {
		t.Errorf("M explanation %q", m.Reason)
	}
}

func TestMonthsBeforeClampsMonthEnd(t *testing.T) {
	tests := []struct {
		d    string
		n    int
		want string
	}{
		{"2026-05-31", 3, "2026-02-28"},
		{"2024-05-31", 3, "2024-02-29"},
		{"2026-08-02", 3, "2026-05-02"},
		{"2026-01-15", 1, "2025-12-15"},
		{"2026-03-31", 1, "2026-02-28"},
	}
	for _, tt := range tests {
		if got := dossier.FormatDate(dossier.MonthsBefore(day(tt.d), tt.n)); got != tt.want {
			t.Errorf("MonthsBefore(%s, %d) = %s, want %s", tt.d, tt.n, got, tt.want)
		}
	}
	s := dossier.DefaultScoreSettings()
	if r := dossier.ComputeScore(dossier.ScoreInputs{LastContact: day("2026-02-28")}, day("2026-05-31"), s).R; r != 30 {
		t.Errorf("month-end: R = %d, want 30", r)
	}
}

func TestMonthsBetween(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"2026-05-02", "2026-09-01", 3},
		{"2026-05-02", "2026-09-02", 4},
		{"2026-01-31", "2026-02-28", 1},
		{"2026-08-01", "2026-08-02", 0},
	}
	for _, tt := range tests {
		if got := dossier.MonthsBetween(day(tt.a), day(tt.b)); got != tt.want {
			t.Errorf("MonthsBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
