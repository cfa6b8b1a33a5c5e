package analytics

import (
	"context"
	"fmt"
	"strings"

	"github.com/dossier/dossier"
)

// Measure is what a pivot cell holds: the number of customers, the sum or
// average of a numeric field, or the customers' share of the total in %.
type Measure struct {
	Kind  string `json:"kind"` // count, sum, avg, share
	Field string `json:"field,omitempty"`
}

// ParseMeasure reads "count", "share", "sum:FIELD" or "avg:FIELD".
func ParseMeasure(s string) (Measure, error) {
	kind, field, _ := strings.Cut(strings.TrimSpace(s), ":")
	m := Measure{Kind: strings.ToLower(kind), Field: strings.TrimSpace(field)}
	switch {
	case m.Kind == "" || m.Kind == "count":
		return Measure{Kind: "count"}, nil
	case m.Kind == "share":
		return Measure{Kind: "share"}, nil
	case (m.Kind == "sum" || m.Kind == "avg") && m.Field != "":
		return m, nil
	}
	return m, dossier.FieldError("measure", "measure %q: use count, share, sum:FIELD or avg:FIELD", s)
}

func (m Measure) String() string {
	if m.Field != "" {
		return m.Kind + ":" + m.Field
	}
	return m.Kind
}

// PivotRequest is a pivot table to compute: customers matching Filter,
// grouped by Rows (and Cols, when given).
type PivotRequest struct {
	Rows, Cols Dim
	Measure    Measure
	Filter     dossier.CustomerFilter
	Lang       string // labels: "zh" or "en"
}

// PivotTable is a computed pivot. Cells[i][j] is the measure of row i and
// column j; nil where it is undefined (an average over no values). Counts
// holds the customers per cell whatever the measure. Without Cols there is
// one column, the total.
type PivotTable struct {
	Measure   string       `json:"measure"`
	Rows      []Header     `json:"rows"`
	Cols      []Header     `json:"cols"`
	Cells     [][]*float64 `json:"cells"`
	Counts    [][]int64    `json:"counts"`
	RowTotals []*float64   `json:"row_totals"`
	ColTotals []*float64   `json:"col_totals"`
	Total     *float64     `json:"total"`
	Customers int64        `json:"customers"`
}

// cell accumulates one cell.
type cell struct {
	count, n int64
	sum      float64
}

func (c *cell) add(g Group) { c.count, c.n, c.sum = c.count+g.Count, c.n+g.N, c.sum+g.Sum }

func (c cell) value(m Measure, total int64) *float64 {
	var v float64
	switch m.Kind {
	case "count":
		v = float64(c.count)
	case "share":
		if total == 0 {
			return nil
		}
		v = 100 * float64(c.count) / float64(total)
	case "sum":
		v = c.sum
	case "avg":
		if c.n == 0 {
			return nil
		}
		v = c.sum / float64(c.n)
	}
	return &v
}

// Pivot computes a pivot table; the store does the grouping.
func Pivot(ctx context.Context, st Store, req PivotRequest) (*PivotTable, error) {
	if req.Rows.Field == "" && req.Rows.Expr == "" {
		return nil, dossier.FieldError("rows", "a pivot needs rows: a field such as industry or grade")
	}
	reg, err := st.Registry(ctx)
	if err != nil {
		return nil, err
	}
	q := Query{Filter: req.Filter, Dims: []Dim{req.Rows}}
	if req.Cols.Field != "" || req.Cols.Expr != "" {
		q.Dims = append(q.Dims, req.Cols)
	}
	if req.Measure.Kind == "sum" || req.Measure.Kind == "avg" {
		q.Value = req.Measure.Field
	}
	groups, err := st.Aggregate(ctx, q)
	if err != nil {
		return nil, err
	}
	rowFound, colFound := map[string]bool{}, map[string]bool{}
	for _, g := range groups {
		rowFound[g.Keys[0]] = true
		if len(g.Keys) > 1 {
			colFound[g.Keys[1]] = true
		}
	}
	t := &PivotTable{Measure: req.Measure.String(), Rows: headers(reg, req.Rows, rowFound, req.Lang)}
	if len(q.Dims) > 1 {
		t.Cols = headers(reg, req.Cols, colFound, req.Lang)
	} else {
		t.Cols = []Header{{Key: "", Label: ""}}
	}
	ri, ci := index(t.Rows), index(t.Cols)
	cells := make([][]cell, len(t.Rows))
	for i := range cells {
		cells[i] = make([]cell, len(t.Cols))
	}
	rowT, colT := make([]cell, len(t.Rows)), make([]cell, len(t.Cols))
	var all cell
	for _, g := range groups {
		i, j := ri[g.Keys[0]], 0
		if len(g.Keys) > 1 {
			j = ci[g.Keys[1]]
		}
		cells[i][j].add(g)
		rowT[i].add(g)
		colT[j].add(g)
		all.add(g)
	}
	t.Customers = all.count
	for i := range cells {
		t.Cells = append(t.Cells, make([]*float64, len(t.Cols)))
		t.Counts = append(t.Counts, make([]int64, len(t.Cols)))
		for j := range cells[i] {
			t.Cells[i][j] = cells[i][j].value(req.Measure, all.count)
			t.Counts[i][j] = cells[i][j].count
		}
		t.RowTotals = append(t.RowTotals, rowT[i].value(req.Measure, all.count))
	}
	for j := range colT {
		t.ColTotals = append(t.ColTotals, colT[j].value(req.Measure, all.count))
	}
	t.Total = all.value(req.Measure, all.count)
	return t, nil
}

func index(hs []Header) map[string]int {
	m := make(map[string]int, len(hs))
	for i, h := range hs {
		m[h.Key] = i
	}
	return m
}

// Report is a ready-made pivot from the seeds' examples.
type Report struct {
	Name    string
	Rows    Dim
	Cols    Dim
	Measure Measure
	Filter  string // segment expression
}

// Reports are the seeds' grouped reports (SPEC R22).
var Reports = []Report{
	{Name: "needs-by-industry", Rows: Dim{Field: IndustryTop}, Cols: Dim{Field: "need_type"}, Measure: Measure{Kind: "count"}},
	{Name: "key-follow-up", Rows: Dim{Field: "follow_up_priority"}, Cols: Dim{Field: LastContactQuarter}, Measure: Measure{Kind: "count"}, Filter: "grade = 重点"},
	{Name: "grade-by-stage", Rows: Dim{Field: "grade"}, Cols: Dim{Field: "stage"}, Measure: Measure{Kind: "count"}},
}

// FindReport returns the ready report of that name.
func FindReport(name string) (Report, error) {
	for _, r := range Reports {
		if r.Name == name {
			return r, nil
		}
	}
	var names []string
	for _, r := range Reports {
		names = append(names, r.Name)
	}
	return Report{}, dossier.FieldError("report", "no report %q; reports are %s", name, strings.Join(names, ", "))
}

// Format prints a measure value for tables: whole numbers without decimals,
// others with two; "" when undefined.
func Format(v *float64) string {
	if v == nil {
		return ""
	}
	if *v == float64(int64(*v)) {
		return fmt.Sprintf("%d", int64(*v))
	}
	return fmt.Sprintf("%.2f", *v)
}
