package sqldb_test

import (
	"os"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

func writeFile(path, s string) error { return os.WriteFile(path, []byte(s), 0o600) }

func TestBulkLoad(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		mustCreate(t, db, map[string]string{"name": "existing", "industry": "制造业"})
		next, err := db.NextCustomerID(ctx)
		if err != nil || next != 2 {
			t.Fatalf("NextCustomerID = %d, %v", next, err)
		}
		s := src(dossier.ChannelPublic, "企查查", "2025-05-01")
		var batch []dossier.BulkCustomer
		for i := int64(0); i < 3; i++ {
			obs := []dossier.Observation{{Source: s, Values: map[string]string{"name": "公司" + string(rune('A'+i)), "industry": "制造业-化工", "revenue": "100000000"},
				Remarks: map[string]dossier.Remark{"revenue": dossier.RemarkDynamic}}}
			c := dossier.Customer{ID: next + i, Version: 1, LastContact: "2026-01-0" + string(rune('1'+i))}
			c.SetResolved(db.Policy().ResolveObservations(obs))
			batch = append(batch, dossier.BulkCustomer{Customer: c, Observations: obs,
				Contacts:     []dossier.Contact{{Name: "王", Role: "decision_maker", Phone: "+8613912345678", Source: s}},
				Interactions: []dossier.Interaction{{Date: c.LastContact, Channel: "phone", Source: s}},
				Needs:        []dossier.Need{{Type: "CRM系统", Budget: "300000-500000", Urgency: 4, Importance: 5, Explicit: true, Source: s}},
				Projects:     []dossier.Project{{Name: "一期", Amount: 300000, Satisfaction: 4, Source: s}},
			})
		}
		if err := db.LoadCustomers(ctx, batch); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishLoad(ctx); err != nil {
			t.Fatal(err)
		}
		c, err := db.FindCustomerByID(ctx, next+2)
		if err != nil || c.Name != "公司C" || c.Value("revenue") != "100000000" || c.LastContact != "2026-01-03" {
			t.Fatalf("loaded customer %+v %v", c, err)
		}
		_, win, _ := db.FieldHistory(ctx, c.ID, "revenue")
		if win == nil || win.Source.Detail != "企查查" || win.Remark != dossier.RemarkDynamic {
			t.Errorf("provenance lost in bulk load: %+v", win)
		}
		needs, _ := db.Needs(ctx, c.ID)
		projects, _ := db.Projects(ctx, c.ID)
		contacts, _ := db.Contacts(ctx, c.ID)
		if len(needs) != 1 || len(projects) != 1 || len(contacts) != 1 || projects[0].Satisfaction != 4 || !needs[0].Explicit {
			t.Errorf("records: %+v %+v %+v", needs, projects, contacts)
		}
		// Ids continue after the loaded ones on both engines.
		d := mustCreate(t, db, map[string]string{"name": "after", "industry": "制造业"})
		if d.ID != next+3 {
			t.Errorf("id after load = %d, want %d", d.ID, next+3)
		}
		// A batch with a bad row lands not at all.
		bad := []dossier.BulkCustomer{{Customer: dossier.Customer{ID: next + 10, Values: map[string]string{"name": "ok"}}},
			{Customer: dossier.Customer{ID: next + 10, Values: map[string]string{"name": "duplicate id"}}}}
		if err := db.LoadCustomers(ctx, bad); err == nil {
			t.Fatal("duplicate ids accepted")
		}
		if _, err := db.FindCustomerByID(ctx, next+10); dossier.ErrorCode(err) != dossier.ENOTFOUND {
			t.Errorf("half a batch landed: %v", err)
		}
	})
}
