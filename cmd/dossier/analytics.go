package main

import (
	"bytes"
	"context"
	stdcsv "encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	dreport "github.com/dossier/dossier/report"
	"github.com/dossier/dossier/sqldb"
)

// output is the --json / --csv choice of the analysis commands.
type output struct{ json, csv *bool }

func outputFlags(fs *flag.FlagSet) output {
	return output{fs.Bool("json", false, "print JSON"), fs.Bool("csv", false, "print CSV")}
}

// analysisFlags are the flags every analysis command shares.
type analysisFlags struct {
	db, filter, segment, lang *string
	out                       output
}

func newAnalysisFlags(fs *flag.FlagSet, e *env) analysisFlags {
	return analysisFlags{
		db:      dbFlag(fs, e),
		filter:  fs.String("filter", "", `only customers matching a segment filter, e.g. "grade = 重点"`),
		segment: fs.String("segment", "", "only the customers of a saved segment"),
		lang:    fs.String("lang", "zh", "labels in zh or en"),
		out:     outputFlags(fs),
	}
}

func (a analysisFlags) open(ctx context.Context) (*sqldb.DB, dossier.CustomerFilter, error) {
	if *a.out.json && *a.out.csv {
		return nil, dossier.CustomerFilter{}, usagef("use --json or --csv, not both")
	}
	return openWithFilter(ctx, *a.db, *a.segment, *a.filter)
}

// xlsxOutput is the --xlsx FILE and --chart choice of pivot and trend.
type xlsxOutput struct{ file, chart *string }

func xlsxFlags(fs *flag.FlagSet) xlsxOutput {
	return xlsxOutput{fs.String("xlsx", "", "write the result to an XLSX workbook with a native chart"),
		fs.String("chart", "bar", "the workbook's chart: bar, line or pie")}
}

// write creates the workbook file; a failed write leaves no partial file.
func (x xlsxOutput) write(build func(io.Writer) error) error {
	var buf bytes.Buffer
	if err := build(&buf); err != nil {
		return err
	}
	return os.WriteFile(*x.file, buf.Bytes(), 0o644)
}

// badInput turns a refused request (unknown field, bad measure) into a usage
// error, exit 2.
func badInput(err error) error {
	if dossier.ErrorCode(err) == dossier.EINVALID {
		return usagef("%s", dossier.ErrorMessage(err))
	}
	return err
}

func unknownLabel(lang string) string {
	if lang == "en" {
		return "(empty)"
	}
	return "(未填)"
}

func label(h analytics.Header, lang string) string {
	if h.Key == "" && h.Label == "" {
		return unknownLabel(lang)
	}
	return h.Label
}

// runPivot prints a pivot table of customers.
func runPivot(ctx context.Context, e *env, args []string) error {
	fs := newFlags("pivot")
	af := newAnalysisFlags(fs, e)
	rows := fs.String("rows", "", "field (key or label) or derived value ("+strings.Join(analytics.DerivedDims, ", ")+") for the rows")
	cols := fs.String("cols", "", "field or derived value for the columns, or a filter expression (yes / no)")
	measure := fs.String("measure", "count", "count, share, sum:FIELD or avg:FIELD")
	report := fs.String("report", "", "a ready report: needs-by-industry, key-follow-up, grade-by-stage")
	xlsxOut := xlsxFlags(fs)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	req := analytics.PivotRequest{Rows: analytics.ParseDim(*rows), Cols: analytics.ParseDim(*cols), Lang: *af.lang}
	if *report != "" {
		r, err := analytics.FindReport(*report)
		if err != nil {
			return badInput(err)
		}
		req.Rows, req.Cols, req.Measure = r.Rows, r.Cols, r.Measure
		*af.filter = joinFilters(r.Filter, *af.filter)
	} else {
		m, err := analytics.ParseMeasure(*measure)
		if err != nil {
			return badInput(err)
		}
		req.Measure = m
		if *rows == "" {
			return usagef("pivot needs --rows FIELD (or --report NAME)")
		}
	}
	store, f, err := af.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	req.Filter = f
	t, err := analytics.Pivot(ctx, store, req)
	if err != nil {
		return badInput(err)
	}
	switch {
	case *xlsxOut.file != "":
		title := *rows
		if *report != "" {
			title = *report
		} else if *cols != "" {
			title += " × " + *cols
		}
		return xlsxOut.write(func(w io.Writer) error {
			return dreport.PivotXLSX(w, t, title+" ("+t.Measure+")", *af.lang, *xlsxOut.chart)
		})
	case *af.out.json:
		return json.NewEncoder(e.stdout).Encode(t)
	case *af.out.csv:
		return writePivotCSV(e.stdout, t, *af.lang)
	}
	return writeRecords(e.stdout, pivotRecords(t, *af.lang))
}

// joinFilters ANDs two filter expressions, either possibly empty.
func joinFilters(a, b string) string {
	switch {
	case strings.TrimSpace(a) == "":
		return b
	case strings.TrimSpace(b) == "":
		return a
	}
	return "(" + a + ") AND (" + b + ")"
}

// pivotRecords lays a pivot out as rows of text: a header, one line per row
// with its total, and a line of column totals.
func pivotRecords(t *analytics.PivotTable, lang string) [][]string {
	total := "合计"
	if lang == "en" {
		total = "Total"
	}
	head := []string{""}
	if len(t.Cols) > 1 || t.Cols[0].Key != "" || t.Cols[0].Label != "" {
		for _, c := range t.Cols {
			head = append(head, label(c, lang))
		}
	}
	multi := len(head) > 1
	head = append(head, total+" ("+t.Measure+")")
	recs := [][]string{head}
	for i, r := range t.Rows {
		rec := []string{label(r, lang)}
		if multi {
			for _, v := range t.Cells[i] {
				rec = append(rec, analytics.Format(v))
			}
		}
		recs = append(recs, append(rec, analytics.Format(t.RowTotals[i])))
	}
	last := []string{total}
	if multi {
		for _, v := range t.ColTotals {
			last = append(last, analytics.Format(v))
		}
	}
	return append(recs, append(last, analytics.Format(t.Total)))
}

func writePivotCSV(w io.Writer, t *analytics.PivotTable, lang string) error {
	cw := stdcsv.NewWriter(w)
	if err := cw.WriteAll(pivotRecords(t, lang)); err != nil {
		return err
	}
	return cw.Error()
}

func writeRecords(w io.Writer, recs [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	for _, r := range recs {
		fmt.Fprintln(tw, strings.Join(r, "\t")+"\t")
	}
	return tw.Flush()
}

// runRelation prints a contingency table with its chi-square test.
func runRelation(ctx context.Context, e *env, args []string) error {
	fs := newFlags("relation")
	af := newAnalysisFlags(fs, e)
	rows := fs.String("rows", "", "the customer feature, e.g. industry_top")
	cols := fs.String("cols", "", `the need or concern: a field (need_type) or a filter expression ("decision_factors = 稳定性")`)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *rows == "" || *cols == "" {
		return usagef("relation needs --rows FEATURE and --cols NEED")
	}
	store, f, err := af.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	rel, err := analytics.Relate(ctx, store, analytics.RelationRequest{Rows: analytics.ParseDim(*rows), Cols: analytics.ParseDim(*cols), Filter: f, Lang: *af.lang})
	if err != nil {
		return badInput(err)
	}
	if *af.out.json {
		return json.NewEncoder(e.stdout).Encode(rel)
	}
	head := []string{""}
	for _, c := range rel.Cols {
		head = append(head, label(c, *af.lang))
	}
	recs := [][]string{head}
	for i, r := range rel.Rows {
		rec := []string{label(r, *af.lang)}
		for j, n := range rel.Observed[i] {
			rec = append(rec, fmt.Sprintf("%d (×%.2f)", n, rel.Lift[i][j]))
		}
		recs = append(recs, rec)
	}
	if *af.out.csv {
		cw := stdcsv.NewWriter(e.stdout)
		_ = cw.WriteAll(recs)
		return cw.Error()
	}
	if err := writeRecords(e.stdout, recs); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "chi² = %.2f, df = %d, p = %.4g, Cramér's V = %.3f (n = %d, %d with an unknown value left out)\n",
		rel.ChiSquare, rel.DF, rel.P, rel.CramersV, rel.N, rel.Excluded)
	if rel.SmallCell > 0.2 {
		fmt.Fprintf(e.stdout, "warning: %.0f%% of the cells expect fewer than 5 customers; the p-value is approximate\n", 100*rel.SmallCell)
	}
	return nil
}

// runTrend prints a measure per period and its change over a window.
func runTrend(ctx context.Context, e *env, args []string) error {
	fs := newFlags("trend")
	af := newAnalysisFlags(fs, e)
	source := fs.String("source", "needs", "needs or interactions")
	period := fs.String("period", "month", "month or quarter")
	by := fs.String("by", "", "series: type (needs), channel or feedback (interactions), or a customer field")
	measure := fs.String("measure", "count", "count, or share of each series within its period (%)")
	window := fs.Int("window", 3, "periods compared with the same number before them")
	end := fs.String("end", "", "last period (2026-03 or 2026-Q1); default the latest with data")
	xlsxOut := xlsxFlags(fs)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	store, f, err := af.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	tr, err := analytics.Trend(ctx, store, analytics.TrendRequest{
		Query:   analytics.TrendQuery{Filter: f, Source: *source, Period: *period, By: *by},
		Measure: *measure, Window: *window, End: *end, Lang: *af.lang,
	})
	if err != nil {
		return badInput(err)
	}
	if *xlsxOut.file != "" {
		return xlsxOut.write(func(w io.Writer) error {
			return dreport.TrendXLSX(w, tr, "trend "+*source+" "+*by, *af.lang, *xlsxOut.chart)
		})
	}
	if *af.out.json {
		return json.NewEncoder(e.stdout).Encode(tr)
	}
	recs := [][]string{append([]string{""}, tr.Periods...)}
	for _, s := range tr.Series {
		rec := []string{label(analytics.Header{Key: s.Key, Label: s.Label}, *af.lang)}
		for _, v := range s.Values {
			rec = append(rec, analytics.Format(&v))
		}
		recs = append(recs, rec)
	}
	if *af.out.csv {
		cw := stdcsv.NewWriter(e.stdout)
		_ = cw.WriteAll(recs)
		return cw.Error()
	}
	if err := writeRecords(e.stdout, recs); err != nil {
		return err
	}
	for _, s := range tr.Series {
		change := "new"
		if s.Change != nil {
			change = fmt.Sprintf("%+.1f%%", *s.Change)
		}
		fmt.Fprintf(e.stdout, "%s: %s in the last %d %ss (%d against %d)\n", label(analytics.Header{Key: s.Key, Label: s.Label}, *af.lang),
			change, tr.Window, *period, s.Last, s.Before)
	}
	return nil
}

// runOverview prints the management view.
func runOverview(ctx context.Context, e *env, args []string) error {
	fs := newFlags("overview")
	af := newAnalysisFlags(fs, e)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	store, f, err := af.open(ctx)
	if err != nil {
		return err
	}
	defer store.Close()
	ov, err := analytics.Summarize(ctx, store, f, *af.lang)
	if err != nil {
		return badInput(err)
	}
	if *af.out.json || *af.out.csv {
		return json.NewEncoder(e.stdout).Encode(ov)
	}
	fmt.Fprintf(e.stdout, "customers: %d\nindustry HHI: %.0f\nregion HHI: %.0f, three largest provinces: %.1f%%\n",
		ov.Customers, ov.IndustryHHI, ov.RegionHHI, ov.TopRegions)
	section := func(name string, ss []analytics.Slice) {
		recs := [][]string{{name, "", ""}}
		for _, s := range ss {
			recs = append(recs, []string{label(analytics.Header{Key: s.Key, Label: s.Label}, *af.lang), strconv.FormatInt(s.Count, 10), fmt.Sprintf("%.1f%%", s.Share)})
		}
		_ = writeRecords(e.stdout, recs)
	}
	section("industry", ov.Industries)
	section("stage", ov.Funnel)
	return nil
}
