package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/dossier/dossier/i18n"
)

// The workbook: a summary sheet with the score parts and ICP fits as native
// Excel charts, then one sheet each for needs, risks, the action list and
// the profile's facts with their sources. Numbers are stored as numbers so
// that people can sort and chart them further.

// Cells of the summary sheet the charts read: the score parts stand in
// D2:F5 (component, points, maximum), the ICP fits below them.
const (
	scoreTableCol = 4 // D
)

// WriteXLSX writes the report as an XLSX workbook.
func WriteXLSX(w io.Writer, r *Report) error {
	x := &xlsxWriter{f: excelize.NewFile(), lang: r.Lang}
	defer x.f.Close()
	if err := x.init(); err != nil {
		return err
	}
	steps := []func(*Report) error{x.summary, x.needs, x.risks, x.actions, x.facts}
	for _, step := range steps {
		if err := step(r); err != nil {
			return fmt.Errorf("xlsx report: %w", err)
		}
	}
	x.f.SetActiveSheet(0)
	return x.f.Write(w)
}

type xlsxWriter struct {
	f      *excelize.File
	lang   string
	header int // style id of header cells
	title  int
}

func (x *xlsxWriter) t(key string, args ...any) string { return i18n.T(x.lang, key, args...) }

// sheetName is a catalogue text made safe for a sheet name (≤31
// characters, none of []:*?/\).
func (x *xlsxWriter) sheetName(key string) string { return sheetSafe(x.t(key)) }

func (x *xlsxWriter) init() error {
	if err := x.styles(); err != nil {
		return err
	}
	return x.f.SetSheetName("Sheet1", x.sheetName("report.sheet.summary"))
}

// styles makes the header and title styles.
func (x *xlsxWriter) styles() error {
	var err error
	if x.header, err = x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DCE6F1"}},
		Border: []excelize.Border{{Type: "bottom", Color: "9BB0C9", Style: 1}}}); err != nil {
		return err
	}
	x.title, err = x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	return err
}

// table writes a header row and rows at the top-left cell of a sheet,
// creating the sheet when it does not exist yet, and sets column widths.
func (x *xlsxWriter) table(sheet string, col, row int, header []string, rows [][]any, widths ...float64) error {
	if idx, _ := x.f.GetSheetIndex(sheet); idx < 0 {
		if _, err := x.f.NewSheet(sheet); err != nil {
			return err
		}
	}
	start, _ := excelize.CoordinatesToCellName(col, row)
	if err := x.f.SetSheetRow(sheet, start, &header); err != nil {
		return err
	}
	end, _ := excelize.CoordinatesToCellName(col+len(header)-1, row)
	if err := x.f.SetCellStyle(sheet, start, end, x.header); err != nil {
		return err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(col, row+1+i)
		if err := x.f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	for i, w := range widths {
		name, _ := excelize.ColumnNumberToName(col + i)
		if err := x.f.SetColWidth(sheet, name, name, w); err != nil {
			return err
		}
	}
	if row == 1 && len(rows) > 0 {
		return x.f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
	return nil
}

// summary is the first sheet: the conclusions as item/value pairs, the
// score parts and ICP fits as tables with a native chart each.
func (x *xlsxWriter) summary(r *Report) error {
	sheet := x.sheetName("report.sheet.summary")
	items := [][]any{{x.t("report.item.customer"), r.Name}, {x.t("report.item.id"), r.CustomerID},
		{x.t("report.item.as_of"), r.AsOf}}
	if s := r.Score; s != nil {
		items = append(items, []any{x.t("report.item.score"), s.Total}, []any{x.t("report.item.priority"), s.PriorityLabel})
	}
	if a := r.Analysis; a != nil {
		sep := x.t("value.list_sep")
		var strategies []string
		for _, s := range a.Strategies {
			strategies = append(strategies, s.Name)
		}
		items = append(items, []any{x.t("report.item.value"), a.ValueLabel}, []any{x.t("report.item.grade"), a.Grade},
			[]any{x.t("report.item.tier"), a.TierLabel}, []any{x.t("report.item.cadence"), a.Cadence},
			[]any{x.t("report.item.next_follow_up"), a.NextFollowUp}, []any{x.t("report.item.tags"), strings.Join(a.Tags, sep)},
			[]any{x.t("report.item.strategies"), strings.Join(strategies, sep)})
	}
	items = append(items, []any{x.t("report.item.completeness"), r.Completeness})
	for _, kv := range r.Summary {
		items = append(items, []any{kv.Label, kv.Value})
	}
	if err := x.table(sheet, 1, 1, []string{x.t("report.col.item"), x.t("report.col.value")}, items, 20, 40); err != nil {
		return err
	}
	if err := x.scoreChart(sheet, r); err != nil {
		return err
	}
	return x.icpChart(sheet, r)
}

// scoreChart writes the score parts in D1:G5 and a bar chart of them.
func (x *xlsxWriter) scoreChart(sheet string, r *Report) error {
	if r.Score == nil || len(r.Score.Parts) == 0 {
		return nil
	}
	var rows [][]any
	for _, p := range r.Score.Parts {
		rows = append(rows, []any{p.Component + " " + p.Label, p.Points, p.Max, p.Text})
	}
	hdr := []string{x.t("report.col.component"), x.t("report.col.points"), x.t("report.col.max"), x.t("report.col.explanation")}
	if err := x.table(sheet, scoreTableCol, 1, hdr, rows, 16, 8, 8, 40); err != nil {
		return err
	}
	n := len(rows) + 1
	ref := func(col string) string { return fmt.Sprintf("'%s'!$%s$2:$%s$%d", sheet, col, col, n) }
	return x.f.AddChart(sheet, fmt.Sprintf("D%d", n+2), &excelize.Chart{
		Type:       excelize.Col,
		VaryColors: ptr(false),
		Series: []excelize.ChartSeries{
			{Name: fmt.Sprintf("'%s'!$E$1", sheet), Categories: ref("D"), Values: ref("E"), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1D4ED8"}}},
			{Name: fmt.Sprintf("'%s'!$F$1", sheet), Categories: ref("D"), Values: ref("F"), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"CBD5E1"}}},
		},
		Title:    excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: x.t("report.chart.score")}}},
		Legend:   excelize.ChartLegend{Position: "bottom"},
		PlotArea: excelize.ChartPlotArea{ShowVal: true},
		Format:   excelize.GraphicOptions{OffsetX: 5, OffsetY: 5},
	})
}

// icpChart writes the ICP fits below the score chart and a bar chart of
// them.
func (x *xlsxWriter) icpChart(sheet string, r *Report) error {
	if r.Analysis == nil || len(r.Analysis.ICP) == 0 {
		return nil
	}
	const top = 24 // below the score chart
	var rows [][]any
	for _, f := range r.Analysis.ICP {
		rows = append(rows, []any{f.Name, f.Fit, f.Unmet})
	}
	hdr := []string{x.t("report.col.profile"), x.t("report.col.fit"), x.t("report.col.unmet")}
	if err := x.table(sheet, scoreTableCol, top, hdr, rows); err != nil {
		return err
	}
	last := top + len(rows)
	ref := func(col string) string { return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sheet, col, top+1, col, last) }
	return x.f.AddChart(sheet, fmt.Sprintf("D%d", last+2), &excelize.Chart{
		Type:     excelize.Bar,
		Series:   []excelize.ChartSeries{{Name: fmt.Sprintf("'%s'!$E$%d", sheet, top), Categories: ref("D"), Values: ref("E")}},
		Title:    excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: x.t("report.section.icp")}}},
		Legend:   excelize.ChartLegend{Position: "none"},
		PlotArea: excelize.ChartPlotArea{ShowVal: true},
		XAxis:    excelize.ChartAxis{},
		YAxis:    excelize.ChartAxis{Maximum: ptr(100.0), Minimum: ptr(0.0)},
	})
}

func ptr[T any](v T) *T { return &v }

func (x *xlsxWriter) needs(r *Report) error {
	var rows [][]any
	for _, n := range r.Needs {
		rows = append(rows, []any{n.Type, n.Kind, n.Description, n.Budget, n.Expected, n.Timeline, n.Urgency, n.Importance, n.Rank})
	}
	hdr := []string{x.t("report.col.need"), x.t("report.col.kind"), x.t("report.col.description"), x.t("report.col.budget"),
		x.t("report.col.expected"), x.t("report.col.timeline"), x.t("report.col.urgency"), x.t("report.col.importance"), x.t("report.col.rank")}
	return x.table(x.sheetName("report.sheet.needs"), 1, 1, hdr, rows, 20, 10, 50, 16, 12, 12, 8, 8, 8)
}

func (x *xlsxWriter) risks(r *Report) error {
	var rows [][]any
	if r.Analysis != nil {
		for _, k := range r.Analysis.Risks {
			rows = append(rows, []any{k.Category, k.LevelLabel, k.Trigger, k.Since})
		}
	}
	hdr := []string{x.t("report.col.category"), x.t("report.col.level"), x.t("report.col.trigger"), x.t("report.col.since")}
	return x.table(x.sheetName("report.sheet.risks"), 1, 1, hdr, rows, 14, 8, 50, 12)
}

// actions lists each strategy's steps, then the open tasks.
func (x *xlsxWriter) actions(r *Report) error {
	var rows [][]any
	if a := r.Analysis; a != nil {
		for _, s := range a.Strategies {
			for _, act := range s.Actions {
				rows = append(rows, []any{x.t("report.kind.strategy"), s.Name, act.Title, "", act.Due, ""})
			}
		}
		for _, t := range a.Tasks {
			rows = append(rows, []any{x.t("report.kind.task"), "", t.Title, t.Owner, t.Due, t.Status})
		}
	}
	hdr := []string{x.t("report.col.kind"), x.t("report.col.strategy"), x.t("report.col.action"), x.t("report.col.owner"),
		x.t("report.col.due"), x.t("report.col.status")}
	return x.table(x.sheetName("report.sheet.actions"), 1, 1, hdr, rows, 12, 20, 40, 12, 12, 10)
}

// facts is the profile with the source of every value.
func (x *xlsxWriter) facts(r *Report) error {
	var rows [][]any
	for _, g := range r.Profile {
		for _, f := range g.Rows {
			rows = append(rows, []any{g.Label, f.Label, f.Value, f.Channel, f.Detail, f.Collected, f.CollectedBy, f.Remark, f.StateText})
		}
	}
	hdr := []string{x.t("report.col.category_group"), x.t("report.col.field"), x.t("report.col.value"), x.t("report.col.source"),
		x.t("report.col.description"), x.t("report.col.collected"), x.t("report.col.collected_by"), x.t("report.col.remark"), x.t("report.col.state")}
	return x.table(x.sheetName("report.sheet.facts"), 1, 1, hdr, rows, 12, 16, 36, 10, 20, 12, 10, 10, 10)
}
