package demo

import (
	"fmt"
	"slices"
	"testing"

	"github.com/dossier/dossier"
)

// plantedInvalids returns record id → the field broken on purpose.
func plantedInvalids(t *testing.T, cfg Config) map[int64]string {
	t.Helper()
	out := map[int64]string{}
	if err := PlantedInvalids(cfg, func(id int64, f string) error { out[id] = f; return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestValuesCanonical checks that every value is already in the canonical
// form of its registry field, except the invalid ones planted on purpose,
// and that each of those is really there.
func TestValuesCanonical(t *testing.T) {
	t.Parallel()
	cfg := Config{Customers: 5000, Seed: 11, AsOf: testAsOf}
	reg := dossier.NewRegistry(nil)
	invalid := plantedInvalids(t, cfg)
	if n := len(invalid); n < 25 || n > 80 {
		t.Errorf("%d planted invalid records for %d companies, want about 1%%", n, cfg.Customers)
	}
	owners := Owners(cfg.Seed)
	found := map[int64]string{}
	for _, bc := range generate(t, cfg) {
		id := bc.Customer.ID
		for _, o := range bc.Observations {
			for k, v := range o.Values {
				if bad := checkValue(reg, k, v, o.Remarks[k]); bad != nil {
					found[id] = k
					if invalid[id] != k {
						t.Errorf("%d: %v", id, bad)
					}
				}
			}
		}
		for _, k := range []string{"industry", "need_type"} {
			if bc.Customer.Values[k] == "" {
				found[id] = k
			}
		}
		checkPlaces(t, bc.Customer, owners)
		for f := range checkContacts(t, reg, bc) {
			found[id] = f
		}
		checkNotes(t, reg, bc)
	}
	for id, f := range invalid {
		if found[id] != f {
			t.Errorf("record %d: planted invalid %s not found (found %q)", id, f, found[id])
		}
	}
	for id, f := range found {
		if invalid[id] != f {
			t.Errorf("record %d: invalid %s that was not planted", id, f)
		}
	}
}

// checkValue reports a value that is not canonical for its field, or whose
// vague wording is not marked pending.
func checkValue(reg *dossier.Registry, key, v string, rm dossier.Remark) error {
	f, ok := reg.Field(key)
	if !ok {
		return fmt.Errorf("unknown field %q", key)
	}
	got, vague, err := f.Canonical(v)
	switch {
	case err != nil:
		return fmt.Errorf("%s %q: %v", key, v, err)
	case got != v:
		return fmt.Errorf("%s %q is not canonical: %q", key, v, got)
	case vague == dossier.RemarkPending && rm != dossier.RemarkPending:
		return fmt.Errorf("%s %q is vague but not pending verification", key, v)
	}
	return nil
}

func checkPlaces(t *testing.T, c dossier.Customer, owners []Owner) {
	t.Helper()
	v := c.Values
	if ind, ok := dossier.FindIndustry(v["industry"]); v["industry"] != "" && (!ok || ind.Path != v["industry"]) {
		t.Errorf("%d: industry %q is not a hierarchy path", c.ID, v["industry"])
	}
	if p, ok := dossier.ProvinceOfCity(v["city"]); v["city"] != "" && (!ok || p.Name != v["province"]) {
		t.Errorf("%d: city %q is not in province %q", c.ID, v["city"], v["province"])
	}
	if !slices.Contains(owners, Owner{v["owner"], v["team"]}) {
		t.Errorf("%d: owner %q of team %q is not one of Owners", c.ID, v["owner"], v["team"])
	}
}

// checkContacts checks contacts and returns the fields found invalid.
func checkContacts(t *testing.T, reg *dossier.Registry, bc dossier.BulkCustomer) map[string]bool {
	t.Helper()
	bad := map[string]bool{}
	for _, c := range bc.Contacts {
		for k, v := range map[string]string{"contact_name": c.Name, "contact_title": c.Title, "contact_role": c.Role,
			"contact_phone": c.Phone, "contact_email": c.Email} {
			if err := checkValue(reg, k, v, ""); err != nil {
				bad[k] = true
			}
		}
		if c.Name == "" || c.Role == "" || c.CustomerID != bc.Customer.ID || c.Source.Validate() != nil ||
			dossier.CleanText(c.Preferences) != c.Preferences {
			t.Errorf("%d: contact %+v", bc.Customer.ID, c)
		}
	}
	return bad
}

func checkNotes(t *testing.T, reg *dossier.Registry, bc dossier.BulkCustomer) {
	t.Helper()
	id := bc.Customer.ID
	for _, in := range bc.Interactions {
		for k, v := range map[string]string{"last_contact_date": in.Date, "last_contact_channel": in.Channel,
			"last_contact_summary": in.Summary, "feedback": in.FeedbackText} {
			if err := checkValue(reg, k, v, dossier.RemarkPending); err != nil {
				t.Errorf("%d: interaction: %v", id, err)
			}
		}
		if !slices.Contains([]string{"", "positive", "neutral", "negative"}, in.Feedback) || in.Source.Validate() != nil {
			t.Errorf("%d: interaction %+v", id, in)
		}
	}
	for _, nd := range bc.Needs {
		for k, v := range map[string]string{"need_type": nd.Type, "need_description": nd.Description,
			"budget": nd.Budget, "purchase_timeline": nd.Timeline} {
			if err := checkValue(reg, k, v, dossier.RemarkPending); err != nil {
				t.Errorf("%d: need: %v", id, err)
			}
		}
		if nd.Urgency < 1 || nd.Urgency > 5 || nd.Importance < 1 || nd.Importance > 5 || nd.Source.Validate() != nil {
			t.Errorf("%d: need %+v", id, nd)
		}
	}
	for _, pj := range bc.Projects {
		for k, v := range map[string]string{"founded": pj.Start, "last_contact_date": pj.End, "last_contact_summary": pj.Name} {
			if err := checkValue(reg, k, v, ""); err != nil {
				t.Errorf("%d: project: %v", id, err)
			}
		}
		if pj.Satisfaction < 1 || pj.Satisfaction > 5 || pj.Amount <= 0 || pj.Start == "" || pj.End != "" && pj.End < pj.Start {
			t.Errorf("%d: project %+v", id, pj)
		}
	}
}

func TestCreditCodesUnique(t *testing.T) {
	t.Parallel()
	cfg := Config{Customers: 20000, Seed: 5, AsOf: testAsOf}
	g, err := newGenerator(cfg, dossier.DefaultResolvePolicy())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for c := range cfg.Customers {
		p := g.profile(c, 0)
		if _, err := dossier.ParseCreditCode(p.creditCode); err != nil {
			t.Fatalf("company %d: %v", c, err)
		}
		if other, ok := seen[p.creditCode]; ok {
			t.Fatalf("companies %d and %d share credit code %s", other, c, p.creditCode)
		}
		seen[p.creditCode] = c
	}
}
