package http

import (
	"strings"
	"testing"
)

// The home page lists a rep's own follow-ups, key customers and gaps, and
// nobody else's; a manager sees the scope without the gap list; the name of
// a customer is escaped like everywhere else.
func TestHomePage(t *testing.T) {
	f := newFixture(t)
	recomputeFixture(t, f)

	li := f.clients["li"].get("/home")
	if li.StatusCode != 200 {
		t.Fatalf("GET /home as li: %d", li.StatusCode)
	}
	li.mustContain(t, "工作台", "华东精密机械有限公司", `id="home-tasks"`, `id="home-gaps"`, "待补充的信息")
	li.mustNotContain(t, "西部物流集团", xssName)
	// The rules' default cadence makes a follow-up task for the key customer.
	tasks := section(li.body, `id="home-tasks"`)
	if !strings.Contains(tasks, "华东精密机械有限公司") {
		t.Errorf("li's follow-up task is not listed:\n%s", tasks)
	}
	key := section(li.body, `id="home-key"`)
	if !strings.Contains(key, "华东精密机械有限公司") {
		t.Errorf("li's key customer is not listed:\n%s", key)
	}

	wang := f.clients["wang"].get("/home")
	wang.mustContain(t, "西部物流集团")
	wang.mustNotContain(t, "华东精密机械有限公司")

	admin := f.clients["admin"].get("/home")
	admin.mustContain(t, "华东精密机械有限公司", "西部物流集团", `href="/quality"`)
	admin.mustNotContain(t, `id="home-gaps"`, xssName)

	en := f.clients["li"].get("/home?lang=en")
	en.mustContain(t, "Follow-ups due and overdue", "Key customers")
}

// section is the HTML from the element with attr to the end of its section.
func section(body, attr string) string {
	i := strings.Index(body, attr)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</section>")
	if j < 0 {
		return body[i:]
	}
	return body[i : i+j]
}
