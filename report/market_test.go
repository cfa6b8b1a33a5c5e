package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/report"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// TestMarketReport builds the market report on both stores from a small
// market and four customers: two churned (one to 云启, one without a
// reason), one won from 云启, one prospect.
func TestMarketReport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		src := dossier.Source{Channel: dossier.ChannelThirdParty, Detail: "艾瑞<咨询>", CollectedBy: "ma", CollectedAt: clock}
		growth := 12.5
		batch := dossier.MarketBatch{
			Records:     []dossier.MarketRecord{{Region: "华东", Industry: "制造业", Year: 2025, Size: 1200000000, Growth: &growth, Source: src}},
			Competitors: []dossier.Competitor{{Name: "云启软件", Positioning: "中端", PriceLevel: "low", Source: src}},
			Shares:      []dossier.MarketShare{{Competitor: "云启软件", Region: "华东", Year: 2025, Share: 30, Source: src}},
			Notes:       []dossier.MarketNote{{Kind: dossier.NotePolicy, Title: "数字化补贴", Region: "华东", Source: src}},
		}
		if err := db.LoadMarket(ctx, &batch); err != nil {
			t.Fatal(err)
		}
		for _, c := range []map[string]string{
			{"name": "甲", "stage": "流失", "churn_reason": "价格偏高", "lost_to": "云启软件"},
			{"name": "乙", "stage": "流失"},
			{"name": "丙", "stage": "成交", "won_from": "云启软件"},
			{"name": "丁", "stage": "潜在"},
		} {
			if _, err := db.CreateCustomer(ctx, dossier.NewCustomer{Values: c, Source: dossier.Source{Channel: dossier.ChannelInternal, CollectedAt: clock}}); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := report.BuildMarket(ctx, db, db, report.MarketOptions{Lang: "zh", Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Records) != 1 || rep.Records[0].Growth != "12.5%" || !strings.Contains(rep.Records[0].Size, "亿") ||
			rep.Records[0].Source != "第三方 · 艾瑞<咨询> · ma · 2026-06-30" {
			t.Errorf("records %+v", rep.Records)
		}
		if len(rep.Shares) != 2 || rep.Shares[0].Share != 30 || rep.Shares[1].Competitor != "其他" || rep.Shares[1].Share != 70 {
			t.Errorf("shares %+v", rep.Shares)
		}
		if rep.Churn.Churned != 2 || len(rep.ChurnRows) != 2 || rep.ChurnRows[0].Share != 50 {
			t.Errorf("churn %+v %+v", rep.Churn, rep.ChurnRows)
		}
		if len(rep.WinLoss.Rows) != 1 || rep.WinLoss.Rows[0].Lost != 1 || rep.WinLoss.Rows[0].Won != 1 || rep.WinLoss.Rows[0].Net != 0 {
			t.Errorf("win/loss %+v", rep.WinLoss.Rows)
		}
		var html bytes.Buffer
		if err := report.WriteMarketHTML(&html, rep); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"市场与竞争分析报告", "艾瑞&lt;咨询&gt;", "数字化补贴", "云启软件", "流失客户 2 个", "<svg class=\"chart\""} {
			if !strings.Contains(html.String(), want) {
				t.Errorf("HTML lacks %q", want)
			}
		}
		var book bytes.Buffer
		if err := report.WriteMarketXLSX(&book, rep); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(bytes.NewReader(book.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if sheets := x.GetSheetList(); strings.Join(sheets, ",") != "市场规模,市场份额,竞争对手,政策与技术动态,流失原因,赢单与丢单" {
			t.Errorf("sheets %q", sheets)
		}
		if v, _ := x.GetCellValue("市场规模", "B4"); v != "12" {
			t.Errorf("size in 亿: %q", v)
		}
		if !bytes.Contains(book.Bytes(), []byte("xl/charts/chart3.xml")) {
			t.Error("the workbook lacks its charts")
		}
	})
}
