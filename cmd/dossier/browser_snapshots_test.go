package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAnalyses creates an analysis on the analyses page, runs it
// twice, and checks the comparison of the two runs: summary, counts per
// tier then and now, the transitions matrix and the ECharts chart. Every
// step loads a new page, so a CSP listener would not outlive it; the chart's
// data-rendered mark, set by the page's external script, shows the script
// ran under the strict Content-Security-Policy.
func TestBrowserAnalyses(t *testing.T) {
	b := newBrowser(t, "--demo", "--demo-customers", "60")
	b.login()
	// Straight to the page rather than through the menu: a click on the
	// menu could land while the sign-in's redirect was still loading and
	// leave the next step holding a node of the page before (seen once in CI).
	b.do(chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/analyses"]`)),
		chromedp.Navigate(b.base+"/analyses"), chromedp.WaitReady(chromedp.CSS(`body`)),
		chromedp.WaitVisible(chromedp.CSS(`#analysis-form`)), chromedp.WaitVisible(chromedp.CSS(`#analysis-name-input`)))
	b.do(chromedp.SendKeys(chromedp.CSS(`#analysis-name-input`), "重点客户季度复盘"),
		chromedp.SendKeys(chromedp.CSS(`#analysis-goal`), "跟踪重点客户的层级变化"),
		chromedp.SendKeys(chromedp.CSS(`#analysis-scope`), "grade = 重点"),
		chromedp.Click(chromedp.CSS(`input[name="roles"][value="manager"]`)),
		chromedp.Click(chromedp.CSS(`#analysis-create`)),
		chromedp.WaitVisible(chromedp.CSS(`#analysis-run`)))
	if list := b.text(`#analyses-list`); !strings.Contains(list, "重点客户季度复盘") || !strings.Contains(list, "grade = 重点") {
		t.Errorf("list: %q", list)
	}
	// Each run reloads the page; data-runs tells the new page from the old.
	for n := range 2 {
		b.do(chromedp.Click(chromedp.CSS(`#analysis-run`)),
			chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#analysis-runs[data-runs="%d"]`, n+1))))
	}
	b.do(chromedp.WaitVisible(chromedp.CSS(`#comparison-chart[data-rendered="1"] canvas`)))
	if runs := b.text(`#analysis-runs`); !strings.Contains(runs, "重点客户季度复盘 #1") || !strings.Contains(runs, "重点客户季度复盘 #2") {
		t.Errorf("runs: %q", runs)
	}
	summary := b.text(`#comparison-summary`)
	if !strings.Contains(summary, "新增 0，移出 0") {
		t.Errorf("summary: %q", summary)
	}
	if m := b.text(`#transitions`); !strings.Contains(m, "当时 \\ 现在") {
		t.Errorf("transitions: %q", m)
	}
	if counts := b.text(`.comparison-counts`); !strings.Contains(counts, "客户层级") {
		t.Errorf("counts: %q", counts)
	}
	screenshot(t, b.ctx, "analyses-01-comparison")

	// The first run against now, from the compare form.
	b.do(chromedp.SetValue(chromedp.CSS(`#compare-to`), "now"),
		chromedp.Submit(chromedp.CSS(`#compare-to`)),
		chromedp.WaitVisible(chromedp.CSS(`#comparison[data-to="0"] #comparison-chart[data-rendered="1"] canvas`)))
	if v, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.CSS(`#compare-to`))); err != nil || v != "now" {
		t.Errorf("compare to: %q %v", v, err)
	}
	if s := b.text(`#comparison-summary`); !strings.Contains(s, "共 10 个客户") {
		t.Errorf("first run against now: %q", s)
	}
	screenshot(t, b.ctx, "analyses-02-now")
}
