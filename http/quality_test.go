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
	"github.com/dossier/dossier/dedupe"
	"github.com/dossier/dossier/i18n"
)

// TestQualityAPI walks the review queue through the API as the roles that
// use it: scope, merge, undo, conflicts and verification.
func TestQualityAPI(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dup := f.customer(map[string]string{"name": "华东精密机械(苏州)有限公司", "industry": "制造业-机械设备", "owner": "li", "team": "east",
		"need_type": "仓储管理", "contact_name": "张伟", "contact_phone": "13912345678"})
	if _, err := f.db.SavePairs(ctx, []dossier.CandidatePair{
		{A: f.east.ID, B: dup.ID, Probability: 0.95, Weight: 8, Evidence: []dossier.PairEvidence{{Field: "name", Level: "similar", Weight: 5}}},
		{A: f.east.ID, B: f.west.ID, Probability: 0.4, Weight: -1},
	}); err != nil {
		t.Fatal(err)
	}
	pairs := func(as string) list[dossier.CandidatePair] {
		t.Helper()
		r := f.call("GET", "/api/v1/dedupe/pairs", as, "")
		f.mustStatus(t, r, 200)
		var l list[dossier.CandidatePair]
		if err := json.Unmarshal([]byte(r.body), &l); err != nil {
			t.Fatal(err)
		}
		return l
	}
	if l := pairs("admin"); l.Total != 2 || l.Items[0].Probability != 0.95 {
		t.Errorf("admin sees %+v", l)
	}
	if l := pairs("li"); l.Total != 1 || l.Items[0].B != dup.ID {
		t.Errorf("sales sees pairs outside their customers: %+v", l)
	}
	if l := pairs("wang"); l.Total != 0 {
		t.Errorf("west sales sees east pairs: %+v", l)
	}
	all := pairs("admin").Items
	cross := all[1].ID
	f.mustStatus(t, f.call("POST", fmt.Sprintf("/api/v1/dedupe/pairs/%d/merge", cross), "li", ""), 404)

	r := f.call("POST", fmt.Sprintf("/api/v1/dedupe/pairs/%d/merge", all[0].ID), "li", `{"reason": "同一家公司"}`)
	f.mustStatus(t, r, 200)
	var m dossier.Merge
	if err := json.Unmarshal([]byte(r.body), &m); err != nil || m.Survivor != f.east.ID || m.Absorbed != dup.ID || m.Reason != "同一家公司" {
		t.Fatalf("merge %+v %v", m, err)
	}
	r = f.call("GET", fmt.Sprintf("/api/v1/customers/%d", f.east.ID), "li", "")
	r.mustContain(t, `"need_type":"仓储管理"`)
	f.clients["li"].get(fmt.Sprintf("/customers/%d", dup.ID)).mustContain(t, "此客户已合并到")
	// The survivor's profile now resolves over both customers' facts (the
	// later name may win); the absorbed customer is gone from lists.
	r = f.call("GET", "/api/v1/customers", "li", "")
	r.mustNotContain(t, fmt.Sprintf(`"id":%d,`, dup.ID))
	f.mustStatus(t, f.call("POST", fmt.Sprintf("/api/v1/dedupe/pairs/%d/reject", all[0].ID), "li", ""), 409)
	f.mustStatus(t, f.call("POST", fmt.Sprintf("/api/v1/merges/%d/undo", m.ID), "wang", ""), 404)
	r = f.call("POST", fmt.Sprintf("/api/v1/merges/%d/undo", m.ID), "li", "")
	f.mustStatus(t, r, 200)
	r.mustContain(t, `"undone_at"`)
	f.clients["li"].get(fmt.Sprintf("/customers/%d", dup.ID)).mustNotContain(t, "此客户已合并到")
	f.call("GET", "/api/v1/customers", "li", "").mustContain(t, fmt.Sprintf(`"id":%d,`, dup.ID))

	// Conflicts: the annual report and the customer disagree on revenue.
	for _, u := range []struct{ ch, v string }{{"public", "1亿"}, {"customer", "5000万"}} {
		body := fmt.Sprintf(`{"version": %d, "values": {"revenue": %q}, "source": {"channel": %q, "detail": "test"}}`, f.version(f.east.ID), u.v, u.ch)
		f.mustStatus(t, f.call("PATCH", fmt.Sprintf("/api/v1/customers/%d", f.east.ID), "li", body), 200)
	}
	f.call("GET", "/api/v1/conflicts", "li", "").mustContain(t, `"field":"revenue"`, `"state":"conflict"`)
	f.clients["li"].get(fmt.Sprintf("/customers/%d", f.east.ID)).mustContain(t, `badge state-conflict`, "有冲突", "完整度")
	f.call("GET", "/api/v1/conflicts", "wang", "").mustContain(t, `"total":0`)
	f.call("GET", fmt.Sprintf("/api/v1/customers/%d/verification", f.east.ID), "sun", "").mustContain(t, `"state":"conflict"`)
	f.mustStatus(t, f.call("GET", fmt.Sprintf("/api/v1/customers/%d/verification", f.east.ID), "wang", ""), 404)
	r = f.call("POST", fmt.Sprintf("/api/v1/customers/%d/settle", f.east.ID), "li", `{"field": "revenue", "value": "5000万"}`)
	f.mustStatus(t, r, 200)
	r.mustContain(t, `"revenue":"50000000"`)
	f.call("GET", "/api/v1/conflicts", "li", "").mustContain(t, `"total":0`)
	f.call("GET", "/api/v1/gaps?owner=wang", "li", "").mustNotContain(t, "西部物流")
}

func (f *fixture) version(id int64) int64 {
	c, err := f.db.FindCustomerByID(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return c.Version
}

// TestQualityPage merges and undoes through the page's forms.
func TestQualityPage(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dup := f.customer(map[string]string{"name": "华东精密", "industry": "制造业-机械设备", "owner": "li", "team": "east"})
	if _, err := f.db.SavePairs(ctx, []dossier.CandidatePair{{A: f.east.ID, B: dup.ID, Probability: 0.9, Weight: 6,
		Evidence: []dossier.PairEvidence{{Field: "name", Level: "similar", Weight: 3.5}}}}); err != nil {
		t.Fatal(err)
	}
	page := f.clients["li"].get("/quality")
	page.mustContain(t, "华东精密机械有限公司", "华东精密", "90%", "3.5", `action="/quality/pairs/1/merge"`)
	f.clients["sun"].get("/quality").mustNotContain(t, `action="/quality/pairs/1/merge"`)
	f.clients["wang"].get("/quality").mustNotContain(t, "华东精密")

	c := f.withSession(f.users["li"])
	r := c.post("/quality/pairs/1/merge", url.Values{"csrf": {c.csrf("/quality")}, "reason": {"重复录入"}})
	if r.StatusCode != nethttp.StatusSeeOther || !strings.Contains(r.Header.Get("Location"), "done=merged&id=1") {
		t.Fatalf("merge: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	after := c.get(r.Header.Get("Location"))
	after.mustContain(t, `action="/quality/merges/1/undo"`, "重复录入")
	r = c.post("/quality/merges/1/undo", url.Values{"csrf": {c.csrf("/quality")}})
	if r.StatusCode != nethttp.StatusSeeOther {
		t.Fatalf("undo: %d %s", r.StatusCode, r.body)
	}
	c.get("/quality").mustContain(t, `action="/quality/pairs/1/merge"`)
	// A form without the CSRF token is refused.
	if r := c.post("/quality/merges/1/undo", url.Values{}); r.StatusCode != nethttp.StatusForbidden {
		t.Errorf("undo without CSRF: %d", r.StatusCode)
	}
	for _, tab := range []string{"conflicts", "gaps", "invalid"} {
		f.clients["li"].get("/quality?tab="+tab).mustContain(t, `aria-current="page"`)
	}
}

func TestMaskInvalid(t *testing.T) {
	reg := dossier.NewRegistry(nil)
	items := []dossier.InvalidValue{{Field: "contact_phone", Value: "1391234567", Problem: `contact_phone: "1391234567" is not a mobile`},
		{Field: "credit_code", Value: "91X", Problem: "bad"}}
	maskInvalid(items, reg, false)
	if strings.Contains(items[0].Value+items[0].Problem, "1391234567") {
		t.Errorf("phone not masked: %+v", items[0])
	}
	if items[1].Value != "91X" {
		t.Errorf("non-personal value masked: %+v", items[1])
	}
}

// Every comparison level a duplicate pair's evidence may name has its
// words in both languages (the review queue shows them).
func TestEvidenceLevelsTranslated(t *testing.T) {
	for _, l := range dedupe.LevelNames() {
		for _, lang := range []string{"zh", "en"} {
			if !i18n.Has(lang, "quality.level."+l) {
				t.Errorf("no %s words for the comparison level %q (quality.level.%s)", lang, l, l)
			}
		}
	}
}
