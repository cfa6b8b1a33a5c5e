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
// treating "unknown" as 0.
func (e *Engine) fill(env map[string]any, in *dossier.AnalysisInput, asOf time.Time) {
	for _, f := range e.fields {
		env[f.key] = fieldValue(f.kind, in.Values[f.key])
	}
	var months any
	if !in.LastContact.IsZero() {
		months = float64(dossier.MonthsBetween(in.LastContact, asOf))
	}
	env["months_since_last_contact"] = months
	env["contacts_last_3_months"] = float64(in.Contacts3m)
	env["interactions_per_month"] = float64(in.Contacts12m) / 12
	env["negative_feedback_3m"] = float64(in.Negative3m)
	env["open_tasks"] = float64(in.OpenTasks)
	env["overdue_tasks"] = float64(in.OverdueTasks)
	env["contacts"] = float64(in.Contacts)
	env["has_decision_maker"] = in.DecisionMakers > 0
	fillNeeds(env, in.Needs, asOf)
	// Empty values are skipped before parsing: a failed parse builds an
	// error, and most customers leave some of these fields empty.
	env["budget_mid"] = nil
	if b := in.Values["budget"]; b != "" {
		if r, err := dossier.ParseMoneyRange(b); err == nil {
			if mid, ok := r.Mid(); ok {
				env["budget_mid"] = float64(mid)
			}
		}
	}
	ind := in.Values["industry"]
	env["industry_top"] = dossier.IndustryTop(ind)
	_, sub, _ := strings.Cut(ind, dossier.IndustrySep)
	env["industry_sub"] = strings.TrimSpace(sub)
	env["age_years"] = nil
	if f := in.Values["founded"]; f != "" {
		if t, err := time.Parse(dossier.DateLayout, f); err == nil {
			env["age_years"] = math.Floor(asOf.Sub(t).Hours() / 24 / 365.25)
		}
	}
	env["tags_manual"] = nonNil(in.ManualTags)
	sc := in.Score
	env["r"], env["f"], env["m"], env["v"] = float64(sc.R), float64(sc.F), float64(sc.M), float64(sc.V)
	env["total"], env["priority"] = float64(sc.Total), sc.Priority
	for _, k := range []string{"scale", "growth", "stickiness", "value", "risk_level", "computed_grade", "tier"} {
		env[k] = ""
	}
	env["need_match_suggestion"], env["likelihood_suggestion"], env["risk_count"] = float64(0), float64(0), float64(0)
	env["risk_categories"], env["tags"] = []string{}, nonNil(in.ManualTags)
}

func fillNeeds(env map[string]any, needs []dossier.Need, asOf time.Time) {
	var all, recent []string
	explicit, implicit, rank := 0, 0, 0
	yearAgo := dossier.MonthsBefore(asOf, 12)
	for _, n := range needs {
		all = append(all, n.Type)
		if !n.Source.CollectedAt.IsZero() && !n.Source.CollectedAt.Before(yearAgo) {
			recent = append(recent, n.Type)
		}
		if n.Explicit {
			explicit++
		} else {
			implicit++
		}
		rank = max(rank, n.Urgency*n.Importance)
	}
	env["need_types"], env["need_types_last_year"] = nonNil(all), nonNil(recent)
	env["explicit_needs"], env["implicit_needs"], env["max_need_rank"] = float64(explicit), float64(implicit), float64(rank)
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
		return n
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
			return []string{}
		}
		return strings.Split(v, ";")
	}
	return v
}
