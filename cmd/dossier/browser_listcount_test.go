package main

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserListTotalLater: a list whose total the store does not have at
// hand (a name search: no rollup covers it) shows its rows and a next page
// with "counting…", then its total, asked for by the page's script; the
// next load shows the total at once.
func TestBrowserListTotalLater(t *testing.T) {
	b := newBrowser(t, "--demo", "--demo-customers", "120")
	b.login()
	b.do(chromedp.WaitVisible(chromedp.CSS(`#home-key`))) // signed in: the home page, not the form
	list := b.base + "/customers?q=" + url.QueryEscape("公司")
	b.do(chromedp.Navigate(list), chromedp.WaitVisible(chromedp.CSS(`main`)))
	b.do(chromedp.WaitVisible(chromedp.CSS(`table.list tbody tr`)), chromedp.WaitVisible(chromedp.CSS(`.pager a`)))
	rows, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll('table.list tbody tr').length`))
	if err != nil || rows != 50 {
		t.Fatalf("rows shown: %d (%v), want 50", rows, err)
	}
	b.do(chromedp.WaitVisible(chromedp.CSS(`#customer-total[data-total]`)))
	if s := b.text(`p.count`); !regexp.MustCompile(`当前显示第 1–50 个，\s*共 120 个客户`).MatchString(s) {
		t.Errorf("count line after the total came: %q", s)
	}
	screenshot(t, b.ctx, "listcount-01-total")
	b.do(chromedp.Navigate(list), chromedp.WaitVisible(chromedp.CSS(`table.list tbody tr`)))
	if s := b.text(`p.count`); !strings.Contains(s, "共 120 个客户，当前显示第 1–50 个") {
		t.Errorf("count line on the next load: %q, want the total at once", s)
	}
}
