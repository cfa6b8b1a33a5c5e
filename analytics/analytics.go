// Package analytics answers questions across customers (SPEC R22–R24, R29):
// pivot tables, trends, relations between a customer feature and a need or
// concern, and the management overview. The store groups and counts in SQL
// (DESIGN idea 4); this package turns the groups into tables and statistics,
// so that the numbers are computed the same way on both engines.
package analytics

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/filter"
)

// Derived dimensions: values computed from a customer rather than stored in
// a field.
const (
	LastContactMonth   = "last_contact_month"   // 2026-03
	LastContactQuarter = "last_contact_quarter" // 2026-Q1
	CreatedMonth       = "created_month"        // month the customer was recorded
	IndustryTop        = "industry_top"         // first level of the industry hierarchy
)

// DerivedDims lists the derived dimensions, for help texts and the UI.
var DerivedDims = []string{IndustryTop, LastContactMonth, LastContactQuarter, CreatedMonth}

// Dim is one grouping of customers: by a field or derived value, or by
// whether they match a filter expression (groups "yes" and "no").
type Dim struct {
	Field string
	Expr  string
}

// Query asks the store for customer counts per group.
type Query struct {
	Filter dossier.CustomerFilter // which customers, scope included
	Dims   []Dim                  // one or two
	Value  string                 // a numeric field summed per group; "" for none
}

// Group is one combination of dimension values. An unknown value is "".
type Group struct {
	Keys  []string
	Count int64   // customers
	Sum   float64 // of Query.Value over the customers that have one
	N     int64   // customers that have a Query.Value
}

// Store is what the analyses read: grouped counts, computed by the database.
type Store interface {
	Aggregate(ctx context.Context, q Query) ([]Group, error)
	// Trend counts interactions or needs per period and series.
	Trend(ctx context.Context, q TrendQuery) ([]TrendGroup, error)
	// Texts streams the distinct need or interaction texts per group.
	Texts(ctx context.Context, q TextQuery, each func(Text) error) error
	Registry(ctx context.Context) (*dossier.Registry, error)
}

// Header is a row or column of a table: the stored value and its label.
type Header struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// headers orders the values found for a dimension: an enumeration's options
// in their order (all of them, so empty groups show as zero), then other
// values in text order, the unknown value last.
func headers(reg *dossier.Registry, d Dim, found map[string]bool, lang string) []Header {
	var opts []dossier.Option
	switch {
	case d.Expr != "":
		opts = []dossier.Option{{Value: "yes", LabelZH: "是", LabelEN: "yes"}, {Value: "no", LabelZH: "否", LabelEN: "no"}}
	case d.Field != "":
		opts = filter.Options(reg, d.Field)
		if f, ok := reg.Field(d.Field); ok && opts == nil {
			opts = f.Options // an interaction's field, such as its channel
		}
	}
	var out []Header
	seen := map[string]bool{}
	for _, o := range opts {
		label := o.LabelZH
		if lang == "en" {
			label = o.LabelEN
		}
		out = append(out, Header{o.Value, label})
		seen[o.Value] = true
	}
	var rest []string
	for k := range found {
		if !seen[k] && k != "" {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		out = append(out, Header{k, k})
	}
	if found[""] {
		out = append(out, Header{"", ""})
	}
	return out
}

// ParseDim reads a dimension argument: a field or derived name, or a filter
// expression when it contains an operator.
func ParseDim(s string) Dim {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, "=<>~") || strings.Contains(s, " ") {
		return Dim{Expr: s}
	}
	return Dim{Field: s}
}

// TopIndustry is the first level of an industry: "制造业" of "制造业-机械设备".
func TopIndustry(v string) string {
	top, _, _ := strings.Cut(v, "-")
	return top
}

// MonthOf is the month "2026-03" of an ISO date; "" when there is none.
func MonthOf(date string) string {
	if len(date) < 7 {
		return ""
	}
	return date[:7]
}

// QuarterOf is the quarter "2026-Q1" of an ISO date; "" when there is none.
func QuarterOf(date string) string {
	y, m, ok := parsePeriod(MonthOf(date))
	if !ok {
		return ""
	}
	return fmt.Sprintf("%04d-Q%d", y, (m-1)/3+1)
}
