package http

import (
	"net"
	nethttp "net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/html"
	"github.com/dossier/dossier/i18n"
)

const (
	sessionCookie = "dossier_session"
	sessionTTL    = 7 * 24 * time.Hour // a working week plus the weekend
)

// authenticate finds the user of a request: a bearer token when the request
// has an Authorization header, else the session cookie. viaToken tells the
// caller that CSRF does not apply. A stale session is not an error, just a
// signed-out request.
func (s *Server) authenticate(r *nethttp.Request) (u *dossier.User, viaToken bool, err error) {
	if h := r.Header.Get("Authorization"); h != "" {
		tok, ok := bearerToken(h)
		if !ok {
			return nil, true, nil
		}
		u, err = s.svc.Users.UserByToken(r.Context(), tok)
		return unlessUnauthorized(u, err, true)
	}
	tok := sessionValue(r)
	if tok == "" {
		return nil, false, nil
	}
	u, err = s.svc.Users.UserBySession(r.Context(), tok)
	return unlessUnauthorized(u, err, false)
}

// bearerToken parses an Authorization header of the form "Bearer TOKEN"
// (scheme case-insensitive); ok is false for any other header.
func bearerToken(h string) (tok string, ok bool) {
	scheme, tok, _ := strings.Cut(h, " ")
	tok = strings.TrimSpace(tok)
	return tok, strings.EqualFold(scheme, "Bearer") && tok != ""
}

func unlessUnauthorized(u *dossier.User, err error, viaToken bool) (*dossier.User, bool, error) {
	switch dossier.ErrorCode(err) {
	case "":
		return u, viaToken, nil
	case dossier.EUNAUTHORIZED, dossier.ENOTFOUND:
		return nil, viaToken, nil
	}
	return nil, viaToken, err
}

// handleRoot sends signed-in users to their customers, others to sign in.
func (s *Server) handleRoot(w nethttp.ResponseWriter, r *nethttp.Request) {
	u, _, err := s.authenticate(r)
	switch {
	case err != nil:
		s.fail(w, r, err)
	case u != nil:
		nethttp.Redirect(w, r, homeOf(u), nethttp.StatusSeeOther)
	default:
		nethttp.Redirect(w, r, "/login", nethttp.StatusSeeOther)
	}
}

func (s *Server) handleLoginForm(w nethttp.ResponseWriter, r *nethttp.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if u, _, err := s.authenticate(r); err == nil && u != nil {
		nethttp.Redirect(w, r, next, nethttp.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, nethttp.StatusOK, "", next, "")
}

// handleLogin checks a name and password. Every failure reads the same, so
// the page does not tell which user names exist; repeated failures per IP
// and name, and per IP, are refused for a while.
func (s *Server) handleLogin(w nethttp.ResponseWriter, r *nethttp.Request) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	ip := clientIP(r)
	nameKey := ip + "\x00" + strings.ToLower(name)
	okName, waitName := s.nameLimit.allow(nameKey)
	okIP, waitIP := s.ipLimit.allow(ip)
	if !okName || !okIP {
		w.Header().Set("Retry-After", strconv.Itoa(int(max(waitName, waitIP).Seconds())+1))
		s.renderLogin(w, r, nethttp.StatusTooManyRequests, name, next, "auth.too_many")
		return
	}
	u, err := s.svc.Users.Authenticate(r.Context(), name, password)
	switch dossier.ErrorCode(err) {
	case "":
	case dossier.EUNAUTHORIZED, dossier.ENOTFOUND, dossier.EINVALID:
		s.nameLimit.fail(nameKey)
		s.ipLimit.fail(ip)
		s.log.Info("sign-in failed", "user", name, "ip", ip)
		if err := s.auditSignIn(r, dossier.AuditSignInFailed, name, 0); err != nil {
			s.fail(w, r, err)
			return
		}
		s.renderLogin(w, r, nethttp.StatusUnauthorized, name, next, "auth.failed")
		return
	default:
		s.fail(w, r, err)
		return
	}
	s.nameLimit.reset(nameKey)
	if err := s.auditSignIn(r, dossier.AuditSignIn, u.Name, u.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.startSession(w, r, u); err != nil {
		s.fail(w, r, err)
		return
	}
	s.log.Info("signed in", "user", u.Name, "ip", ip)
	if next == "/customers" {
		next = homeOf(u) // the default, not a page the user asked for
	}
	nethttp.Redirect(w, r, next, nethttp.StatusSeeOther)
}

// auditSignIn records a sign-in attempt. Sign-in is a public route, so the
// user is the name given, not a signed-in user.
func (s *Server) auditSignIn(r *nethttp.Request, action, name string, id int64) error {
	return s.svc.Audit.RecordAudit(r.Context(), &dossier.AuditEntry{User: name, Action: action,
		Entity: "user", EntityID: id, RemoteAddr: clientIP(r)})
}

// startSession stores a new session and hands its token to the browser in
// a cookie that scripts cannot read and other sites' forms do not send.
func (s *Server) startSession(w nethttp.ResponseWriter, r *nethttp.Request, u *dossier.User) error {
	expires := s.now().Add(sessionTTL)
	tok, err := s.svc.Users.CreateSession(r.Context(), u.ID, expires)
	if err != nil {
		return err
	}
	nethttp.SetCookie(w, &nethttp.Cookie{Name: sessionCookie, Value: tok, Path: "/", Expires: expires,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: nethttp.SameSiteLaxMode})
	return nil
}

func (s *Server) handleLogout(w nethttp.ResponseWriter, r *nethttp.Request) {
	if tok := sessionValue(r); tok != "" {
		if err := s.svc.Users.DeleteSession(r.Context(), tok); err != nil && dossier.ErrorCode(err) != dossier.ENOTFOUND {
			s.fail(w, r, err)
			return
		}
	}
	nethttp.SetCookie(w, &nethttp.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: nethttp.SameSiteLaxMode})
	nethttp.Redirect(w, r, "/login", nethttp.StatusSeeOther)
}

func (s *Server) renderLogin(w nethttp.ResponseWriter, r *nethttp.Request, status int, name, next, errKey string) {
	page := html.LoginPage{Base: s.base(w, r, "auth.title", ""), Name: name, Next: next}
	if errKey != "" {
		page.Error = i18n.T(langOf(r), errKey)
	}
	s.render(w, r, status, "login", page)
}

// homeOf is where a user lands: the customer list, or for analysts, who
// may not see individual customers, their settings.
func homeOf(u *dossier.User) string {
	if u.CanSeeCustomers() {
		return "/home"
	}
	return "/settings"
}

// safeNext keeps a post-sign-in redirect on this site: a local absolute
// path, never "//host" or a scheme.
func safeNext(next string) string {
	const home = "/customers"
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return home
	}
	return next
}

// clientIP is the peer address. Forwarded headers are not trusted: anyone
// can send them, and a proxy setting for them belongs in Config when needed.
func clientIP(r *nethttp.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }
