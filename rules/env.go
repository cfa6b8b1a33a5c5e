package rules

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dossier/dossier"
)

// varKind is how a variable is typed in the rules' environment.
type varKind int

const (
	kString varKind = iota
	kNumber         // float64; nil when unknown
	kDate           // time.Time; nil when unknown
	kList           // []string; empty when unknown
	kBool
)

// Variable describes one name rules may use.
type Variable struct {
	Name string `json:"name"`
	Type string `json:"type"` // string, number, date, list, bool
	Doc  string `json:"doc"`
	kind varKind
}

func zero(k varKind) any {
	switch k {
	case kNumber:
		return float64(0)
	case kDate:
		return time.Time{}
	case kList:
		return []string{}
	case kBool:
		return false
	}
	return ""
}

var kindNames = map[varKind]string{kString: "string", kNumber: "number", kDate: "date", kList: "list", kBool: "bool"}

// aggregates are the computed variables, beside the registry fields.
var aggregates = []Variable{
	{Name: "months_since_last_contact", kind: kNumber, Doc: "calendar months since the latest interaction; nil if none"},
	{Name: "contacts_last_3_months", kind: kNumber, Doc: "interactions in the 3 months up to the as-of date"},
	{Name: "interactions_per_month", kind: kNumber, Doc: "interactions in the last 12 months / 12"},
	{Name: "negative_feedback_3m", kind: kNumber, Doc: "interactions with negative feedback in the last 3 months"},
	{Name: "open_tasks", kind: kNumber, Doc: "open tasks"},
	{Name: "overdue_tasks", kind: kNumber, Doc: "open tasks past their due date"},
	{Name: "contacts", kind: kNumber, Doc: "contacts on file"},
	{Name: "has_decision_maker", kind: kBool, Doc: "a contact has the decision_maker role"},
	{Name: "need_types", kind: kList, Doc: "types of every need"},
	{Name: "need_types_last_year", kind: kList, Doc: "types of needs collected in the last 12 months"},
	{Name: "explicit_needs", kind: kNumber, Doc: "explicit needs"},
	{Name: "implicit_needs", kind: kNumber, Doc: "implicit needs (to confirm)"},
	{Name: "max_need_rank", kind: kNumber, Doc: "highest urgency × importance of a need (1–25)"},
	{Name: "budget_mid", kind: kNumber, Doc: "midpoint of the budget range in yuan; nil if unknown"},
	{Name: "industry_top", kind: kString, Doc: "first level of the industry (制造业)"},
	{Name: "industry_sub", kind: kString, Doc: "second level of the industry, if any"},
	{Name: "age_years", kind: kNumber, Doc: "years since founding; nil if unknown"},
	{Name: "tags_manual", kind: kList, Doc: "hand-set tags"},
	{Name: "r", kind: kNumber, Doc: "R14 recency points"},
	{Name: "f", kind: kNumber, Doc: "R14 frequency points"},
	{Name: "m", kind: kNumber, Doc: "R14 monetary points"},
	{Name: "v", kind: kNumber, Doc: "R14 strategic value points"},
	{Name: "total", kind: kNumber, Doc: "R14 total score"},
	{Name: "priority", kind: kString, Doc: "R14 priority: high / medium / low"},
	// results of earlier kinds, in evaluation order (see Kinds)
	{Name: "scale", kind: kString, Doc: "value: scale grade (value rules)"},
	{Name: "growth", kind: kString, Doc: "value: growth grade (value rules)"},
	{Name: "stickiness", kind: kString, Doc: "value: stickiness grade (value rules)"},
	{Name: "value", kind: kString, Doc: "overall value grade (value rules)"},
	{Name: "need_match_suggestion", kind: kNumber, Doc: "suggested need match 1–5 (suggestions)"},
	{Name: "likelihood_suggestion", kind: kNumber, Doc: "suggested likelihood 1–5 (suggestions)"},
	{Name: "risk_level", kind: kString, Doc: "highest open risk level or none (risks)"},
	{Name: "risk_count", kind: kNumber, Doc: "risks found (risks)"},
	{Name: "risk_categories", kind: kList, Doc: "categories of the risks found (risks)"},
	{Name: "computed_grade", kind: kString, Doc: "key / potential / ordinary (grade)"},
	{Name: "tier", kind: kString, Doc: "tier (tiers)"},
	{Name: "tags", kind: kList, Doc: "tags so far: manual and rule tags (tags)"},
}

// fieldVar is a registry field as a variable.
type fieldVar struct {
	key  string
	kind varKind
}

func fieldKind(t dossier.FieldType) varKind {
	switch t {
	case dossier.TypeNumber, dossier.TypeMoney, dossier.TypePercent, dossier.TypeRating:
		return kNumber
	case dossier.TypeDate:
		return kDate
	case dossier.TypeTags:
		return kList
	}
	return kString
}

// isIdent reports whether a field key can be a variable name.
func isIdent(s string) bool {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}

// Variables lists every name rules may use: the customer fields of the
// registry, then the aggregates.
func Variables(fields []dossier.Field) []Variable {
	labels := map[string]string{}
	for _, f := range fields {
		labels[f.Key] = "field " + f.LabelZH + " / " + f.LabelEN + " (" + string(f.Type) + ")"
	}
	var out []Variable
	for _, f := range customerFields(fields) {
		out = append(out, Variable{Name: f.key, kind: f.kind, Doc: labels[f.key]})
	}
	out = append(out, aggregates...)
	for i := range out {
		out[i].Type = kindNames[out[i].kind]
	}
	return out
}

func customerFields(fields []dossier.Field) []fieldVar {
	var out []fieldVar
	for _, f := range fields {
		if f.Entity != "" && f.Entity != dossier.EntityCustomer || !isIdent(f.Key) || f.Retired {
			continue
		}
		if slices.ContainsFunc(aggregates, func(v Variable) bool { return v.Name == f.Key }) {
			continue // an aggregate keeps its meaning
		}
		out = append(out, fieldVar{f.Key, fieldKind(f.Type)})
	}
	return out
}

// typeEnv is the compile-time environment: every variable with a value of
// its type, so the checker knows the types.
func typeEnv(vars []Variable) map[string]any {
	env := make(map[string]any, len(vars))
	for _, v := range vars {
		env[v.Name] = zero(v.kind)
	}
	return env
}

// fill sets the environment's profile and aggregate variables for one
// customer. Unknown numbers and dates are nil, so a rule that uses one
// without a nil check fails for that customer and says so, instead of
// treating "unknown" as 0. Only the variables some rule reads are set
// (e.aggs, see usedAggregates): the others keep the zero value they were
// compiled with, and no rule sees them.
func (e *Engine) fill(env map[string]any, in *dossier.AnalysisInput, asOf time.Time) {
	for _, f := range e.fields {
		env[f.key] = fieldValue(f.kind, in.Values[f.key])
	}
	c := fillCtx{in: in, asOf: asOf}
	for _, a := range e.aggs {
		env[a.name] = a.value(&c)
	}
}

// fillCtx is one customer's inputs while its aggregates are computed; the
// needs are summed up once, for the first variable that asks.
type fillCtx struct {
	in        *dossier.AnalysisInput
	asOf      time.Time
	needs     needSummary
	needsDone bool
}

type needSummary struct {
	all, recent              []string
	explicit, implicit, rank int
}

func (c *fillCtx) summary() *needSummary {
	if c.needsDone {
		return &c.needs
	}
	c.needsDone = true
	s := &c.needs
	yearAgo := dossier.MonthsBefore(c.asOf, 12)
	for _, n := range c.in.Needs {
		s.all = append(s.all, n.Type)
		if !n.Source.CollectedAt.IsZero() && !n.Source.CollectedAt.Before(yearAgo) {
			s.recent = append(s.recent, n.Type)
		}
		if n.Explicit {
			s.explicit++
		} else {
			s.implicit++
		}
		s.rank = max(s.rank, n.Urgency*n.Importance)
	}
	return s
}

// aggFill computes one aggregate variable.
type aggFill struct {
	name  string
	value func(c *fillCtx) any
}

// aggregateValues computes each aggregate for a customer. Results of
// earlier kinds start empty (Analyze sets them as it goes).
var aggregateValues = map[string]func(c *fillCtx) any{
	"months_since_last_contact": func(c *fillCtx) any {
		if c.in.LastContact.IsZero() {
			return nil
		}
		return num(float64(dossier.MonthsBetween(c.in.LastContact, c.asOf)))
	},
	"contacts_last_3_months": func(c *fillCtx) any { return num(float64(c.in.Contacts3m)) },
	"interactions_per_month": func(c *fillCtx) any { return num(float64(c.in.Contacts12m) / 12) },
	"negative_feedback_3m":   func(c *fillCtx) any { return num(float64(c.in.Negative3m)) },
	"open_tasks":             func(c *fillCtx) any { return num(float64(c.in.OpenTasks)) },
	"overdue_tasks":          func(c *fillCtx) any { return num(float64(c.in.OverdueTasks)) },
	"contacts":               func(c *fillCtx) any { return num(float64(c.in.Contacts)) },
	"has_decision_maker":     func(c *fillCtx) any { return c.in.DecisionMakers > 0 },
	"need_types":             func(c *fillCtx) any { return list(c.summary().all) },
	"need_types_last_year":   func(c *fillCtx) any { return list(c.summary().recent) },
	"explicit_needs":         func(c *fillCtx) any { return num(float64(c.summary().explicit)) },
	"implicit_needs":         func(c *fillCtx) any { return num(float64(c.summary().implicit)) },
	"max_need_rank":          func(c *fillCtx) any { return num(float64(c.summary().rank)) },
	// Empty values are skipped before parsing: a failed parse builds an
	// error, and most customers leave some of these fields empty.
	"budget_mid": func(c *fillCtx) any {
		if b := c.in.Values["budget"]; b != "" {
			if r, err := dossier.ParseMoneyRange(b); err == nil {
				if mid, ok := r.Mid(); ok {
					return num(float64(mid))
				}
			}
		}
		return nil
	},
	"industry_top": func(c *fillCtx) any { return dossier.IndustryTop(c.in.Values["industry"]) },
	"industry_sub": func(c *fillCtx) any {
		_, sub, _ := strings.Cut(c.in.Values["industry"], dossier.IndustrySep)
		return strings.TrimSpace(sub)
	},
	"age_years": func(c *fillCtx) any {
		if f := c.in.Values["founded"]; f != "" {
			if t, err := time.Parse(dossier.DateLayout, f); err == nil {
				return num(math.Floor(c.asOf.Sub(t).Hours() / 24 / 365.25))
			}
		}
		return nil
	},
	"tags_manual":           func(c *fillCtx) any { return list(c.in.ManualTags) },
	"r":                     func(c *fillCtx) any { return num(float64(c.in.Score.R)) },
	"f":                     func(c *fillCtx) any { return num(float64(c.in.Score.F)) },
	"m":                     func(c *fillCtx) any { return num(float64(c.in.Score.M)) },
	"v":                     func(c *fillCtx) any { return num(float64(c.in.Score.V)) },
	"total":                 func(c *fillCtx) any { return num(float64(c.in.Score.Total)) },
	"priority":              func(c *fillCtx) any { return c.in.Score.Priority },
	"scale":                 emptyString,
	"growth":                emptyString,
	"stickiness":            emptyString,
	"value":                 emptyString,
	"need_match_suggestion": zeroNumber,
	"likelihood_suggestion": zeroNumber,
	"risk_level":            emptyString,
	"risk_count":            zeroNumber,
	"risk_categories":       func(*fillCtx) any { return emptyList },
	"computed_grade":        emptyString,
	"tier":                  emptyString,
	"tags":                  func(c *fillCtx) any { return list(c.in.ManualTags) },
}

func emptyString(*fillCtx) any { return "" }
func zeroNumber(*fillCtx) any  { return boxedInts[0] }

// emptyList is []string{} boxed once: nothing appends to or changes a
// variable's list in place.
var emptyList any = []string{}

// list is s as a variable: never nil.
func list(s []string) any {
	if s == nil {
		return emptyList
	}
	return s
}

// boxedStrings are the results rules give most (levels, grades, "none"),
// boxed once.
var boxedStrings = [...]any{"", "none", dossier.LevelHigh, dossier.LevelMedium, dossier.LevelLow, "key", "potential", "ordinary"}

// boxString boxes a rule result, without allocating for a common one.
func boxString(s string) any {
	for _, b := range boxedStrings {
		if b.(string) == s {
			return b
		}
	}
	return s
}

// boxedInts are the whole numbers 0…1023 as float64 variables, boxed once:
// most counts and points are small whole numbers, and boxing each anew
// was an allocation per variable and customer.
var boxedInts = func() (b [1024]any) {
	for i := range b {
		b[i] = float64(i)
	}
	return b
}()

// num boxes a number, without allocating for a small whole number.
func num(f float64) any {
	if f >= 0 && f < float64(len(boxedInts)) && f == math.Trunc(f) && !(f == 0 && math.Signbit(f)) {
		return boxedInts[int(f)]
	}
	return f
}

// usedAggregates lists the aggregates some program reads, in the order of
// aggregates; all of them when a program reads the environment as a whole
// ($env).
func usedAggregates(ps []*program) []aggFill {
	used := map[string]bool{}
	all := false
	for _, p := range ps {
		all = all || p.wholeEnv
		for _, id := range p.idents {
			used[id] = true
		}
	}
	var out []aggFill
	for _, v := range aggregates {
		if all || used[v.Name] {
			out = append(out, aggFill{name: v.Name, value: aggregateValues[v.Name]})
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// fieldValue converts a canonical value to the variable's type; a value
// that does not convert counts as unknown.
func fieldValue(k varKind, v string) any {
	switch k {
	case kNumber:
		if v == "" {
			return nil
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil
		}
		return num(n)
	case kDate:
		if v == "" {
			return nil
		}
		t, err := time.Parse(dossier.DateLayout, v)
		if err != nil {
			return nil
		}
		return t
	case kList:
		if v == "" {
			return emptyList
		}
		return strings.Split(v, ";")
	}
	return v
}
