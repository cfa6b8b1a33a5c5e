package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserRules: after `serve --demo` a profile shows the analysis from
// the shipped rules (value, tier, tags, ICP fit, tasks), and the rules page
// refuses a bad rule with its line and column.
func TestBrowserRules(t *testing.T) {
	b := newBrowser(t, "--demo", "--demo-customers", "60")
	b.login()
	// login returns once a page shows; wait for the list so that the sign-in
	// has landed before navigating away from it.
	b.do(chromedp.WaitVisible(chromedp.CSS(`table`)))
	b.do(chromedp.Navigate(b.base+"/customers/1"), chromedp.WaitVisible(chromedp.CSS(`#analysis`)))
	a := b.text(`#analysis`)
	for _, want := range []string{"客户价值", "分层与跟进", "理想客户画像匹配", "行业-", "行动清单"} {
		if !strings.Contains(a, want) {
			t.Errorf("analysis lacks %q: %.500s", want, a)
		}
	}
	screenshot(t, b.ctx, "rules-01-analysis")
	b.do(chromedp.Navigate(b.base+"/admin/rules"), chromedp.WaitVisible(chromedp.CSS(`#kind-grade textarea`)),
		chromedp.SetValue(chromedp.CSS(`#kind-grade textarea`), `"key" +`),
		chromedp.Submit(chromedp.CSS(`#kind-grade textarea`)),
		chromedp.WaitVisible(chromedp.CSS(`#kind-grade .alert`)))
	if msg := b.text(`#kind-grade .alert`); !strings.Contains(msg, "line 1, column") {
		t.Errorf("refusal without position: %s", msg)
	}
	screenshot(t, b.ctx, "rules-02-refused")
}
