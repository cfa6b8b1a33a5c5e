package http

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

var totalURLAttr = regexp.MustCompile(`data-total-url="([^"]+)"`)

// TestCustomerListTotalLater: a list whose total is not at hand shows its
// rows and a next page at once, and its total comes from /customers/total;
// once counted, the next load shows it at once, until a write. On both
// stores.
func TestCustomerListTotalLater(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := envOn(t, db)
		admin := e.withSession(e.user("admin", "admin", ""))
		li := e.user("li", "sales", "east")
		for i := range 60 {
			owner := "chen"
			if i%4 == 0 {
				owner = "li"
			}
			e.customer(map[string]string{"name": fmt.Sprintf("上海客户%02d", i), "industry": "制造业",
				"province": "上海市", "city": "上海市", "owner": owner, "team": "east"})
		}
		e.customer(map[string]string{"name": "杭州客户", "industry": "制造业", "province": "浙江省", "city": "杭州市"})
		list := "/customers?q=" + url.QueryEscape("上海") // a search: no rollup counts it

		r := admin.get(list)
		if r.StatusCode != 200 {
			t.Fatalf("list: %d %.300s", r.StatusCode, r.body)
		}
		r.mustContain(t, "当前显示第 1–50 个", "正在统计总数", "上海客户59", "offset=50")
		r.mustNotContain(t, "共 60 个客户")
		m := totalURLAttr.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("no total URL in the list: %.500s", r.body)
		}
		got := total(t, admin, html.UnescapeString(m[1]))
		if want := (totalBody{Count: dossier.Count{N: 60}, Text: "共 60 个客户"}); got != want {
			t.Errorf("total = %+v, want %+v", got, want)
		}
		admin.get(list).mustContain(t, "共 60 个客户，当前显示第 1–50 个")
		admin.get(list+"&offset=50").mustContain(t, "共 60 个客户，当前显示第 51–60 个")

		// A write makes the count old: the list asks again.
		e.customer(map[string]string{"name": "上海新客户", "industry": "制造业", "province": "上海市", "city": "上海市"})
		r = admin.get(list)
		r.mustContain(t, "data-total-url", "上海新客户")
		if got := total(t, admin, html.UnescapeString(totalURLAttr.FindStringSubmatch(r.body)[1])); got.N != 61 {
			t.Errorf("total after a write = %+v, want 61", got)
		}

		// A sales rep's total is of their scope: their own 15.
		if got := total(t, e.withSession(li), "/customers/total?city="+url.QueryEscape("上海市")); got.N != 15 {
			t.Errorf("li's total = %+v, want 15", got)
		}
		if r := admin.get("/customers/total?filter=" + url.QueryEscape("nosuchfield = 1")); r.StatusCode != 400 {
			t.Errorf("a bad filter's total: %d, want 400", r.StatusCode)
		}
	})
}

func total(t *testing.T, c *client, path string) totalBody {
	t.Helper()
	r := c.get(path)
	var b totalBody
	if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("%s: %d %s %.300s", path, r.StatusCode, r.Header.Get("Content-Type"), r.body)
	}
	if err := json.Unmarshal([]byte(r.body), &b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTotalText(t *testing.T) {
	for _, c := range []struct {
		lang string
		c    dossier.Count
		want string
	}{
		{"zh", dossier.Count{N: 1234}, "共 1234 个客户"},
		{"zh", dossier.Count{N: 10000, More: true}, "共 10,000+ 个客户"},
		{"en", dossier.Count{N: 10000, More: true}, "10,000+ customers"},
		{"en", dossier.Count{N: 1000000, More: true}, "1,000,000+ customers"},
		{"en", dossier.Count{N: 999}, "999 customers"},
		{"en", dossier.Count{}, "No customers match."},
	} {
		if got := totalText(c.lang, c.c); got != c.want {
			t.Errorf("totalText(%s, %+v) = %q, want %q", c.lang, c.c, got, c.want)
		}
	}
}

// TestCountTotalBudget: past the cap the exact count is tried for a while,
// and "more than the cap" stays when it takes longer. On both stores.
func TestCountTotalBudget(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := envOn(t, db)
		for i := range 8 {
			e.customer(map[string]string{"name": fmt.Sprintf("上海客户%d", i), "industry": "制造业", "province": "上海市", "city": "上海市"})
		}
		f := dossier.CustomerFilter{Query: "上海"} // a search: no rollup counts it
		for _, c := range []struct {
			name   string
			max    int
			budget time.Duration
			want   dossier.Count
		}{
			{"under the cap", 10, time.Nanosecond, dossier.Count{N: 8}},
			{"out of time", 5, time.Nanosecond, dossier.Count{N: 5, More: true}},
			{"in time", 5, time.Minute, dossier.Count{N: 8}},
		} {
			got, err := e.srv.countTotal(t.Context(), f, c.max, c.budget)
			if err != nil || got != c.want {
				t.Errorf("%s: %+v %v, want %+v", c.name, got, err, c.want)
			}
		}
	})
}
