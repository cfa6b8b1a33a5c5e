package http

import (
	"context"
	"io"
	"log/slog"
	nethttp "net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

const testPassword = "correct-horse-battery"

// env is a server on a real SQLite store in a temporary folder.
type env struct {
	t   *testing.T
	db  *sqldb.DB
	srv *Server
	ts  *httptest.Server
}

// storeServices is every service of the server, all answered by one store.
func storeServices(db *sqldb.DB) Services {
	return Services{Snapshots: db, Customers: db, Records: db, Users: db, Scores: db, Fields: db, Audit: db, Personal: db,
		Surveys: db, Segments: db, Analytics: db, Market: db, Dedupe: db, Quality: db, Pinger: db, Imports: db, ImportRuns: db,
		Webhooks: db, Interactions: db, ImportLog: db, Contacts: db, Projects: db}
}

func newEnv(t *testing.T) *env {
	t.Helper()
	db := dbtest.SQLite(t, dbtest.Options())
	srv, err := NewServer(Config{CSRFKey: []byte("0123456789abcdef0123456789abcdef"), Logger: slog.New(slog.DiscardHandler)},
		storeServices(db))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &env{t: t, db: db, srv: srv, ts: ts}
}

func (e *env) user(name, role, team string) *dossier.User {
	e.t.Helper()
	u := &dossier.User{Name: name, Role: role, Team: team}
	if err := e.db.CreateUser(context.Background(), u, testPassword); err != nil {
		e.t.Fatal(err)
	}
	return u
}

func (e *env) customer(vals map[string]string) *dossier.Customer {
	e.t.Helper()
	c, err := e.db.CreateCustomer(context.Background(), dossier.NewCustomer{Values: vals,
		Source: dossier.Source{Channel: dossier.ChannelInternal, Detail: "CRM", CollectedAt: time.Now()}})
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *env) token(u *dossier.User) string {
	e.t.Helper()
	tok, err := e.db.CreateToken(context.Background(), u.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// client is a browser: it keeps cookies and does not follow redirects, so
// tests see them.
type client struct {
	e  *env
	hc *nethttp.Client
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, hc: &nethttp.Client{Jar: jar,
		CheckRedirect: func(*nethttp.Request, []*nethttp.Request) error { return nethttp.ErrUseLastResponse }}}
}

type resp struct {
	*nethttp.Response
	body string
}

func (c *client) do(req *nethttp.Request) resp {
	c.e.t.Helper()
	res, err := c.hc.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.e.t.Fatal(err)
	}
	return resp{Response: res, body: string(b)}
}

func (c *client) get(path string, header ...string) resp {
	c.e.t.Helper()
	req, err := nethttp.NewRequest("GET", c.e.ts.URL+path, nil)
	if err != nil {
		c.e.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values) resp {
	c.e.t.Helper()
	req, err := nethttp.NewRequest("POST", c.e.ts.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf fetches a page and returns the CSRF token of its forms.
func (c *client) csrf(path string) string {
	c.e.t.Helper()
	m := csrfRE.FindStringSubmatch(c.get(path).body)
	if m == nil {
		c.e.t.Fatalf("no CSRF token on %s", path)
	}
	return m[1]
}

// login signs in through the form and returns the response.
func (c *client) login(name, password string) resp {
	c.e.t.Helper()
	return c.post("/login", url.Values{"csrf": {c.csrf("/login")}, "name": {name}, "password": {password}})
}

// withSession returns a browser holding a fresh session of u, made in the
// store directly: the sign-in form has its own tests, and each password
// check costs a bcrypt round (slow under -race).
func (e *env) withSession(u *dossier.User) *client {
	e.t.Helper()
	tok, err := e.db.CreateSession(context.Background(), u.ID, time.Now().Add(time.Hour))
	if err != nil {
		e.t.Fatal(err)
	}
	c := e.client()
	base, _ := url.Parse(e.ts.URL)
	c.hc.Jar.SetCookies(base, []*nethttp.Cookie{{Name: sessionCookie, Value: tok, Path: "/"}})
	return c
}

// signedIn returns a browser signed in as name through the form.
func (e *env) signedIn(name string) *client {
	e.t.Helper()
	c := e.client()
	if r := c.login(name, testPassword); r.StatusCode != nethttp.StatusSeeOther {
		e.t.Fatalf("sign in as %s: status %d", name, r.StatusCode)
	}
	return c
}

func (r resp) mustContain(t *testing.T, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(r.body, s) {
			t.Errorf("response does not contain %q:\n%s", s, r.body)
		}
	}
}

func (r resp) mustNotContain(t *testing.T, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(r.body, s) {
			t.Errorf("response contains %q", s)
		}
	}
}

// envOn is a server on db, its uploads in a temporary folder.
func envOn(t *testing.T, db *sqldb.DB) *env {
	t.Helper()
	srv, err := NewServer(Config{CSRFKey: []byte("0123456789abcdef0123456789abcdef"), Logger: slog.New(slog.DiscardHandler),
		UploadDir: t.TempDir()}, storeServices(db))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &env{t: t, db: db, srv: srv, ts: ts}
}
