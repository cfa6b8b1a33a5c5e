package http

import (
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/i18n"
	"github.com/dossier/dossier/present"
)

// This file turns canonical stored values into what a person reads, and
// hides personal contact data from roles that may not see it (package
// present holds the rules, shared with the printable report).

var (
	display     = present.Value
	maskContact = present.Contact
)

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
