package http

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
)

// TestMarketPage: the page lists market facts with their provenance,
// escaped, to every role; analysts included.
func TestMarketPage(t *testing.T) {
	f := newFixture(t)
	src := dossier.Source{Channel: dossier.ChannelThirdParty, Detail: "艾瑞咨询", CollectedAt: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), CollectedBy: "ma"}
	if err := f.db.CreateCompetitor(t.Context(), &dossier.Competitor{Name: xssName, Strengths: "便宜", PriceLevel: "low", Source: src}); err != nil {
		t.Fatal(err)
	}
	if err := f.db.CreateMarketRecord(t.Context(), &dossier.MarketRecord{Region: "华东", Industry: "SaaS", Year: 2023, Size: 12_000_000_000, Source: src}); err != nil {
		t.Fatal(err)
	}
	f.run(t, []scenario{
		{name: "analyst", path: "/market", as: "qian", status: 200,
			contains: []string{"市场与竞争", "&lt;script&gt;", "便宜", "低", "120亿", "第三方", "艾瑞咨询", "2025-03-01", "华东"},
			absent:   []string{xssName}},
		{name: "english", path: "/market?lang=en", as: "li", status: 200, contains: []string{"Market and competitors", "Price level"}},
		{name: "signed out", path: "/market", status: 303},
	})
}

// TestChurnScope: churn and win/loss count only the customers the caller
// may see: a sales rep their own, a manager their team's.
func TestChurnScope(t *testing.T) {
	f := newFixture(t)
	f.customer(map[string]string{"name": "东部流失客户", "industry": "制造业", "stage": "流失", "owner": "li", "team": "east",
		"churn_reason": "响应速度慢", "lost_to": "云启软件"})
	f.customer(map[string]string{"name": "西部流失客户", "industry": "制造业", "stage": "流失", "owner": "wang", "team": "west",
		"churn_reason": "价格偏高", "lost_to": "数擎科技"})
	for as, want := range map[string]int64{"admin": 2, "zhou": 1, "li": 1, "wang": 1, "qian": 2} {
		var rep analytics.ChurnReport
		r := f.call("GET", "/api/v1/analytics/churn", as, "")
		if err := json.Unmarshal([]byte(r.body), &rep); err != nil || r.StatusCode != 200 {
			t.Fatalf("%s: %d %s", as, r.StatusCode, r.body)
		}
		if rep.Churned != want || len(rep.Reasons) != int(want) || *rep.Reasons[0].Share != 100/float64(want) {
			t.Errorf("%s: %+v", as, rep)
		}
		var wl analytics.WinLossReport
		r = f.call("GET", "/api/v1/analytics/winloss", as, "")
		if err := json.Unmarshal([]byte(r.body), &wl); err != nil || wl.Churned != want || len(wl.Rows) != int(want) {
			t.Errorf("%s: win/loss %s", as, r.body)
		}
	}
}

// TestMarketReportPages: the market report as HTML (under the report's
// strict policy) and as a workbook, churn within the caller's scope.
func TestMarketReportPages(t *testing.T) {
	f := newFixture(t)
	r := f.clients["qian"].get("/market/report")
	f.mustStatus(t, r, 200)
	r.mustContain(t, "市场与竞争分析报告", "市场规模")
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("policy %q", csp)
	}
	r = f.clients["li"].get("/market/report.xlsx")
	f.mustStatus(t, r, 200)
	if !strings.Contains(r.body, "xl/worksheets/sheet6.xml") {
		t.Error("the market workbook lacks its six sheets")
	}
	f.mustStatus(t, f.clients["admin"].get("/market/report?year=last"), 400)
	f.clients["admin"].get("/market").mustContain(t, `href="/market/report"`)
}
