package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserMarket opens the market page of a demo store in Chromium: the
// market-share, churn and win/loss charts are drawn from the API under the
// strict Content-Security-Policy, the tables show competitors and market
// records with their sources, and the page switches to English.
func TestBrowserMarket(t *testing.T) {
	b := newBrowser(t, "--demo", "--demo-customers", "120")
	b.login()
	b.do(chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/market"]`)),
		chromedp.Click(chromedp.CSS(`header nav a[href="/market"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#market[data-ready="market"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#chart-shares canvas`)),
		chromedp.WaitVisible(chromedp.CSS(`#chart-churn canvas`)),
		chromedp.WaitVisible(chromedp.CSS(`#chart-winloss canvas`)))
	// Record CSP violations from here on, and redraw every chart.
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`window.csp = []; document.addEventListener("securitypolicyviolation",
		function (e) { window.csp.push(e.violatedDirective + " " + e.blockedURI); }); window.dispatchEvent(new Event("resize")); true`)); err != nil {
		t.Fatal(err)
	}
	page := b.text(`main`)
	for _, want := range []string{"市场与竞争", "各区域市场份额", "流失客户", "云启软件", "价格偏高", "政策", "艾瑞咨询", "市场部"} {
		if !strings.Contains(page, want) {
			t.Errorf("market page lacks %q: %.600s", want, page)
		}
	}
	if wl := b.text(`#winloss-table tbody`); !strings.Contains(wl, "%") {
		t.Errorf("win/loss table is empty: %q", wl)
	}
	screenshot(t, b.ctx, "market-01-zh")
	csp, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`window.csp`))
	if err != nil {
		t.Fatal(err)
	}
	if len(csp) > 0 {
		t.Errorf("Content-Security-Policy violations: %v", csp)
	}
	b.do(chromedp.Navigate(b.base+"/market?lang=en"), chromedp.WaitVisible(chromedp.CSS(`#market[data-ready="market"] #chart-churn canvas`)))
	if en := b.text(`main`); !strings.Contains(en, "Market share per region") || !strings.Contains(en, "Price level") {
		t.Errorf("English page: %.300s", en)
	}
	screenshot(t, b.ctx, "market-02-en")
}
