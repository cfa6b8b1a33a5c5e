package http

import (
	"context"
	"net/url"
	"testing"

	"github.com/dossier/dossier"
)

// TestListSegmentFilter: the list page and the API take a segment filter,
// within the user's scope, and a bad one is explained with its position.
func TestListSegmentFilter(t *testing.T) {
	e := newEnv(t)
	e.user("admin", "admin", "")
	e.user("li", "sales", "east")
	e.customer(map[string]string{"name": "甲机械", "industry": "制造业-机械设备", "grade": "重点", "revenue": "2亿", "owner": "li"})
	e.customer(map[string]string{"name": "乙机械", "industry": "制造业", "grade": "重点", "revenue": "3亿", "owner": "wang"})
	e.customer(map[string]string{"name": "丙零售", "industry": "零售", "grade": "重点", "revenue": "5亿", "owner": "li"})
	admin := e.signedIn("admin")
	q := "/customers?filter=" + url.QueryEscape("industry = 制造业 AND revenue >= 1亿")
	r := admin.get(q)
	r.mustContain(t, "甲机械", "乙机械", `value="industry = 制造业 AND revenue &gt;= 1亿"`)
	r.mustNotContain(t, "丙零售")
	r = admin.get("/api/v1/customers?filter=" + url.QueryEscape("industry = 制造业 AND revenue >= 1亿"))
	r.mustContain(t, "甲机械", "乙机械")
	r.mustNotContain(t, "丙零售")

	// Sales see their own customers only, whatever the filter says.
	r = e.signedIn("li").get("/api/v1/customers?filter=" + url.QueryEscape("grade = 重点 OR owner = wang"))
	r.mustContain(t, "甲机械", "丙零售")
	r.mustNotContain(t, "乙机械")

	r = admin.get("/customers?filter=" + url.QueryEscape("grade = 重点 AND gradee = 1"))
	if r.StatusCode != 400 {
		t.Errorf("bad filter page: status %d", r.StatusCode)
	}
	r.mustContain(t, "at 16: unknown field &#39;gradee&#39;, did you mean &#39;grade&#39;?")
	r = admin.get("/api/v1/customers?filter=" + url.QueryEscape("revenue >= much"))
	if r.StatusCode != 400 {
		t.Errorf("bad filter API: status %d", r.StatusCode)
	}
	r.mustContain(t, `"field":"filter"`, "at 12:")
}

// TestListSavedSegment: the list offers the saved segments the user may use
// and filters by the one chosen.
func TestListSavedSegment(t *testing.T) {
	e := newEnv(t)
	e.user("admin", "admin", "")
	e.user("li", "sales", "east")
	e.customer(map[string]string{"name": "甲机械", "industry": "制造业", "grade": "重点"})
	e.customer(map[string]string{"name": "乙零售", "industry": "零售", "grade": "普通"})
	for _, seg := range []dossier.Segment{{Name: "重点客户", Expression: "grade = 重点", Owner: "li", Shared: true}, {Name: "li only", Expression: "grade = 普通", Owner: "li"}} {
		if err := e.db.CreateSegment(context.Background(), &seg); err != nil {
			t.Fatal(err)
		}
	}
	admin := e.signedIn("admin")
	r := admin.get("/customers")
	r.mustContain(t, `<option value="重点客户">重点客户</option>`)
	r.mustNotContain(t, "li only")
	r = admin.get("/customers?segment=" + url.QueryEscape("重点客户"))
	r.mustContain(t, "甲机械", `<option value="重点客户" selected>`)
	r.mustNotContain(t, "乙零售")
	if r := admin.get("/customers?segment=" + url.QueryEscape("li only")); r.StatusCode != 404 {
		t.Errorf("someone else's private segment: %d", r.StatusCode)
	}
}
