package sqldb_test

import (
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

func TestPersonalDataAndErase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		c := mustCreate(t, db, map[string]string{"name": "华信科技", "contact_name": "王先生", "contact_phone": "13912345678",
			"contact_email": "wang@example.com", "last_contact_date": "2026-01-02", "last_contact_channel": "电话"})
		cs, err := db.Contacts(ctx, c.ID)
		if err != nil || len(cs) != 1 {
			t.Fatalf("contacts: %v %v", cs, err)
		}
		id := cs[0].ID
		pd, err := db.PersonalData(ctx, id)
		if err != nil || pd.Contact.Phone != "+8613912345678" || pd.CustomerName != "华信科技" || pd.CustomerID != c.ID {
			t.Fatalf("personal data: %+v %v", pd, err)
		}
		if err := db.EraseContact(ctx, id, &dossier.AuditEntry{User: "admin", Detail: "request 42"}); err != nil {
			t.Fatal(err)
		}
		pd, _ = db.PersonalData(ctx, id)
		if got := pd.Contact; got.Name != dossier.ErasedName || got.Phone != "" || got.Email != "" || got.Preferences != "" {
			t.Errorf("not erased: %+v", got)
		}
		au, total, _ := db.FindAudit(ctx, dossier.AuditFilter{Action: dossier.AuditContactErase})
		if total != 1 || au[0].EntityID != id || au[0].User != "admin" || au[0].Detail != "request 42" {
			t.Errorf("erase not audited: %+v", au)
		}
		if _, err := db.PersonalData(ctx, 99999); dossier.ErrorCode(err) != dossier.ENOTFOUND {
			t.Errorf("missing contact: %v", err)
		}
		if err := db.EraseContact(ctx, 99999, &dossier.AuditEntry{User: "admin"}); dossier.ErrorCode(err) != dossier.ENOTFOUND {
			t.Errorf("erase missing contact: %v", err)
		}
	})
}
