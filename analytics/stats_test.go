package analytics

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIndependenceByHand(t *testing.T) {
	// Row totals 30, 70; column totals 40, 60; n 100: expected 12, 18, 28, 42.
	cs := TestIndependence([][]float64{{10, 20}, {30, 40}})
	chi := 4.0/12 + 4.0/18 + 4.0/28 + 4.0/42
	if math.Abs(cs.Stat-chi) > 1e-12 || cs.DF != 1 {
		t.Errorf("chi² %v df %d, want %v 1", cs.Stat, cs.DF, chi)
	}
	// With one degree of freedom the survival function is erfc(√(x/2)).
	if p := math.Erfc(math.Sqrt(chi / 2)); math.Abs(cs.P-p) > 1e-9 {
		t.Errorf("p %v, want %v", cs.P, p)
	}
	if v := math.Sqrt(chi / 100); math.Abs(cs.CramersV-v) > 1e-12 {
		t.Errorf("V %v, want %v", cs.CramersV, v)
	}
	if diff := cmp.Diff([][]float64{{12, 18}, {28, 42}}, cs.Expected); diff != "" {
		t.Error(diff)
	}
	// 3×3: df = 4, whose survival function has the closed form
	// e^(-x/2)·(1 + x/2).
	cs = TestIndependence([][]float64{{20, 5, 5}, {5, 20, 5}, {5, 5, 20}})
	if p := math.Exp(-cs.Stat/2) * (1 + cs.Stat/2); cs.DF != 4 || math.Abs(cs.P-p) > 1e-9 {
		t.Errorf("df %d p %v, want 4 %v", cs.DF, cs.P, p)
	}
	if cs := TestIndependence([][]float64{{3, 4}}); cs.DF != 0 || cs.P != 1 || cs.CramersV != 0 {
		t.Errorf("one row: %+v", cs)
	}
	if cs := TestIndependence(nil); cs.P != 1 {
		t.Errorf("empty: %+v", cs)
	}
}

func TestHHI(t *testing.T) {
	for _, tc := range []struct {
		counts []int64
		want   float64
	}{
		{[]int64{1}, 10000}, {[]int64{5, 5}, 5000}, {[]int64{1, 1, 1, 1}, 2500}, {[]int64{3, 1}, 75*75 + 25*25}, {nil, 0}, {[]int64{0, 0}, 0},
	} {
		if got := HHI(tc.counts); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("HHI(%v) = %v, want %v", tc.counts, got, tc.want)
		}
	}
}

func TestParseMeasure(t *testing.T) {
	for in, want := range map[string]Measure{"": {Kind: "count"}, "count": {Kind: "count"}, "SHARE": {Kind: "share"},
		"sum:revenue": {Kind: "sum", Field: "revenue"}, "avg: 年营收": {Kind: "avg", Field: "年营收"}} {
		got, err := ParseMeasure(in)
		if err != nil || got != want {
			t.Errorf("%q: %+v %v", in, got, err)
		}
	}
	for _, in := range []string{"sum", "avg:", "median", "max:revenue"} {
		if _, err := ParseMeasure(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestPeriods(t *testing.T) {
	if got := periodRange("2025-11", "2026-02", PeriodMonth); !cmp.Equal(got, []string{"2025-11", "2025-12", "2026-01", "2026-02"}) {
		t.Errorf("months %v", got)
	}
	if got := periodRange("2025-Q4", "2026-Q2", PeriodQuarter); !cmp.Equal(got, []string{"2025-Q4", "2026-Q1", "2026-Q2"}) {
		t.Errorf("quarters %v", got)
	}
	for in, want := range map[string]string{"2026-03-31": "2026-Q1", "2026-04-01": "2026-Q2", "2026-12": "2026-Q4", "": "", "bad": ""} {
		if got := QuarterOf(in); got != want {
			t.Errorf("QuarterOf(%q) = %q, want %q", in, got, want)
		}
	}
	if TopIndustry("制造业-机械设备") != "制造业" || TopIndustry("零售") != "零售" || MonthOf("2026-03-05") != "2026-03" {
		t.Error("derived values")
	}
	if d := ParseDim("decision_factors = 稳定性"); d.Expr == "" {
		t.Error("an expression is not a field")
	}
	if d := ParseDim(" grade "); d.Field != "grade" {
		t.Errorf("field: %+v", d)
	}
}
