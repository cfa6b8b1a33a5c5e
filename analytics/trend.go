package analytics

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
)

// Trend sources and periods.
const (
	SourceInteractions = "interactions" // by date of the interaction
	SourceNeeds        = "needs"        // by when the need was collected
	PeriodMonth        = "month"
	PeriodQuarter      = "quarter"
)

// TrendQuery asks the store for counts of interactions or needs of the
// customers matching Filter, per period and per value of By: "type" (a
// need's type), "channel" or "feedback" (an interaction's), a customer field,
// or "" for one series.
type TrendQuery struct {
	Filter dossier.CustomerFilter
	Source string
	Period string
	By     string
}

// TrendGroup is one period and series: Period is "2026-03" or "2026-Q1".
type TrendGroup struct {
	Period string
	Key    string
	Count  int64
}

// TrendRequest is a trend to compute. Measure is "count" or "share" (of each
// series within its period, in %). The change compares the last Window
// periods up to End (default: the latest period with data) with the Window
// periods before.
type TrendRequest struct {
	Query   TrendQuery
	Measure string
	Window  int
	End     string
	Lang    string
}

// Series is one line of a trend.
type Series struct {
	Key    string    `json:"key"`
	Label  string    `json:"label"`
	Values []float64 `json:"values"`
	// Change is the relative change in %, counts of the last window against
	// the window before; nil when the window before has none.
	Change *float64 `json:"change"`
	Last   int64    `json:"last"`   // count in the last window
	Before int64    `json:"before"` // count in the window before
}

// TrendResult has one value per period and series; periods without data are
// present with zero.
type TrendResult struct {
	Periods []string `json:"periods"`
	Series  []Series `json:"series"`
	Window  int      `json:"window"`
	Measure string   `json:"measure"`
}

// Trend computes a trend and the change over its window.
func Trend(ctx context.Context, st Store, req TrendRequest) (*TrendResult, error) {
	q := req.Query
	if q.Source == "" {
		q.Source = SourceNeeds
	}
	if q.Period == "" {
		q.Period = PeriodMonth
	}
	if q.Source != SourceNeeds && q.Source != SourceInteractions {
		return nil, dossier.FieldError("source", "source %q: use needs or interactions", q.Source)
	}
	if q.Period != PeriodMonth && q.Period != PeriodQuarter {
		return nil, dossier.FieldError("period", "period %q: use month or quarter", q.Period)
	}
	if req.Measure == "" {
		req.Measure = "count"
	}
	if req.Measure != "count" && req.Measure != "share" {
		return nil, dossier.FieldError("measure", "measure %q: use count or share", req.Measure)
	}
	if req.Window <= 0 {
		req.Window = 3
	}
	groups, err := st.Trend(ctx, q)
	if err != nil {
		return nil, err
	}
	res := &TrendResult{Window: req.Window, Measure: req.Measure}
	if len(groups) == 0 {
		return res, nil
	}
	first, last := groups[0].Period, groups[0].Period
	keys := map[string]bool{}
	for _, g := range groups {
		first, last = min(first, g.Period), max(last, g.Period)
		keys[g.Key] = true
	}
	if req.End != "" {
		last = req.End
	}
	res.Periods = periodRange(first, last, q.Period)
	pi := map[string]int{}
	for i, p := range res.Periods {
		pi[p] = i
	}
	var reg *dossier.Registry
	if reg, err = st.Registry(ctx); err != nil {
		return nil, err
	}
	hs := headers(reg, Dim{Field: byField(q)}, keys, req.Lang)
	si := map[string]int{}
	counts := make([][]int64, len(hs))
	for i, h := range hs {
		si[h.Key] = i
		counts[i] = make([]int64, len(res.Periods))
	}
	perPeriod := make([]int64, len(res.Periods))
	for _, g := range groups {
		p, ok := pi[g.Period]
		if !ok {
			continue // after End
		}
		counts[si[g.Key]][p] += g.Count
		perPeriod[p] += g.Count
	}
	n := len(res.Periods)
	for i, h := range hs {
		s := Series{Key: h.Key, Label: h.Label, Values: make([]float64, n)}
		for p, c := range counts[i] {
			s.Values[p] = float64(c)
			if req.Measure == "share" {
				s.Values[p] = 0
				if perPeriod[p] > 0 {
					s.Values[p] = 100 * float64(c) / float64(perPeriod[p])
				}
			}
			switch {
			case p >= n-req.Window:
				s.Last += c
			case p >= n-2*req.Window:
				s.Before += c
			}
		}
		if s.Before > 0 {
			ch := 100 * float64(s.Last-s.Before) / float64(s.Before)
			s.Change = &ch
		}
		res.Series = append(res.Series, s)
	}
	return res, nil
}

// byField is the registry field whose options label the series, if any.
func byField(q TrendQuery) string {
	switch q.By {
	case "channel":
		if q.Source == SourceInteractions {
			return "last_contact_channel"
		}
	case "type", "feedback", "":
		return ""
	}
	return q.By
}

// periodRange lists every period from first to last inclusive.
func periodRange(first, last, period string) []string {
	y, m, ok := parsePeriod(first)
	ly, lm, ok2 := parsePeriod(last)
	if !ok || !ok2 {
		return []string{first}
	}
	step := 1
	if period == PeriodQuarter {
		step = 3
	}
	var out []string
	for (y < ly || (y == ly && m <= lm)) && len(out) < 1200 {
		if period == PeriodQuarter {
			out = append(out, fmt.Sprintf("%04d-Q%d", y, (m-1)/3+1))
		} else {
			out = append(out, fmt.Sprintf("%04d-%02d", y, m))
		}
		m += step
		if m > 12 {
			y, m = y+1, m-12
		}
	}
	return out
}

// parsePeriod reads "2026-03" or "2026-Q1" as a year and a (first) month.
func parsePeriod(p string) (int, int, bool) {
	ys, rest, ok := strings.Cut(p, "-")
	y, err := strconv.Atoi(ys)
	if !ok || err != nil {
		return 0, 0, false
	}
	if q, isQ := strings.CutPrefix(rest, "Q"); isQ {
		n, err := strconv.Atoi(q)
		return y, (n-1)*3 + 1, err == nil && n >= 1 && n <= 4
	}
	m, err := strconv.Atoi(rest)
	return y, m, err == nil && m >= 1 && m <= 12
}

// Slice is one group of an overview with its share of all customers in %.
type Slice struct {
	Key   string  `json:"key"`
	Label string  `json:"label"`
	Count int64   `json:"count"`
	Share float64 `json:"share"`
}

// Overview is the management view (SPEC R29).
type Overview struct {
	Customers   int64   `json:"customers"`
	Industries  []Slice `json:"industries"`
	IndustryHHI float64 `json:"industry_hhi"`
	Regions     []Slice `json:"regions"`
	RegionHHI   float64 `json:"region_hhi"`
	TopRegions  float64 `json:"top3_region_share"` // share of the three largest provinces, %
	Funnel      []Slice `json:"funnel"`            // stages in lifecycle order
	Growth      []Slice `json:"growth"`            // new customers per month (Share: cumulative count)
}

// Summarize computes the management view of the customers matching f.
func Summarize(ctx context.Context, st Store, f dossier.CustomerFilter, lang string) (*Overview, error) {
	ov := &Overview{}
	slicesOf := func(dim string) ([]Slice, error) {
		t, err := Pivot(ctx, st, PivotRequest{Rows: Dim{Field: dim}, Measure: Measure{Kind: "count"}, Filter: f, Lang: lang})
		if err != nil {
			return nil, err
		}
		ov.Customers = t.Customers
		var out []Slice
		for i, h := range t.Rows {
			s := Slice{Key: h.Key, Label: h.Label, Count: t.Counts[i][0]}
			if t.Customers > 0 {
				s.Share = 100 * float64(s.Count) / float64(t.Customers)
			}
			out = append(out, s)
		}
		return out, nil
	}
	var err error
	if ov.Industries, err = slicesOf(IndustryTop); err != nil {
		return nil, err
	}
	if ov.Regions, err = slicesOf("province"); err != nil {
		return nil, err
	}
	if ov.Funnel, err = slicesOf("stage"); err != nil {
		return nil, err
	}
	if ov.Growth, err = slicesOf(CreatedMonth); err != nil {
		return nil, err
	}
	cum := int64(0)
	for i := range ov.Growth {
		cum += ov.Growth[i].Count
		ov.Growth[i].Share = float64(cum)
	}
	ov.IndustryHHI = HHI(counts(ov.Industries))
	ov.RegionHHI = HHI(counts(ov.Regions))
	var byCount []Slice
	for _, r := range ov.Regions {
		if r.Key != "" {
			byCount = append(byCount, r)
		}
	}
	slices.SortStableFunc(byCount, func(a, b Slice) int { return int(b.Count - a.Count) })
	for i := 0; i < len(byCount) && i < 3; i++ {
		ov.TopRegions += byCount[i].Share
	}
	bySize := func(a, b Slice) int { return int(b.Count - a.Count) }
	slices.SortStableFunc(ov.Industries, bySize)
	slices.SortStableFunc(ov.Regions, bySize)
	return ov, nil
}

func counts(ss []Slice) []int64 {
	var out []int64
	for _, s := range ss {
		if s.Key != "" {
			out = append(out, s.Count)
		}
	}
	return out
}
