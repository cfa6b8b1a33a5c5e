package present

import (
	"regexp"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/i18n"
)

// The rules engine records what decided each grade as the variables one
// rule read, "revenue=197500000, strategic_value=benchmark": exact, and
// what `dossier score --json` prints, but not what a sales director reads.
// Inputs turns it into "年营收 1.975亿 · 战略价值 行业标杆": registry fields
// by their label and formatted as on the profile, the engine's computed
// variables (rules/env.go) by their catalogue label (var.NAME), levels and
// priorities by their label, unknown values as such.

// inputRE finds where each "name=" of an inputs string starts; a value
// may itself hold ", " (free text), so the string is cut at names only.
var inputRE = regexp.MustCompile(`(?:^|, )([a-z][a-z0-9_]*)=`)

// levelVars hold high / medium / low (or none).
var levelVars = map[string]bool{"scale": true, "growth": true, "stickiness": true, "value": true, "priority": true, "risk_level": true}

// Inputs formats an inputs string of the rules engine for lang. Anything
// it cannot read is returned as it is.
func Inputs(reg *dossier.Registry, inputs, lang string) string {
	locs := inputRE.FindAllStringSubmatchIndex(inputs, -1)
	if len(locs) == 0 || locs[0][0] != 0 {
		return inputs
	}
	parts := make([]string, 0, len(locs))
	for i, l := range locs {
		end := len(inputs)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		name, value := inputs[l[2]:l[3]], inputs[l[1]:end]
		label, shown := inputVar(reg, name, value, lang)
		parts = append(parts, label+" "+shown)
	}
	return strings.Join(parts, i18n.T(lang, "value.inputs_sep"))
}

// inputVar is the label and the shown value of one variable.
func inputVar(reg *dossier.Registry, name, value, lang string) (string, string) {
	if value == "?" {
		return varLabel(reg, name, lang), i18n.T(lang, "value.unknown")
	}
	list := strings.HasPrefix(value, "[") && strings.HasSuffix(value, "]")
	if list {
		value = strings.Join(dossier.SplitTags(value[1:len(value)-1]), ";")
	}
	if f, ok := reg.Field(name); ok {
		return f.Label(lang), Value(f, canonicalInput(f, value, list), lang, false)
	}
	label := varLabel(reg, name, lang)
	switch {
	case list:
		return label, strings.Join(dossier.SplitTags(value), i18n.T(lang, "value.list_sep"))
	case levelVars[name]:
		return label, Level(lang, value)
	case name == "tier":
		return label, dossier.Field{Options: dossier.PriorityOptions}.OptionLabel(value, lang)
	case name == "computed_grade":
		return label, dossier.Field{Options: dossier.GradeOptions}.OptionLabel(value, lang)
	case name == "budget_mid":
		if m, err := dossier.ParseMoney(value); err == nil {
			return label, m.Wan()
		}
	case value == "true" || value == "false":
		return label, i18n.T(lang, map[bool]string{true: "value.yes", false: "value.no"}[value == "true"])
	}
	return label, value
}

// canonicalInput turns a value as the engine rendered it back into the
// field's canonical form where the two differ: a list of a tags field.
func canonicalInput(f dossier.Field, value string, list bool) string {
	if list && f.Type != dossier.TypeTags {
		return strings.ReplaceAll(value, ";", i18n.T("", "value.list_sep"))
	}
	return value
}

// varLabel is the label of a variable: the registry's for a field, the
// catalogue's for a computed variable, else its name.
func varLabel(reg *dossier.Registry, name, lang string) string {
	if f, ok := reg.Field(name); ok {
		return f.Label(lang)
	}
	if i18n.Has(lang, "var."+name) {
		return i18n.T(lang, "var."+name)
	}
	return name
}

// Level is the label of a level (high, medium, low, none), or "unknown"
// for none given.
func Level(lang, level string) string {
	if level == "" {
		return i18n.T(lang, "analysis.unknown")
	}
	return i18n.T(lang, "level."+level)
}
