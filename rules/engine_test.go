package rules

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
)

var fields = dossier.BuiltinFields()

func compileDefault(t testing.TB) *Engine {
	t.Helper()
	e, err := Compile(Default(), fields)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// seedCustomer is seed 001's ideal customer: manufacturing, 800 employees,
// revenue 3亿, a warehousing need this year, contacted last month.
func seedCustomer() *dossier.AnalysisInput {
	asOf := "2026-06-15"
	return &dossier.AnalysisInput{
		CustomerID: 1,
		Values: map[string]string{"industry": "制造业-汽车零部件", "employees": "800", "revenue": "300000000",
			"stage": "won", "satisfaction": "4", "debt_ratio": "78", "customer_type": "ka", "decision_factors": "性价比;交付周期"},
		Score:       dossier.Score{AsOf: asOf, R: 30, F: 20, M: 30, V: 0, Total: 80, Priority: "high"},
		LastContact: time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC),
		Contacts3m:  2, Contacts12m: 10, Contacts: 2, DecisionMakers: 0,
		Needs: []dossier.Need{
			{Type: "智能仓储管理系统", Explicit: true, Urgency: 4, Importance: 5, Source: dossier.Source{CollectedAt: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}},
			{Type: "数据分析平台", Explicit: false, Urgency: 2, Importance: 3},
		},
		ManualTags: []string{"手工-展会获客"},
	}
}

func TestDefaultsOnSeedCustomer(t *testing.T) {
	a := compileDefault(t).Analyze(seedCustomer())
	if len(a.Errors) > 0 {
		t.Fatalf("errors: %+v", a.Errors)
	}
	if len(a.ICP) != 1 || a.ICP[0].Fit != 100 || len(a.ICP[0].Unmet) != 0 {
		t.Errorf("seed ICP = %+v, want 100%%", a.ICP)
	}
	want := dossier.RiskFinding{RuleID: "debt-ratio", Category: "financial", Level: "high", Trigger: "负债率 78% > 70%"}
	if !slices.Contains(a.Risks, want) {
		t.Errorf("risks = %+v, want %+v", a.Risks, want)
	}
	if !slices.ContainsFunc(a.Risks, func(r dossier.RiskFinding) bool {
		return r.RuleID == "no-decision-maker" && r.Category == "cooperation"
	}) {
		t.Errorf("risks = %+v, want the missing decision maker", a.Risks)
	}
	for _, tag := range []string{"手工-展会获客", "行业-制造业-细分领域-汽车零部件", "类型-KA", "阶段-成交", TagPriceSensitve, TagChurnRisk} {
		if !slices.Contains(a.Tags, tag) {
			t.Errorf("tags %v lack %s", a.Tags, tag)
		}
	}
	if a.TagRules["类型-KA"] != "customer-type" || a.TagRules["手工-展会获客"] != "" {
		t.Errorf("tag rules %v", a.TagRules)
	}
	if slices.Contains(a.Tags, TagNoContact3m) {
		t.Errorf("contacted last month but tagged %s", TagNoContact3m)
	}
	if a.Tier != "high" || a.Cadence != "weekly" || a.NextFollowUp != "2026-05-27" {
		t.Errorf("tier %s cadence %s next %s, want high weekly 2026-05-27", a.Tier, a.Cadence, a.NextFollowUp)
	}
	if a.Needs[0].Type != "智能仓储管理系统" || !a.Needs[1].ToConfirm {
		t.Errorf("needs = %+v", a.Needs)
	}
	names := strategyIDs(a)
	for _, id := range []string{"staged-pilot", "supervisor-churn", "discount-bundle"} {
		if !slices.Contains(names, id) {
			t.Errorf("strategies %v lack %s", names, id)
		}
	}
	if a.NeedMatchSuggestion != 5 || a.LikelihoodSuggestion != 3 {
		t.Errorf("suggestions %d %d, want 5 3", a.NeedMatchSuggestion, a.LikelihoodSuggestion)
	}
	if a.ValueParts[0].Dimension != "scale" || !strings.Contains(a.ValueParts[0].Inputs, "revenue=300000000") {
		t.Errorf("scale explanation = %+v", a.ValueParts[0])
	}
}

func strategyIDs(a dossier.Analysis) []string {
	var ids []string
	for _, s := range a.Strategies {
		ids = append(ids, s.RuleID)
	}
	return ids
}

func TestTerseLeavesOutInputs(t *testing.T) {
	e := compileDefault(t)
	full, terse := e.Analyze(seedCustomer()), e.Terse().Analyze(seedCustomer())
	if terse.ValueParts[0].Inputs != "" || full.ValueParts[0].Inputs == "" || terse.Value != full.Value {
		t.Errorf("full %+v terse %+v", full.ValueParts, terse.ValueParts)
	}
}

func TestICPUnmetCriteria(t *testing.T) {
	in := seedCustomer()
	in.Values["employees"] = "5000"
	in.Values["industry"] = "金融业-银行"
	in.Needs = nil
	a := compileDefault(t).Analyze(in)
	if a.ICP[0].Fit != 25 || len(a.ICP[0].Unmet) != 3 {
		t.Errorf("ICP = %+v, want 25%% with three unmet", a.ICP[0])
	}
}

func TestNoContactTag(t *testing.T) {
	in := seedCustomer()
	in.Contacts3m = 0
	in.LastContact = time.Time{}
	a := compileDefault(t).Analyze(in)
	if !slices.Contains(a.Tags, TagNoContact3m) {
		t.Errorf("tags %v lack %s", a.Tags, TagNoContact3m)
	}
	if a.NextFollowUp != "2026-06-22" {
		t.Errorf("never contacted: next follow-up %s, want as-of + 7 days", a.NextFollowUp)
	}
}

func TestRegistrySignalsFeedFinancialRisk(t *testing.T) {
	in := seedCustomer()
	in.Values["dishonest_debtor"] = "2"
	in.Values["abnormal_operations"] = "1"
	a := compileDefault(t).Analyze(in)
	for _, want := range []dossier.RiskFinding{
		{RuleID: "dishonest-debtor", Category: "financial", Level: "high", Trigger: "失信被执行人记录 2 条"},
		{RuleID: "abnormal-operations", Category: "financial", Level: "medium", Trigger: "经营异常 1 条"},
	} {
		if !slices.Contains(a.Risks, want) {
			t.Errorf("risks %+v lack %+v", a.Risks, want)
		}
	}
}

// TestBadRulesRefused: each bad rule is refused at compile with its position.
func TestBadRulesRefused(t *testing.T) {
	for _, tc := range []struct {
		name, when string
		line, col  int
		msg        string
	}{
		{"unknown field", `debt_ratoi > 70`, 1, 1, "unknown name debt_ratoi"},
		{"type mismatch", `debt_ratio > "70"`, 1, 12, "mismatched types"},
		{"syntax", "contacts > 0 &&\n  (debt_ratio > ", 2, 16, "unexpected token"},
		{"not a condition", `debt_ratio + 1`, 0, 0, "expected bool"},
		{"constant division by zero", `1 % 0 == 1`, 1, 3, "divide by zero"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Default()
			s.Risks = append(s.Risks, RiskRule{ID: "bad", Category: "financial", Level: "low", When: tc.when, Trigger: `"x"`})
			_, err := Compile(s, fields)
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a CompileError", err)
			}
			if ce.Rule != "bad" || !strings.Contains(ce.Message, tc.msg) || tc.line != 0 && (ce.Line != tc.line || ce.Column != tc.col) {
				t.Errorf("err = %+v, want rule bad at %d:%d with %q", ce, tc.line, tc.col, tc.msg)
			}
		})
	}
}

func TestRunawayExpressionRefused(t *testing.T) {
	s := Default()
	s.Tags = append(s.Tags, TagRule{ID: "huge", Tag: "x", When: strings.Repeat("contacts > 0 && ", 3000) + "true"})
	if _, err := Compile(s, fields); err == nil {
		t.Fatal("an expression of 9000 nodes compiled")
	}
	s = Default()
	s.Tags = append(s.Tags, TagRule{ID: "loop", Tag: "x", When: `len(map(1..100000000, # * 2)) > 0`})
	e, err := Compile(s, fields)
	if err != nil {
		t.Fatal(err)
	}
	a := e.Analyze(seedCustomer())
	if !hasError(a, "loop", "memory budget") || slices.Contains(a.Tags, "x") {
		t.Errorf("errors %+v tags %v: want loop reported and not tagged", a.Errors, a.Tags)
	}
}

func hasError(a dossier.Analysis, rule, msg string) bool {
	return slices.ContainsFunc(a.Errors, func(e dossier.RuleError) bool {
		return e.Rule == rule && strings.Contains(e.Message, msg)
	})
}

// TestDivisionByZeroReported: x / 0 is an error for that customer, not +Inf
// silently passing a threshold.
func TestDivisionByZeroReported(t *testing.T) {
	s := Default()
	s.Risks = append(s.Risks, RiskRule{ID: "ratio", Category: "financial", Level: "high",
		When: `overdue_receivables != nil && overdue_receivables / contacts_last_3_months > 1000`, Trigger: `"ratio"`})
	s.Suggestions.NeedMatch = `5 / (contacts - contacts)`
	e, err := Compile(s, fields)
	if err != nil {
		t.Fatal(err)
	}
	in := seedCustomer()
	in.Values["overdue_receivables"] = "500000"
	in.Contacts3m = 0
	a := e.Analyze(in)
	if !hasError(a, "ratio", "division by zero") || slices.ContainsFunc(a.Risks, func(r dossier.RiskFinding) bool { return r.RuleID == "ratio" }) {
		t.Errorf("errors %+v risks %+v: want ratio reported, not fired", a.Errors, a.Risks)
	}
	if a.NeedMatchSuggestion != 0 || !hasError(a, "need_match", "division by zero") {
		t.Errorf("need match %d errors %+v: want no suggestion and an error", a.NeedMatchSuggestion, a.Errors)
	}
}

// TestMissingFieldReported: a rule that uses an unknown value without a nil
// check fails for that customer, naming the input; a guarded rule does not.
func TestMissingFieldReported(t *testing.T) {
	s := Default()
	s.Risks = append(s.Risks, RiskRule{ID: "unguarded", Category: "financial", Level: "high", When: `debt_ratio > 70`, Trigger: `"x"`})
	e, err := Compile(s, fields)
	if err != nil {
		t.Fatal(err)
	}
	in := seedCustomer()
	delete(in.Values, "debt_ratio")
	a := e.Analyze(in)
	if !hasError(a, "unguarded", "unknown input debt_ratio") {
		t.Errorf("errors = %+v, want unguarded reported with debt_ratio", a.Errors)
	}
	if hasError(a, "debt-ratio", "") {
		t.Errorf("the guarded default failed: %+v", a.Errors)
	}
}

func TestBadResultReported(t *testing.T) {
	s := Default()
	s.Tiers.Tier = `"platinum"`
	e, err := Compile(s, fields)
	if err != nil {
		t.Fatal(err)
	}
	a := e.Analyze(seedCustomer())
	if a.Tier != "" || !hasError(a, "tier", "platinum") {
		t.Errorf("tier %q errors %+v", a.Tier, a.Errors)
	}
}

func TestStructuralChecks(t *testing.T) {
	for name, mutate := range map[string]func(*Set){
		"bad level":    func(s *Set) { s.Risks[0].Level = "severe" },
		"bad category": func(s *Set) { s.Risks[0].Category = "legal" },
		"dup id":       func(s *Set) { s.Tags = append(s.Tags, s.Tags[0]) },
		"no plan":      func(s *Set) { delete(s.Tiers.Plans, "low") },
		"empty icp":    func(s *Set) { s.ICPs[0].Criteria = nil },
	} {
		s := Default()
		mutate(&s)
		if _, err := Compile(s, fields); err == nil {
			t.Errorf("%s: compiled", name)
		}
	}
}

func TestReplaceRoundTrip(t *testing.T) {
	s := Default()
	for _, k := range Kinds {
		b, err := s.Part(k)
		if err != nil {
			t.Fatal(err)
		}
		var s2 Set
		if err := s2.Replace(k, b); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
	}
	if err := s.Replace("tags", []byte(`[{"id":"x","tag":"t","when":"true","colour":"red"}]`)); err == nil {
		t.Error("an unknown JSON key was accepted")
	}
	if err := s.Replace("nope", []byte(`{}`)); err == nil {
		t.Error("an unknown kind was accepted")
	}
}

func FuzzCompileRule(f *testing.F) {
	for _, s := range []string{`debt_ratio > 70`, `1 / 0 > 1`, `len(1..10) > 0`, `"a" in tags`, `((`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, when string) {
		s := Default()
		s.Tags = append(s.Tags, TagRule{ID: "fuzz", Tag: "f", When: when})
		e, err := Compile(s, fields)
		if err != nil {
			return
		}
		e.Analyze(seedCustomer()) // must not panic
	})
}

func BenchmarkAnalyze(b *testing.B) {
	e := compileDefault(b)
	in := seedCustomer()
	b.ReportAllocs()
	for b.Loop() {
		e.Analyze(in)
	}
}

// FuzzValidate: any JSON body for any kind is refused or compiled, never a
// crash, and what is accepted evaluates without panicking.
func FuzzValidate(f *testing.F) {
	def := Default()
	for i, k := range Kinds {
		b, _ := def.Part(k)
		f.Add(uint8(i), string(b))
	}
	f.Add(uint8(2), `[{"id":"x","category":"financial","level":"high","when":"1/0 > 1","trigger":"\"t\""}]`)
	f.Fuzz(func(t *testing.T, kind uint8, body string) {
		k := Kinds[int(kind)%len(Kinds)]
		s := Default()
		if _, err := Validate(s, k, []byte(body), fields); err != nil {
			return
		}
		if err := s.Replace(k, []byte(body)); err != nil {
			t.Fatalf("validated but does not replace: %v", err)
		}
		e, err := Compile(s, fields)
		if err != nil {
			t.Fatalf("validated but does not compile: %v", err)
		}
		e.Analyze(seedCustomer())
	})
}

// BenchmarkCompile is what a customer page pays to compile the rules.
func BenchmarkCompile(b *testing.B) {
	for b.Loop() {
		if _, err := Compile(Default(), fields); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAnalyzeTerse(b *testing.B) {
	e := compileDefault(b).Terse()
	in := seedCustomer()
	b.ReportAllocs()
	for b.Loop() {
		e.Analyze(in)
	}
}
