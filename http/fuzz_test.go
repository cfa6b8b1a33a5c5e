package http

import (
	"context"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb/dbtest"
)

func FuzzBearerToken(f *testing.F) {
	for _, s := range []string{"Bearer dos_abc", "bearer  x ", "Basic dXNlcjpwYXNz", "Bearer", "Bearer ", " Bearer x", "Bearer\x00x", "Bearer 令牌"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		tok, ok := bearerToken(h)
		if ok && (tok == "" || tok != strings.TrimSpace(tok)) {
			t.Errorf("bearerToken(%q) = %q, true", h, tok)
		}
		if ok && !strings.EqualFold(h[:6], "Bearer") {
			t.Errorf("bearerToken(%q) accepted another scheme", h)
		}
	})
}

// fuzzServer is a server on a real store with one user, one session and one
// token, none of which a fuzzer can guess.
func fuzzServer(f *testing.F) *Server {
	db := dbtest.SQLite(f, dbtest.Options())
	srv, err := NewServer(Config{CSRFKey: []byte("0123456789abcdef0123456789abcdef"), Logger: slog.New(slog.DiscardHandler)},
		Services{Customers: db, Records: db, Users: db, Scores: db, Fields: db, Audit: db, Personal: db, Dedupe: db, Quality: db, Pinger: db})
	if err != nil {
		f.Fatal(err)
	}
	u := &dossier.User{Name: "li", Role: dossier.RoleSales}
	if err := db.CreateUser(context.Background(), u, "long-enough-pw"); err != nil {
		f.Fatal(err)
	}
	if _, err := db.CreateToken(context.Background(), u.ID); err != nil {
		f.Fatal(err)
	}
	return srv
}

// FuzzAuthenticate feeds arbitrary Authorization and Cookie headers to the
// request authentication: it never panics, never errors on garbage (garbage
// is a signed-out request) and never signs anyone in.
func FuzzAuthenticate(f *testing.F) {
	srv := fuzzServer(f)
	f.Add("Bearer dos_AAAA", "dossier_session=abc")
	f.Add("", "dossier_session=; dossier_session=x")
	f.Add("Bearer dos_", `dossier_session="quoted"`)
	f.Add("bearer \xff\xfe", "dossier_session=\x00")
	f.Fuzz(func(t *testing.T, authz, cookie string) {
		r := httptest.NewRequest("GET", "/customers", nil)
		if authz != "" {
			r.Header.Set("Authorization", authz)
		}
		r.Header.Set("Cookie", cookie)
		u, _, err := srv.authenticate(r)
		if err != nil || u != nil {
			t.Errorf("authenticate(%q, %q) = %v, %v", authz, cookie, u, err)
		}
	})
}

// FuzzCSRF checks that CSRF verification never panics and accepts a token
// only when it is the signature of the cookie's nonce and session.
func FuzzCSRF(f *testing.F) {
	srv := fuzzServer(f)
	nonce := newNonce()
	f.Add(nonce, "sess", srv.signCSRF(nonce, "sess"))
	f.Add("short", "", "")
	f.Add(nonce, "", "x")
	f.Add("", "sess", srv.signCSRF("", "sess"))
	f.Fuzz(func(t *testing.T, nonce, session, token string) {
		r := httptest.NewRequest("POST", "/logout", nil)
		r.AddCookie(&nethttp.Cookie{Name: csrfCookie, Value: nonce})
		r.AddCookie(&nethttp.Cookie{Name: sessionCookie, Value: session})
		r.Header.Set(csrfHeader, token)
		ok := srv.csrfOK(r)
		// The request's cookies are what survived cookie sanitising.
		c, err := r.Cookie(csrfCookie)
		want := err == nil && validNonce(c.Value) && token != "" && token == srv.signCSRF(c.Value, sessionValue(r))
		if ok != want {
			t.Errorf("csrfOK(%q, %q, %q) = %v, want %v", nonce, session, token, ok, want)
		}
	})
}
