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

	// A trend of interactions by owner, as shares, of a segment: one
	// line per owner, and the workbook link asks for the same.
	b.do(chromedp.WaitVisible(chromedp.CSS(`#analytics:not([data-trend-ready=""]) #chart-trend canvas`)),
		chromedp.SetValue(chromedp.CSS(`#trend-source`), "needs"))
	if off, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.getElementById("trend-source").dispatchEvent(new Event("change"));
		document.querySelector('#trend-by option[value="feedback"]').disabled`)); err != nil || !off {
		t.Errorf("feedback offered for needs: disabled %v, %v", off, err)
	}
	b.do(chromedp.SetValue(chromedp.CSS(`#trend-source`), "interactions"),
		chromedp.SetValue(chromedp.CSS(`#trend-by`), "owner"),
		chromedp.SetValue(chromedp.CSS(`#trend-measure`), "share"),
		chromedp.SetValue(chromedp.CSS(`#trend-filter`), "grade != 普通"),
		chromedp.Click(chromedp.CSS(`#trend-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#analytics:not([data-trend-ready=""]) #trend-xlsx`)))
	lines, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById("analytics").dataset.trendReady`))
	if err != nil || lines == "" || lines == "0" || lines == "1" {
		t.Errorf("trend by owner drew %q lines (%v); want one per owner", lines, err)
	}
	// The lines drawn are the owners the API names for the same trend.
	drawn, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](
		`echarts.getInstanceByDom(document.getElementById("chart-trend")).getOption().series.map(function (s) { return s.name; }).sort().join("|")`))
	if err != nil {
		t.Fatal(err)
	}
	asked, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](
		`fetch("/api/v1/analytics/trend?source=interactions&by=owner&measure=share&filter=" + encodeURIComponent("grade != 普通"),
			{ headers: { "Accept": "application/json" } }).then(function (r) { return r.json(); })
			.then(function (tr) { return tr.series.map(function (s) { return s.label; }).sort().join("|"); })`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if drawn == "" || drawn != asked {
		t.Errorf("trend lines %q, the API's owners %q", drawn, asked)
	}
	href, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById("trend-xlsx").href`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"by=owner", "measure=share", "source=interactions", "filter=grade"} {
		if !strings.Contains(href, want) {
			t.Errorf("trend workbook link %q lacks %q", href, want)
		}
	}
	screenshot(t, b.ctx, "analytics-05-trend-owner")
	b.do(chromedp.SetValue(chromedp.CSS(`#trend-filter`), "gradee = 重点"),
		chromedp.Click(chromedp.CSS(`#trend-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#trend-error`)))
	if msg := b.text(`#trend-error`); !strings.Contains(msg, "unknown field 'gradee'") {
		t.Errorf("trend error: %q", msg)
	}
	csp, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`window.csp`))
	if err != nil {
		t.Fatal(err)
	}
	if len(csp) > 0 {
		t.Errorf("Content-Security-Policy violations: %v", csp)
	}
	screenshot(t, b.ctx, "analytics-02-report")
}
