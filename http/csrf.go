package http

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	nethttp "net/http"
	"strings"

	"github.com/dossier/dossier"
)

// CSRF protection is a signed double-submit cookie: the browser holds a
// random nonce in a cookie, and every form carries HMAC(key, nonce, session).
// An attacker who can plant a cookie still cannot forge the token without
// the key, and a token is useless outside the session it was made for. No
// server-side state is kept, so any process sharing the key accepts it.
// Cross-origin writes are also refused up front by net/http's
// CrossOriginProtection (Sec-Fetch-Site / Origin), see middleware.
const (
	csrfCookie = "dossier_csrf"
	csrfField  = "csrf"         // form field
	csrfHeader = "X-CSRF-Token" // header, for scripts using a session cookie
)

// csrfToken returns the token for the forms of the page being rendered,
// setting the nonce cookie first if the browser has none.
func (s *Server) csrfToken(w nethttp.ResponseWriter, r *nethttp.Request) string {
	nonce := ""
	if c, err := r.Cookie(csrfCookie); err == nil && validNonce(c.Value) {
		nonce = c.Value
	} else {
		nonce = newNonce()
		nethttp.SetCookie(w, &nethttp.Cookie{Name: csrfCookie, Value: nonce, Path: "/", HttpOnly: true,
			Secure: r.TLS != nil, SameSite: nethttp.SameSiteLaxMode})
		// A second call while rendering this request reuses the new nonce.
		r.AddCookie(&nethttp.Cookie{Name: csrfCookie, Value: nonce})
	}
	return s.signCSRF(nonce, sessionValue(r))
}

func (s *Server) signCSRF(nonce, session string) string {
	mac := hmac.New(sha256.New, s.csrfKey)
	mac.Write([]byte("dossier-csrf\x00" + nonce + "\x00" + session))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// csrfOK checks the token of a write. The token comes from the header or,
// for an ordinary form post, the form field; a multipart upload sends the
// header or puts the field first (multipartToken), so that checking never
// means reading a large body.
func (s *Server) csrfOK(r *nethttp.Request) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || !validNonce(c.Value) {
		return false
	}
	tok := r.Header.Get(csrfHeader)
	if tok == "" && isURLEncodedForm(r) {
		r.Body = nethttp.MaxBytesReader(nil, r.Body, 64<<10)
		tok = r.PostFormValue(csrfField)
	}
	if tok == "" {
		tok = multipartToken(r)
	}
	want := s.signCSRF(c.Value, sessionValue(r))
	return tok != "" && hmac.Equal([]byte(tok), []byte(want))
}

// multipartToken reads the token of a multipart upload (the import wizard's
// plain HTML form) from the form's first part, which must be the csrf field.
// Only the first few kilobytes are read, and they are put back in front of
// the body, so the handler still streams the whole upload.
func multipartToken(r *nethttp.Request) string {
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" || params["boundary"] == "" || r.Body == nil {
		return ""
	}
	head := make([]byte, 4<<10)
	n, _ := io.ReadFull(r.Body, head)
	head = head[:n]
	r.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), r.Body), r.Body}
	part, err := multipart.NewReader(bytes.NewReader(head), params["boundary"]).NextPart()
	if err != nil || part.FormName() != csrfField {
		return ""
	}
	b, _ := io.ReadAll(io.LimitReader(part, 256))
	return strings.TrimSpace(string(b))
}

func isURLEncodedForm(r *nethttp.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "application/x-www-form-urlencoded"
}

// csrfFailed answers a write without a valid token. The usual cause is an
// old form, so the message asks the user to reload.
func (s *Server) csrfFailed(w nethttp.ResponseWriter, r *nethttp.Request) {
	s.fail(w, r, &dossier.Error{Code: dossier.EFORBIDDEN, Message: "invalid or missing CSRF token", Field: csrfField})
}

func newNonce() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

func validNonce(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

// sessionValue returns the session cookie's value, "" when signed out.
func sessionValue(r *nethttp.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return strings.TrimSpace(c.Value)
	}
	return ""
}
