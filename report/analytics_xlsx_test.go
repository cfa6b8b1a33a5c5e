package report

import (
	"archive/zip"
	"bytes"
	"html"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dossier/dossier/analytics"
)

func f64(v float64) *float64 { return &v }

// chartXML returns the first chart's XML of a workbook, "" when none.
func chartXML(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name == "xl/charts/chart1.xml" {
			rc, _ := zf.Open()
			x, _ := io.ReadAll(rc)
			rc.Close()
			return html.UnescapeString(string(x))
		}
	}
	return ""
}

// TestPivotXLSX opens the workbook with excelize: numbers as numbers, the
// hidden average as an empty cell, totals, and a native chart whose series
// read the table's body (not its totals row).
func TestPivotXLSX(t *testing.T) {
	pt := &analytics.PivotTable{
		Measure:   "count",
		Rows:      []analytics.Header{{Key: "制造业", Label: "制造业"}, {Key: "", Label: ""}},
		Cols:      []analytics.Header{{Key: "潜在", Label: "潜在"}, {Key: "成交", Label: "成交"}},
		Cells:     [][]*float64{{f64(3), f64(1)}, {nil, f64(2)}},
		RowTotals: []*float64{f64(4), f64(2)}, ColTotals: []*float64{f64(3), f64(3)}, Total: f64(6),
	}
	var buf bytes.Buffer
	if err := PivotXLSX(&buf, pt, "行业 × 阶段", "zh", ChartBar); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("透视表")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"行业 × 阶段"}, nil, {"", "潜在", "成交", "合计 (count)"}, {"制造业", "3", "1", "4"}, {"(未填)", "", "2", "2"}, {"合计", "3", "3", "6"}}
	if len(rows) != len(want) {
		t.Fatalf("rows %q", rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d: %q, want %q", i+1, rows[i], want[i])
		}
	}
	if typ, _ := f.GetCellType("透视表", "B4"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("B4 is not a number: %v", typ)
	}
	x := chartXML(t, buf.Bytes())
	for _, ref := range []string{"'透视表'!$B$4:$B$5", "'透视表'!$C$4:$C$5", "'透视表'!$A$4:$A$5", "<barChart>"} {
		if !strings.Contains(x, ref) {
			t.Errorf("chart lacks %s: %s", ref, x[strings.Index(x, "<plotArea"):min(len(x), strings.Index(x, "<plotArea")+900)])
		}
	}
	if strings.Contains(x, "$6") {
		t.Errorf("the chart plots the totals row: %.400s", x)
	}

	buf.Reset()
	if err := PivotXLSX(&buf, pt, "pie", "en", ChartPie); err != nil {
		t.Fatal(err)
	}
	if x := chartXML(t, buf.Bytes()); !strings.Contains(x, "<pieChart>") || !strings.Contains(x, "'Pivot'!$D$4:$D$5") {
		t.Errorf("pie of the row totals: %.400s", x)
	}
	empty := &analytics.PivotTable{Measure: "count", Cols: []analytics.Header{{}}, Total: f64(0)}
	buf.Reset()
	if err := PivotXLSX(&buf, empty, "empty", "zh", ChartBar); err != nil || chartXML(t, buf.Bytes()) != "" {
		t.Errorf("an empty pivot: %v", err)
	}
}

func TestTrendXLSX(t *testing.T) {
	tr := &analytics.TrendResult{Periods: []string{"2026-01", "2026-02", "2026-03"}, Series: []analytics.Series{
		{Key: "phone", Label: "电话", Values: []float64{1, 0, 2}}, {Key: "email", Label: "邮件", Values: []float64{0, 3, 1}}}}
	var buf bytes.Buffer
	if err := TrendXLSX(&buf, tr, "沟通趋势", "zh", ""); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetCellValue("趋势", "C4"); v != "0" {
		t.Errorf("C4 = %q", v)
	}
	if v, _ := f.GetCellValue("趋势", "A6"); v != "2026-03" {
		t.Errorf("A6 = %q", v)
	}
	if x := chartXML(t, buf.Bytes()); !strings.Contains(x, "<lineChart>") || !strings.Contains(x, "'趋势'!$C$4:$C$6") {
		t.Errorf("line chart: %.400s", x)
	}
}
