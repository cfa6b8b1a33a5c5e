package dossier

import (
	"context"
	"strconv"
	"time"
)

// ScoreSettings are the thresholds of the priority score (SPEC R14) with the
// defaults DESIGN.md settles where the seed leaves room. They are settings, so
// a team can change them; Version names the set a score was computed with.
type ScoreSettings struct {
	Version int `json:"version"`
	// R: months back from the as-of date to the latest interaction.
	RecentMonths, OlderMonths int // ≤RecentMonths → RHigh, ≤OlderMonths → RMid, else RLow
	RHigh, RMid, RLow         int
	// F: interactions in the last FWindowMonths, divided by FWindowMonths.
	FWindowMonths     int
	FHighPerMonth     float64 // ≥ → FHigh
	FMidPerMonth      float64 // ≥ → FMid, else FLow
	FHigh, FMid, FLow int
	// M: expected amount, else the budget's midpoint, in yuan.
	MHighAt, MMidAt   Money // ≥MHighAt → MHigh, ≥MMidAt → MMid, else (or unknown) MLow
	MHigh, MMid, MLow int
	// V: by strategic value.
	VBenchmark, VRegionalLeader, VOrdinary int
	// Priority by total.
	HighAt, MediumAt int
}

// DefaultScoreSettings returns the seed's table (001) with DESIGN.md's reading.
func DefaultScoreSettings() ScoreSettings {
	return ScoreSettings{
		Version:      1,
		RecentMonths: 3, OlderMonths: 6, RHigh: 30, RMid: 20, RLow: 10,
		FWindowMonths: 3, FHighPerMonth: 3, FMidPerMonth: 1, FHigh: 30, FMid: 20, FLow: 10,
		MHighAt: 500000, MMidAt: 200000, MHigh: 30, MMid: 20, MLow: 10,
		VBenchmark: 10, VRegionalLeader: 5, VOrdinary: 0,
		HighAt: 80, MediumAt: 60,
	}
}

// ScoreInputs are the facts a score is computed from.
type ScoreInputs struct {
	LastContact    time.Time // zero: never contacted
	RecentContacts int       // interactions in the F window ending at the as-of date
	ExpectedAmount string    // canonical money, may be ""
	Budget         string    // canonical range, may be ""
	StrategicValue string    // benchmark / regional_leader / ordinary / ""
}

// ScoreLine explains one component of a score.
type ScoreLine struct {
	Component string `json:"component"` // "R", "F", "M", "V"
	Points    int    `json:"points"`
	Reason    string `json:"reason"`            // in English; the UI renders Key with Args
	Key       string `json:"key"`               // message key for the UI's catalogue
	Args      []any  `json:"args,omitempty"`    // arguments of Key
	Missing   bool   `json:"missing,omitempty"` // the input was unknown
}

// Score is a customer's priority score as of a date.
type Score struct {
	CustomerID  int64       `json:"id"`
	Name        string      `json:"name"`
	AsOf        string      `json:"as_of"`
	R           int         `json:"r"`
	F           int         `json:"f"`
	M           int         `json:"m"`
	V           int         `json:"v"`
	Total       int         `json:"total"`
	Priority    string      `json:"priority"` // high / medium / low
	Explanation []ScoreLine `json:"explanation"`
	Settings    int         `json:"settings_version"`
}

// MonthsBetween counts whole calendar months from a to b (b after a): from
// 2026-05-02 to 2026-09-01 is 3, to 2026-09-02 is 4. A month-end date counts
// as a whole month at the end of a shorter month (01-31 → 02-28 is 1).
func MonthsBetween(a, b time.Time) int {
	n := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
	if b.Day() < a.Day() && b.Day() != daysIn(b) {
		n--
	}
	return n
}

func daysIn(t time.Time) int {
	return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// MonthsBefore returns the date n calendar months before d, clamped to the end
// of a shorter month (2026-05-31 minus 3 months is 2026-02-28).
func MonthsBefore(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := time.Date(y, m-time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	if last := daysIn(first); day > last {
		day = last
	}
	return time.Date(first.Year(), first.Month(), day, 0, 0, 0, 0, time.UTC)
}

// ComputeScore applies the settings to the inputs as of a date. The reasons
// are concatenated rather than formatted with fmt: a recompute builds four
// per customer (TestScoreReasonsAsFormatted holds them to the formats).
func ComputeScore(in ScoreInputs, asOf time.Time, s ScoreSettings) Score {
	sc := Score{AsOf: FormatDate(asOf), Settings: s.Version}
	sc.R, sc.Explanation = scoreR(in, asOf, s)
	f := scoreF(in, s)
	m := scoreM(in, s)
	v := scoreV(in, s)
	sc.F, sc.M, sc.V = f.Points, m.Points, v.Points
	sc.Explanation = append(sc.Explanation, f, m, v)
	sc.Total = sc.R + sc.F + sc.M + sc.V
	sc.Priority = s.Priority(sc.Total)
	return sc
}

// Priority maps a total to high, medium or low.
func (s ScoreSettings) Priority(total int) string {
	switch {
	case total >= s.HighAt:
		return "high"
	case total >= s.MediumAt:
		return "medium"
	}
	return "low"
}

func scoreR(in ScoreInputs, asOf time.Time, s ScoreSettings) (int, []ScoreLine) {
	if in.LastContact.IsZero() {
		return s.RLow, []ScoreLine{{Component: "R", Points: s.RLow, Missing: true, Key: "score.r.none",
			Reason: "R " + strconv.Itoa(s.RLow) + ": no contact recorded"}}
	}
	months := MonthsBetween(in.LastContact, asOf)
	p := s.RLow
	switch {
	case !in.LastContact.Before(MonthsBefore(asOf, s.RecentMonths)):
		p = s.RHigh
	case !in.LastContact.Before(MonthsBefore(asOf, s.OlderMonths)):
		p = s.RMid
	}
	last := FormatDate(in.LastContact)
	return p, []ScoreLine{{Component: "R", Points: p, Key: "score.r", Args: []any{last, months},
		Reason: "R " + strconv.Itoa(p) + ": last contact " + last + ", " + strconv.Itoa(months) + " months ago"}}
}

func scoreF(in ScoreInputs, s ScoreSettings) ScoreLine {
	per := float64(in.RecentContacts) / float64(max(s.FWindowMonths, 1))
	p := s.FLow
	switch {
	case per >= s.FHighPerMonth:
		p = s.FHigh
	case per >= s.FMidPerMonth:
		p = s.FMid
	}
	return ScoreLine{Component: "F", Points: p, Key: "score.f", Args: []any{in.RecentContacts, s.FWindowMonths, per},
		Reason: "F " + strconv.Itoa(p) + ": " + strconv.Itoa(in.RecentContacts) + " contacts in the last " + strconv.Itoa(s.FWindowMonths) +
			" months, " + strconv.FormatFloat(per, 'f', 1, 64) + " a month"}
}

func scoreM(in ScoreInputs, s ScoreSettings) ScoreLine {
	amount, from, ok := expectedAmount(in)
	if !ok {
		return ScoreLine{Component: "M", Points: s.MLow, Missing: true, Key: "score.m.none",
			Reason: "M " + strconv.Itoa(s.MLow) + ": expected purchase unknown"}
	}
	p := s.MLow
	switch {
	case amount >= s.MHighAt:
		p = s.MHigh
	case amount >= s.MMidAt:
		p = s.MMid
	}
	return ScoreLine{Component: "M", Points: p, Key: "score.m." + from, Args: []any{amount.Wan()},
		Reason: "M " + strconv.Itoa(p) + ": " + amountLabel[from] + " " + amount.Wan()}
}

var amountLabel = map[string]string{"expected": "expected amount", "budget": "budget midpoint"}

func expectedAmount(in ScoreInputs) (Money, string, bool) {
	if in.ExpectedAmount != "" {
		if m, err := ParseMoney(in.ExpectedAmount); err == nil {
			return m, "expected", true
		}
	}
	if in.Budget != "" {
		if r, err := ParseMoneyRange(in.Budget); err == nil {
			if mid, ok := r.Mid(); ok {
				return mid, "budget", true
			}
		}
	}
	return 0, "", false
}

func scoreV(in ScoreInputs, s ScoreSettings) ScoreLine {
	p := s.VOrdinary
	switch in.StrategicValue {
	case "benchmark":
		p = s.VBenchmark
	case "regional_leader":
		p = s.VRegionalLeader
	}
	label := in.StrategicValue
	if label == "" {
		label = "ordinary"
	}
	return ScoreLine{Component: "V", Points: p, Key: "score.v." + label, Missing: in.StrategicValue == "",
		Reason: "V " + strconv.Itoa(p) + ": strategic value " + label}
}

// ScoreService recomputes and reads scores.
type ScoreService interface {
	// RecomputeScores scores every customer as of a date, stores the results
	// and calls emit (if not nil) for each one, in id order.
	RecomputeScores(ctx context.Context, asOf time.Time, s ScoreSettings, emit func(Score) error) (int, error)
	// FindScore returns a customer's latest stored score; ENOTFOUND if none.
	FindScore(ctx context.Context, customerID int64) (*Score, error)
}
