package http

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// callContactAPI is TestOpenAPIResponses' part for contacts: create, read
// masked and unmasked, list, change with versions, and the errors.
func callContactAPI(t *testing.T, f *fixture, call func(pattern, path, as, body string, want int) resp) {
	t.Helper()
	var c dossier.Contact
	r := call("POST /api/v1/contacts", "/api/v1/contacts", "li",
		fmt.Sprintf(`{"customer_id": %d, "name": "刘洋", "title": "采购经理", "role": "采购负责人", "phone": "139 0000 1111", "email": "liu.yang@example.com"}`, f.east.ID), 201)
	if err := json.Unmarshal([]byte(r.body), &c); err != nil || c.Version != 1 || c.Role != "procurement" || c.Phone != "+8613900001111" {
		t.Fatalf("created %s (%v)", r.body, err)
	}
	path := fmt.Sprintf("/api/v1/contacts/%d", c.ID)
	masked := call("GET /api/v1/contacts/{id}", path, "ma", "", 200)
	masked.mustNotContain(t, "13900001111", "liu.yang@example.com")
	call("GET /api/v1/contacts/{id}", path, "admin", "", 200).mustContain(t, "13900001111")
	call("GET /api/v1/contacts/{id}", path, "wang", "", 404)
	call("GET /api/v1/contacts", fmt.Sprintf("/api/v1/contacts?customer_id=%d&role=procurement&limit=5", f.east.ID), "sun", "", 200).
		mustNotContain(t, "13900001111")
	call("GET /api/v1/contacts", "/api/v1/contacts?sort=name", "li", "", 400)
	call("POST /api/v1/contacts", "/api/v1/contacts", "li", fmt.Sprintf(`{"customer_id": %d, "name": "x", "phone": "12"}`, f.east.ID), 400)
	call("POST /api/v1/contacts", "/api/v1/contacts", "li", fmt.Sprintf(`{"customer_id": %d, "name": "x"}`, f.west.ID), 404)
	call("PATCH /api/v1/contacts/{id}", path, "li", `{"version": 1, "title": "采购总监"}`, 200).mustContain(t, "采购总监", `"version":2`)
	call("PATCH /api/v1/contacts/{id}", path, "li", `{"version": 1, "title": "旧"}`, 409)
	call("PATCH /api/v1/contacts/{id}", path, "li", `{"version": 2, "email": "not-an-email"}`, 400)
}

// Round trip on both stores, and contacts of a hidden customer are not
// listed.
func TestContactRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := envOn(t, db)
		tok := e.token(e.user("admin", dossier.RoleAdmin, ""))
		cu := e.customer(map[string]string{"name": "联系人公司", "industry": "制造业"})
		api := func(method, path, body string, want int, hdr ...string) resp {
			t.Helper()
			r := e.client().do(e.newRequest(method, path, body, append([]string{"Authorization", "Bearer " + tok}, hdr...)...))
			if r.StatusCode != want {
				t.Fatalf("%s %s: %d, want %d: %s", method, path, r.StatusCode, want, r.body)
			}
			return r
		}
		var c dossier.Contact
		json.Unmarshal([]byte(api("POST", "/api/v1/contacts", fmt.Sprintf(`{"customer_id": %d, "name": "周敏", "role": "决策人"}`, cu.ID), 201).body), &c)
		api("PATCH", fmt.Sprintf("/api/v1/contacts/%d", c.ID), `{"phone": "13811112222"}`, 200, "If-Match", `"1"`).mustContain(t, "13811112222")
		cs, err := db.Contacts(t.Context(), cu.ID)
		if err != nil || len(cs) != 1 || cs[0].Phone != "+8613811112222" || cs[0].Version != 2 {
			t.Fatalf("stored contacts %+v (%v)", cs, err)
		}
		if list := api("GET", "/api/v1/contacts", "", 200); !strings.Contains(list.body, "周敏") {
			t.Fatalf("contact not listed: %s", list.body)
		}
		if err := db.ExecForTest(t.Context(), fmt.Sprintf("UPDATE customers SET hidden = 1 WHERE id = %d", cu.ID)); err != nil {
			t.Fatal(err)
		}
		if list := api("GET", "/api/v1/contacts", "", 200); strings.Contains(list.body, "周敏") {
			t.Errorf("a hidden customer's contact is listed: %s", list.body)
		}
		api("GET", fmt.Sprintf("/api/v1/contacts/%d", c.ID), "", 404)
	})
}
