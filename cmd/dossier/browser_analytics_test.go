package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAnalytics builds a pivot on the analytics page: industry by
// stage, drawn as a chart and a table with totals, under the strict
// Content-Security-Policy (a violation fails the test).
func TestBrowserAnalytics(t *testing.T) {
	b := newBrowser(t, "--demo", "--demo-customers", "60")
	b.login()
	// login returns once a <main> shows, which the sign-in page has too:
	// wait for the signed-in menu, then follow its link.
	b.do(chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/analytics"]`)),
		chromedp.Click(chromedp.CSS(`header nav a[href="/analytics"]`)), chromedp.WaitVisible(chromedp.CSS(`#chart-industry canvas`)))
	// Record CSP violations from here on; every chart below is drawn after.
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.csp = []; document.addEventListener("securitypolicyviolation",
		function (e) { window.csp.push(e.violatedDirective + " " + e.blockedURI); }); true`)); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.SetValue(chromedp.CSS(`#pivot-rows`), "industry_top"),
		chromedp.SetValue(chromedp.CSS(`#pivot-cols`), "stage"),
		chromedp.SetValue(chromedp.CSS(`#pivot-filter`), "grade != 普通"),
		chromedp.Click(chromedp.CSS(`#pivot-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#analytics[data-ready="pivot"] #pivot-table tr.total`)),
		chromedp.WaitVisible(chromedp.CSS(`#pivot-chart canvas`)))
	table := b.text(`#pivot-table`)
	for _, want := range []string{"制造业", "潜在", "成交", "合计 (count)"} {
		if !strings.Contains(table, want) {
			t.Errorf("pivot table lacks %q: %.400s", want, table)
		}
	}
	screenshot(t, b.ctx, "analytics-01-pivot")

	// A bad filter is explained with its position, not drawn.
	b.do(chromedp.SetValue(chromedp.CSS(`#pivot-filter`), "gradee = 重点"),
		chromedp.Click(chromedp.CSS(`#pivot-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#pivot-error`)))
	if msg := b.text(`#pivot-error`); !strings.Contains(msg, "at 1: unknown field 'gradee', did you mean 'grade'?") {
		t.Errorf("error: %q", msg)
	}
	// A ready report as a pie.
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.getElementById("pivot-filter").value = ""; true`)); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.SetValue(chromedp.CSS(`#pivot-chart-type`), "pie"),
		chromedp.Click(chromedp.CSS(`button[data-report="grade-by-stage"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#analytics[data-ready="pivot"] #pivot-table tr.total`)))
	if table := b.text(`#pivot-table`); !strings.Contains(table, "重点") || !strings.Contains(table, "流失") {
		t.Errorf("report table: %.300s", table)
	}
	// The relation of industry with a concern, with its test.
	b.do(chromedp.Click(chromedp.CSS(`#relation-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#analytics[data-ready="relation"] #relation-table tr td`)))
	if stats := b.text(`#relation-stats`); !strings.Contains(stats, "卡方 = ") || !strings.Contains(stats, "Cramér's V") {
		t.Errorf("relation stats: %q", stats)
	}
	if table := b.text(`#relation-table`); !strings.Contains(table, "制造业") || !strings.Contains(table, "×") {
		t.Errorf("relation table: %.300s", table)
	}
	screenshot(t, b.ctx, "analytics-03-relation")
	csp, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`window.csp`))
	if err != nil {
		t.Fatal(err)
	}
	if len(csp) > 0 {
		t.Errorf("Content-Security-Policy violations: %v", csp)
	}
	screenshot(t, b.ctx, "analytics-02-report")
}
