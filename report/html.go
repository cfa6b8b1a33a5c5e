package report

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"html/template"
	"io"
	"strings"

	"github.com/dossier/dossier/i18n"
)

// The HTML report is one self-contained document: inline CSS with a print
// stylesheet for A4, charts as inline SVG, no script and no external asset,
// so it can be saved, mailed and printed as it is.
//
//go:embed report.html
var htmlSource string

//go:embed segment.html
var segmentSource string

//go:embed market.html
var marketSource string

// parse builds the template with t bound to the report's language; it is
// cheap next to the queries behind a report, and binding per render keeps
// the language out of every template call.
func parse(lang string) (*template.Template, error) {
	tpl, err := template.New("report").Funcs(template.FuncMap{
		"t": func(key string, args ...any) string { return i18n.T(lang, key, args...) },
	}).Parse(htmlSource)
	if err != nil {
		return nil, err
	}
	// The segment report shares the stylesheet and the chart.
	if _, err := tpl.New("segment").Parse(segmentSource); err != nil {
		return nil, err
	}
	if _, err := tpl.New("market").Parse(marketSource); err != nil {
		return nil, err
	}
	return tpl, nil
}

// The template is parsed once at start-up so that a broken one fails every
// test rather than a request.
var _ = template.Must(parse(i18n.Default))

// WriteHTML writes the report as an HTML document. Every text is escaped
// by html/template; nothing is written when rendering fails.
func WriteHTML(w io.Writer, r *Report) error {
	tpl, err := parse(r.Lang)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := tpl.Execute(&buf, r); err != nil {
		return err
	}
	_, err = buf.WriteTo(w)
	return err
}

// WriteSegmentHTML writes a segment report as an HTML document, escaped
// and self-contained like the customer report.
func WriteSegmentHTML(w io.Writer, r *SegmentReport) error { return execute(w, r.Lang, "segment", r) }

// WriteMarketHTML writes a market report as an HTML document.
func WriteMarketHTML(w io.Writer, r *MarketReport) error { return execute(w, r.Lang, "market", r) }

// execute renders one template of the set in full, then writes it.
func execute(w io.Writer, lang, name string, data any) error {
	tpl, err := parse(lang)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := tpl.ExecuteTemplate(&buf, name, data); err != nil {
		return err
	}
	_, err = buf.WriteTo(w)
	return err
}

// ContentSecurityPolicy is the policy a server should send with the HTML
// report: nothing may load, and only the report's own inline stylesheet
// (named by its hash) applies, so the document needs no exception to a
// strict policy and an injected style or script would not run.
func ContentSecurityPolicy() string {
	return "default-src 'none'; style-src '" + styleHash + "'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

// styleHash is the CSP hash source of the template's <style> element,
// which holds no template action and so renders byte for byte.
var styleHash = func() string {
	_, rest, _ := strings.Cut(htmlSource, "<style>")
	css, _, _ := strings.Cut(rest, "</style>")
	sum := sha256.Sum256([]byte(css))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}()
