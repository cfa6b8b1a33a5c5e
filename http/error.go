package http

import (
	"encoding/json"
	"errors"
	nethttp "net/http"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/html"
	"github.com/dossier/dossier/i18n"
)

// errorKinds maps every domain error code to its HTTP status and the
// message id a page shows for it. It is the only place where codes meet
// statuses.
var errorKinds = map[string]struct {
	status int
	msgKey string
}{
	dossier.ENOTFOUND:     {nethttp.StatusNotFound, "error.not_found"},
	dossier.EINVALID:      {nethttp.StatusBadRequest, "error.invalid"},
	dossier.ECONFLICT:     {nethttp.StatusConflict, "error.conflict"},
	dossier.EUNAUTHORIZED: {nethttp.StatusUnauthorized, "error.unauthorized"},
	dossier.EFORBIDDEN:    {nethttp.StatusForbidden, "error.forbidden"},
	dossier.EINTERNAL:     {nethttp.StatusInternalServerError, "error.internal"},
}

// codeTooLarge is the API error code of a body over maxBody; it is no
// domain error, since only HTTP reads bodies.
const codeTooLarge = "too_large"

// errorKind returns the status and message id of err; an unknown code is
// treated as internal.
func errorKind(err error) (code string, status int, msgKey string) {
	if errors.As(err, new(bodyTooLarge)) {
		return codeTooLarge, nethttp.StatusRequestEntityTooLarge, "error.too_large"
	}
	code = dossier.ErrorCode(err)
	k, ok := errorKinds[code]
	if !ok {
		code, k = dossier.EINTERNAL, errorKinds[dossier.EINTERNAL]
	}
	return code, k.status, k.msgKey
}

// apiError is the body of every API error:
// {"error":{"code":"not_found","message":"…","field":"…"}}.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

// fail answers a failed request: JSON for the API, a page otherwise.
// Internal errors are logged here, at the edge, and their detail is never
// shown.
func (s *Server) fail(w nethttp.ResponseWriter, r *nethttp.Request, err error) {
	code, status, msgKey := errorKind(err)
	if code == dossier.EINTERNAL {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if isAPI(r) {
		body := apiErrorBody{Code: code, Message: dossier.ErrorMessage(err)}
		if code == codeTooLarge {
			body.Message = err.Error()
		}
		if e, ok := asDomain(err); ok && code != dossier.EINTERNAL {
			body.Field = e.Field
		}
		writeJSON(w, status, apiError{Error: body})
		return
	}
	lang := langOf(r)
	page := html.ErrorPage{Base: s.base(w, r, msgKey, ""), Status: status, Message: i18n.T(lang, msgKey)}
	if csrfError(err) {
		page.Message = i18n.T(lang, "error.csrf")
	} else if code == dossier.EINVALID || code == dossier.ECONFLICT {
		page.Detail = localError(lang, err) // a Reason in the reader's language
	}
	s.render(w, r, status, "error", page)
}

func asDomain(err error) (*dossier.Error, bool) {
	var e *dossier.Error
	ok := errors.As(err, &e)
	return e, ok
}

func csrfError(err error) bool {
	e, ok := asDomain(err)
	return ok && e.Code == dossier.EFORBIDDEN && e.Field == csrfField
}

// handleNotFound answers every path no other route matches.
func (s *Server) handleNotFound(w nethttp.ResponseWriter, r *nethttp.Request) {
	s.fail(w, r, dossier.Errorf(dossier.ENOTFOUND, "no such page: %s", r.URL.Path))
}

// writeJSON writes v as the response body. An encoding error can only be a
// programming error or a gone client; neither can be reported to the client.
func writeJSON(w nethttp.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}
