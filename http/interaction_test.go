package http

import (
	"encoding/json"
	"fmt"
	nethttp "net/http"
	"strings"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// callInteractionAPI is TestOpenAPIResponses' part for interactions: the
// round trip (create, list, read, change, delete) and its errors.
func callInteractionAPI(t *testing.T, f *fixture, call func(pattern, path, as, body string, want int) resp) {
	t.Helper()
	east, west := f.east.ID, f.west.ID
	var in dossier.Interaction
	r := call("POST /api/v1/interactions", "/api/v1/interactions", "li",
		fmt.Sprintf(`{"customer_id": %d, "date": "2026年3月2日", "channel": "面谈", "summary": "方案演示", "feedback": "积极"}`, east), 201)
	if err := json.Unmarshal([]byte(r.body), &in); err != nil || in.Date != "2026-03-02" || in.Channel != "meeting" || in.Version != 1 {
		t.Fatalf("created %s (%v)", r.body, err)
	}
	call("POST /api/v1/interactions", "/api/v1/interactions", "li", fmt.Sprintf(`{"customer_id": %d, "date": "2026-03-02"}`, west), 404)
	call("POST /api/v1/interactions", "/api/v1/interactions", "li", fmt.Sprintf(`{"customer_id": %d, "date": "昨天"}`, east), 400)
	call("POST /api/v1/interactions", "/api/v1/interactions", "li", fmt.Sprintf(`{"customer_id": %d, "date": "2026-03-02", "channel": "飞鸽"}`, east), 400)
	call("GET /api/v1/interactions", fmt.Sprintf("/api/v1/interactions?customer_id=%d&channel=meeting&from=2026-03-01&limit=5", east), "li", "", 200).
		mustContain(t, "方案演示")
	call("GET /api/v1/interactions", "/api/v1/interactions?sort=date", "li", "", 400)
	path := fmt.Sprintf("/api/v1/interactions/%d", in.ID)
	call("GET /api/v1/interactions/{id}", path, "ma", "", 200)
	call("GET /api/v1/interactions/{id}", path, "wang", "", 404) // another team's customer
	call("PATCH /api/v1/interactions/{id}", path, "li", `{"version": 1, "summary": "方案演示，客户要报价"}`, 200)
	call("PATCH /api/v1/interactions/{id}", path, "li", `{"version": 1, "summary": "旧版本"}`, 409)
	call("DELETE /api/v1/interactions/{id}", path+"?version=1", "li", "", 409)
	call("DELETE /api/v1/interactions/{id}", path+"?version=2", "li", "", 200)
	call("GET /api/v1/interactions/{id}", path, "li", "", 404)
}

// Round trip on both stores: If-Match works as the version, the customer's
// last contact date follows edits and deletes, and interactions of a
// hidden customer are not listed (merged ones move to the survivor).
func TestInteractionRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := envOn(t, db)
		tok := e.token(e.user("admin", dossier.RoleAdmin, ""))
		c := e.customer(map[string]string{"name": "往来记录公司", "industry": "制造业"})
		api := func(method, path, body string, want int, hdr ...string) resp {
			t.Helper()
			req := e.newRequest(method, path, body, append([]string{"Authorization", "Bearer " + tok}, hdr...)...)
			r := e.client().do(req)
			if r.StatusCode != want {
				t.Fatalf("%s %s: %d, want %d: %s", method, path, r.StatusCode, want, r.body)
			}
			return r
		}
		var a, b dossier.Interaction
		json.Unmarshal([]byte(api("POST", "/api/v1/interactions", fmt.Sprintf(`{"customer_id": %d, "date": "2026-05-01"}`, c.ID), 201).body), &a)
		json.Unmarshal([]byte(api("POST", "/api/v1/interactions", fmt.Sprintf(`{"customer_id": %d, "date": "2026-06-01"}`, c.ID), 201).body), &b)
		last := func() string {
			got, err := db.FindCustomerByID(t.Context(), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.LastContact
		}
		if l := last(); l != "2026-06-01" {
			t.Fatalf("last contact %q", l)
		}
		api("PATCH", fmt.Sprintf("/api/v1/interactions/%d", b.ID), `{"date": "2026-04-01"}`, 200, "If-Match", `"1"`)
		api("PATCH", fmt.Sprintf("/api/v1/interactions/%d", b.ID), `{"date": "2026-04-02"}`, 409, "If-Match", `"1"`)
		if l := last(); l != "2026-05-01" {
			t.Errorf("after moving the latest back: last contact %q, want 2026-05-01", l)
		}
		api("DELETE", fmt.Sprintf("/api/v1/interactions/%d", a.ID), "", 200, "If-Match", "1")
		if l := last(); l != "2026-04-01" {
			t.Errorf("after deleting: last contact %q, want 2026-04-01", l)
		}
		other := e.customer(map[string]string{"name": "隐藏公司", "industry": "制造业",
			"last_contact_date": "2026-02-02", "last_contact_channel": "电话"})
		list := api("GET", fmt.Sprintf("/api/v1/interactions?customer_id=%d", other.ID), "", 200)
		if !strings.Contains(list.body, "2026-02-02") {
			t.Fatalf("interaction of %d not listed: %s", other.ID, list.body)
		}
		if err := db.ExecForTest(t.Context(), fmt.Sprintf("UPDATE customers SET hidden = 1 WHERE id = %d", other.ID)); err != nil {
			t.Fatal(err)
		}
		if list := api("GET", "/api/v1/interactions", "", 200); strings.Contains(list.body, "2026-02-02") {
			t.Errorf("a hidden customer's interaction is listed: %s", list.body)
		}
	})
}

func (e *env) newRequest(method, path, body string, header ...string) *nethttp.Request {
	e.t.Helper()
	req, err := nethttp.NewRequest(method, e.ts.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}
