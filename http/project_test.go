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

// callProjectAPI is TestOpenAPIResponses' part for projects: the round trip
// and its errors.
func callProjectAPI(t *testing.T, f *fixture, call func(pattern, path, as, body string, want int) resp) {
	t.Helper()
	var p dossier.Project
	r := call("POST /api/v1/projects", "/api/v1/projects", "li",
		fmt.Sprintf(`{"customer_id": %d, "name": "智能仓储一期", "status": "进行中", "start": "2026/3/1", "amount": 450000}`, f.east.ID), 201)
	if err := json.Unmarshal([]byte(r.body), &p); err != nil || p.Status != "ongoing" || p.Start != "2026-03-01" || p.Version != 1 {
		t.Fatalf("created %s (%v)", r.body, err)
	}
	call("POST /api/v1/projects", "/api/v1/projects", "li", fmt.Sprintf(`{"customer_id": %d, "name": "x", "satisfaction": 7}`, f.east.ID), 400)
	call("POST /api/v1/projects", "/api/v1/projects", "li", fmt.Sprintf(`{"customer_id": %d, "name": "x"}`, f.west.ID), 404)
	call("GET /api/v1/projects", fmt.Sprintf("/api/v1/projects?customer_id=%d&status=ongoing", f.east.ID), "sun", "", 200).mustContain(t, "智能仓储一期")
	call("GET /api/v1/projects", "/api/v1/projects?status=nope", "li", "", 400)
	path := fmt.Sprintf("/api/v1/projects/%d", p.ID)
	call("GET /api/v1/projects/{id}", path, "ma", "", 200)
	call("GET /api/v1/projects/{id}", path, "wang", "", 404)
	call("PATCH /api/v1/projects/{id}", path, "li", `{"version": 1, "status": "已完成", "end": "2026-09-30", "satisfaction": 5}`, 200).
		mustContain(t, `"status":"completed"`, `"version":2`)
	call("PATCH /api/v1/projects/{id}", path, "li", `{"version": 2, "end": "2025-01-01"}`, 400)
	call("PATCH /api/v1/projects/{id}", path, "li", `{"version": 1, "name": "旧"}`, 409)
	call("DELETE /api/v1/projects/{id}", path+"?version=2", "li", "", 200)
	call("DELETE /api/v1/projects/{id}", path+"?version=2", "li", "", 404)
}

// Round trip on both stores, paged with the cursor; a hidden customer's
// projects are not listed.
func TestProjectRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := envOn(t, db)
		tok := e.token(e.user("admin", dossier.RoleAdmin, ""))
		cu := e.customer(map[string]string{"name": "项目公司", "industry": "制造业"})
		api := func(method, path, body string, want int, hdr ...string) resp {
			t.Helper()
			r := e.client().do(e.newRequest(method, path, body, append([]string{"Authorization", "Bearer " + tok}, hdr...)...))
			if r.StatusCode != want {
				t.Fatalf("%s %s: %d, want %d: %s", method, path, r.StatusCode, want, r.body)
			}
			return r
		}
		for i := range 5 {
			api("POST", "/api/v1/projects", fmt.Sprintf(`{"customer_id": %d, "name": "项目%d", "amount": %d}`, cu.ID, i, 1000*i), 201)
		}
		ids := pageAll(t, e.client(), tok, "/api/v1/projects?limit=2&sort=id", func() {})
		if len(ids) != 5 || ids[0] >= ids[4] {
			t.Fatalf("paged %v, want 5 projects in id order", ids)
		}
		path := fmt.Sprintf("/api/v1/projects/%d", ids[0])
		api("PATCH", path, `{"amount": 880000}`, 200, "If-Match", `"1"`).mustContain(t, `"amount":880000`)
		api("DELETE", path, "", 409, "If-Match", `"1"`)
		api("DELETE", path, "", 200, "If-Match", `"2"`)
		ps, err := db.Projects(t.Context(), cu.ID)
		if err != nil || len(ps) != 4 {
			t.Fatalf("stored projects %d (%v), want 4", len(ps), err)
		}
		if err := db.ExecForTest(t.Context(), fmt.Sprintf("UPDATE customers SET hidden = 1 WHERE id = %d", cu.ID)); err != nil {
			t.Fatal(err)
		}
		if list := api("GET", "/api/v1/projects", "", 200); strings.Contains(list.body, "项目1") {
			t.Errorf("a hidden customer's project is listed: %s", list.body)
		}
	})
}
