package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserShare edits a customer on its profile, shares it with the team,
// and saves a form read before the last change: the page says so and keeps
// the input.
func TestBrowserShare(t *testing.T) {
	b := newBrowser(t, "--demo", "--demo-customers", "60")
	b.login()
	b.do(chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/quality"]`)))
	b.do(chromedp.Navigate(b.base+"/customers/1"), chromedp.WaitVisible(chromedp.CSS(`#share-form`)),
		chromedp.Click(chromedp.CSS(`#edit summary`)), chromedp.WaitVisible(chromedp.CSS(`#edit-form input[name="city"]`)),
		chromedp.SetValue(chromedp.CSS(`#edit-form input[name="city"]`), "浏览器市"))
	b.submitAndWait(`#edit-form button[type="submit"]`, `#share-form`)
	if v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector('#edit-form input[name="city"]').value`)); err != nil || v != "浏览器市" {
		t.Fatalf("city after saving: %q (%v)", v, err)
	}
	if s := b.text(`#share`); !strings.Contains(s, "未共享") {
		t.Errorf("share section before sharing: %q", s)
	}
	b.submitAndWait(`#share-form button`, `#share-form`)
	if s := b.text(`#share`); !strings.Contains(s, "已共享给团队") {
		t.Errorf("share section after sharing: %q", s)
	}
	screenshot(t, b.ctx, "share-01-shared")
	// A form read one version ago, as another tab opened before the save.
	b.do(chromedp.Click(chromedp.CSS(`#edit summary`)), chromedp.WaitVisible(chromedp.CSS(`#edit-form input[name="city"]`)))
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`(() => { const v = document.querySelector('#edit-form input[name="version"]'); v.value = String(Number(v.value) - 1); return 0 })()`)); err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.SetValue(chromedp.CSS(`#edit-form input[name="city"]`), "旧表单市"))
	b.submitAndWait(`#edit-form button[type="submit"]`, `#edit-error`)
	if s := b.text(`#edit-error`); !strings.Contains(s, "此客户已被他人修改") {
		t.Errorf("stale save message %q", s)
	}
	screenshot(t, b.ctx, "share-02-stale")
	b.do(chromedp.Navigate(b.base+"/customers/1"), chromedp.WaitVisible(chromedp.CSS(`#edit-form`)))
	if v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector('#edit-form input[name="city"]').value`)); err != nil || v != "浏览器市" {
		t.Errorf("city after the refused save: %q (%v), want 浏览器市", v, err)
	}
}

// submitAndWait clicks a submit button and waits for the next page (not the
// current one, which is marked first) to show sel.
func (b *browser) submitAndWait(button, sel string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`(() => { document.body.dataset.before = "1"; return 0 })()`)); err != nil {
		b.t.Fatal(err)
	}
	b.do(chromedp.Click(chromedp.CSS(button)), chromedp.WaitVisible(chromedp.CSS(`body:not([data-before]) `+sel)))
}
