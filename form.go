package dossier

import "slices"

// Entry is a set of values about one customer as a person or a file gives
// them, split by the record each value belongs to and in canonical form.
type Entry struct {
	Customer    map[string]string // customer fields (built-in and custom)
	Contact     map[string]string // contact_* fields
	Interaction map[string]string // last_contact_* and feedback
	Remarks     map[string]Remark
}

// Normalize checks raw values against the registry and returns them in
// canonical form, split by entity. Unknown or retired fields and unparseable
// values are EINVALID errors naming the field; the first one, in registry
// order, is returned. Vague wording becomes a RemarkPending on that field.
func (r *Registry) Normalize(raw map[string]string, remarks map[string]Remark) (Entry, error) {
	e := Entry{Customer: map[string]string{}, Contact: map[string]string{}, Interaction: map[string]string{}, Remarks: map[string]Remark{}}
	for k, rm := range remarks {
		e.Remarks[k] = rm
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return r.position(a) - r.position(b) })
	for _, k := range keys {
		f, ok := r.Field(k)
		if !ok || f.Retired {
			return e, FieldError(k, "unknown field %q", k)
		}
		v, rm, err := f.Canonical(raw[k])
		if err != nil {
			return e, err
		}
		if rm != RemarkNone && e.Remarks[k] == RemarkNone {
			e.Remarks[k] = rm
		}
		switch f.Entity {
		case EntityContact:
			e.Contact[k] = v
		case EntityInteraction:
			e.Interaction[k] = v
		default:
			e.Customer[k] = v
		}
	}
	return e, nil
}

func (r *Registry) position(key string) int {
	if i, ok := r.byKey[key]; ok {
		return r.fields[i].Position
	}
	return 1 << 30
}

// MissingRequired lists the required fields of the collection form (SPEC R5)
// that values leaves empty.
func (r *Registry) MissingRequired(values map[string]string) []string {
	var miss []string
	for _, f := range r.fields {
		if f.Required && !f.Retired && CleanText(values[f.Key]) == "" {
			miss = append(miss, f.Key)
		}
	}
	return miss
}
