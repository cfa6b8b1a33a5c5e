package http

import (
	nethttp "net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
)

func TestSignIn(t *testing.T) {
	e := newEnv(t)
	e.user("li", dossier.RoleSales, "")
	for _, sc := range []struct {
		name, user, password, next string
		status                     int
		location                   string
		contains                   string
	}{
		{name: "success", user: "li", password: testPassword, status: 303, location: "/home"},
		{name: "success goes to next", user: "li", password: testPassword, next: "/customers?stage=won", status: 303, location: "/customers?stage=won"},
		{name: "foreign next ignored", user: "li", password: testPassword, next: "//evil.example/x", status: 303, location: "/home"},
		{name: "scheme next ignored", user: "li", password: testPassword, next: "https://evil.example/", status: 303, location: "/home"},
		{name: "wrong password", user: "li", password: "wrong-password", status: 401, contains: "用户名或密码错误"},
		{name: "unknown user, same message", user: "nobody", password: testPassword, status: 401, contains: "用户名或密码错误"},
		{name: "empty name", user: "", password: "x", status: 401, contains: "用户名或密码错误"},
	} {
		t.Run(sc.name, func(t *testing.T) {
			c := e.client()
			form := url.Values{"csrf": {c.csrf("/login")}, "name": {sc.user}, "password": {sc.password}, "next": {sc.next}}
			r := c.post("/login", form)
			if r.StatusCode != sc.status {
				t.Fatalf("status %d, want %d\n%s", r.StatusCode, sc.status, r.body)
			}
			if sc.location != "" && r.Header.Get("Location") != sc.location {
				t.Errorf("Location %q, want %q", r.Header.Get("Location"), sc.location)
			}
			if sc.contains != "" {
				r.mustContain(t, sc.contains)
			}
			session := findCookie(r.Cookies(), sessionCookie)
			if sc.status != 303 {
				if session != nil {
					t.Error("failed sign-in set a session cookie")
				}
				return
			}
			if session == nil || !session.HttpOnly || session.SameSite != nethttp.SameSiteLaxMode || session.Secure {
				t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure over plain HTTP", session)
			}
			if r := c.get("/customers"); r.StatusCode != 200 {
				t.Errorf("after sign-in, /customers: %d", r.StatusCode)
			}
		})
	}
}

func findCookie(cs []*nethttp.Cookie, name string) *nethttp.Cookie {
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestSignOut(t *testing.T) {
	e := newEnv(t)
	e.user("li", dossier.RoleSales, "")
	c := e.signedIn("li")
	r := c.post("/logout", url.Values{"csrf": {c.csrf("/customers")}})
	if r.StatusCode != 303 || r.Header.Get("Location") != "/login" {
		t.Fatalf("sign out: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c.get("/customers"); r.StatusCode != 303 {
		t.Errorf("after sign-out, /customers: %d, want a redirect to sign in", r.StatusCode)
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	e.user("li", dossier.RoleSales, "")
	signedIn := e.signedIn("li")
	creds := url.Values{"name": {"li"}, "password": {testPassword}}
	with := func(tok string) url.Values {
		v := url.Values{"csrf": {tok}}
		for k, vs := range creds {
			v[k] = vs
		}
		return v
	}
	for _, sc := range []struct {
		name string
		do   func() resp
	}{
		{"sign-in without token", func() resp { c := e.client(); c.csrf("/login"); return c.post("/login", creds) }},
		{"sign-in without cookie", func() resp { return e.client().post("/login", with("x")) }},
		{"sign-in with forged token", func() resp { c := e.client(); c.csrf("/login"); return c.post("/login", with("forged")) }},
		{"sign-in with another browser's token", func() resp {
			tok := e.client().csrf("/login")
			c := e.client()
			c.csrf("/login")
			return c.post("/login", with(tok))
		}},
		{"sign-out without token", func() resp { return signedIn.post("/logout", nil) }},
		{"sign-out with pre-sign-in token", func() resp {
			c := e.client()
			tok := c.csrf("/login")
			c.post("/login", with(tok))
			return c.post("/logout", url.Values{"csrf": {tok}})
		}},
		{"cross-site post", func() resp {
			c := e.client()
			form := with(c.csrf("/login"))
			req, _ := nethttp.NewRequest("POST", e.ts.URL+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "cross-site")
			return c.do(req)
		}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			r := sc.do()
			if r.StatusCode != nethttp.StatusForbidden {
				t.Fatalf("status %d, want 403\n%s", r.StatusCode, r.body)
			}
			r.mustContain(t, "表单已过期")
		})
	}
	// The signed-in browser is still signed in: nothing above logged it out.
	if r := signedIn.get("/customers"); r.StatusCode != 200 {
		t.Errorf("/customers after rejected sign-out: %d", r.StatusCode)
	}
}

func TestSignInRateLimit(t *testing.T) {
	e := newEnv(t)
	e.user("li", dossier.RoleSales, "")
	e.user("wang", dossier.RoleSales, "")
	c := e.client()
	for i := range 5 {
		if r := c.login("li", "wrong-password"); r.StatusCode != 401 {
			t.Fatalf("attempt %d: %d", i+1, r.StatusCode)
		}
	}
	r := c.login("li", testPassword)
	if r.StatusCode != nethttp.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("sixth attempt: %d, Retry-After %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
	r.mustContain(t, "登录失败次数过多")
	// Another name from the same address is not locked out by li's failures.
	if r := c.login("wang", testPassword); r.StatusCode != 303 {
		t.Errorf("other user: %d", r.StatusCode)
	}
}

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	l := newLimiter(2, time.Minute, func() time.Time { return now })
	l.fail("k")
	if ok, _ := l.allow("k"); !ok {
		t.Fatal("refused after one failure")
	}
	l.fail("k")
	if ok, wait := l.allow("k"); ok || wait != time.Minute {
		t.Fatalf("after two failures: ok %v, wait %v", ok, wait)
	}
	now = now.Add(time.Minute)
	if ok, _ := l.allow("k"); !ok {
		t.Fatal("still refused after the window")
	}
	l.fail("k")
	l.reset("k")
	if ok, _ := l.allow("k"); !ok {
		t.Fatal("refused after reset")
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"": "/customers", "/customers/3": "/customers/3", "//evil.com": "/customers", `/\evil.com`: "/customers",
		"https://evil.com/": "/customers", "javascript:alert(1)": "/customers", "customers": "/customers",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
