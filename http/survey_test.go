package http

import (
	"context"
	nethttp "net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/dossier/dossier"
)

var surveyURLRE = regexp.MustCompile(`id="survey-url">https?://[^/]+(/q/[A-Za-z0-9_-]+)<`)

func TestSurveyPages(t *testing.T) {
	e := newEnv(t)
	admin := e.user("admin", "admin", "")
	e.user("ma", "marketing", "")
	c := e.customer(map[string]string{"name": "华信科技", "budget": "10-20万", "contact_name": "王先生", "contact_phone": "13912345678",
		"revenue": "5000万"})
	staff := e.withSession(admin)
	profile := staff.get("/customers/" + itoa(c.ID))
	profile.mustContain(t, `action="/customers/`+itoa(c.ID)+`/survey-links"`)
	if e.withSession(mustUser(t, e, "ma")).get("/customers/"+itoa(c.ID)).body == "" {
		t.Fatal("marketing sees no profile")
	}
	made := staff.post("/customers/"+itoa(c.ID)+"/survey-links", url.Values{"csrf": {staff.csrf("/customers/" + itoa(c.ID))}, "days": {"7"}})
	m := surveyURLRE.FindStringSubmatch(made.body)
	if made.StatusCode != 200 || m == nil {
		t.Fatalf("link page %d:\n%s", made.StatusCode, made.body)
	}
	path := m[1]

	// The customer: no account, a browser of its own.
	cust := e.client()
	page := cust.get(path)
	if page.StatusCode != 200 {
		t.Fatalf("survey page %d", page.StatusCode)
	}
	page.mustContain(t, "需求调研表", "最大的挑战", `name="budget"`)
	// Nothing held about the customer shows: not its name, revenue, phone, contact.
	page.mustNotContain(t, "华信", "5000", "139", "王先生", "/customers")

	tok := cust.csrf(path)
	bad := cust.post(path, url.Values{"csrf": {tok}, "budget": {"很多钱"}, "pain_points": {"<script>alert(1)</script>"}})
	if bad.StatusCode != 400 {
		t.Errorf("invalid answer: status %d", bad.StatusCode)
	}
	bad.mustContain(t, `class="question invalid"`, "&lt;script&gt;alert(1)&lt;/script&gt;")
	bad.mustNotContain(t, "<script>alert(1)")

	if r := cust.post(path, url.Values{"budget": {"50-80万"}}); r.StatusCode != nethttp.StatusForbidden {
		t.Errorf("answer without CSRF token: %d", r.StatusCode)
	}
	ok := cust.post(path, url.Values{"csrf": {tok}, "budget": {"50-80万"}, "pain_points": {"分拣效率低"}, "name": {"改名"}})
	if ok.StatusCode != 200 || !strings.Contains(ok.body, "感谢") {
		t.Fatalf("answer: %d\n%s", ok.StatusCode, ok.body)
	}
	if again := cust.get(path); again.StatusCode != nethttp.StatusGone {
		t.Errorf("spent link: %d", again.StatusCode)
	}
	if r := cust.post(path, url.Values{"csrf": {tok}, "budget": {"1万"}}); r.StatusCode != nethttp.StatusGone {
		t.Errorf("second answer: %d", r.StatusCode)
	}
	if r := cust.get("/q/nope"); r.StatusCode != 404 {
		t.Errorf("unknown token: %d", r.StatusCode)
	}
	// In the profile: the answer with the survey as its source.
	hist := staff.get("/customers/" + itoa(c.ID) + "/fields/pain_points")
	hist.mustContain(t, "分拣效率低", "needs survey 需求调研表", "待验证")
	got, _ := e.db.FindCustomerByID(context.Background(), c.ID)
	if got.Name != "华信科技" {
		t.Errorf("the survey renamed the customer: %q", got.Name)
	}
}

func TestSurveyRateLimit(t *testing.T) {
	e := newEnv(t)
	cust := e.client()
	for i := range surveyRequestsPerIP {
		if r := cust.get("/q/guess" + itoa(int64(i))); r.StatusCode != 404 {
			t.Fatalf("request %d: %d", i, r.StatusCode)
		}
	}
	if r := cust.get("/q/guess"); r.StatusCode != nethttp.StatusTooManyRequests {
		t.Errorf("past the limit: %d", r.StatusCode)
	}
}

func mustUser(t *testing.T, e *env, name string) *dossier.User {
	t.Helper()
	u, err := e.db.FindUserByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
