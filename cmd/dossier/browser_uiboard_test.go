package main

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// TestBrowserBoard drives issue #7's screens 2, 3 and 7 in a real Chromium
// after `serve --demo`: complete a task on the tasks board, tag two ticked
// customers with a bulk action, and see the decision chain drawn on a
// profile, with the warning when a customer has no decision maker. No page
// may throw a script error.
func TestBrowserBoard(t *testing.T) {
	b := newBrowser(t, "--demo", "--demo-customers", "60")
	var (
		mu     sync.Mutex
		thrown []string
	)
	if err := chromedp.Listen(b.ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			mu.Lock()
			thrown = append(thrown, fmt.Sprintf("%s at %s:%d", e.ExceptionDetails.Text, e.ExceptionDetails.URL, e.ExceptionDetails.LineNumber))
			mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	b.login()
	b.do(chromedp.WaitVisible(chromedp.CSS(`header nav a[href="/tasks"]`)),
		chromedp.Click(chromedp.CSS(`header nav a[href="/tasks"]`)), chromedp.WaitVisible(chromedp.CSS(`#board`)))
	board := b.text(`main`)
	for _, want := range []string{"已逾期", "本周到期", "以后", "近 7 天完成", "每周跟进", "每两周跟进", "每月跟进", "公海客户"} {
		if !strings.Contains(board, want) {
			t.Errorf("board lacks %q: %.400s", want, board)
		}
	}
	screenshot(t, b.ctx, "uiboard-01-tasks")
	boardComplete(t, b)
	screenshot(t, b.ctx, "uiboard-02-task-done")

	bulkTag(t, b)
	screenshot(t, b.ctx, "uiboard-03-bulk-tagged")

	decisionChain(t, b)
	mu.Lock()
	defer mu.Unlock()
	if len(thrown) > 0 {
		t.Errorf("script errors: %v", thrown)
	}
}

// evaluate runs a script in the page and returns its value.
func evaluate[T any](t *testing.T, b *browser, js string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js, opts...))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// boardComplete completes the first open task and finds it in the done column.
func boardComplete(t *testing.T, b *browser) {
	t.Helper()
	id := evaluate[string](t, b, `(() => { const c = document.querySelector('#board article.card button.complete'); return c ? c.closest('article').id : "" })()`)
	if id == "" {
		t.Fatal("the demo board has no open task to complete")
	}
	b.do(chromedp.Click(chromedp.CSS(`#`+id+` button.complete`)), chromedp.WaitVisible(chromedp.CSS(`#col-done #`+id)))
	if card := b.text(`#col-done #` + id); strings.Contains(card, "完成") {
		t.Errorf("a done task still offers completion: %s", card)
	}
}

// bulkTag ticks the first two customers of the list and tags them.
func bulkTag(t *testing.T, b *browser) {
	t.Helper()
	b.do(chromedp.Navigate(b.base+"/customers"), chromedp.WaitVisible(chromedp.CSS(`#bulk-form`)))
	// The header box ticks the whole page, through app.js.
	b.do(chromedp.Click(chromedp.CSS(`#bulk-page`)))
	if n := evaluate[int](t, b, `document.querySelectorAll('input[name="id"]:checked').length`); n < 2 {
		t.Errorf("select page ticked %d rows", n)
	}
	b.do(chromedp.Click(chromedp.CSS(`#bulk-page`)))
	names := evaluate[[]string](t, b, `Array.from(document.querySelectorAll('table.list tbody tr')).slice(0, 2).map(r => r.querySelector('td a').textContent)`)
	b.do(chromedp.Click(chromedp.CSS(`table.list tbody tr:nth-child(1) input[name="id"]`)),
		chromedp.Click(chromedp.CSS(`table.list tbody tr:nth-child(2) input[name="id"]`)),
		chromedp.SendKeys(chromedp.CSS(`#bulk-tag`), "渠道-浏览器批量"),
		chromedp.Click(chromedp.CSS(`#bulk-tag-btn`)),
		chromedp.WaitVisible(chromedp.CSS(`#bulk-done`)))
	if msg := b.text(`#bulk-done`); !strings.Contains(msg, "已处理 2 个客户") {
		t.Errorf("bulk result: %q", msg)
	}
	b.do(chromedp.SetValue(chromedp.CSS(`#segment-filter`), `tag = "渠道-浏览器批量"`),
		chromedp.Submit(chromedp.CSS(`#segment-filter`)), chromedp.WaitVisible(chromedp.CSS(`p.count`)))
	list := b.text(`table.list tbody`)
	for _, n := range names {
		if !strings.Contains(list, n) {
			t.Errorf("tagged list lacks %s: %s", n, list)
		}
	}
	if rows := evaluate[int](t, b, `document.querySelectorAll('table.list tbody tr').length`); rows != 2 {
		t.Errorf("%d customers carry the tag, want 2", rows)
	}
}

// decisionChain opens a demo profile whose chain has a decision maker, then
// one made without, and checks the drawing and the warning.
func decisionChain(t *testing.T, b *browser) {
	t.Helper()
	found := false
	for id := 1; id <= 30 && !found; id++ {
		b.do(chromedp.Navigate(fmt.Sprintf("%s/customers/%d", b.base, id)), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		found = evaluate[bool](t, b, `!!document.querySelector('#decision-chain .role-decision_maker')`)
	}
	if !found {
		t.Fatal("no demo profile among the first 30 draws a decision maker")
	}
	b.do(chromedp.ScrollIntoView(chromedp.CSS(`#decision-chain`)))
	if w := evaluate[float64](t, b, `document.querySelector('#decision-chain svg').getBoundingClientRect().width`); w < 100 {
		t.Errorf("diagram is %v px wide", w)
	}
	screenshot(t, b.ctx, "uiboard-04-decision-chain")

	// A customer whose only contact is technical: made through the API with
	// the session and its CSRF token, as a script on the page would.
	id := evaluate[int](t, b, `fetch('/api/v1/customers', {method: 'POST', credentials: 'same-origin',
		headers: {'Content-Type': 'application/json', 'X-CSRF-Token': document.querySelector('input[name="csrf"]').value},
		body: JSON.stringify({values: {name: '无决策人测试有限公司', industry: '制造业', contact_name: '钱工', contact_role: '技术对接人',
			decision_process: '技术评估→采购比价→总经理审批'}})}).then(r => r.json()).then(c => c.id || 0)`, chromedp.EvalAwaitPromise)
	if id == 0 {
		t.Fatal("could not create the customer without a decision maker")
	}
	b.do(chromedp.Navigate(fmt.Sprintf("%s/customers/%d", b.base, id)), chromedp.WaitVisible(chromedp.CSS(`#no-decision-maker`)))
	if msg := b.text(`#no-decision-maker`); !strings.Contains(msg, "没有决策人") {
		t.Errorf("warning: %q", msg)
	}
	if n := evaluate[int](t, b, `document.querySelectorAll('#decision-chain .node.missing, #decision-chain .node.step').length`); n != 4 {
		t.Errorf("%d placeholder and step boxes, want 1 + 3", n)
	}
	b.do(chromedp.ScrollIntoView(chromedp.CSS(`#decision-chain`)))
	screenshot(t, b.ctx, "uiboard-05-no-decision-maker")
}
