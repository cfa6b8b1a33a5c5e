package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowserReport follows the profile's print link to the analysis
// report, checks that its inline stylesheet applies under the server's
// CSP (admitted by its hash) and its charts are drawn, and prints it to PDF
// on the page size its stylesheet asks for: A4, several pages.
func TestBrowserReport(t *testing.T) {
	b := newBrowser(t, "--demo", "--demo-customers", "60")
	b.login()
	// login returns on the sign-in page's own <main>; the nav shows once signed in.
	b.do(chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/quality"]`)))
	b.do(chromedp.Navigate(b.base+"/customers/1"), chromedp.WaitVisible(chromedp.CSS(`#report-link`)))
	href, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector('#report-link').href`))
	if err != nil || !strings.HasSuffix(href, "/customers/1/report") {
		t.Fatalf("print link %q: %v", href, err)
	}
	b.do(chromedp.Navigate(href), chromedp.WaitVisible(chromedp.CSS(`svg.chart`)))
	if title := b.text(`header.cover .kind`); !strings.Contains(title, "客户分析报告") {
		t.Errorf("report title %q", title)
	}
	// The stylesheet applies: the headings take the accent colour.
	color, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('h2')).color`))
	if err != nil || color != "rgb(29, 78, 216)" {
		t.Errorf("h2 colour %q (%v): the report's stylesheet was blocked", color, err)
	}
	if n := b.count(`svg.chart rect`); n < 8 {
		t.Errorf("%d bars in the charts, want the score's four with their tracks at least", n)
	}
	screenshot(t, b.ctx, "report-01-html")
	pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(func(p *page.PrintToPDFParams) {
		css := true
		p.PreferCSSPageSize = &css
	}))
	if err != nil {
		t.Fatal(err)
	}
	pages := len(regexp.MustCompile(`/Type\s*/Page\b`).FindAll(pdf, -1))
	box := regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]`).FindSubmatch(pdf)
	if pages < 2 || box == nil || !strings.HasPrefix(string(box[1]), "59") || !strings.HasPrefix(string(box[2]), "84") {
		t.Errorf("PDF: %d pages, media box %q: want A4 (595 × 842 pt) and several pages", pages, box)
	}
	if dir := os.Getenv("DOSSIER_SCREENSHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "report.pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
