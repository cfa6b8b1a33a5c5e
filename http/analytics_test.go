package http

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/sqldb"
)

func (f *fixture) pivot(t *testing.T, as, query string) (*analytics.PivotTable, resp) {
	t.Helper()
	r := f.call("GET", "/api/v1/analytics/pivot?"+query, as, "")
	if r.StatusCode != 200 {
		return nil, r
	}
	var pt analytics.PivotTable
	if err := json.Unmarshal([]byte(r.body), &pt); err != nil {
		t.Fatal(err)
	}
	return &pt, r
}

// TestAnalyticsScope: aggregates follow the customer scope (sales see their
// own customers, managers their team's), and analysts, who see no
// individual customer, cannot group or filter by what names one, nor see a
// sum or average over fewer than three customers.
func TestAnalyticsScope(t *testing.T) {
	f := newFixture(t)
	for as, want := range map[string]int64{"admin": 3, "qian": 3, "li": 1, "wang": 1, "zhou": 1, "ma": 3} {
		pt, r := f.pivot(t, as, "rows=grade")
		if pt == nil {
			t.Fatalf("%s: %d %s", as, r.StatusCode, r.body)
		}
		if pt.Customers != want {
			t.Errorf("%s sees %d customers, want %d", as, pt.Customers, want)
		}
	}
	pt, _ := f.pivot(t, "admin", "rows=grade&cols=stage&filter="+url.QueryEscape("industry = 制造业"))
	if pt.Customers != 2 || pt.Rows[0].Label != "重点" || pt.Counts[0][1] != 1 {
		t.Errorf("filtered pivot: %+v", pt)
	}
	for _, q := range []string{"rows=name", "rows=grade&filter=" + url.QueryEscape("name ~ 华东"), "rows=grade&cols=" + url.QueryEscape("credit_code IS EMPTY")} {
		r := f.call("GET", "/api/v1/analytics/pivot?"+q, "qian", "")
		if r.StatusCode != 403 {
			t.Errorf("analyst %s: status %d %s", q, r.StatusCode, r.body)
		}
		if r := f.call("GET", "/api/v1/analytics/pivot?"+q, "admin", ""); r.StatusCode != 200 {
			t.Errorf("admin %s: status %d", q, r.StatusCode)
		}
	}
	pt, _ = f.pivot(t, "qian", "rows=grade&measure=avg:need_match")
	for i, v := range pt.RowTotals {
		if v != nil {
			t.Errorf("analyst sees an average over %d customers", pt.Counts[i][0])
		}
	}
	r := f.call("GET", "/api/v1/analytics/pivot?rows=gradee", "admin", "")
	r.mustContain(t, "unknown field 'gradee', did you mean 'grade'?")
	if r.StatusCode != 400 {
		t.Errorf("bad field: %d", r.StatusCode)
	}

	// Saved segments: shared ones are usable by everyone, private ones by
	// their owner only.
	f.mustStatus(t, f.call("POST", "/api/v1/segments", "li", `{"name": "东区重点", "expression": "grade = 重点", "shared": true}`), 201)
	f.mustStatus(t, f.call("POST", "/api/v1/segments", "li", `{"name": "li-private", "expression": "grade = 潜在"}`), 201)
	f.mustStatus(t, f.call("POST", "/api/v1/segments", "li", `{"name": "bad", "expression": "grade = 重点 AND"}`), 400)
	r = f.call("GET", "/api/v1/segments", "wang", "")
	r.mustContain(t, "东区重点")
	r.mustNotContain(t, "li-private")
	if pt, r := f.pivot(t, "admin", "rows=stage&segment="+url.QueryEscape("东区重点")); pt == nil || pt.Customers != 1 {
		t.Errorf("pivot of a segment: %v %s", pt, r.body)
	}
	f.mustStatus(t, f.call("GET", "/api/v1/analytics/pivot?rows=stage&segment=li-private", "wang", ""), 404)
	// The customer list takes a segment too, within the user's scope.
	r = f.call("GET", "/api/v1/customers?segment="+url.QueryEscape("东区重点"), "admin", "")
	r.mustContain(t, "华东精密机械")
	r.mustNotContain(t, "西部物流")
	f.mustStatus(t, f.call("GET", "/api/v1/customers?segment=li-private", "wang", ""), 404)

	r = f.call("GET", "/api/v1/analytics/relation?rows=grade&cols=stage", "qian", "")
	r.mustContain(t, `"chi_square"`, `"cramers_v"`)
	f.call("GET", "/api/v1/analytics/overview", "li", "").mustContain(t, `"customers":1`)
	f.call("GET", "/api/v1/analytics/trend?source=interactions&by=channel", "admin", "").mustContain(t, `"periods"`)
	f.clients["qian"].get("/analytics").mustContain(t, "echarts.min.", "analytics.")
	f.clients["qian"].get("/analytics").mustNotContain(t, `value="name"`)
}

// FuzzAnalyticsQuery sends arbitrary parameters to the pivot and relation
// endpoints as an admin and an analyst: a bad request is a 4xx with a
// message, never a 500.
func FuzzAnalyticsQuery(f *testing.F) {
	f.Add("grade", "stage", "count", "grade = 重点")
	f.Add("industry_top", "decision_factors = 稳定性", "avg:revenue", "")
	f.Add("gradee", "", "sum:name", "revenue >= lots")
	f.Add("name", "", "share", "name ~ 华")
	f.Add("grade", "tag ^= 行业", "count", "risk.level = 高")
	f.Add("", "", "", "")
	srv := fuzzServer(f)
	db := srv.svc.Customers.(*sqldb.DB)
	tokens := map[string]string{}
	for _, u := range []*dossier.User{{Name: "boss", Role: dossier.RoleAdmin}, {Name: "qian", Role: dossier.RoleAnalyst}} {
		if err := db.CreateUser(context.Background(), u, "long-enough-pw"); err != nil {
			f.Fatal(err)
		}
		tok, err := db.CreateToken(context.Background(), u.ID)
		if err != nil {
			f.Fatal(err)
		}
		tokens[u.Name] = tok
	}
	for _, v := range []map[string]string{{"name": "甲", "grade": "重点", "revenue": "1亿"}, {"name": "乙", "stage": "成交"}} {
		if _, err := db.CreateCustomer(context.Background(), dossier.NewCustomer{Values: v, Source: dossier.Source{Channel: dossier.ChannelInternal, CollectedAt: time.Now()}}); err != nil {
			f.Fatal(err)
		}
	}
	h := srv.Handler()
	f.Fuzz(func(t *testing.T, rows, cols, measure, filter string) {
		q := url.Values{"rows": {rows}, "cols": {cols}, "measure": {measure}, "filter": {filter}}.Encode()
		for _, path := range []string{"/api/v1/analytics/pivot?", "/api/v1/analytics/relation?"} {
			for _, tok := range tokens {
				req := httptest.NewRequest("GET", path+q, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code >= 500 || (w.Code != 200 && !strings.Contains(w.Body.String(), `"message"`)) {
					t.Fatalf("%s%s: %d %s", path, q, w.Code, w.Body)
				}
			}
		}
	})
}

// TestAPIClusters: need clusters within the caller's scope; typical texts
// only for users who may read customers, never for analysts.
func TestAPIClusters(t *testing.T) {
	f := newFixture(t)
	for _, desc := range []string{"库存数据不准,仓库盘点耗时", "仓库扩容后库存盘点耗时"} {
		f.mustStatus(t, f.call("POST", "/api/v1/customers", "li", `{"values": {"name": "`+desc[:6]+`公司", "industry": "制造业-汽车制造业",
			"need_description": "`+desc+`"}, "source": {"channel": "customer", "detail": "拜访"}}`), 201)
	}
	r := f.call("GET", "/api/v1/analytics/clusters?source=needs", "li", "")
	r.mustContain(t, `"key":"制造业"`, `"records":2`, `"盘点"`, `"examples":["`)
	f.call("GET", "/api/v1/analytics/clusters?source=needs", "qian", "").mustContain(t, `"盘点"`)
	f.call("GET", "/api/v1/analytics/clusters?source=needs", "qian", "").mustNotContain(t, `"examples"`, "仓库扩容后")
	f.call("GET", "/api/v1/analytics/clusters?source=needs", "wang", "").mustNotContain(t, `"盘点"`)
	f.mustStatus(t, f.call("GET", "/api/v1/analytics/clusters?k=99", "admin", ""), 400)
	f.mustStatus(t, f.call("GET", "/api/v1/analytics/clusters?source=mail", "admin", ""), 400)
	f.mustStatus(t, f.call("GET", "/api/v1/analytics/clusters?by=name", "qian", ""), 403)
}

// TestAnalyticsXLSX downloads a pivot and a trend as workbooks: the same
// numbers as the API, a native chart, and an analyst's small sums left
// empty as in the API.
func TestAnalyticsXLSX(t *testing.T) {
	f := newFixture(t)
	r := f.clients["admin"].get("/analytics/pivot.xlsx?rows=grade&cols=stage&chart=bar")
	f.mustStatus(t, r, 200)
	if ct := r.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Fatalf("content type %q", ct)
	}
	pt, _ := f.pivot(t, "admin", "rows=grade&cols=stage")
	book, err := excelize.OpenReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := book.GetRows("透视表")
	if len(rows) != 3+len(pt.Rows)+1 || !strings.Contains(rows[0][0], "客户等级 × 合作阶段") {
		t.Fatalf("rows %q", rows)
	}
	if got := rows[len(rows)-1][len(rows[len(rows)-1])-1]; got != analytics.Format(pt.Total) {
		t.Errorf("grand total %q, API %s", got, analytics.Format(pt.Total))
	}
	if !strings.Contains(r.body, "xl/charts/chart1.xml") {
		t.Error("no native chart in the workbook")
	}
	r = f.clients["qian"].get("/analytics/pivot.xlsx?rows=grade&measure=" + url.QueryEscape("sum:revenue"))
	f.mustStatus(t, r, 200)
	book, err = excelize.OpenReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ = book.GetRows("透视表")
	for _, row := range rows[3 : len(rows)-1] { // the grand total covers every customer
		if len(row) > 1 && row[1] != "" {
			t.Errorf("an analyst's workbook shows a sum over fewer than %d customers: %q", minGroup, row)
		}
	}
	r = f.clients["li"].get("/analytics/trend.xlsx?source=interactions&by=channel")
	f.mustStatus(t, r, 200)
	if !strings.Contains(r.body, "xl/charts/chart1.xml") {
		t.Error("no chart in the trend workbook")
	}
	f.mustStatus(t, f.clients["admin"].get("/analytics/pivot.xlsx?rows=gradee"), 400)
}

// TestSegmentReportPages: the segment report within the caller's scope, as
// HTML under the report's strict policy and as a workbook; analysts get no
// list of customers.
func TestSegmentReportPages(t *testing.T) {
	f := newFixture(t)
	r := f.clients["li"].get("/analytics/segment-report?filter=" + url.QueryEscape("grade = 重点"))
	f.mustStatus(t, r, 200)
	r.mustContain(t, "客户群分析报告", "共 1 个客户", "华东精密机械")
	r.mustNotContain(t, "西部物流")
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("policy %q", csp)
	}
	r = f.clients["qian"].get("/analytics/segment-report")
	f.mustStatus(t, r, 200)
	r.mustContain(t, "共 3 个客户")
	r.mustNotContain(t, "华东精密机械", "西部物流")
	r = f.clients["admin"].get("/analytics/segment-report.xlsx?filter=" + url.QueryEscape("grade = 重点"))
	f.mustStatus(t, r, 200)
	book, err := excelize.OpenReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if sheets := book.GetSheetList(); len(sheets) != 7 || sheets[0] != "客户等级" {
		t.Errorf("sheets %q", sheets)
	}
	f.mustStatus(t, f.clients["admin"].get("/analytics/segment-report?filter="+url.QueryEscape("grade =")), 400)
}
