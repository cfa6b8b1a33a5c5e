package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/dossier/dossier/demo"
)

// TestBrowserQuality opens the data-quality page on demo data, merges a
// planted duplicate pair from the review queue, and undoes the merge. The
// pairs are pushed through the API as an outside matcher would, from the
// demo's ground truth.
func TestBrowserQuality(t *testing.T) {
	b := newBrowser(t, "--demo", "--demo-customers", "60")
	b.login()
	// login returns on the sign-in page's own <main>; the nav shows once signed in.
	b.do(chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/quality"]`)))
	var token string
	b.do(chromedp.Navigate(b.base+"/settings"), chromedp.WaitVisible(chromedp.CSS(`form[action="/settings/token"] button`)),
		chromedp.Click(chromedp.CSS(`form[action="/settings/token"] button`)), chromedp.WaitVisible(chromedp.CSS(`pre.token`)))
	token = strings.TrimSpace(b.text(`pre.token`))
	seedPairs(t, b.base, token)

	b.do(chromedp.Navigate(b.base+"/quality"), chromedp.WaitVisible(chromedp.CSS(`section.pair`)))
	page := b.text(`main`)
	if !strings.Contains(page, "重复可能性") || !strings.Contains(page, "有限公司") {
		t.Fatalf("review queue shows no pair: %.400s", page)
	}
	screenshot(t, b.ctx, "quality-01-queue")
	b.do(chromedp.SendKeys(chromedp.CSS(`section.pair input[name="reason"]`), "同一家公司"),
		chromedp.Click(chromedp.CSS(`section.pair button.merge`)), chromedp.WaitVisible(chromedp.CSS(`#quality-notice[data-done="merged"]`)))
	if n := b.text(`#quality-notice`); !strings.Contains(n, "已合并") {
		t.Fatalf("no merge notice: %s", n)
	}
	if m := b.text(`table.merges`); !strings.Contains(m, "同一家公司") {
		t.Errorf("merge not listed with its reason: %s", m)
	}
	screenshot(t, b.ctx, "quality-02-merged")
	b.do(chromedp.Click(chromedp.CSS(`#quality-notice button.undo`)), chromedp.WaitVisible(chromedp.CSS(`#quality-notice[data-done="undone"]`)))
	if n := b.text(`#quality-notice`); !strings.Contains(n, "已撤销") {
		t.Errorf("no undo notice: %s", n)
	}
	if got := b.count(`section.pair`); got != 2 {
		t.Errorf("after undo the queue has %d pairs, want both back", got)
	}
	screenshot(t, b.ctx, "quality-03-undone")
	for _, tab := range []string{"conflicts", "gaps", "invalid"} {
		b.do(chromedp.Navigate(b.base+"/quality?tab="+tab), chromedp.WaitVisible(chromedp.CSS(`p.count`)))
	}
}

// count is the number of elements matching a CSS selector.
func (b *browser) count(sel string) int {
	b.t.Helper()
	n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
	if err != nil {
		b.t.Fatalf("count %s: %v", sel, err)
	}
	return n
}

// seedPairs sends the demo's planted duplicates as candidate pairs.
func seedPairs(t *testing.T, base, token string) {
	t.Helper()
	var pairs []string
	_ = demo.GroundTruth(demo.Config{Customers: 60, Seed: 1}, func(id, cluster int64) error {
		if id != cluster {
			pairs = append(pairs, fmt.Sprintf(`{"a": %d, "b": %d, "probability": 0.9%d, "weight": 7.5,
				"evidence": [{"field": "name", "level": "similar", "weight": 4.1}, {"field": "city", "level": "exact", "weight": 1.2}]}`, cluster, id, len(pairs)))
		}
		return nil
	})
	if len(pairs) < 2 {
		t.Fatalf("the demo of 60 planted %d duplicates", len(pairs))
	}
	req, _ := http.NewRequest("POST", base+"/api/v1/dedupe/pairs", strings.NewReader(`{"pairs": [`+strings.Join(pairs[:2], ",")+`]}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("seeding pairs: %d", res.StatusCode)
	}
}
