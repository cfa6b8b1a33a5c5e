package dossier

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// FieldType says how a field's value is parsed, stored and compared. Every
// value is kept in facts in its canonical string form (see Canonical).
type FieldType string

const (
	TypeText       FieldType = "text"
	TypeNumber     FieldType = "number"      // decimal; canonical "1234" or "12.5"
	TypeMoney      FieldType = "money"       // yuan; canonical integer "1200000"
	TypeRange      FieldType = "range"       // money range; canonical "lo-hi", "lo", or "negotiable"
	TypeDate       FieldType = "date"        // canonical "2006-01-02"
	TypeTimeline   FieldType = "timeline"    // canonical "2024-Q3", "2024-07", "2024" or "tbd"
	TypeEnum       FieldType = "enum"        // canonical: the option's Value
	TypeTags       FieldType = "tags"        // canonical: values joined by ";"
	TypePercent    FieldType = "percent"     // canonical number of percent, "78" = 78%
	TypeRating     FieldType = "rating"      // integer 1-5
	TypePhone      FieldType = "phone"       // canonical E.164 where it can be parsed
	TypeEmail      FieldType = "email"       // canonical lower-case address
	TypeCreditCode FieldType = "credit_code" // GB 32100 unified social credit code, 18 chars
)

// Category is one of the five categories of customer information of SPEC R2,
// plus the analysis results computed or set on top of them.
type Category string

const (
	CatBasic      Category = "basic"      // 基础信息
	CatContact    Category = "contact"    // 联系人
	CatBackground Category = "background" // 业务背景
	CatNeed       Category = "need"       // 需求特征
	CatHistory    Category = "history"    // 合作历史与风险因素
	CatAnalysis   Category = "analysis"   // 分析结果
)

// Categories lists the categories in the order forms show them.
var Categories = []Category{CatBasic, CatContact, CatBackground, CatNeed, CatHistory, CatAnalysis}

// Entity names the record a field belongs to: most describe the customer,
// contact fields a contact, the latest-interaction fields an interaction.
type Entity string

const (
	EntityCustomer    Entity = "customer"
	EntityContact     Entity = "contact"
	EntityInteraction Entity = "interaction"
)

// Option is one allowed value of an enumeration, with its labels and the
// other words people write for it.
type Option struct {
	Value    string   `json:"value"`
	LabelZH  string   `json:"label_zh"`
	LabelEN  string   `json:"label_en"`
	Synonyms []string `json:"synonyms,omitempty"`
}

// Field describes one piece of customer information: the registry's row.
type Field struct {
	Key      string    `json:"key"`
	LabelZH  string    `json:"label_zh"`
	LabelEN  string    `json:"label_en"`
	Category Category  `json:"category"`
	Entity   Entity    `json:"entity"`
	Type     FieldType `json:"type"`
	Required bool      `json:"required"`
	KeyFact  bool      `json:"key_fact"` // checked against two channels (R7)
	Options  []Option  `json:"options,omitempty"`
	Aliases  []string  `json:"aliases,omitempty"` // other header names accepted on import
	Builtin  bool      `json:"builtin"`
	Retired  bool      `json:"retired"`
	Position int       `json:"position"`
	// HelpZH and HelpEN explain a custom field beside its input.
	HelpZH string `json:"help_zh,omitempty"`
	HelpEN string `json:"help_en,omitempty"`
}

// Help returns the field's help text in lang, the Chinese one when the
// English is missing.
func (f Field) Help(lang string) string {
	if lang == "en" && f.HelpEN != "" {
		return f.HelpEN
	}
	return f.HelpZH
}

// FieldVersion is one saved definition of a custom field (R31): every
// change is kept, with who made it, as rule sets' versions are.
type FieldVersion struct {
	Key     string    `json:"key"`
	Version int       `json:"version"`
	Field   Field     `json:"field"`
	SavedBy string    `json:"saved_by"`
	SavedAt time.Time `json:"saved_at"`
}

// Label returns the field's label in lang ("zh" or "en").
func (f Field) Label(lang string) string {
	if lang == "en" {
		return f.LabelEN
	}
	return f.LabelZH
}

// Option returns the option whose value, label or synonym is s.
func (f Field) Option(s string) (Option, bool) {
	s = strings.TrimSpace(s)
	for _, o := range f.Options {
		if strings.EqualFold(o.Value, s) || o.LabelZH == s || strings.EqualFold(o.LabelEN, s) || slices.Contains(o.Synonyms, s) {
			return o, true
		}
	}
	return Option{}, false
}

// OptionLabel returns the label of the stored value v, or v itself when it is
// not one of the field's options.
func (f Field) OptionLabel(v, lang string) string {
	for _, o := range f.Options {
		if o.Value == v {
			if lang == "en" {
				return o.LabelEN
			}
			return o.LabelZH
		}
	}
	return v
}

// maxHelp is the longest help text a field may carry, in characters.
const maxHelp = 500

var customKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// ValidateCustom checks a field that a user adds to the registry (R31).
func (f Field) ValidateCustom(existing *Registry) error {
	switch {
	case !customKeyRE.MatchString(f.Key):
		return InvalidReason("key", "field_key_format", "key %q must be 2-40 lower-case letters, digits or _, starting with a letter", f.Key)
	case strings.TrimSpace(f.LabelZH) == "" && strings.TrimSpace(f.LabelEN) == "":
		return InvalidReason("label_zh", "field_no_label", "a field needs a label")
	case !slices.Contains(Categories, f.Category):
		return InvalidReason("category", "field_category", "unknown category %q", f.Category)
	case !validType(f.Type):
		return InvalidReason("type", "field_type", "unknown field type %q", f.Type)
	case f.Type == TypeEnum && len(f.Options) == 0:
		return InvalidReason("options", "field_no_options", "an enumeration needs at least one option")
	case len([]rune(f.HelpZH)) > maxHelp || len([]rune(f.HelpEN)) > maxHelp:
		return InvalidReason("help_zh", "field_help_long", "help text is limited to %d characters", maxHelp)
	}
	seen := map[string]bool{}
	for _, o := range f.Options {
		switch {
		case strings.TrimSpace(o.Value) == "" || strings.TrimSpace(o.LabelZH) == "":
			return InvalidReason("options", "field_option_empty", "every option needs a value and a label")
		case seen[strings.ToLower(o.Value)]:
			return InvalidReason("options", "field_option_twice", "option %q is listed twice", o.Value)
		}
		seen[strings.ToLower(o.Value)] = true
	}
	if existing != nil {
		if old, ok := existing.Field(f.Key); ok && old.Builtin {
			return InvalidReason("key", "field_builtin", "%q is a built-in field", f.Key)
		}
	}
	return nil
}

func validType(t FieldType) bool {
	switch t {
	case TypeText, TypeNumber, TypeMoney, TypeRange, TypeDate, TypeTimeline, TypeEnum,
		TypeTags, TypePercent, TypeRating, TypePhone, TypeEmail, TypeCreditCode:
		return true
	}
	return false
}

// Registry is the set of fields in force: the built-in ones and the custom
// fields a team added. It drives templates, import mapping, validation, forms,
// export and the fields offered by filters and pivots.
type Registry struct {
	fields []Field
	byKey  map[string]int
	byName map[string]int // labels and aliases, for header mapping
}

// NewRegistry returns the built-in fields followed by custom, sorted by
// position. Custom fields with a built-in key are ignored.
func NewRegistry(custom []Field) *Registry {
	fs := BuiltinFields()
	for _, c := range custom {
		c.Builtin = false
		if c.Entity == "" {
			c.Entity = EntityCustomer
		}
		if slices.ContainsFunc(fs, func(b Field) bool { return b.Key == c.Key }) {
			continue
		}
		fs = append(fs, c)
	}
	slices.SortStableFunc(fs, func(a, b Field) int { return a.Position - b.Position })
	r := &Registry{fields: fs, byKey: map[string]int{}, byName: map[string]int{}}
	for i, f := range fs {
		r.byKey[f.Key] = i
	}
	for i, f := range fs {
		for _, n := range append([]string{f.LabelZH, f.LabelEN}, f.Aliases...) {
			n = normName(n)
			if _, taken := r.byName[n]; n != "" && !taken {
				r.byName[n] = i
			}
		}
	}
	return r
}

func normName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimSuffix(s, "*")
	return strings.TrimSpace(s)
}

// Fields returns every field, retired ones included, in display order.
func (r *Registry) Fields() []Field { return slices.Clone(r.fields) }

// Active returns the fields that are not retired, in display order.
func (r *Registry) Active() []Field {
	var out []Field
	for _, f := range r.fields {
		if !f.Retired {
			out = append(out, f)
		}
	}
	return out
}

// Field returns the field with the given key.
func (r *Registry) Field(key string) (Field, bool) {
	i, ok := r.byKey[key]
	if !ok {
		return Field{}, false
	}
	return r.fields[i], true
}

// Lookup finds a field by key, Chinese or English label, or alias — the
// header names of an imported sheet.
func (r *Registry) Lookup(name string) (Field, bool) {
	if f, ok := r.Field(strings.TrimSpace(name)); ok {
		return f, true
	}
	i, ok := r.byName[normName(name)]
	if !ok {
		return Field{}, false
	}
	return r.fields[i], true
}

// Canonical parses raw for field f and returns its canonical string form, and
// a remark when the wording was vague ("大概", "可能", …). An empty raw value
// gives "" and no error: the caller decides whether the field is required.
func (f Field) Canonical(raw string) (string, Remark, error) {
	raw = CleanText(raw)
	if raw == "" {
		return "", RemarkNone, nil
	}
	remark := RemarkNone
	if HasVagueWording(raw) {
		remark = RemarkPending
	}
	v, err := canonical(f, raw)
	if err != nil {
		return "", remark, &Error{Code: EINVALID, Field: f.Key, Message: err.Error(), Cause: err}
	}
	return v, remark, nil
}

func canonical(f Field, raw string) (string, error) {
	switch f.Type {
	case TypeText:
		return raw, nil
	case TypeNumber:
		n, err := ParseNumber(StripVague(raw))
		return FormatNumber(n), err
	case TypePercent:
		n, err := ParsePercent(StripVague(raw))
		return FormatNumber(n), err
	case TypeMoney:
		m, err := ParseMoney(StripVague(raw))
		return m.String(), err
	case TypeRange:
		r, err := ParseMoneyRange(StripVague(raw))
		return r.String(), err
	case TypeDate:
		d, err := ParseDate(raw)
		return FormatDate(d), err
	case TypeTimeline:
		t, err := ParseTimeline(raw)
		return t.String(), err
	case TypeRating:
		return parseRating(raw)
	case TypeEnum:
		if o, ok := f.Option(raw); ok {
			return o.Value, nil
		}
		return "", reasonf("not_option", "%q is not one of %s", raw, f.optionList())
	case TypeTags:
		return strings.Join(SplitTags(raw), ";"), nil
	case TypeEmail:
		return ParseEmail(raw)
	case TypeCreditCode:
		return ParseCreditCode(raw)
	case TypePhone:
		return ParsePhone(raw)
	}
	return raw, nil
}

func (f Field) optionList() string {
	var ls []string
	for _, o := range f.Options {
		ls = append(ls, o.LabelZH)
	}
	return strings.Join(ls, " / ")
}

func parseRating(raw string) (string, error) {
	n, err := ParseNumber(strings.TrimSuffix(strings.TrimSpace(raw), "分"))
	if err != nil || n != float64(int(n)) || n < 1 || n > 5 {
		return "", reasonf("not_rating", "%q is not a whole score from 1 to 5", raw)
	}
	return FormatNumber(n), nil
}

// SplitTags splits a tag list on the separators people use.
func SplitTags(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == ';' || r == '；' || r == ',' || r == '，' || r == '、' || r == '|'
	})
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// AuditFieldSave is the audit action of a field added to the registry in
// the web editor.
const AuditFieldSave = "field.save"

func init() { AuditActions = append(AuditActions, AuditFieldSave) }
