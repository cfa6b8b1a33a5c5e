package rules

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dossier/dossier"
)

// randomInput is a customer with random values for the fields and
// aggregates the default rules read, unknown ones included.
func randomInput(r *rand.Rand) *dossier.AnalysisInput {
	pick := func(vs ...string) string { return vs[r.IntN(len(vs))] }
	num := func() string {
		return pick("", "0", "-0", "3", "4", "78", "2.5", "800", "1500", "300000000", "1e9", "-12", "x")
	}
	in := &dossier.AnalysisInput{CustomerID: r.Int64N(1000),
		Values: map[string]string{"industry": pick("", "制造业-汽车零部件", "房地产业", "教育", "零售"), "employees": num(),
			"revenue": num(), "stage": pick("", "won", "prospect", "churned"), "satisfaction": num(), "debt_ratio": num(),
			"overdue_receivables": num(), "dishonest_debtor": num(), "equity_freezes": num(), "expected_amount": num(),
			"profit_growth": num(), "customer_type": pick("", "ka", "smb"), "decision_factors": pick("", "性价比;交付周期", "品牌"),
			"budget": pick("", "100000-500000", "20万", "bad"), "founded": pick("", "2001-05-01", "bad"), "strategic_value": pick("", "benchmark")},
		Score:      dossier.Score{AsOf: "2026-06-15", R: 10 * r.IntN(4), F: 10 * r.IntN(4), M: 30, Total: r.IntN(101), Priority: pick("high", "medium", "low")},
		Contacts3m: r.IntN(5), Contacts12m: r.IntN(40), Negative3m: r.IntN(3), Contacts: r.IntN(4), DecisionMakers: r.IntN(2),
		OpenTasks: r.IntN(3), OverdueTasks: r.IntN(2),
	}
	if r.IntN(4) > 0 {
		in.LastContact = time.Date(2026, time.Month(1+r.IntN(6)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	}
	for range r.IntN(3) {
		in.Needs = append(in.Needs, dossier.Need{Type: pick("智能仓储管理系统", "数据分析平台", "WMS"), Explicit: r.IntN(2) == 0,
			Urgency: 1 + r.IntN(5), Importance: 1 + r.IntN(5),
			Source: dossier.Source{CollectedAt: time.Date(2025+r.IntN(2), 3, 1, 0, 0, 0, 0, time.UTC)}})
	}
	if r.IntN(2) == 0 {
		in.ManualTags = []string{"手工-展会获客"}
	}
	return in
}

// TestFillOnlyWhatRulesRead: an engine that sets only the aggregates its
// rules read gives, customer after customer, the analyses of one that sets
// every aggregate (as fill did before), for the defaults and for rules
// that read other aggregates or the whole environment.
func TestFillOnlyWhatRulesRead(t *testing.T) {
	withEnv := Default()
	withEnv.Tags = append(withEnv.Tags,
		TagRule{ID: "age", Tag: "老企业", When: `age_years != nil && age_years > 20 && open_tasks + overdue_tasks >= 1`},
		TagRule{ID: "env", Tag: "env", When: `$env["implicit_needs"] > 0 || $env["tier"] == "high" || $env["total"] > 50`})
	for name, set := range map[string]Set{"default": Default(), "other aggregates and $env": withEnv} {
		t.Run(name, func(t *testing.T) {
			fast, err := Compile(set, fields)
			if err != nil {
				t.Fatal(err)
			}
			if name == "default" && len(fast.aggs) == len(aggregates) {
				t.Fatalf("the defaults read every aggregate: nothing is skipped")
			}
			slow := fast.Clone()
			slow.aggs = nil
			for _, v := range aggregates {
				slow.aggs = append(slow.aggs, aggFill{v.Name, aggregateValues[v.Name]})
			}
			r := rand.New(rand.NewPCG(1, 2))
			for i := range 3000 {
				in := randomInput(r)
				if got, want := fast.Analyze(in), slow.Analyze(in); !cmp.Equal(got, want) {
					t.Fatalf("customer %d: %s", i, cmp.Diff(want, got))
				}
			}
		})
	}
}

// TestNumBoxesTheSameNumber: num gives back the number it was given.
func TestNumBoxesTheSameNumber(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 1, 2.5, 1023, 1024, 1e9, -1, math.Inf(1), math.Inf(-1), math.NaN(), 1.0 / 12} {
		got, ok := num(f).(float64)
		if !ok || math.Float64bits(got) != math.Float64bits(f) {
			t.Errorf("num(%v) = %v", f, num(f))
		}
	}
	for i := range 1100 {
		f, _ := strconv.ParseFloat(strconv.Itoa(i), 64)
		if num(f) != any(f) {
			t.Errorf("num(%v) = %v", f, num(f))
		}
	}
}
