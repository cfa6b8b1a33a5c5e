package dossier

// The columns of each import kind, for the web wizard's mapping: what a
// column of a contacts, interactions or projects sheet may be mapped to,
// what the header detection found, and the user's overrides
// (ImportOptions.Columns). Customer files map to the registry's fields
// (MapHeader, ApplyColumns).

// ImportKinds lists the kinds of file `dossier import --kind` and the web
// wizard read.
var ImportKinds = []string{KindCustomers, KindContacts, KindInteractions, KindProjects}

// ValidImportKind reports whether k is one of ImportKinds.
func ValidImportKind(k string) bool {
	for _, v := range ImportKinds {
		if v == k {
			return true
		}
	}
	return false
}

// customerIDField is the column that names a customer by its id in a
// contacts, interactions or projects sheet.
var customerIDField = Field{Key: "id", LabelZH: "客户编号", LabelEN: "Customer id", Type: TypeNumber}

// KindColumns returns what a column of a sheet of kind (not customers) may
// hold, in the order a form lists them.
func KindColumns(kind string) []Field {
	reg := NewRegistry(nil)
	out := []Field{customerIDField}
	keys := []string{"name", "credit_code"}
	if kind == KindProjects {
		for _, k := range keys {
			f, _ := reg.Field(k)
			out = append(out, f)
		}
		return append(out, ProjectFields...)
	}
	keys = append(keys, "contact_name", "contact_title", "contact_role", "contact_phone", "contact_email",
		"last_contact_date", "last_contact_channel", "last_contact_summary", "feedback")
	for _, k := range keys {
		f, _ := reg.Field(k)
		out = append(out, f)
	}
	return out
}

// DetectKindColumns returns the key each header cell of a sheet of kind
// (not customers) maps to, "" for a column that is not read.
func DetectKindColumns(kind string, header []string) []string {
	reg := NewRegistry(nil)
	keys := make([]string, len(header))
	for i, h := range header {
		if kind == KindProjects {
			keys[i] = projectColumn(reg, h)
		} else {
			keys[i] = InteractionColumn(reg, h)
		}
	}
	return keys
}

// applyKindColumns overrides the detected keys of a contacts, interactions
// or projects sheet with the user's choices (see ImportOptions.Columns): a
// key of KindColumns, ColumnIgnore, or "" to keep the detected one. A key
// the kind does not have, or one chosen for two columns, is an error.
func applyKindColumns(kind string, header, keys, cols []string) ([]string, error) {
	allowed := map[string]bool{}
	for _, f := range KindColumns(kind) {
		allowed[f.Key] = true
	}
	for i, c := range cols {
		if i >= len(keys) {
			break
		}
		switch c {
		case "":
		case ColumnIgnore:
			keys[i] = ""
		default:
			if !allowed[c] {
				return nil, InvalidReason("columns", "column_not_in_kind", "column %d (%s): a %s file has no column %q", i+1, CleanText(header[i]), kind, c)
			}
			keys[i] = c
		}
	}
	seen := map[string]int{}
	for i, k := range keys {
		if k == "" {
			continue
		}
		if j, dup := seen[k]; dup {
			return nil, InvalidReason("columns", "columns_same_field", "columns %d and %d are both mapped to %q", j+1, i+1, k)
		}
		seen[k] = i
	}
	return keys, nil
}

// kindKeys is the mapping of a contacts, interactions or projects sheet:
// detected, then overridden by cols.
func kindKeys(kind string, header, cols []string) ([]string, error) {
	keys := DetectKindColumns(kind, header)
	if len(cols) == 0 {
		return keys, nil
	}
	return applyKindColumns(kind, header, keys, cols)
}
