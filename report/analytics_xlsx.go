package report

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/i18n"
)

// Workbooks of the analyses across customers (SPEC R25): the table as
// numbers, and a native Excel chart that reads the table's cells, so the
// file opens with its chart in Excel or WPS and the chart follows any
// change people make to the numbers.

// Chart kinds of an analysis workbook.
const (
	ChartBar  = "bar"
	ChartLine = "line"
	ChartPie  = "pie"
)

const dataRow = 3 // the table's header row; the title is in row 1

// PivotXLSX writes a pivot table with its row and column totals and a chart
// of its cells (one series per column; the row totals when it has one
// column or the chart is a pie). A value hidden from the reader (nil)
// stays an empty cell.
func PivotXLSX(w io.Writer, t *analytics.PivotTable, title, lang, chart string) error {
	x, err := newAnalysisBook(lang)
	if err != nil {
		return err
	}
	defer x.f.Close()
	if err := x.pivotSheet(x.sheetName("xlsx.sheet.pivot"), t, title, chart); err != nil {
		return err
	}
	return x.save(w)
}

// pivotSheet writes a pivot on a sheet of its own (the first sheet when
// the book has none yet) with its chart.
func (x *analysisBook) pivotSheet(sheet string, t *analytics.PivotTable, title, chart string) error {
	if err := x.sheet(sheet); err != nil {
		return err
	}
	multi := len(t.Cols) > 1 || t.Cols[0].Key != "" || t.Cols[0].Label != ""
	head := []string{""}
	if multi {
		for _, c := range t.Cols {
			head = append(head, headerLabel(c, x.lang))
		}
	}
	head = append(head, x.t("xlsx.total", t.Measure))
	var rows [][]any
	for i, r := range t.Rows {
		row := []any{headerLabel(r, x.lang)}
		if multi {
			for _, v := range t.Cells[i] {
				row = append(row, number(v))
			}
		}
		rows = append(rows, append(row, number(t.RowTotals[i])))
	}
	last := []any{x.t("xlsx.total_row")}
	if multi {
		for _, v := range t.ColTotals {
			last = append(last, number(v))
		}
	}
	rows = append(rows, append(last, number(t.Total)))
	if err := x.titled(sheet, title, head, rows); err != nil {
		return err
	}
	if len(t.Rows) == 0 {
		return nil
	}
	// The chart reads the body, not the totals row.
	first, end := dataRow+1, dataRow+len(t.Rows)
	var series []excelize.ChartSeries
	if !multi || chart == ChartPie {
		series = []excelize.ChartSeries{x.series(sheet, len(head), first, end)}
	} else {
		for c := 2; c < len(head); c++ {
			series = append(series, x.series(sheet, c, first, end))
		}
	}
	return x.chart(sheet, title, chart, series, len(head)+2)
}

// sheet names the book's first, unused sheet, or adds a new one.
func (x *analysisBook) sheet(name string) error {
	if !x.used {
		x.used = true
		return x.f.SetSheetName("Sheet1", name)
	}
	_, err := x.f.NewSheet(name)
	return err
}

// TrendXLSX writes a trend as one row per period and one column per series,
// with a line chart (or bars) of the series over time.
func TrendXLSX(w io.Writer, tr *analytics.TrendResult, title, lang, chart string) error {
	x, err := newAnalysisBook(lang)
	if err != nil {
		return err
	}
	defer x.f.Close()
	sheet := x.sheetName("xlsx.sheet.trend")
	if err := x.sheet(sheet); err != nil {
		return err
	}
	head := []string{x.t("xlsx.period")}
	for _, s := range tr.Series {
		head = append(head, headerLabel(analytics.Header{Key: s.Key, Label: s.Label}, lang))
	}
	var rows [][]any
	for i, p := range tr.Periods {
		row := []any{p}
		for _, s := range tr.Series {
			row = append(row, s.Values[i])
		}
		rows = append(rows, row)
	}
	if err := x.titled(sheet, title, head, rows); err != nil {
		return err
	}
	if len(tr.Periods) == 0 || len(tr.Series) == 0 {
		return x.save(w)
	}
	var series []excelize.ChartSeries
	for c := 2; c <= len(head); c++ {
		series = append(series, x.series(sheet, c, dataRow+1, dataRow+len(tr.Periods)))
	}
	if chart != ChartBar {
		chart = ChartLine
	}
	if err := x.chart(sheet, title, chart, series, len(head)+2); err != nil {
		return err
	}
	return x.save(w)
}

// analysisBook is the workbook being written.
type analysisBook struct {
	xlsxWriter
	used bool // the default first sheet has been taken
}

func newAnalysisBook(lang string) (*analysisBook, error) {
	x := &analysisBook{xlsxWriter: xlsxWriter{f: excelize.NewFile(), lang: lang}}
	if err := x.styles(); err != nil {
		return nil, err
	}
	return x, nil
}

// titled writes the title in A1 and the table from row dataRow.
func (x *analysisBook) titled(sheet, title string, head []string, rows [][]any) error {
	if err := x.f.SetCellValue(sheet, "A1", title); err != nil {
		return err
	}
	if err := x.f.SetCellStyle(sheet, "A1", "A1", x.title); err != nil {
		return err
	}
	widths := []float64{22}
	for range head[1:] {
		widths = append(widths, 12)
	}
	return x.table(sheet, 1, dataRow, head, rows, widths...)
}

// series is one column of the table's body as a chart series named by its
// header, with the first column as categories.
func (x *analysisBook) series(sheet string, col, first, last int) excelize.ChartSeries {
	name, _ := excelize.ColumnNumberToName(col)
	return excelize.ChartSeries{
		Name:       fmt.Sprintf("'%s'!$%s$%d", sheet, name, dataRow),
		Categories: fmt.Sprintf("'%s'!$A$%d:$A$%d", sheet, first, last),
		Values:     fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sheet, name, first, name, last),
	}
}

// chart places a chart to the right of the table.
func (x *analysisBook) chart(sheet, title, kind string, series []excelize.ChartSeries, col int) error {
	typ := excelize.Col
	switch kind {
	case ChartLine:
		typ = excelize.Line
	case ChartPie:
		typ = excelize.Pie
	}
	at, _ := excelize.CoordinatesToCellName(col, dataRow)
	return x.f.AddChart(sheet, at, &excelize.Chart{
		Type:      typ,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		PlotArea:  excelize.ChartPlotArea{ShowVal: typ == excelize.Pie, ShowPercent: typ == excelize.Pie},
		Format:    excelize.GraphicOptions{OffsetX: 5, OffsetY: 5},
		Dimension: excelize.ChartDimension{Width: 640, Height: 360},
	})
}

func (x *analysisBook) save(w io.Writer) error {
	_, err := x.f.WriteTo(w)
	return err
}

// number is a cell's value: a number, or empty when hidden.
func number(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

func headerLabel(h analytics.Header, lang string) string {
	if h.Key == "" && h.Label == "" {
		return i18n.T(lang, "xlsx.unknown")
	}
	return h.Label
}
