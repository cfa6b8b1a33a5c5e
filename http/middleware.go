package http

import (
	"context"
	"fmt"
	"log/slog"
	nethttp "net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/i18n"
)

type ctxKey int

const (
	userKey ctxKey = iota
	langKey
)

// userOf returns the signed-in user of a guarded request, nil on public
// routes.
func userOf(r *nethttp.Request) *dossier.User {
	u, _ := r.Context().Value(userKey).(*dossier.User)
	return u
}

// langOf returns the request's UI language, set by withLang.
func langOf(r *nethttp.Request) string {
	if l, ok := r.Context().Value(langKey).(string); ok {
		return l
	}
	return i18n.Default
}

// isAPI reports whether a request is for the JSON API, which answers errors
// in JSON and never redirects to the sign-in page.
func isAPI(r *nethttp.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// middleware wraps the router, outermost first: recover from panics, log,
// set security headers, refuse cross-origin writes, pick the language.
func (s *Server) middleware(h nethttp.Handler) nethttp.Handler {
	cop := nethttp.NewCrossOriginProtection()
	cop.SetDenyHandler(nethttp.HandlerFunc(s.csrfFailed))
	h = s.withLang(cop.Handler(h))
	return s.recoverer(s.logRequests(securityHeaders(h)))
}

// guard enforces a route's access rule and, for writes by browser, the CSRF
// token. Bearer-token clients are exempt from CSRF: a browser never attaches
// their credentials on its own.
func (s *Server) guard(rt route) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		info := infoOf(r)
		if info != nil {
			info.route = rt.pattern()
		}
		if rt.access.scrape && s.metricsTokenOK(r) {
			rt.handler(w, r)
			return
		}
		if rt.access.public {
			// The catch-all 404 route has no method and changes nothing.
			if rt.method != "" && unsafeMethod(r.Method) && !s.csrfOK(r) {
				s.csrfFailed(w, r)
				return
			}
			rt.handler(w, r)
			return
		}
		u, viaToken, err := s.authenticate(r)
		switch {
		case err != nil:
			s.fail(w, r, err)
		case u == nil:
			s.signInRequired(w, r)
		case !rt.access.allows(u):
			s.fail(w, r, dossier.Errorf(dossier.EFORBIDDEN, "your role may not use this page"))
		case unsafeMethod(r.Method) && !viaToken && !s.csrfOK(r):
			s.csrfFailed(w, r)
		default:
			if info != nil {
				info.userID = u.ID
			}
			rt.handler(w, r.WithContext(context.WithValue(r.Context(), userKey, u)))
		}
	})
}

func unsafeMethod(m string) bool {
	return m != nethttp.MethodGet && m != nethttp.MethodHead && m != nethttp.MethodOptions
}

// signInRequired sends a browser to the sign-in page, coming back to where
// it was going; the API answers 401.
func (s *Server) signInRequired(w nethttp.ResponseWriter, r *nethttp.Request) {
	// /metrics is read by programs, which want a status, not a page.
	if isAPI(r) || r.Method != nethttp.MethodGet || r.URL.Path == "/metrics" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="dossier"`)
		s.fail(w, r, dossier.Errorf(dossier.EUNAUTHORIZED, "sign in or send a bearer token"))
		return
	}
	nethttp.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), nethttp.StatusSeeOther)
}

// withLang picks the UI language: ?lang= (remembered in a cookie), else the
// cookie, else Chinese. Accept-Language is ignored on purpose: the users are
// Chinese-speaking first, whatever their browser was installed with.
func (s *Server) withLang(next nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		lang := i18n.Default
		if q := r.URL.Query().Get("lang"); q != "" {
			lang = i18n.Normalize(q)
			nethttp.SetCookie(w, &nethttp.Cookie{Name: langCookie, Value: lang, Path: "/",
				MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: r.TLS != nil, SameSite: nethttp.SameSiteLaxMode})
		} else if c, err := r.Cookie(langCookie); err == nil {
			lang = i18n.Normalize(c.Value)
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), langKey, lang)))
	})
}

const langCookie = "lang"

// contentSecurityPolicy allows only this origin's files: no inline script or
// style, no framing, forms post only here.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries. Responses are
// not cached by default because most carry confidential customer data;
// hashed assets override this.
func securityHeaders(next nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cache-Control", "no-store")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status a handler wrote, for the access log.
type statusWriter struct {
	nethttp.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = nethttp.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *statusWriter) Unwrap() nethttp.ResponseWriter { return w.ResponseWriter }

// logRequests writes one access-log line per request and counts it in the
// metrics: method, route pattern, status, duration and the user's id. Never
// the query string or body, which may hold names, phone numbers or
// passwords. Assets and probes log at debug level so they do not drown the
// rest.
func (s *Server) logRequests(next nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		start := time.Now()
		info := &reqInfo{route: "unmatched"}
		sw := &statusWriter{ResponseWriter: w}
		s.metrics.inFlight.Inc()
		defer s.metrics.inFlight.Dec()
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), infoKey, info)))
		if sw.status == 0 {
			sw.status = nethttp.StatusOK
		}
		d := time.Since(start)
		s.metrics.observe(info.route, sw.status, d)
		level := slog.LevelInfo
		switch info.route {
		case "GET /healthz", "GET /readyz", "GET /metrics", "GET /assets/{file}":
			level = slog.LevelDebug
		}
		attrs := []slog.Attr{slog.String("method", r.Method), slog.String("route", info.route),
			slog.Int("status", sw.status), slog.Float64("dur_ms", float64(d.Microseconds())/1000)}
		if info.userID != 0 {
			attrs = append(attrs, slog.Int64("user_id", info.userID))
		}
		s.log.LogAttrs(r.Context(), level, "request", attrs...)
	})
}

// recoverer turns a panic in a handler into a logged 500 instead of a
// dropped connection.
func (s *Server) recoverer(next nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		defer func() {
			v := recover()
			if v == nil || v == nethttp.ErrAbortHandler {
				if v != nil {
					panic(v)
				}
				return
			}
			s.log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			nethttp.Error(w, nethttp.StatusText(nethttp.StatusInternalServerError), nethttp.StatusInternalServerError)
		}()
		next.ServeHTTP(w, r)
	})
}
