package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserClusters: the analytics page clusters the demo's need texts
// per industry and draws the largest group's clusters, and links the
// trend's workbook.
func TestBrowserClusters(t *testing.T) {
	b := newBrowser(t, "--demo", "--demo-customers", "80")
	b.login()
	b.do(chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/analytics"]`)),
		chromedp.Click(chromedp.CSS(`header nav a[href="/analytics"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#clusters-form[data-ready] ~ #clusters-table tr td`)),
		chromedp.WaitVisible(chromedp.CSS(`#chart-clusters canvas`)))
	// The trend drawn on load offers its workbook for the same query.
	b.do(chromedp.WaitVisible(chromedp.CSS(`#trend-xlsx`)))
	href, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById("trend-xlsx").href`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(href, "/analytics/trend.xlsx?") || !strings.Contains(href, "source=needs") {
		t.Errorf("trend workbook link %q", href)
	}
	seg, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById("segment-report").href`))
	if err != nil || !strings.HasSuffix(seg, "/analytics/segment-report") {
		t.Errorf("segment report link %q, %v", seg, err)
	}
	// The overview's map of China, coloured by province.
	b.do(chromedp.WaitVisible(chromedp.CSS(`#analytics[data-map] #chart-map canvas`)))
	if n, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById("analytics").dataset.map`)); err != nil || n == "0" {
		t.Errorf("provinces on the map: %q, %v", n, err)
	}
	table := b.text(`#clusters-table`)
	for _, want := range []string{"关键词", "制造业", "%"} {
		if !strings.Contains(table, want) {
			t.Errorf("clusters table lacks %q: %.400s", want, table)
		}
	}
	// Interactions, all customers at once, three clusters.
	b.do(chromedp.SetValue(chromedp.CSS(`#clusters-source`), "interactions"),
		chromedp.SetValue(chromedp.CSS(`#clusters-by`), ""),
		chromedp.SetValue(chromedp.CSS(`#clusters-k`), "3"),
		chromedp.Click(chromedp.CSS(`#clusters-run`)),
		chromedp.WaitVisible(chromedp.CSS(`#clusters-form[data-ready] ~ #clusters-table tr td`)))
	screenshot(t, b.ctx, "analytics-04-clusters")
	if rows := b.text(`#clusters-table`); strings.Count(rows, "%") != 3 {
		t.Errorf("three clusters of all interactions expected: %.400s", rows)
	}
}
