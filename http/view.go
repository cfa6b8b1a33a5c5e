package http

import (
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/i18n"
)

// This file turns canonical stored values into what a person reads, and
// hides personal contact data from roles that may not see it.

// display formats a canonical value of field f for lang. sees is whether
// the user may see phone numbers and e-mail addresses unmasked.
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
		return maskEmail(v)
	}
	return v
}

// maskEmail keeps the first character of the mailbox and the domain:
// "zhang.wei@example.com" → "z***@example.com".
func maskEmail(e string) string {
	local, domain, ok := strings.Cut(e, "@")
	if !ok || local == "" {
		return "***"
	}
	return string([]rune(local)[:1]) + "***@" + domain
}

// maskValues returns a copy of a customer whose phone and e-mail fields are
// masked for a user who may not see them; the API uses it.
func maskValues(c *dossier.Customer, reg *dossier.Registry, sees bool) *dossier.Customer {
	if sees {
		return c
	}
	out := *c
	out.Values = make(map[string]string, len(c.Values))
	for k, v := range c.Values {
		if f, ok := reg.Field(k); ok {
			v = maskContact(f.Type, v, false)
		}
		out.Values[k] = v
	}
	return &out
}

// optionLabel is the label of value v of a registry field, or v itself.
func optionLabel(reg *dossier.Registry, key, v, lang string) string {
	if f, ok := reg.Field(key); ok {
		return f.OptionLabel(v, lang)
	}
	return v
}

// labelIn is the label of v among opts, for enumerations outside the
// registry (interaction feedback, score priority).
func labelIn(opts []dossier.Option, v, lang string) string {
	return dossier.Field{Options: opts}.OptionLabel(v, lang)
}

func channelText(c dossier.Channel, lang string) string {
	return i18n.T(lang, "channel."+string(c))
}

func remarkText(r dossier.Remark, lang string) string {
	if r == dossier.RemarkNone {
		return ""
	}
	return i18n.T(lang, "remark."+string(r))
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04")
}

// joinNonEmpty joins the non-empty parts with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
