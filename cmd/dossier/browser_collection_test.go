package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserCollection: an admin makes a questionnaire link on a profile,
// the customer opens it and answers, and the answer shows in the profile
// with the survey as its source, pending verification.
func TestBrowserCollection(t *testing.T) {
	b := newBrowser(t, "--demo", "--demo-customers", "60")
	b.login()
	b.do(chromedp.WaitVisible(chromedp.CSS(`header nav`))) // signed in, not still on the form
	b.do(chromedp.Navigate(b.base+"/customers"), chromedp.WaitVisible(chromedp.CSS(`table`)),
		chromedp.Click(chromedp.CSS(`table tbody tr:first-child td a`)), chromedp.WaitVisible(chromedp.CSS(`#survey-link-form`)))
	profileURL, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	b.do(chromedp.Click(chromedp.CSS(`#survey-link-form button`)), chromedp.WaitVisible(chromedp.CSS(`#survey-url`)))
	screenshot(t, b.ctx, "collection-01-link")
	link := strings.TrimSpace(b.text(`#survey-url`))
	if !strings.Contains(link, "/q/") {
		t.Fatalf("no link: %q", link)
	}
	const answer = "仓储分拣效率低,错发率高达5%"
	b.do(chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`#q-pain_points`)))
	if page := b.text(`main`); strings.Contains(page, "有限公司") {
		t.Errorf("the survey page shows customer data: %.300s", page)
	}
	b.do(chromedp.SendKeys(chromedp.CSS(`#q-pain_points`), answer),
		chromedp.SendKeys(chromedp.CSS(`#q-budget`), "30-50万"))
	screenshot(t, b.ctx, "collection-02-survey")
	b.do(chromedp.Click(chromedp.CSS(`form.survey button`)), chromedp.WaitVisible(chromedp.CSS(`#survey-message`)))
	if msg := b.text(`#survey-message`); !strings.Contains(msg, "感谢") {
		t.Errorf("after submitting: %q", msg)
	}
	// The profile shows the value in force (a confirmed one beats the
	// customer's pending answer); its history, one click away, shows the answer.
	b.do(chromedp.Navigate(profileURL), chromedp.WaitVisible(chromedp.CSS(`main h1`)),
		chromedp.Click(chromedp.CSS(`a[href$="/fields/pain_points"]`)), chromedp.WaitVisible(chromedp.CSS(`table`)))
	screenshot(t, b.ctx, "collection-03-history")
	if hist := b.text(`main`); !strings.Contains(hist, "needs survey 需求调研表") || !strings.Contains(hist, answer) || !strings.Contains(hist, "待验证") {
		t.Errorf("field history lacks the survey: %.500s", hist)
	}
}
