package report

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/i18n"
)

// A segment report (issue #9) describes a group of customers rather than
// one: how they split by grade, tier, stage, industry and region, what
// they need (need clusters) and which of them come first. It reads the same
// analytics the /analytics page and the API use, within the reader's scope.

// SegmentOptions say what a segment report covers and for whom.
type SegmentOptions struct {
	Name   string                 // the segment's name, or a title
	Filter dossier.CustomerFilter // which customers, scope included
	Lang   string
	// SeesCustomers lists the leading customers by name; off for users who
	// may see aggregates only.
	SeesCustomers bool
	Now           time.Time
}

// SegmentReport is a segment's report, every text in its language.
type SegmentReport struct {
	Lang       string
	Name       string
	Expr       string
	Generated  string
	Customers  int64
	Breakdowns []Breakdown
	Clusters   []Cluster
	Top        []TopRow
}

// Breakdown is the segment split by one dimension, largest share first in
// the dimension's own order.
type Breakdown struct {
	Title string
	Rows  []ShareRow
	Table *analytics.PivotTable // for the workbook
}

// ShareRow is one group of a breakdown.
type ShareRow struct {
	Label string
	Count int64
	Share float64 // % of the segment
}

// Cluster is one need cluster of the segment.
type Cluster struct {
	Terms string
	Count int64
	Share float64
}

// TopRow is one of the segment's leading customers by score.
type TopRow struct {
	ID       int64
	Name     string
	Industry string
	Grade    string
	Priority string
	Score    string
}

// segmentDims are the breakdowns of a segment report, in order.
var segmentDims = []string{"grade", "follow_up_priority", "stage", analytics.IndustryTop, "province"}

// topCustomers is how many leading customers a segment report lists.
const topCustomers = 20

// BuildSegment gathers a segment's report.
func BuildSegment(ctx context.Context, st analytics.Store, customers dossier.CustomerService, opt SegmentOptions) (*SegmentReport, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	lang := i18n.Normalize(opt.Lang)
	rep := &SegmentReport{Lang: lang, Name: opt.Name, Expr: opt.Filter.Expr, Generated: opt.Now.Format("2006-01-02 15:04")}
	reg, err := st.Registry(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range segmentDims {
		t, err := analytics.Pivot(ctx, st, analytics.PivotRequest{Rows: analytics.Dim{Field: d}, Measure: analytics.Measure{Kind: "count"}, Filter: opt.Filter, Lang: lang})
		if err != nil {
			return nil, err
		}
		rep.Customers = t.Customers
		b := Breakdown{Title: dimTitle(reg, d, lang), Table: t}
		for i, h := range t.Rows {
			n := int64(*t.RowTotals[i])
			if n == 0 {
				continue
			}
			b.Rows = append(b.Rows, ShareRow{Label: headerLabel(h, lang), Count: n, Share: 100 * float64(n) / float64(max(t.Customers, 1))})
		}
		if !ordered(reg, d) {
			b.Rows = largestFirst(b.Rows, lang)
		}
		rep.Breakdowns = append(rep.Breakdowns, b)
	}
	cl, err := analytics.Clusters(ctx, st, analytics.ClusterRequest{Query: analytics.TextQuery{Filter: opt.Filter, Source: analytics.TextNeeds}, Lang: lang})
	if err != nil {
		return nil, err
	}
	for _, g := range cl.Groups {
		for _, c := range g.Clusters {
			var terms string
			for i, t := range c.Terms {
				if i > 0 {
					terms += " "
				}
				terms += t.Term
			}
			rep.Clusters = append(rep.Clusters, Cluster{Terms: terms, Count: c.Count, Share: c.Share})
		}
	}
	if opt.SeesCustomers {
		f := opt.Filter
		f.Sort, f.Limit, f.Offset = "-score", topCustomers, 0
		cs, _, err := customers.FindCustomers(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			row := TopRow{ID: c.ID, Name: c.Name, Industry: c.Industry,
				Grade: optionLabel(reg, "grade", c.Grade, lang), Priority: optionLabel(reg, "follow_up_priority", c.Priority, lang), Score: "–"}
			if c.Score != nil {
				row.Score = itoa(*c.Score)
			}
			rep.Top = append(rep.Top, row)
		}
	}
	return rep, nil
}

// ordered tells whether a dimension's values have an order of their own
// (an enumeration's options) that the report keeps.
func ordered(reg *dossier.Registry, key string) bool {
	f, ok := reg.Field(key)
	return ok && len(f.Options) > 0
}

// maxBars is how many groups a breakdown of free values shows before it
// folds the rest into "other".
const maxBars = 12

// largestFirst orders free values (industries, provinces) by size and folds
// the smallest into one "other" row.
func largestFirst(rows []ShareRow, lang string) []ShareRow {
	slices.SortStableFunc(rows, func(a, b ShareRow) int { return cmp.Compare(b.Count, a.Count) })
	if len(rows) <= maxBars {
		return rows
	}
	other := ShareRow{Label: i18n.T(lang, "segment_report.other")}
	for _, r := range rows[maxBars-1:] {
		other.Count += r.Count
		other.Share += r.Share
	}
	return append(rows[:maxBars-1:maxBars-1], other)
}

// dimTitle names a breakdown: the field's label, or a derived value's.
func dimTitle(reg *dossier.Registry, key, lang string) string {
	if f, ok := reg.Field(key); ok {
		return f.Label(lang)
	}
	return i18n.T(lang, "analytics.dim."+key)
}

// Chart draws a breakdown's shares as bars against the largest group.
func (b Breakdown) Chart() *Chart {
	var labels, texts, levels []string
	var v, m []int
	top := int64(1)
	for _, r := range b.Rows {
		top = max(top, r.Count)
	}
	for _, r := range b.Rows {
		labels = append(labels, r.Label)
		texts = append(texts, itoa(int(r.Count))+" · "+dossier.FormatNumber(float64(int(r.Share*10+0.5))/10)+"%")
		levels, v, m = append(levels, "medium"), append(v, int(r.Count)), append(m, int(top))
	}
	return newChart(labels, texts, levels, v, m)
}

// WriteSegmentXLSX writes a segment report as a workbook: one sheet per
// breakdown with a native chart, the need clusters, and the leading
// customers when the reader may see them.
func WriteSegmentXLSX(w io.Writer, r *SegmentReport) error {
	x, err := newAnalysisBook(r.Lang)
	if err != nil {
		return err
	}
	defer x.f.Close()
	for _, b := range r.Breakdowns {
		if err := x.pivotSheet(sheetSafe(b.Title), b.Table, r.Name+" · "+b.Title, ChartBar); err != nil {
			return fmt.Errorf("segment workbook: %w", err)
		}
	}
	var rows [][]any
	for _, c := range r.Clusters {
		rows = append(rows, []any{c.Terms, c.Count, c.Share})
	}
	sheet := x.sheetName("segment_report.clusters")
	if err := x.sheet(sheet); err != nil {
		return err
	}
	if err := x.titled(sheet, r.Name, []string{x.t("clusters.terms"), x.t("clusters.records"), x.t("clusters.share")}, rows); err != nil {
		return err
	}
	if len(r.Top) > 0 {
		rows = nil
		for _, c := range r.Top {
			rows = append(rows, []any{c.ID, c.Name, c.Industry, c.Grade, c.Priority, c.Score})
		}
		sheet := x.sheetName("segment_report.top")
		if err := x.sheet(sheet); err != nil {
			return err
		}
		head := []string{x.t("segment_report.col.id"), x.t("segment_report.col.name"), x.t("segment_report.col.industry"),
			x.t("segment_report.col.grade"), x.t("segment_report.col.priority"), x.t("segment_report.col.score")}
		if err := x.titled(sheet, r.Name, head, rows); err != nil {
			return err
		}
	}
	x.f.SetActiveSheet(0)
	return x.save(w)
}

// sheetSafe makes a text a valid sheet name.
func sheetSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, s)
	if rs := []rune(s); len(rs) > 31 {
		s = string(rs[:31])
	}
	return s
}
