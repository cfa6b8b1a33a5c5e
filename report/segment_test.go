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

// TestSegmentReport builds the report of a segment on both stores and
// checks its figures against counts worked out by hand: five customers,
// four of them in 制造业 (three 重点, one 潜在), one retailer.
func TestSegmentReport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		for _, c := range []map[string]string{
			{"name": "甲机械", "industry": "制造业-通用设备制造业", "grade": "重点", "stage": "成交", "province": "江苏", "need_description": "仓库扩容后库存盘点耗时"},
			{"name": "乙汽车", "industry": "制造业-汽车制造业", "grade": "重点", "stage": "潜在", "province": "江苏", "need_description": "库存数据不准,仓库盘点耗时"},
			{"name": "丙电子<script>", "industry": "制造业", "grade": "重点", "stage": "成交", "province": "广东"},
			{"name": "丁材料", "industry": "制造业", "grade": "潜在", "province": "广东"},
			{"name": "戊零售", "industry": "批发和零售业", "grade": "重点", "province": "浙江"},
		} {
			if _, err := db.CreateCustomer(ctx, dossier.NewCustomer{Values: c, Source: dossier.Source{Channel: dossier.ChannelInternal, Detail: "test", CollectedAt: clock}}); err != nil {
				t.Fatal(err)
			}
		}
		opt := report.SegmentOptions{Name: "制造业<重点>", Filter: dossier.CustomerFilter{Expr: "industry = 制造业"}, Lang: "zh", SeesCustomers: true, Now: clock}
		rep, err := report.BuildSegment(ctx, db, db, opt)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Customers != 4 || len(rep.Breakdowns) != 5 {
			t.Fatalf("customers %d, breakdowns %d", rep.Customers, len(rep.Breakdowns))
		}
		grade := rep.Breakdowns[0]
		if grade.Title != "客户等级" || len(grade.Rows) != 2 || grade.Rows[0] != (report.ShareRow{Label: "重点", Count: 3, Share: 75}) ||
			grade.Rows[1] != (report.ShareRow{Label: "潜在", Count: 1, Share: 25}) {
			t.Errorf("grades %+v", grade)
		}
		province := rep.Breakdowns[4]
		if len(province.Rows) != 2 || province.Rows[0].Count != 2 || province.Rows[1].Count != 2 {
			t.Errorf("provinces %+v", province.Rows)
		}
		if len(rep.Clusters) != 1 || rep.Clusters[0].Count != 2 || !strings.Contains(rep.Clusters[0].Terms, "盘点") {
			t.Errorf("clusters %+v", rep.Clusters)
		}
		if len(rep.Top) != 4 {
			t.Errorf("top %+v", rep.Top)
		}
		var html bytes.Buffer
		if err := report.WriteSegmentHTML(&html, rep); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"客户群分析报告", "制造业&lt;重点&gt;", "丙电子&lt;script&gt;", "共 4 个客户", "3 · 75%", "<svg class=\"chart\""} {
			if !strings.Contains(html.String(), want) {
				t.Errorf("HTML lacks %q", want)
			}
		}
		if strings.Contains(html.String(), "<script>") {
			t.Error("a customer's name is not escaped")
		}

		opt.SeesCustomers = false
		rep, err = report.BuildSegment(ctx, db, db, opt)
		if err != nil || rep.Top != nil {
			t.Fatalf("aggregates only: %+v, %v", rep.Top, err)
		}
		var book bytes.Buffer
		if err := report.WriteSegmentXLSX(&book, rep); err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(bytes.NewReader(book.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if sheets := x.GetSheetList(); strings.Join(sheets, ",") != "客户等级,跟进优先级,合作阶段,一级行业,省份,需求聚类" {
			t.Errorf("sheets %q", sheets)
		}
		if v, _ := x.GetCellValue("客户等级", "B4"); v != "3" {
			t.Errorf("key customers in the workbook: %q", v)
		}
		if !bytes.Contains(book.Bytes(), []byte("xl/charts/chart5.xml")) {
			t.Error("a breakdown without its chart")
		}
	})
}
