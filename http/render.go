package http

import (
	"bytes"
	nethttp "net/http"

	"github.com/dossier/dossier/http/html"
	"github.com/dossier/dossier/i18n"
)

// base fills what every page carries. titleKey is a message id.
func (s *Server) base(w nethttp.ResponseWriter, r *nethttp.Request, titleKey, nav string) html.Base {
	lang := langOf(r)
	return html.Base{
		Lang:          lang,
		Title:         i18n.T(lang, titleKey),
		User:          userOf(r),
		CSRF:          s.csrfToken(w, r),
		SwitchLangURL: switchLangURL(r, lang),
		Nav:           nav,
	}
}

// switchLangURL is the current GET page in the other language; after a
// failed form post it is the form's page.
func switchLangURL(r *nethttp.Request, lang string) string {
	other := i18n.English
	if lang == i18n.English {
		other = i18n.Chinese
	}
	u := *r.URL
	q := u.Query()
	q.Set("lang", other)
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// render writes a page with its status. It renders into a buffer first so
// a template error becomes a clean 500, not half a page.
func (s *Server) render(w nethttp.ResponseWriter, r *nethttp.Request, status int, name string, page any) {
	var buf bytes.Buffer
	if err := s.pages.Render(&buf, name, page); err != nil {
		s.log.Error("render failed", "page", name, "path", r.URL.Path, "err", err)
		nethttp.Error(w, nethttp.StatusText(nethttp.StatusInternalServerError), nethttp.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}
