package filter

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/dossier/dossier"
)

// targetKind says where a condition looks.
type targetKind int

const (
	kColumn targetKind = iota // a column of customers
	kCustom                   // a custom field in customers.custom (JSON)
	kTag                      // customer_tags, via EXISTS
	kRisk                     // open risks, via EXISTS
	kScore                    // a score component in scores, via EXISTS
	kQuery                    // name substring or credit code
)

// target is what a field name in an expression refers to. col is an SQL
// identifier taken only from the registry or the fixed tables below, never
// from the expression itself.
type target struct {
	kind targetKind
	name string // as written in messages: the key
	col  string // column (kColumn, kRisk, kScore) or JSON key (kCustom)
	typ  dossier.FieldType
	opts []dossier.Option
	hier bool // hierarchical text ("制造业" matches "制造业-机械设备")
}

// RiskCategoryOptions and RiskLevelOptions are the values of risk.category
// and risk.level (issue 5 item 4).
var (
	RiskCategoryOptions = []dossier.Option{
		{Value: "financial", LabelZH: "财务", LabelEN: "Financial", Synonyms: []string{"财务风险"}},
		{Value: "cooperation", LabelZH: "合作", LabelEN: "Cooperation", Synonyms: []string{"合作风险"}},
		{Value: "industry", LabelZH: "行业", LabelEN: "Industry", Synonyms: []string{"行业风险"}},
	}
	RiskLevelOptions = []dossier.Option{
		{Value: "high", LabelZH: "高", LabelEN: "High"},
		{Value: "medium", LabelZH: "中", LabelEN: "Medium"},
		{Value: "low", LabelZH: "低", LabelEN: "Low"},
	}
)

// pseudo are the names that are not registry fields: tags, risks, scores,
// the list's free-text query and short forms people use.
var pseudo = map[string]target{
	"tag":           {kind: kTag, name: "tag", typ: dossier.TypeText},
	"risk":          {kind: kRisk, name: "risk", col: "category", typ: dossier.TypeEnum, opts: RiskCategoryOptions},
	"risk.category": {kind: kRisk, name: "risk.category", col: "category", typ: dossier.TypeEnum, opts: RiskCategoryOptions},
	"risk.level":    {kind: kRisk, name: "risk.level", col: "level", typ: dossier.TypeEnum, opts: RiskLevelOptions},
	"risk.trigger":  {kind: kRisk, name: "risk.trigger", col: "trigger_text", typ: dossier.TypeText},
	"total":         {kind: kColumn, name: "total", col: "score", typ: dossier.TypeNumber},
	"score.r":       {kind: kScore, name: "score.r", col: "r", typ: dossier.TypeNumber},
	"score.f":       {kind: kScore, name: "score.f", col: "f", typ: dossier.TypeNumber},
	"score.m":       {kind: kScore, name: "score.m", col: "m", typ: dossier.TypeNumber},
	"score.v":       {kind: kScore, name: "score.v", col: "v", typ: dossier.TypeNumber},
	"query":         {kind: kQuery, name: "query", typ: dossier.TypeText},
}

// pseudoAliases are other names of the pseudo fields and of common fields.
var pseudoAliases = map[string]string{
	"tags": "tag", "标签": "tag",
	"风险": "risk", "风险类别": "risk.category", "风险等级": "risk.level", "风险触发": "risk.trigger",
	"score": "total", "总分": "total", "得分": "total", "评分": "total",
	"q": "query", "关键词": "query",
	"priority": "follow_up_priority", "优先级": "follow_up_priority",
	"last_contact": "last_contact_date",
}

// resolveField finds what name refers to: a pseudo field, or a registry field
// by key, label or alias.
func resolveField(reg *dossier.Registry, name string, pos int) (target, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	if a, ok := pseudoAliases[key]; ok {
		key = a
	}
	if t, ok := pseudo[key]; ok {
		return t, nil
	}
	f, ok := reg.Field(key)
	if !ok {
		f, ok = reg.Lookup(name)
	}
	if !ok {
		if s := suggest(reg, name); s != "" {
			return target{}, errAt(pos, "unknown field '%s', did you mean '%s'?", name, s)
		}
		return target{}, errAt(pos, "unknown field '%s' (see `dossier fields` for the keys and labels)", name)
	}
	switch {
	case f.Key == "last_contact_date":
		// The latest interaction's date is kept on the customer.
		return target{kind: kColumn, name: f.Key, col: "last_contact", typ: dossier.TypeDate}, nil
	case f.Entity != dossier.EntityCustomer:
		return target{}, errAt(pos, "'%s' belongs to a %s, not to the customer; segments filter on customer fields", name, f.Entity)
	case f.Builtin:
		return target{kind: kColumn, name: f.Key, col: f.Key, typ: f.Type, opts: f.Options, hier: f.Key == "industry"}, nil
	}
	return target{kind: kCustom, name: f.Key, col: f.Key, typ: f.Type, opts: f.Options}, nil
}

// suggest returns the known name closest to name, if it is close enough to be
// a typo.
func suggest(reg *dossier.Registry, name string) string {
	if utf8.RuneCountInString(name) > 60 {
		return "" // no field name is that long; spare the distances
	}
	// Keys first, so that a tie goes to the key rather than a label.
	var keys, labels []string
	for _, f := range reg.Active() {
		keys = append(keys, f.Key)
		labels = append(labels, f.LabelZH, f.LabelEN)
	}
	for k := range pseudo {
		keys = append(keys, k)
	}
	for k := range pseudoAliases {
		labels = append(labels, k)
	}
	slices.Sort(keys)
	slices.Sort(labels)
	cands := append(keys, labels...)
	best, bestD := "", 1<<30
	low := strings.ToLower(name)
	for _, c := range cands {
		if d := distance(low, strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	limit := max(1, utf8.RuneCountInString(name)/3)
	if bestD > limit {
		return ""
	}
	return best
}

// distance is the Levenshtein edit distance between a and b, in characters.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
