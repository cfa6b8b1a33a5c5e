package http

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// callFactAPI is TestOpenAPIResponses' part for facts: create one with its
// source, read it back with provenance, and the errors.
func callFactAPI(t *testing.T, f *fixture, call func(pattern, path, as, body string, want int) resp) {
	t.Helper()
	path := fmt.Sprintf("/api/v1/customers/%d/facts", f.east.ID)
	var fact dossier.Fact
	r := call("POST /api/v1/customers/{id}/facts", path, "li",
		`{"field": "employees", "value": "800", "remark": "pending", "source": {"channel": "public", "detail": "2025年报"}}`, 201)
	if err := json.Unmarshal([]byte(r.body), &fact); err != nil || fact.Value != "800" || fact.Source.Channel != dossier.ChannelPublic ||
		fact.Source.Detail != "2025年报" || fact.Remark != dossier.RemarkPending || fact.Source.CollectedBy != "li" {
		t.Fatalf("created fact %s (%v)", r.body, err)
	}
	var list items[dossier.Fact]
	if err := json.Unmarshal([]byte(call("GET /api/v1/customers/{id}/facts", path+"?field=employees", "ma", "", 200).body), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 1 || list.Items[0] != fact {
		t.Errorf("facts of employees: %+v, want [%+v]", list.Items, fact)
	}
	call("GET /api/v1/customers/{id}/facts", path, "admin", "", 200)
	call("POST /api/v1/customers/{id}/facts", path, "li", `{"field": "contact_phone", "value": "13900000000"}`, 400)
	call("POST /api/v1/customers/{id}/facts", path, "li", `{"field": "employees", "value": "many"}`, 400)
	call("POST /api/v1/customers/{id}/facts", path, "li", `{"field": "employees", "value": "9", "remark": "confirmed"}`, 400)
	call("POST /api/v1/customers/{id}/facts", path, "li", `{"field": "owner", "value": "wang"}`, 403)
	call("GET /api/v1/customers/{id}/facts", fmt.Sprintf("/api/v1/customers/%d/facts", f.west.ID), "li", "", 404)
}

// Round trip on both stores: a fact created through the API is listed with
// its provenance and, newer on the same channel, moves the resolved
// profile; the earlier fact stays.
func TestFactRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := envOn(t, db)
		tok := e.token(e.user("admin", dossier.RoleAdmin, ""))
		c := e.customer(map[string]string{"name": "事实公司", "industry": "制造业", "employees": "300"})
		path := fmt.Sprintf("/api/v1/customers/%d/facts", c.ID)
		r := e.client().do(e.newRequest("POST", path, `{"field": "employees", "value": "450", "source": {"channel": "internal", "detail": "销售反馈"}}`,
			"Authorization", "Bearer "+tok))
		if r.StatusCode != 201 {
			t.Fatalf("create: %d %s", r.StatusCode, r.body)
		}
		r = e.client().do(e.newRequest("GET", path+"?field=employees", "", "Authorization", "Bearer "+tok))
		var list items[dossier.Fact]
		if err := json.Unmarshal([]byte(r.body), &list); err != nil || len(list.Items) != 2 {
			t.Fatalf("facts %s (%v), want the old and the new", r.body, err)
		}
		if got := list.Items[1]; got.Value != "450" || got.Source.Channel != dossier.ChannelInternal || got.Source.Detail != "销售反馈" {
			t.Errorf("new fact %+v", got)
		}
		now, err := db.FindCustomerByID(t.Context(), c.ID)
		if err != nil || now.Value("employees") != "450" {
			t.Errorf("profile employees %q (%v), want 450", now.Value("employees"), err)
		}
	})
}
