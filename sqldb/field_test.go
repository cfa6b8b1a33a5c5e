package sqldb_test

import (
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// R31: a field added after a monthly review is a row in the registry; it can
// be renamed, retired and restored without a migration and without losing
// the values recorded under it.
func TestCustomFieldLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := dossier.Field{Key: "competitor_info", LabelZH: "竞争对手信息", LabelEN: "Competitor information",
			Category: dossier.CatBackground, Type: dossier.TypeText}
		if err := db.SaveField(ctx, f); err != nil {
			t.Fatal(err)
		}
		c := mustCreate(t, db, map[string]string{"name": "华信科技", "industry": "制造业", "competitor_info": "竞品B价格低但不灵活"})
		if c.Value("competitor_info") != "竞品B价格低但不灵活" {
			t.Fatalf("custom value not in profile: %v", c.Values)
		}
		f.LabelZH = "竞品信息"
		if err := db.SaveField(ctx, f); err != nil {
			t.Fatal(err)
		}
		reg, _ := db.Registry(ctx)
		if got, _ := reg.Lookup("竞品信息"); got.Key != "competitor_info" {
			t.Errorf("renamed label does not find the field")
		}
		f.Retired = true
		if err := db.SaveField(ctx, f); err != nil {
			t.Fatal(err)
		}
		s := src(dossier.ChannelInternal, "编辑", "2026-03-01")
		if _, err := db.UpdateCustomer(ctx, c.ID, dossier.CustomerUpdate{Values: map[string]string{"competitor_info": "x"}, Source: s}); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("a retired field must not take new values: %v", err)
		}
		got, _ := db.FindCustomerByID(ctx, c.ID)
		if got.Value("competitor_info") != "竞品B价格低但不灵活" {
			t.Errorf("retiring lost data: %v", got.Values)
		}
		f.Retired = false
		if err := db.SaveField(ctx, f); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateCustomer(ctx, c.ID, dossier.CustomerUpdate{Values: map[string]string{"competitor_info": "竞品A占华东30%"}, Source: s}); err != nil {
			t.Errorf("restored field: %v", err)
		}
		hist, _, _ := db.FieldHistory(ctx, c.ID, "competitor_info")
		if len(hist) != 2 {
			t.Errorf("history %d facts, want 2", len(hist))
		}
		f.Type = dossier.TypeMoney
		if err := db.SaveField(ctx, f); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("type change: %v", err)
		}
		if err := db.SaveField(ctx, dossier.Field{Key: "revenue", LabelZH: "x", Category: dossier.CatBasic, Type: dossier.TypeText}); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("overriding a built-in field: %v", err)
		}
	})
}

func TestUsersSessionsTokens(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		u := &dossier.User{Name: "张伟", Role: dossier.RoleSales, Team: "华东一组"}
		if err := db.CreateUser(ctx, u, "correct horse"); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateUser(ctx, &dossier.User{Name: "张伟", Role: dossier.RoleSales}, "another one"); dossier.ErrorCode(err) != dossier.ECONFLICT {
			t.Errorf("duplicate user: %v", err)
		}
		if err := db.CreateUser(ctx, &dossier.User{Name: "x", Role: "boss"}, "password1"); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("bad role: %v", err)
		}
		if _, err := db.Authenticate(ctx, "张伟", "wrong password"); dossier.ErrorCode(err) != dossier.EUNAUTHORIZED {
			t.Errorf("wrong password: %v", err)
		}
		if _, err := db.Authenticate(ctx, "nobody", "correct horse"); dossier.ErrorCode(err) != dossier.EUNAUTHORIZED {
			t.Errorf("unknown user: %v", err)
		}
		got, err := db.Authenticate(ctx, "张伟", "correct horse")
		if err != nil || got.ID != u.ID || got.Team != "华东一组" {
			t.Fatalf("authenticate: %+v %v", got, err)
		}
		tok, err := db.CreateSession(ctx, u.ID, day("2099-01-01"))
		if err != nil {
			t.Fatal(err)
		}
		if s, err := db.UserBySession(ctx, tok); err != nil || s.Name != "张伟" {
			t.Errorf("session: %v %v", s, err)
		}
		old, _ := db.CreateSession(ctx, u.ID, day("2000-01-01"))
		if _, err := db.UserBySession(ctx, old); dossier.ErrorCode(err) != dossier.EUNAUTHORIZED {
			t.Errorf("expired session accepted: %v", err)
		}
		if err := db.DeleteSession(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserBySession(ctx, tok); dossier.ErrorCode(err) != dossier.EUNAUTHORIZED {
			t.Errorf("deleted session accepted: %v", err)
		}
		api, err := db.CreateToken(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if s, err := db.UserByToken(ctx, api); err != nil || s.ID != u.ID {
			t.Errorf("token: %v %v", s, err)
		}
		for _, bad := range []string{"", "dos_", api + "x", api[4:], "dos_' OR '1'='1"} {
			if _, err := db.UserByToken(ctx, bad); dossier.ErrorCode(err) != dossier.EUNAUTHORIZED {
				t.Errorf("token %q: %v", bad, err)
			}
		}
		if n, _ := db.CountUsers(ctx); n != 1 {
			t.Errorf("CountUsers = %d", n)
		}
	})
}
