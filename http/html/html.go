// Package html holds the web UI's templates and the typed page structs they
// render. Templates are embedded and parsed once at start-up: a missing or
// broken template stops the server from starting instead of failing a user.
package html

import (
	"embed"
	"fmt"
	"html/template"
	"io"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/i18n"
)

//go:embed *.html
var files embed.FS

// Pages lists every page template; each is parsed with layout.html.
var Pages = []string{"login", "customers", "customer", "field", "error", "audit", "users", "settings", "survey", "survey_link", "analytics", "quality", "home", "analyses", "tasks", "market"}

// Templates is the parsed set of pages.
type Templates struct {
	pages map[string]*template.Template
}

// Load parses every page with the layout. asset maps an asset's plain name
// ("app.css") to its content-hashed URL.
func Load(asset func(name string) (string, error)) (*Templates, error) {
	funcs := template.FuncMap{"asset": asset}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "layout.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	t := &Templates{pages: map[string]*template.Template{}}
	for _, name := range Pages {
		clone, err := base.Clone()
		if err != nil {
			return nil, fmt.Errorf("clone layout for %s: %w", name, err)
		}
		if t.pages[name], err = clone.ParseFS(files, name+".html"); err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
	}
	return t, nil
}

// Render executes a page into w. A template error can leave part of the
// page written, so callers that need all-or-nothing pass a buffer (the
// server does, to send a clean 500 instead).
func (t *Templates) Render(w io.Writer, name string, page any) error {
	tmpl, ok := t.pages[name]
	if !ok {
		return fmt.Errorf("render: no page %q", name)
	}
	if err := tmpl.ExecuteTemplate(w, "layout", page); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return nil
}

// Base is what every page carries: language, the signed-in user (nil on the
// sign-in page), the CSRF token for its forms and the language switch link.
type Base struct {
	Lang          string
	Title         string
	User          *dossier.User
	CSRF          string
	SwitchLangURL string // this page in the other language
	Nav           string // which top-level section is active
}

// T translates a message id in the page's language; templates call it as
// {{$.T "key" args…}}.
func (b Base) T(key string, args ...any) string { return i18n.T(b.Lang, key, args...) }

// HTMLLang is the value of the <html lang> attribute.
func (b Base) HTMLLang() string {
	if b.Lang == i18n.English {
		return "en"
	}
	return "zh-CN"
}

// LoginPage is the sign-in form.
type LoginPage struct {
	Base
	Name  string // echoed back after a failed attempt
	Next  string // where to go after signing in
	Error string // already translated
}

// ErrorPage shows a failed request.
type ErrorPage struct {
	Base
	Status  int
	Message string // already translated
	Detail  string // the domain message for invalid input, else empty
}
