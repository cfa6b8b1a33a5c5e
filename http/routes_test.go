package http

import (
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dossier/dossier"
)

// TestRouteRules walks the route table: every route has a rule, patterns are
// unique, and every guarded route refuses a signed-out request.
func TestRouteRules(t *testing.T) {
	e := newEnv(t)
	seen := map[string]bool{}
	for _, rt := range e.srv.routes() {
		t.Run(rt.pattern(), func(t *testing.T) {
			if !rt.access.valid() {
				t.Fatal("route has no access rule")
			}
			if seen[rt.pattern()] {
				t.Fatal("route listed twice")
			}
			seen[rt.pattern()] = true
			if rt.access.public {
				return
			}
			method := rt.method
			if method == "" {
				method = "GET"
			}
			path := strings.NewReplacer("{id}", "1", "{key}", "name", "{file}", "x").Replace(rt.path)
			req := httptest.NewRequest(method, path, nil)
			w := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(w, req)
			if w.Code != nethttp.StatusUnauthorized && w.Code != nethttp.StatusSeeOther && w.Code != nethttp.StatusForbidden {
				t.Errorf("signed out: status %d, want 401, 303 or 403", w.Code)
			}
		})
	}
}

func TestRouterRefusesRouteWithoutRule(t *testing.T) {
	e := newEnv(t)
	noop := func(nethttp.ResponseWriter, *nethttp.Request) {}
	if _, err := e.srv.buildRouter([]route{{method: "GET", path: "/forgotten", handler: noop}}); err == nil {
		t.Fatal("a route without an access rule was accepted")
	}
}

func TestAccess(t *testing.T) {
	sales := &dossier.User{Name: "li", Role: dossier.RoleSales}
	admin := &dossier.User{Name: "root", Role: dossier.RoleAdmin}
	for _, sc := range []struct {
		name string
		a    access
		u    *dossier.User
		want bool
	}{
		{"public, signed out", public, nil, true},
		{"signed in, signed out", signedIn, nil, false},
		{"signed in, sales", signedIn, sales, true},
		{"admin only, sales", rolesOnly(dossier.RoleAdmin), sales, false},
		{"admin only, admin", rolesOnly(dossier.RoleAdmin), admin, true},
		{"no rule", access{}, admin, false},
	} {
		if got := sc.a.allows(sc.u); got != sc.want {
			t.Errorf("%s: allows = %v, want %v", sc.name, got, sc.want)
		}
	}
	if (access{}).valid() {
		t.Error("the zero access rule is valid")
	}
}

// TestGuardForbidsRole runs a role-limited route through the real guard: a
// signed-in user of another role gets 403, in JSON on the API.
func TestGuardForbidsRole(t *testing.T) {
	e := newEnv(t)
	c := e.withSession(e.user("li", dossier.RoleSales, ""))
	ok := func(w nethttp.ResponseWriter, r *nethttp.Request) { _, _ = w.Write([]byte("secret")) }
	mux := nethttp.NewServeMux()
	mux.Handle("GET /admin-only", e.srv.guard(route{"GET", "/admin-only", rolesOnly(dossier.RoleAdmin), ok}))
	mux.Handle("GET /api/v1/admin-only", e.srv.guard(route{"GET", "/api/v1/admin-only", rolesOnly(dossier.RoleAdmin), ok}))
	ts := httptest.NewServer(e.srv.middleware(mux))
	defer ts.Close()
	e.ts = ts // the browser's cookies are per host, not port, so its session carries over
	if r := c.get("/admin-only"); r.StatusCode != 403 || strings.Contains(r.body, "secret") {
		t.Errorf("page: %d %q", r.StatusCode, r.body)
	}
	r := c.get("/api/v1/admin-only")
	if r.StatusCode != 403 {
		t.Errorf("api: %d", r.StatusCode)
	}
	r.mustContain(t, `"code":"forbidden"`)
}
