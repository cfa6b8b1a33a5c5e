package http

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/dossier/dossier"
)

// An admin adds users in the settings UI; a refused entry says why.
func TestAddUserUI(t *testing.T) {
	e := newEnv(t)
	admin := e.withSession(e.user("admin", dossier.RoleAdmin, ""))
	add := func(name, role, password string) resp {
		return admin.post("/admin/users", url.Values{"csrf": {admin.csrf("/admin/users")}, "name": {name},
			"role": {role}, "team": {"east"}, "password": {password}})
	}
	r := add("李娜", dossier.RoleService, "long-enough-pw")
	if r.StatusCode != 303 {
		t.Fatalf("add: %d %s", r.StatusCode, r.body)
	}
	u, err := e.db.FindUserByName(context.Background(), "李娜")
	if err != nil || u.Role != dossier.RoleService || u.Team != "east" {
		t.Fatalf("stored: %+v %v", u, err)
	}
	admin.get(r.Header.Get("Location")).mustContain(t, "已添加用户 李娜", "客服")
	for _, sc := range []struct{ name, role, password, msg string }{
		{"x", "boss", "long-enough-pw", "未知的角色“boss”"},
		{"y", dossier.RoleSales, "short", "至少需要 8 个字符"},
		{"李娜", dossier.RoleSales, "long-enough-pw", "已存在"},
	} {
		r := add(sc.name, sc.role, sc.password)
		if r.StatusCode != 400 {
			t.Errorf("%+v: status %d", sc, r.StatusCode)
		}
		r.mustContain(t, sc.msg)
	}
	if items, _, _ := e.db.FindAudit(context.Background(), dossier.AuditFilter{Action: dossier.AuditUserCreate}); len(items) != 1 ||
		items[0].User != "admin" || items[0].EntityID != u.ID {
		t.Errorf("user.create audit: %+v", items)
	}
}

var tokenRE = regexp.MustCompile(`dos_[A-Za-z0-9_-]+`)

// Any signed-in user makes their own API token in settings; it is shown
// once and works as a bearer token.
func TestNewTokenUI(t *testing.T) {
	e := newEnv(t)
	li := e.user("li", dossier.RoleSales, "east")
	c := e.withSession(li)
	r := c.post("/settings/token", url.Values{"csrf": {c.csrf("/settings")}})
	if r.StatusCode != 200 {
		t.Fatalf("new token: %d", r.StatusCode)
	}
	tok := tokenRE.FindString(r.body)
	if tok == "" {
		t.Fatalf("no token shown:\n%s", r.body)
	}
	if r := e.client().get("/api/v1/customers", "Authorization", "Bearer "+tok); r.StatusCode != 200 {
		t.Errorf("token refused: %d", r.StatusCode)
	}
	c.get("/settings").mustNotContain(t, tok)
	if items, _, _ := e.db.FindAudit(context.Background(), dossier.AuditFilter{User: "li", Action: dossier.AuditTokenCreate}); len(items) != 1 {
		t.Errorf("token.create audit: %+v", items)
	}
}

// Analysts land on their settings, not on a customer list they may not see.
func TestAnalystHome(t *testing.T) {
	e := newEnv(t)
	c := e.withSession(e.user("qian", dossier.RoleAnalyst, ""))
	if r := c.get("/"); r.Header.Get("Location") != "/settings" {
		t.Errorf("root: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c.get("/customers"); r.StatusCode != 403 {
		t.Errorf("list: %d", r.StatusCode)
	}
}

// A custom phone field of a customer is personal data too: its history,
// seen unmasked, is audited; seen masked, it is not.
func TestFieldHistoryOfPhoneAudited(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	err := f.db.SaveField(ctx, dossier.Field{Key: "backup_phone", LabelZH: "备用电话", LabelEN: "Backup phone",
		Entity: dossier.EntityCustomer, Category: dossier.CatContact, Type: dossier.TypePhone})
	if err != nil {
		t.Fatal(err)
	}
	c := f.customer(map[string]string{"name": "备用电话公司", "owner": "li", "team": "east", "backup_phone": "13800001111"})
	path := "/customers/" + strconv.FormatInt(c.ID, 10) + "/fields/backup_phone"
	r := f.clients["ma"].get(path)
	r.mustContain(t, "138****1111")
	r.mustNotContain(t, "13800001111")
	f.clients["li"].get(path).mustContain(t, "13800001111")
	items, _, _ := f.db.FindAudit(ctx, dossier.AuditFilter{Action: dossier.AuditContactView})
	if len(items) != 1 || items[0].User != "li" || items[0].Detail != "field backup_phone" {
		t.Errorf("audit: %+v", items)
	}
}
