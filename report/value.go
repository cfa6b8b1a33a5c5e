package report

import (
	"github.com/dossier/dossier"
	"github.com/dossier/dossier/present"
)

// Values read as on the web pages: package present holds the rules.
var (
	display     = present.Value
	maskContact = present.Contact
)

// optionLabel is the label of value v of a registry field, or v itself.
func optionLabel(reg *dossier.Registry, key, v, lang string) string {
	if f, ok := reg.Field(key); ok {
		return f.OptionLabel(v, lang)
	}
	return v
}

func itoa(n int) string { return dossier.FormatNumber(float64(n)) }
