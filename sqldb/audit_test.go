package sqldb_test

import (
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

func TestAuditRecordAndFind(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		for _, e := range []dossier.AuditEntry{
			{User: "li", Action: dossier.AuditSignIn, RemoteAddr: "10.0.0.1"},
			{User: "li", Action: dossier.AuditContactView, Entity: "customer", EntityID: 7},
			{User: "wang", Action: dossier.AuditSignInFailed, Detail: "wrong password"},
		} {
			if err := db.RecordAudit(ctx, &e); err != nil {
				t.Fatal(err)
			}
			if e.ID == 0 || e.At.IsZero() {
				t.Fatalf("entry not stamped: %+v", e)
			}
		}
		all, total, err := db.FindAudit(ctx, dossier.AuditFilter{})
		if err != nil || total != 3 || len(all) != 3 {
			t.Fatalf("all: %d %d %v", total, len(all), err)
		}
		if all[0].User != "wang" || all[2].RemoteAddr != "10.0.0.1" {
			t.Errorf("not newest first: %+v", all)
		}
		li, total, _ := db.FindAudit(ctx, dossier.AuditFilter{User: "li", Action: dossier.AuditContactView})
		if total != 1 || li[0].EntityID != 7 || li[0].Entity != "customer" {
			t.Errorf("filtered: %d %+v", total, li)
		}
		page, total, _ := db.FindAudit(ctx, dossier.AuditFilter{Limit: 1, Offset: 1})
		if total != 3 || len(page) != 1 || page[0].User != "li" {
			t.Errorf("paged: %d %+v", total, page)
		}
		if err := db.RecordAudit(ctx, &dossier.AuditEntry{User: "x"}); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("no action: %v", err)
		}
	})
}

// The schema refuses to change or delete audit entries.
func TestAuditAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		if err := db.RecordAudit(ctx, &dossier.AuditEntry{User: "li", Action: dossier.AuditSignIn}); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"UPDATE audit_log SET user_name = 'x'", "DELETE FROM audit_log"} {
			if err := db.ExecForTest(ctx, q); err == nil {
				t.Errorf("%s: allowed", q)
			}
		}
	})
}

func TestCreateTokenIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		u := &dossier.User{Name: "li", Role: dossier.RoleSales}
		if err := db.CreateUser(ctx, u, "long-enough-pw"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateToken(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		got, total, err := db.FindAudit(ctx, dossier.AuditFilter{Action: dossier.AuditTokenCreate})
		if err != nil || total != 1 || got[0].User != "li" || got[0].EntityID != u.ID {
			t.Fatalf("token audit: %d %+v %v", total, got, err)
		}
	})
}
