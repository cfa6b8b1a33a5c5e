package http

import (
	"context"
	"fmt"
	"testing"

	"github.com/dossier/dossier"
)

// Sign-ins, good and bad, are audited with where they came from, and the
// admin finds them on the audit page.
func TestSignInAudited(t *testing.T) {
	e := newEnv(t)
	e.user("li", dossier.RoleSales, "east")
	admin := e.withSession(e.user("admin", dossier.RoleAdmin, ""))
	if r := e.client().login("li", "wrong-password"); r.StatusCode != 401 {
		t.Fatalf("bad password: %d", r.StatusCode)
	}
	e.signedIn("li")
	for _, action := range []string{dossier.AuditSignIn, dossier.AuditSignInFailed} {
		items, _, err := e.db.FindAudit(context.Background(), dossier.AuditFilter{User: "li", Action: action})
		if err != nil || len(items) != 1 || items[0].RemoteAddr != "127.0.0.1" {
			t.Errorf("%s: %+v %v", action, items, err)
		}
	}
	r := admin.get("/admin/audit")
	if r.StatusCode != 200 {
		t.Fatalf("audit page: %d", r.StatusCode)
	}
	r.mustContain(t, "审计日志", `title="signin.ok">登录成功`, `title="signin.failed">登录失败`, "127.0.0.1")
	r = admin.get("/admin/audit?user=li&action=signin.failed&lang=en")
	r.mustContain(t, "Audit log", `title="signin.failed">Sign-in failed`, "1 entries", `value="signin.failed" selected`)
	r.mustNotContain(t, `title="signin.ok"`)
	if r := admin.get("/admin/audit?offset=-1"); r.StatusCode != 400 {
		t.Errorf("bad offset: %d", r.StatusCode)
	}
}

// The detail page of a customer with contact data, seen unmasked, leaves an
// audit entry; seen masked, none.
func TestContactViewAudited(t *testing.T) {
	f := newFixture(t)
	path := fmt.Sprintf("/customers/%d", f.east.ID)
	if r := f.clients["ma"].get(path); r.StatusCode != 200 {
		t.Fatalf("marketing: %d", r.StatusCode)
	}
	if r := f.clients["li"].get(path); r.StatusCode != 200 {
		t.Fatalf("sales: %d", r.StatusCode)
	}
	ctx := context.Background()
	if items, _, _ := f.db.FindAudit(ctx, dossier.AuditFilter{Action: dossier.AuditContactView}); len(items) != 1 ||
		items[0].User != "li" || items[0].EntityID != f.east.ID {
		t.Errorf("contact views: %+v", items)
	}
}

// A payload in an audit entry (a user name typed at sign-in) is escaped.
func TestAuditPageEscapes(t *testing.T) {
	e := newEnv(t)
	admin := e.withSession(e.user("admin", dossier.RoleAdmin, ""))
	if err := e.db.RecordAudit(context.Background(), &dossier.AuditEntry{User: xssPayload, Action: dossier.AuditSignInFailed}); err != nil {
		t.Fatal(err)
	}
	r := admin.get("/admin/audit")
	r.mustNotContain(t, "<script>alert(1)</script>", "<img src=x")
	r.mustContain(t, "&lt;script&gt;alert(1)&lt;/script&gt;")
}
