// Package present turns canonical stored values into what a person reads —
// money in 万, ranges as people say them, option labels in the reader's
// language — and masks personal contact data for readers who may not see it.
// The web pages and the printable report share it, so a value reads the same
// on screen and on paper.
package present

import (
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/i18n"
)

// Value formats a canonical value of field f for lang. sees is whether the
// reader may see phone numbers and e-mail addresses unmasked.
func Value(f dossier.Field, v, lang string, sees bool) string {
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
		return Range(v, lang)
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
		return Contact(f.Type, v, sees)
	}
	return v
}

// Range shows a canonical budget range in 万/亿 as people say it.
func Range(v, lang string) string {
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

// Contact hides a phone number or e-mail address unless sees.
func Contact(t dossier.FieldType, v string, sees bool) string {
	switch {
	case sees || v == "":
		return v
	case t == dossier.TypePhone:
		return dossier.MaskPhone(v)
	case t == dossier.TypeEmail:
		return Email(v)
	}
	return v
}

// Email masks an e-mail address to its first letter and domain.
func Email(e string) string {
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" {
		return "***"
	}
	return string([]rune(local)[:1]) + "***@" + domain
}
