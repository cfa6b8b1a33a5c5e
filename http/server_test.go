package http

import (
	"context"
	"fmt"
	nethttp "net/http"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
)

// scenario is one request and what its response must show.
type scenario struct {
	name     string
	as       string // user to sign in as; "" for signed out
	token    bool   // authenticate with the user's API token instead of a session
	path     string
	status   int
	location string   // expected Location header, for redirects
	contains []string // substrings the body must have
	absent   []string // substrings the body must not have
}

// fixture is a store with users of several roles and three customers.
type fixture struct {
	*env
	east, west, xss *dossier.Customer
	users           map[string]*dossier.User
	clients         map[string]*client
	tokens          map[string]string
}

const xssName = `<script>alert("x")</script>恶意公司`

func newFixture(t *testing.T) *fixture { return fixtureOn(newEnv(t)) }

// fixtureOn is the fixture's users and customers in the store of e.
func fixtureOn(e *env) *fixture {
	f := &fixture{env: e, users: map[string]*dossier.User{}, clients: map[string]*client{}, tokens: map[string]string{}}
	users := []*dossier.User{
		e.user("admin", dossier.RoleAdmin, ""), e.user("li", dossier.RoleSales, "east"),
		e.user("wang", dossier.RoleSales, "west"), e.user("ma", dossier.RoleMarketing, ""),
		e.user("zhou", dossier.RoleManager, "east"), e.user("sun", dossier.RoleService, ""),
		e.user("qian", dossier.RoleAnalyst, ""),
	}
	f.east = e.customer(map[string]string{"name": "华东精密机械有限公司", "industry": "制造业-机械设备", "stage": "成交",
		"grade": "重点", "owner": "li", "team": "east", "province": "江苏", "city": "苏州", "budget": "30-50万",
		"contact_name": "张伟", "contact_phone": "13912345678", "contact_email": "zhang.wei@example.com", "contact_role": "决策人",
		"last_contact_date": "2026-01-10", "last_contact_channel": "电话", "last_contact_summary": "初次沟通需求"})
	f.west = e.customer(map[string]string{"name": "西部物流集团", "industry": "交通运输-物流", "stage": "潜在",
		"grade": "潜在", "owner": "wang", "team": "west"})
	f.xss = e.customer(map[string]string{"name": xssName, "industry": "制造业", "owner": "admin"})
	for _, u := range users {
		f.users[u.Name] = u
		f.clients[u.Name] = e.withSession(u)
		f.tokens[u.Name] = e.token(u)
	}
	f.clients[""] = e.client()
	return f
}

func (f *fixture) run(t *testing.T, scenarios []scenario) {
	t.Helper()
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			var r resp
			if sc.token {
				r = f.clients[""].get(sc.path, "Authorization", "Bearer "+f.tokens[sc.as])
			} else {
				r = f.clients[sc.as].get(sc.path)
			}
			if r.StatusCode != sc.status {
				t.Fatalf("GET %s as %q: status %d, want %d\n%s", sc.path, sc.as, r.StatusCode, sc.status, r.body)
			}
			if sc.location != "" && r.Header.Get("Location") != sc.location {
				t.Errorf("Location %q, want %q", r.Header.Get("Location"), sc.location)
			}
			r.mustContain(t, sc.contains...)
			r.mustNotContain(t, sc.absent...)
		})
	}
}

// TestWithFixture runs the read-only scenarios on one shared store, since
// building the fixture (users with hashed passwords) is the slow part.
func TestWithFixture(t *testing.T) {
	f := newFixture(t)
	t.Run("pages", f.pages)
	t.Run("api", f.api)
	t.Run("security headers", f.securityHeaders)
	t.Run("no inline script", f.noInlineScript)
	t.Run("english", f.englishList)
	t.Run("score", f.scoreOnDetail) // last: it writes scores
}

func (f *fixture) pages(t *testing.T) {
	east, west := fmt.Sprintf("/customers/%d", f.east.ID), fmt.Sprintf("/customers/%d", f.west.ID)
	f.run(t, []scenario{
		{name: "root signed out", path: "/", status: 303, location: "/login"},
		{name: "root signed in", as: "li", path: "/", status: 303, location: "/home"},
		{name: "list signed out", path: "/customers?stage=won", status: 303, location: "/login?next=%2Fcustomers%3Fstage%3Dwon"},
		{name: "detail signed out", path: east, status: 303},
		{name: "login page in Chinese", path: "/login", status: 200, contains: []string{"登录", "用户名", "密码", `lang="zh-CN"`}},
		{name: "list in Chinese", as: "admin", path: "/customers", status: 200, contains: []string{
			"华东精密机械有限公司", "西部物流集团", "客户名称", "合作阶段", "成交", "重点", "江苏 苏州", "共 3 个客户"}},
		{name: "sales sees own only", as: "li", path: "/customers", status: 200,
			contains: []string{"华东精密机械有限公司", "共 1 个客户"}, absent: []string{"西部物流集团"}},
		{name: "manager sees team", as: "zhou", path: "/customers", status: 200,
			contains: []string{"华东精密机械有限公司"}, absent: []string{"西部物流集团"}},
		{name: "filter by stage", as: "admin", path: "/customers?stage=prospect", status: 200,
			contains: []string{"西部物流集团"}, absent: []string{"华东精密机械有限公司"}},
		{name: "filter by query", as: "admin", path: "/customers?q=精密", status: 200,
			contains: []string{"华东精密机械有限公司"}, absent: []string{"西部物流集团"}},
		{name: "filter by industry prefix", as: "admin", path: "/customers?industry=制造业", status: 200,
			contains: []string{"华东精密机械有限公司"}, absent: []string{"西部物流集团"}},
		{name: "sorted by name", as: "admin", path: "/customers?sort=name", status: 200, contains: []string{`class="sorted-asc"`}},
		{name: "bad sort", as: "admin", path: "/customers?sort=bogus", status: 400},
		{name: "bad offset", as: "admin", path: "/customers?offset=-1", status: 400},
		{name: "detail", as: "li", path: east, status: 200, contains: []string{
			"华东精密机械有限公司", "基础信息", "需求特征", "30万–50万", "内部记录", "张伟", "决策人",
			"13912345678", "zhang.wei@example.com", "初次沟通需求", "电话", "技术对接人"}},
		{name: "sales cannot open others", as: "li", path: west, status: 404},
		{name: "missing customer", as: "admin", path: "/customers/99999", status: 404},
		{name: "non-numeric id", as: "admin", path: "/customers/abc", status: 404},
		{name: "masked for marketing", as: "ma", path: east, status: 200,
			contains: []string{"139****5678", "z***@example.com"}, absent: []string{"13912345678", "zhang.wei@"}},
		{name: "field history", as: "admin", path: east + "/fields/industry", status: 200,
			contains: []string{"所属行业", "制造业-机械设备", "内部记录", "CRM", "当前"}},
		{name: "unknown field", as: "admin", path: east + "/fields/nope", status: 404},
		{name: "history of other's customer", as: "li", path: west + "/fields/name", status: 404},
		{name: "xss in list escaped", as: "admin", path: "/customers", status: 200,
			contains: []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;恶意公司"}, absent: []string{"<script>alert"}},
		{name: "xss in detail escaped", as: "admin", path: fmt.Sprintf("/customers/%d", f.xss.ID), status: 200,
			contains: []string{"&lt;script&gt;"}, absent: []string{"<script>alert"}},
		{name: "unknown page", as: "admin", path: "/nope", status: 404, contains: []string{"页面不存在"}},
	})
}

func (f *fixture) scoreOnDetail(t *testing.T) {
	if _, err := f.db.RecomputeScores(context.Background(), time.Now(), dossier.DefaultScoreSettings(), nil); err != nil {
		t.Fatal(err)
	}
	f.run(t, []scenario{
		{name: "explained in Chinese", as: "admin", path: fmt.Sprintf("/customers/%d", f.east.ID), status: 200,
			contains: []string{"优先级评分", "最近沟通 2026-01-10", "预算中位数 40万", "战略价值：普通"}},
		{name: "missing inputs flagged", as: "admin", path: fmt.Sprintf("/customers/%d", f.west.ID), status: 200,
			contains: []string{"暂无沟通记录", "信息缺失"}},
		{name: "priority filter", as: "admin", path: "/customers?priority=low", status: 200,
			contains: []string{"西部物流集团", `<span class="badge pri-low">低</span>`}},
	})
}

func (f *fixture) api(t *testing.T) {
	east, west := fmt.Sprintf("/api/v1/customers/%d", f.east.ID), fmt.Sprintf("/api/v1/customers/%d", f.west.ID)
	f.run(t, []scenario{
		{name: "no credentials", path: "/api/v1/customers", status: 401,
			contains: []string{`{"error":{"code":"unauthorized","message":`}},
		{name: "token", as: "admin", token: true, path: "/api/v1/customers", status: 200,
			contains: []string{`"total":3`, `"items":[`, "华东精密机械有限公司"}},
		{name: "session cookie", as: "li", path: "/api/v1/customers", status: 200,
			contains: []string{`"total":1`}, absent: []string{"西部物流集团"}},
		{name: "sales token scoped", as: "wang", token: true, path: "/api/v1/customers", status: 200,
			contains: []string{`"total":1`, "西部物流集团"}, absent: []string{"华东精密机械有限公司"}},
		{name: "filters", as: "admin", token: true, path: "/api/v1/customers?stage=won&limit=1", status: 200,
			contains: []string{`"total":1`, `"limit":1`}},
		{name: "one customer", as: "admin", token: true, path: east, status: 200, contains: []string{`"name":"华东精密机械有限公司"`}},
		{name: "other's customer", as: "li", token: true, path: west, status: 404, contains: []string{`"code":"not_found"`}},
		{name: "missing", as: "admin", token: true, path: "/api/v1/customers/99999", status: 404},
		{name: "bad sort", as: "admin", token: true, path: "/api/v1/customers?sort=bogus", status: 400,
			contains: []string{`"code":"invalid"`, `"field":"sort"`}},
		{name: "bad limit", as: "admin", token: true, path: "/api/v1/customers?limit=0", status: 400,
			contains: []string{`"field":"limit"`}},
		{name: "unknown endpoint", as: "admin", token: true, path: "/api/v1/nope", status: 404,
			contains: []string{`"code":"not_found"`}},
	})
	t.Run("bad token", func(t *testing.T) {
		r := f.clients[""].get("/api/v1/customers", "Authorization", "Bearer dos_nottoken")
		if r.StatusCode != 401 || r.Header.Get("WWW-Authenticate") == "" {
			t.Errorf("status %d, WWW-Authenticate %q", r.StatusCode, r.Header.Get("WWW-Authenticate"))
		}
	})
}

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	if r := c.get("/healthz"); r.StatusCode != 200 || r.body != "ok" {
		t.Fatalf("healthy: %d %q", r.StatusCode, r.body)
	}
	e.db.Close()
	if r := c.get("/healthz"); r.StatusCode != nethttp.StatusServiceUnavailable {
		t.Fatalf("store closed: %d %q", r.StatusCode, r.body)
	}
}

func (f *fixture) securityHeaders(t *testing.T) {
	css, _ := f.srv.assets.url("app.css")
	for _, path := range []string{"/", "/login", "/healthz", "/customers", "/api/v1/customers", "/nope", css} {
		for _, as := range []string{"", "admin"} {
			r := f.clients[as].get(path)
			for h, want := range map[string]string{
				"X-Frame-Options":        "DENY",
				"X-Content-Type-Options": "nosniff",
				"Referrer-Policy":        "same-origin",
			} {
				if got := r.Header.Get(h); got != want {
					t.Errorf("%s as %q: %s = %q, want %q", path, as, h, got, want)
				}
			}
			csp := r.Header.Get("Content-Security-Policy")
			for _, d := range []string{"default-src 'self'", "frame-ancestors 'none'", "script-src 'self'"} {
				if !strings.Contains(csp, d) {
					t.Errorf("%s: CSP %q lacks %q", path, csp, d)
				}
			}
			if strings.Contains(csp, "unsafe-inline") {
				t.Errorf("%s: CSP allows inline code: %q", path, csp)
			}
		}
	}
}

func (f *fixture) noInlineScript(t *testing.T) {
	for _, path := range []string{"/login", "/customers", fmt.Sprintf("/customers/%d", f.east.ID)} {
		as := "admin"
		if path == "/login" {
			as = ""
		}
		body := f.clients[as].get(path).body
		for _, bad := range []string{"<script>", " onclick=", " onchange=", " style=", "<style"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s has inline code %q", path, bad)
			}
		}
	}
}

func TestLanguageSwitch(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	r := c.get("/login")
	r.mustContain(t, "登录", `href="/login?lang=en"`)
	r = c.get("/login?lang=en")
	r.mustContain(t, "Sign in", "User name", `lang="en"`, `href="/login?lang=zh"`)
	// The choice is remembered in a cookie.
	c.get("/login").mustContain(t, "Sign in")
	c.get("/login?lang=zh").mustContain(t, "用户名")
	c.get("/login").mustContain(t, "用户名")
}

func (f *fixture) englishList(t *testing.T) {
	c := f.withSession(f.users["admin"]) // its own browser: the language cookie sticks
	c.get("/customers?lang=en").mustContain(t, "Customers", "Won", "Key", "Stage", "3 customers")
	c.get(fmt.Sprintf("/customers/%d", f.east.ID)).mustContain(t, "Basic information", "Internal", "Decision maker",
		"missing: Technical contact, Procurement lead", "Owner: li")
}

func TestAssets(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, name := range []string{"app.css", "app.js"} {
		u, err := e.srv.assets.url(name)
		if err != nil {
			t.Fatal(err)
		}
		if u == "/assets/"+name {
			t.Errorf("%s has no content hash in its URL", name)
		}
		r := c.get(u)
		if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") || r.body == "" {
			t.Errorf("%s: %d, Cache-Control %q", u, r.StatusCode, r.Header.Get("Cache-Control"))
		}
	}
	if r := c.get("/assets/app.css"); r.StatusCode != 404 {
		t.Errorf("unhashed asset: %d", r.StatusCode)
	}
	if _, err := e.srv.assets.url("missing.css"); err == nil {
		t.Error("unknown asset has a URL")
	}
}
