package sqldb

import (
	"cmp"
	"context"
	"slices"

	"github.com/dossier/dossier"
)

// scanInvalid is FindInvalid by a scan of every customer (the reference).
func (db *DB) scanInvalid(ctx context.Context, f dossier.QualityFilter) ([]dossier.InvalidValue, int, error) {
	reg, err := db.Registry(ctx)
	if err != nil {
		return nil, 0, err
	}
	var required []dossier.Field
	for _, fld := range reg.Active() {
		if fld.Required {
			required = append(required, fld)
		}
	}
	out := []dossier.InvalidValue{}
	err = db.groups(ctx, f, func(g *group) error {
		for i, iv := range invalidOf(reg, required, g) {
			if f.Field == "" || f.Field == iv.Field {
				iv.CustomerID, iv.CustomerName, iv.Owner, iv.Seq = g.c.ID, g.c.Name, g.c.Owner, i
				out = append(out, iv)
			}
		}
		return nil
	})
	return page(out, f.Offset, f.Limit), len(out), err
}

func invalidOf(reg *dossier.Registry, required []dossier.Field, g *group) []dossier.InvalidValue {
	var out []dossier.InvalidValue
	for _, fld := range required {
		switch {
		case fld.Key == "contact_name":
			if !g.hasContact {
				out = append(out, dossier.InvalidValue{Field: fld.Key, Problem: dossier.ProblemMissing, Current: true})
			}
		case fld.Entity == dossier.EntityCustomer && g.won[fld.Key].Value == "":
			out = append(out, dossier.InvalidValue{Field: fld.Key, Problem: dossier.ProblemMissing, Current: true})
		}
	}
	for _, fact := range g.facts {
		if p := reg.ValueProblem(fact.Field, fact.Value); p != "" {
			out = append(out, dossier.InvalidValue{Field: fact.Field, Value: fact.Value, Problem: p,
				ObservationID: fact.ObservationID, Current: g.won[fact.Field].ObservationID == fact.ObservationID})
		}
	}
	for _, c := range g.contacts {
		for _, kv := range [][2]string{{"contact_phone", c.Phone}, {"contact_email", c.Email}} {
			if p := reg.ValueProblem(kv[0], kv[1]); p != "" {
				out = append(out, dossier.InvalidValue{Field: kv[0], Value: kv[1], Problem: p, ContactID: c.ID, Current: true})
			}
		}
	}
	// Facts come in no particular order; reports should not change between runs.
	slices.SortStableFunc(out, func(a, b dossier.InvalidValue) int {
		return cmp.Or(cmp.Compare(a.Field, b.Field), cmp.Compare(a.ObservationID, b.ObservationID), cmp.Compare(a.ContactID, b.ContactID))
	})
	return out
}
