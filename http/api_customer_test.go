package http

import (
	"context"
	"encoding/json"
	"fmt"
	nethttp "net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dossier/dossier"
)

// call sends a JSON request with a user's API token ("" for none).
func (f *fixture) call(method, path, as, body string) resp {
	f.t.Helper()
	req, err := nethttp.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[as])
	}
	return f.clients[""].do(req)
}

func (f *fixture) mustStatus(t *testing.T, r resp, want int) {
	t.Helper()
	if r.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, want, r.body)
	}
}

// TestAPIContract is the contract of issue 8: create as sales, then who may
// read, change and see the contacts of the new customer.
func TestAPIContract(t *testing.T) {
	f := newFixture(t)
	r := f.call("POST", "/api/v1/customers", "li", `{"values": {"name": "苏州新材料有限公司", "industry": "制造业",
		"contact_name": "赵六", "contact_phone": "13912345678", "contact_email": "zhao@example.com"},
		"source": {"channel": "customer", "detail": "展会名片"}}`)
	f.mustStatus(t, r, 201)
	var c dossier.Customer
	if err := json.Unmarshal([]byte(r.body), &c); err != nil || c.ID == 0 {
		t.Fatalf("no id in %s: %v", r.body, err)
	}
	if c.Owner != "li" || c.Team != "east" {
		t.Errorf("owner %q team %q, want li, east", c.Owner, c.Team)
	}
	path := fmt.Sprintf("/api/v1/customers/%d", c.ID)
	for _, sc := range []struct {
		as       string
		status   int
		contains []string
		absent   []string
	}{
		{"li", 200, []string{"13912345678"}, nil},
		{"wang", 404, nil, []string{"苏州新材料"}},
		{"zhou", 200, []string{"13912345678"}, nil},
		{"ma", 200, []string{"139****5678", "苏州新材料"}, []string{"13912345678", "zhao@example.com"}},
		{"sun", 200, []string{"139****5678"}, []string{"13912345678"}},
		{"qian", 403, nil, []string{"苏州新材料"}},
		{"", 401, nil, []string{"苏州新材料"}},
	} {
		r := f.call("GET", path, sc.as, "")
		if r.StatusCode != sc.status {
			t.Errorf("GET as %q: status %d, want %d", sc.as, r.StatusCode, sc.status)
		}
		r.mustContain(t, sc.contains...)
		r.mustNotContain(t, sc.absent...)
	}
	f.contacts(t, c.ID)
	f.update(t, c)
	f.auditTrail(t, c.ID)
}

func (f *fixture) contacts(t *testing.T, id int64) {
	path := fmt.Sprintf("/api/v1/customers/%d/contacts", id)
	r := f.call("GET", path, "ma", "")
	f.mustStatus(t, r, 200)
	r.mustContain(t, "赵六", "139****5678", "z***@example.com")
	r.mustNotContain(t, "13912345678", "zhao@example.com")
	r = f.call("GET", path, "li", "")
	f.mustStatus(t, r, 200)
	r.mustContain(t, "13912345678", "zhao@example.com")
	f.mustStatus(t, f.call("GET", path, "wang", ""), 404)
	f.mustStatus(t, f.call("GET", path, "qian", ""), 403)
}

// update: a fresh version saves, a stale one is refused with a clear
// message and changes nothing.
func (f *fixture) update(t *testing.T, c dossier.Customer) {
	path := fmt.Sprintf("/api/v1/customers/%d", c.ID)
	r := f.call("PATCH", path, "li", fmt.Sprintf(`{"version": %d, "values": {"stage": "意向"}}`, c.Version))
	f.mustStatus(t, r, 200)
	r = f.call("PATCH", path, "zhou", fmt.Sprintf(`{"version": %d, "values": {"stage": "成交"}}`, c.Version))
	f.mustStatus(t, r, 409)
	r.mustContain(t, `"code":"conflict"`, "changed by someone else")
	got, _ := f.db.FindCustomerByID(context.Background(), c.ID)
	if got.Stage == "won" {
		t.Error("a stale update overwrote the customer")
	}
	f.mustStatus(t, f.call("PATCH", path, "li", `{"values": {"stage": "成交"}}`), 400)
	f.mustStatus(t, f.call("PATCH", path, "wang", fmt.Sprintf(`{"version": %d, "values": {}}`, got.Version)), 404)
	f.mustStatus(t, f.call("PATCH", path, "ma", fmt.Sprintf(`{"version": %d, "values": {}}`, got.Version)), 403)
	r = f.call("PATCH", path, "li", fmt.Sprintf(`{"version": %d, "values": {"owner": "wang"}}`, got.Version))
	f.mustStatus(t, r, 403)
}

func (f *fixture) auditTrail(t *testing.T, id int64) {
	for _, action := range []string{dossier.AuditCustomerCreate, dossier.AuditCustomerUpdate, dossier.AuditContactView} {
		items, _, err := f.db.FindAudit(context.Background(), dossier.AuditFilter{User: "li", Action: action})
		if err != nil || len(items) == 0 || items[0].EntityID != id || items[0].RemoteAddr == "" {
			t.Errorf("%s not audited: %+v %v", action, items, err)
		}
	}
	// Masked views are not personal data shown, so they leave no entry.
	if items, _, _ := f.db.FindAudit(context.Background(), dossier.AuditFilter{User: "ma", Action: dossier.AuditContactView}); len(items) != 0 {
		t.Errorf("masked view audited: %+v", items)
	}
	r := f.call("GET", "/api/v1/audit?user=li&action="+dossier.AuditCustomerCreate, "admin", "")
	f.mustStatus(t, r, 200)
	r.mustContain(t, `"total":1`, `"action":"customer.create"`)
	f.mustStatus(t, f.call("GET", "/api/v1/audit", "zhou", ""), 403)
}

func TestAPICreateRefusals(t *testing.T) {
	f := newFixture(t)
	for _, sc := range []struct {
		name, as, body string
		status         int
	}{
		{"marketing may not create", "ma", `{"values": {"name": "x"}}`, 403},
		{"analyst may not create", "qian", `{"values": {"name": "x"}}`, 403},
		{"signed out", "", `{"values": {"name": "x"}}`, 401},
		{"sales may not give away", "li", `{"values": {"name": "x", "owner": "wang"}}`, 403},
		{"manager keeps team", "zhou", `{"values": {"name": "x", "team": "west"}}`, 403},
		{"no name", "li", `{"values": {"industry": "制造业"}}`, 400},
		{"bad channel", "li", `{"values": {"name": "x"}, "source": {"channel": "rumour"}}`, 400},
		{"unknown field in body", "li", `{"valuez": {}}`, 400},
		{"not JSON", "li", `name=x`, 400},
		{"empty", "li", ``, 400},
		{"too large", "li", `{"values": {"name": "` + strings.Repeat("x", 1<<20) + `"}}`, 413},
	} {
		t.Run(sc.name, func(t *testing.T) {
			r := f.call("POST", "/api/v1/customers", sc.as, sc.body)
			f.mustStatus(t, r, sc.status)
		})
	}
}

// Oversized bodies are refused before they are read in full, on the API
// (413) and on forms (the CSRF check reads at most 64 KiB and fails).
func TestOversizedBodies(t *testing.T) {
	f := newFixture(t)
	big := `{"version": 1, "values": {"name": "` + strings.Repeat("x", 2<<20) + `"}}`
	r := f.call("PATCH", fmt.Sprintf("/api/v1/customers/%d", f.east.ID), "li", big)
	f.mustStatus(t, r, 413)
	r.mustContain(t, `"code":"too_large"`)
	c := f.client()
	r = c.post("/login", url.Values{"csrf": {c.csrf("/login")}, "name": {strings.Repeat("x", 2<<20)}, "password": {"x"}})
	if r.StatusCode != 403 {
		t.Errorf("oversized form: %d", r.StatusCode)
	}
}
