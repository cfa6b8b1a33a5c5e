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

// TestAppendOnlyRoundTrip: on both stores, each market fact and a webhook
// subscription is created, read back from its list with what was sent
// (provenance included), refused with a 400 naming the field when invalid;
// the subscription is then deleted and gone. Market facts have no update
// or delete (a newer figure is a new record): their paths answer only
// GET and POST.
func TestAppendOnlyRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := envOn(t, db)
		tok := e.token(e.user("admin", dossier.RoleAdmin, ""))
		api := func(method, path, body string, want int) resp {
			t.Helper()
			r := e.client().do(e.newRequest(method, path, body, "Authorization", "Bearer "+tok))
			if r.StatusCode != want {
				t.Fatalf("%s %s: %d, want %d: %s", method, path, r.StatusCode, want, r.body)
			}
			return r
		}
		src := `"source": {"channel": "third-party", "detail": "艾瑞咨询", "collected_at": "2025-03-15"}`
		for _, c := range []struct {
			name, path, body, list string
			bad, badField          string // an invalid body and the field its 400 names
			want                   []string
		}{
			{"record", "/api/v1/market/records", `{"region": "华东", "industry": "SaaS", "year": 2024, "size": 12000000000, "growth": 15, ` + src + `}`,
				"/api/v1/market/records?region=华东&year=2024", `{"region": "华东", "industry": "SaaS", "year": 24, ` + src + `}`, "year",
				[]string{`"industry":"SaaS"`, `"size":12000000000`, `"growth":15`}},
			{"note", "/api/v1/market/notes", `{"kind": "policy", "region": "全国", "title": "专精特新补贴", ` + src + `}`,
				"/api/v1/market/notes?kind=policy", `{"kind": "rumour", "title": "x", ` + src + `}`, "kind",
				[]string{"专精特新补贴"}},
			{"competitor", "/api/v1/market/competitors", `{"name": "云启软件", "price_level": "low", ` + src + `}`,
				"/api/v1/market/competitors", `{"name": "别家", "price_level": "cheap", ` + src + `}`, "price_level",
				[]string{"云启软件", `"price_level":"low"`}},
			{"share", "/api/v1/market/shares", `{"competitor": "云启软件", "region": "华东", "year": 2025, "share": 30, ` + src + `}`,
				"/api/v1/market/shares?region=华东", `{"competitor": "无此竞品", "region": "华东", "year": 2025, "share": 30, ` + src + `}`, "competitor",
				[]string{"云启软件", `"share":30`, `"others":70`}},
			{"webhook", "/api/v1/webhooks", `{"url": "https://hooks.example.com/crm", "events": ["customer.created"]}`,
				"/api/v1/webhooks", `{"url": "ftp://hooks.example.com", "events": ["customer.created"]}`, "url",
				[]string{"https://hooks.example.com/crm"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				var made struct {
					ID     int64          `json:"id"`
					Source dossier.Source `json:"source"`
				}
				if err := json.Unmarshal([]byte(api("POST", c.path, c.body, 201).body), &made); err != nil || made.ID == 0 {
					t.Fatalf("created: %+v (%v)", made, err)
				}
				if c.name != "webhook" && (made.Source.Detail != "艾瑞咨询" || made.Source.CollectedBy != "admin" ||
					made.Source.CollectedAt.Format("2006-01-02") != "2025-03-15") {
					t.Errorf("provenance: %+v", made.Source)
				}
				list := api("GET", c.list, "", 200)
				list.mustContain(t, c.want...)
				if c.name != "share" { // shares are listed per region, without their ids
					list.mustContain(t, fmt.Sprintf(`"id":%d`, made.ID))
				}
				if r := api("POST", c.path, c.bad, 400); !strings.Contains(r.body, `"field":"`+c.badField+`"`) {
					t.Errorf("invalid %s: %s", c.name, r.body)
				}
				if c.name == "webhook" {
					p := fmt.Sprintf("%s/%d", c.path, made.ID)
					api("DELETE", p, "", 200)
					api("GET", c.list, "", 200).mustNotContain(t, c.want...)
					api("DELETE", p, "", 404)
					return
				}
				for _, m := range []string{"PATCH", "DELETE"} {
					if r := e.client().do(e.newRequest(m, fmt.Sprintf("%s/%d", c.path, made.ID), "{}", "Authorization", "Bearer "+tok)); r.StatusCode < 400 {
						t.Errorf("%s of a market fact: %d", m, r.StatusCode)
					}
				}
			})
		}
		// A second competitor of the same name is a conflict.
		api("POST", "/api/v1/market/competitors", `{"name": "云启软件", `+src+`}`, 409)
	})
}
