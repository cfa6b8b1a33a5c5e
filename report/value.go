package report

import (
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/i18n"
)

// This file turns canonical stored values into what a person reads, as the
// web pages do (http/view.go), and masks contact details for those who may
// not see them. It repeats the web's few lines rather than importing the
// web package, which imports this one.

// display formats a canonical value of field f for lang; sees is whether
// phone numbers and e-mail addresses are shown unmasked.
func display(f dossier.Field, v, lang string, sees bool) string {
	if v == "" {
		return ""
	}
	switch f.Type {
	case dossier.TypeEnum:
		return f.OptionLabel(v, lang)
	case dossier.TypeMoney:
		if m, err := dossier.ParseMoney(v); err == nil {
			return m.Wan()
		}
	case dossier.TypeRange:
		return displayRange(v, lang)
	case dossier.TypeTimeline:
		if v == "tbd" {
			return i18n.T(lang, "value.tbd")
		}
	case dossier.TypePercent:
		return v + "%"
	case dossier.TypeRating:
		return v + " / 5"
	case dossier.TypeTags:
		return strings.Join(dossier.SplitTags(v), i18n.T(lang, "value.list_sep"))
	case dossier.TypePhone, dossier.TypeEmail:
		return maskContact(f.Type, v, sees)
	}
	return v
}

// displayRange shows a canonical budget range in 万/亿 as people say it.
func displayRange(v, lang string) string {
	r, err := dossier.ParseMoneyRange(v)
	switch {
	case err != nil:
		return v
	case r.Negotiable:
		return i18n.T(lang, "value.negotiable")
	case r.Lo == r.Hi:
		return r.Lo.Wan()
	case r.Hi == 0:
		return i18n.T(lang, "value.at_least", r.Lo.Wan())
	case r.Lo == 0:
		return i18n.T(lang, "value.at_most", r.Hi.Wan())
	}
	return r.Lo.Wan() + "–" + r.Hi.Wan()
}

// maskContact hides a phone number or e-mail address unless sees.
func maskContact(t dossier.FieldType, v string, sees bool) string {
	switch {
	case sees || v == "":
		return v
	case t == dossier.TypePhone:
		return dossier.MaskPhone(v)
	case t == dossier.TypeEmail:
		local, domain, ok := strings.Cut(v, "@")
		if !ok || local == "" {
			return "***"
		}
		return string([]rune(local)[:1]) + "***@" + domain
	}
	return v
}

// optionLabel is the label of value v of a registry field, or v itself.
func optionLabel(reg *dossier.Registry, key, v, lang string) string {
	if f, ok := reg.Field(key); ok {
		return f.OptionLabel(v, lang)
	}
	return v
}

func itoa(n int) string { return dossier.FormatNumber(float64(n)) }
