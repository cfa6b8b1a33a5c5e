package http

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/dossier/dossier"
)

// shareFixture adds a second sales rep of team east (chen) owning two
// customers, one of which he shares with the team.
type shareFixture struct {
	*fixture
	shared, private *dossier.Customer
}

func newShareFixture(t *testing.T) *shareFixture {
	f := newFixture(t)
	chen := f.user("chen", dossier.RoleSales, "east")
	f.users["chen"], f.clients["chen"], f.tokens["chen"] = chen, f.withSession(chen), f.token(chen)
	vals := func(name string) map[string]string {
		return map[string]string{"name": name, "industry": "制造业-机械设备", "stage": "成交", "grade": "重点",
			"owner": "chen", "team": "east", "province": "江苏", "city": "无锡", "budget": "30-50万",
			"contact_name": "王芳", "contact_phone": "13800001111", "contact_role": "决策人",
			"last_contact_date": "2026-01-10", "last_contact_channel": "电话", "last_contact_summary": "初次沟通"}
	}
	sf := &shareFixture{fixture: f, shared: f.customer(vals("共享精工有限公司")), private: f.customer(vals("私有精工有限公司"))}
	c := f.clients["chen"]
	r := c.post(fmt.Sprintf("/customers/%d/share", sf.shared.ID), url.Values{"shared": {"1"}, csrfField: {c.csrf("/settings")}})
	f.mustStatus(t, r, 303)
	return sf
}

func (f *shareFixture) overviewCount(t *testing.T, as string) int64 {
	t.Helper()
	r := f.call("GET", "/api/v1/analytics/overview", as, "")
	f.mustStatus(t, r, 200)
	var o struct{ Customers int64 }
	if err := json.Unmarshal([]byte(r.body), &o); err != nil {
		t.Fatal(err)
	}
	return o.Customers
}

func (f *shareFixture) taskCount(t *testing.T, as string, c *dossier.Customer) int {
	t.Helper()
	r := f.call("GET", fmt.Sprintf("/api/v1/tasks?customer_id=%d", c.ID), as, "")
	f.mustStatus(t, r, 200)
	var out items[dossier.Task]
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatal(err)
	}
	return len(out.Items)
}

// TestTeamSharing: a sales rep sees and edits the customers of their team
// shared with them, on every path, and never an unshared one nor another
// team's.
func TestTeamSharing(t *testing.T) {
	f := newShareFixture(t)
	recomputeFixture(t, f.fixture)
	shared, private := fmt.Sprintf("/customers/%d", f.shared.ID), fmt.Sprintf("/customers/%d", f.private.ID)
	f.run(t, []scenario{
		{name: "list", as: "li", path: "/customers", status: 200,
			contains: []string{"华东精密机械有限公司", "共享精工有限公司", "共 2 个客户"}, absent: []string{"私有精工有限公司", "西部物流集团"}},
		{name: "profile of a shared one", as: "li", path: shared, status: 200, contains: []string{"共享精工有限公司", `id="edit-form"`}},
		{name: "profile of an unshared one", as: "li", path: private, status: 404},
		{name: "another team never", as: "wang", path: shared, status: 404},
		{name: "another team's list", as: "wang", path: "/customers", status: 200, absent: []string{"共享精工有限公司"}},
		{name: "API of a shared one", as: "li", token: true, path: "/api" + "/v1" + shared, status: 200},
		{name: "API of an unshared one", as: "li", token: true, path: "/api/v1" + private, status: 404},
		{name: "API list", as: "li", token: true, path: "/api/v1/customers?limit=500", status: 200,
			contains: []string{"共享精工有限公司"}, absent: []string{"私有精工有限公司", "西部物流集团"}},
		{name: "API of another team", as: "wang", token: true, path: "/api/v1" + shared, status: 404},
		{name: "owner sees the switch", as: "chen", path: shared, status: 200, contains: []string{`id="share-form"`, "取消共享"}},
		{name: "teammate has no switch", as: "li", path: shared, status: 200, absent: []string{`id="share-form"`}},
	})
	if n := f.taskCount(t, "chen", f.shared); n == 0 {
		t.Fatal("the owner sees no task of the shared customer: the analysis made none")
	}
	if got, want := f.taskCount(t, "li", f.shared), f.taskCount(t, "chen", f.shared); got != want {
		t.Errorf("li sees %d tasks of the shared customer, the owner %d", got, want)
	}
	if n := f.taskCount(t, "chen", f.private); n == 0 || f.taskCount(t, "li", f.private) != 0 {
		t.Errorf("tasks of the unshared customer: owner %d, li %d (want >0, 0)", n, f.taskCount(t, "li", f.private))
	}
	if n := f.taskCount(t, "wang", f.shared); n != 0 {
		t.Errorf("another team sees %d tasks of the shared customer", n)
	}
	if got := f.overviewCount(t, "li"); got != 2 {
		t.Errorf("li's analytics count %d customers, want 2 (own and shared)", got)
	}
	// A teammate edits a shared customer; they may not share another's.
	f.mustStatus(t, f.call("PATCH", "/api/v1"+shared, "li", fmt.Sprintf(`{"version": %d, "values": {"city": "常州"}}`, f.shared.Version)), 200)
	f.mustStatus(t, f.call("PATCH", "/api/v1"+shared, "li", fmt.Sprintf(`{"version": %d, "values": {"owner": "li"}}`, f.shared.Version+1)), 403)
	f.mustStatus(t, f.call("PATCH", "/api/v1"+shared, "li", fmt.Sprintf(`{"version": %d, "values": {"team": "west"}}`, f.shared.Version+1)), 403)
	c := f.clients["li"]
	f.mustStatus(t, c.post(shared+"/share", url.Values{"shared": {"0"}, csrfField: {c.csrf("/settings")}}), 403)
	// The owner's manager stops sharing: it is gone from li's paths.
	m := f.clients["zhou"]
	f.mustStatus(t, m.post(shared+"/share", url.Values{"shared": {"0"}, csrfField: {m.csrf("/settings")}}), 303)
	f.mustStatus(t, f.clients["li"].get(shared), 404)
	if got := f.overviewCount(t, "li"); got != 1 {
		t.Errorf("after unsharing li's analytics count %d customers, want 1", got)
	}
	if n := f.taskCount(t, "li", f.shared); n != 0 {
		t.Errorf("after unsharing li sees %d tasks", n)
	}
	entries, _, err := f.db.FindAudit(context.Background(), dossier.AuditFilter{Action: dossier.AuditCustomerUpdate})
	if err != nil {
		t.Fatal(err)
	}
	var shares []string
	for _, e := range entries {
		if strings.HasPrefix(e.Detail, "shared_with_team") {
			shares = append(shares, e.User+" "+e.Detail)
		}
	}
	if want := []string{"zhou shared_with_team=false", "chen shared_with_team=true"}; fmt.Sprint(shares) != fmt.Sprint(want) {
		t.Errorf("share audit entries %q, want %q", shares, want)
	}
}

var versionRE = regexp.MustCompile(`name="version" value="(\d+)"`)

// TestEditFormConcurrency: two people open the same customer's edit form;
// the first save wins, the second gets 409 with the message and changes
// nothing.
func TestEditFormConcurrency(t *testing.T) {
	f := newFixture(t)
	path := fmt.Sprintf("/customers/%d", f.east.ID)
	a, b := f.withSession(f.users["li"]), f.withSession(f.users["zhou"])
	form := func(c *client) url.Values {
		page := c.get(path)
		m, tok := versionRE.FindStringSubmatch(page.body), csrfRE.FindStringSubmatch(page.body)
		if page.StatusCode != 200 || m == nil || tok == nil {
			t.Fatalf("no edit form on the profile: %d\n%.500s", page.StatusCode, page.body)
		}
		return url.Values{"version": {m[1]}, csrfField: {tok[1]}}
	}
	fa, fb := form(a), form(b)
	fa.Set("city", "南京")
	fb.Set("city", "杭州")
	fb.Set("stage", "prospect")
	f.mustStatus(t, a.post(path+"/edit", fa), 303)
	r := b.post(path+"/edit", fb)
	f.mustStatus(t, r, 409)
	r.mustContain(t, "此客户已被他人修改，请刷新后重试", `value="杭州"`, `id="edit-form"`)
	c, err := f.db.FindCustomerByID(context.Background(), f.east.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Value("city") != "南京" || c.Stage != f.east.Stage {
		t.Errorf("after the refused save: city %q stage %q, want 南京 and %q", c.Value("city"), c.Stage, f.east.Stage)
	}
	// Reloaded, the second editor's save goes through.
	fb2 := form(b)
	fb2.Set("city", "杭州")
	f.mustStatus(t, b.post(path+"/edit", fb2), 303)
	if c, _ = f.db.FindCustomerByID(context.Background(), f.east.ID); c.Value("city") != "杭州" {
		t.Errorf("after reloading: city %q, want 杭州", c.Value("city"))
	}
	// A value the registry refuses comes back in the form with the reason.
	fb = form(b)
	fb.Set("stage", "no-such-stage")
	r = b.post(path+"/edit", fb)
	f.mustStatus(t, r, 400)
	r.mustContain(t, `id="edit-error"`, "no-such-stage")
	// A sales rep may not give the customer away through the form.
	fa = form(a)
	fa.Set("owner", "wang")
	f.mustStatus(t, a.post(path+"/edit", fa), 403)
	// Service may not edit at all.
	s := f.clients["sun"]
	f.mustStatus(t, s.post(path+"/edit", url.Values{"version": {"1"}, "city": {"x"}, csrfField: {s.csrf("/settings")}}), 403)
}
