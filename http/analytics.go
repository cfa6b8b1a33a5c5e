package http

import (
	"bytes"
	nethttp "net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/filter"
	"github.com/dossier/dossier/http/html"
	"github.com/dossier/dossier/i18n"
	"github.com/dossier/dossier/report"
)

// minGroup is the smallest group whose sum or average an analyst sees: below
// it, an aggregate is one or two customers' figure (SPEC R30).
const minGroup = 3

// identifying are the fields that name a customer; users who may not see
// individual customers may neither filter nor group by them.
var identifying = []string{"name", "credit_code", "address", "query"}

// analysisFilter reads ?filter= (and ?segment=, a saved segment's name)
// narrowed to the user's scope: sales see aggregates of their own customers,
// managers of their team's.
func (s *Server) analysisFilter(r *nethttp.Request, dims ...analytics.Dim) (dossier.CustomerFilter, error) {
	u := userOf(r)
	q := r.URL.Query()
	f := dossier.CustomerFilter{}
	var err error
	if f.Expr, err = s.withSegment(r, strings.TrimSpace(q.Get("filter"))); err != nil {
		return f, err
	}
	u.CustomerScope(&f)
	if u.CanSeeCustomers() {
		return f, nil
	}
	reg, err := s.svc.Fields.Registry(r.Context())
	if err != nil {
		return f, err
	}
	var used []string
	for _, d := range append(dims, analytics.Dim{Expr: f.Expr}) {
		if d.Field != "" {
			if _, _, key, err := filter.Column(reg, d.Field, filter.SQLite); err == nil {
				used = append(used, key)
			}
		}
		if d.Expr != "" {
			if e, err := filter.Parse(d.Expr, reg); err == nil {
				used = append(used, e.Fields()...)
			}
		}
	}
	for _, k := range used {
		if slices.Contains(identifying, k) {
			return f, dossier.Errorf(dossier.EFORBIDDEN, "analyses by %s would show individual customers", k)
		}
	}
	return f, nil
}

// withSegment adds the saved segment named by ?segment= to a filter
// expression; a segment the user may not use is reported as missing.
func (s *Server) withSegment(r *nethttp.Request, expr string) (string, error) {
	name := strings.TrimSpace(r.URL.Query().Get("segment"))
	if name == "" {
		return expr, nil
	}
	seg, err := s.svc.Segments.FindSegment(r.Context(), name)
	if err != nil || !seg.VisibleTo(userOf(r)) {
		return expr, dossier.Errorf(dossier.ENOTFOUND, "no segment %q", name)
	}
	return joinExpr(seg.Expression, expr), nil
}

// segmentChoices are the saved segments the user may pick in a filter form.
func (s *Server) segmentChoices(r *nethttp.Request) ([]html.Choice, error) {
	ss, err := s.svc.Segments.Segments(r.Context(), userOf(r).Name)
	if err != nil {
		return nil, err
	}
	selected := r.URL.Query().Get("segment")
	out := make([]html.Choice, 0, len(ss))
	for _, seg := range ss {
		out = append(out, html.Choice{Value: seg.Name, Label: seg.Name, Selected: seg.Name == selected})
	}
	return out, nil
}

func joinExpr(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return "(" + a + ") AND (" + b + ")"
}

func lang(r *nethttp.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "zh" {
		return l
	}
	return langOf(r)
}

// pivotRequest reads a pivot from the query string: rows, cols, measure, or
// report (a ready report), and the filter.
func (s *Server) pivotRequest(r *nethttp.Request) (analytics.PivotRequest, error) {
	q := r.URL.Query()
	req := analytics.PivotRequest{Rows: analytics.ParseDim(q.Get("rows")), Cols: analytics.ParseDim(q.Get("cols")), Lang: lang(r)}
	extra := ""
	if name := q.Get("report"); name != "" {
		rep, err := analytics.FindReport(name)
		if err != nil {
			return req, err
		}
		req.Rows, req.Cols, req.Measure, extra = rep.Rows, rep.Cols, rep.Measure, rep.Filter
	} else {
		m, err := analytics.ParseMeasure(q.Get("measure"))
		if err != nil {
			return req, err
		}
		req.Measure = m
	}
	f, err := s.analysisFilter(r, req.Rows, req.Cols)
	f.Expr = joinExpr(extra, f.Expr)
	req.Filter = f
	return req, err
}

// handleAPIPivot answers GET /api/v1/analytics/pivot.
func (s *Server) handleAPIPivot(w nethttp.ResponseWriter, r *nethttp.Request) {
	t, _, err := s.pivot(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, t)
}

// pivot computes the pivot a request asks for, as the user may see it.
func (s *Server) pivot(r *nethttp.Request) (*analytics.PivotTable, analytics.PivotRequest, error) {
	req, err := s.pivotRequest(r)
	if err != nil {
		return nil, req, err
	}
	t, err := analytics.Pivot(r.Context(), s.svc.Analytics, req)
	if err != nil {
		return nil, req, err
	}
	if !userOf(r).CanSeeCustomers() {
		suppressSmall(t)
	}
	return t, req, nil
}

// handlePivotXLSX answers GET /analytics/pivot.xlsx: the same pivot as the
// API, as a workbook with a native chart (R25).
func (s *Server) handlePivotXLSX(w nethttp.ResponseWriter, r *nethttp.Request) {
	t, req, err := s.pivot(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := s.dimLabel(r, req.Rows)
	if req.Cols.Field != "" || req.Cols.Expr != "" {
		title += " × " + s.dimLabel(r, req.Cols)
	}
	s.sendXLSX(w, r, "pivot.xlsx", func(buf *bytes.Buffer) error {
		return report.PivotXLSX(buf, t, title+" ("+t.Measure+")", lang(r), r.URL.Query().Get("chart"))
	})
}

// handleTrendXLSX answers GET /analytics/trend.xlsx with the trend the API
// gives for the same query, as a workbook with a line chart.
func (s *Server) handleTrendXLSX(w nethttp.ResponseWriter, r *nethttp.Request) {
	tr, err := s.trend(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := i18n.T(langOf(r), "analytics.trend")
	s.sendXLSX(w, r, "trend.xlsx", func(buf *bytes.Buffer) error {
		return report.TrendXLSX(buf, tr, title, lang(r), r.URL.Query().Get("chart"))
	})
}

// sendXLSX writes a workbook built in memory (an analysis is small) as a
// download.
func (s *Server) sendXLSX(w nethttp.ResponseWriter, r *nethttp.Request, name string, build func(*bytes.Buffer) error) {
	var buf bytes.Buffer
	if err := build(&buf); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.WriteHeader(nethttp.StatusOK)
	_, _ = buf.WriteTo(w)
}

// dimLabel names a dimension for a title: its field's label, a derived
// value's name, or the expression itself.
func (s *Server) dimLabel(r *nethttp.Request, d analytics.Dim) string {
	if d.Expr != "" {
		return d.Expr
	}
	if slices.Contains(analytics.DerivedDims, d.Field) {
		return i18n.T(langOf(r), "analytics.dim."+d.Field)
	}
	if reg, err := s.svc.Fields.Registry(r.Context()); err == nil {
		if f, ok := reg.Field(d.Field); ok {
			return f.Label(langOf(r))
		}
	}
	return d.Field
}

// suppressSmall hides sums and averages over fewer than minGroup customers.
func suppressSmall(t *analytics.PivotTable) {
	if k := t.Measure; !strings.HasPrefix(k, "sum:") && !strings.HasPrefix(k, "avg:") {
		return
	}
	colN := make([]int64, len(t.Cols))
	for i := range t.Cells {
		rowN := int64(0)
		for j := range t.Cells[i] {
			rowN += t.Counts[i][j]
			colN[j] += t.Counts[i][j]
			if t.Counts[i][j] < minGroup {
				t.Cells[i][j] = nil
			}
		}
		if rowN < minGroup {
			t.RowTotals[i] = nil
		}
	}
	for j, n := range colN {
		if n < minGroup {
			t.ColTotals[j] = nil
		}
	}
	if t.Customers < minGroup {
		t.Total = nil
	}
}

// handleAPIRelation answers GET /api/v1/analytics/relation.
func (s *Server) handleAPIRelation(w nethttp.ResponseWriter, r *nethttp.Request) {
	q := r.URL.Query()
	req := analytics.RelationRequest{Rows: analytics.ParseDim(q.Get("rows")), Cols: analytics.ParseDim(q.Get("cols")), Lang: lang(r)}
	f, err := s.analysisFilter(r, req.Rows, req.Cols)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	req.Filter = f
	rel, err := analytics.Relate(r.Context(), s.svc.Analytics, req)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, rel)
}

// handleAPITrend answers GET /api/v1/analytics/trend.
func (s *Server) handleAPITrend(w nethttp.ResponseWriter, r *nethttp.Request) {
	tr, err := s.trend(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, tr)
}

// trend computes the trend a request asks for, within the user's scope.
func (s *Server) trend(r *nethttp.Request) (*analytics.TrendResult, error) {
	q := r.URL.Query()
	window := 3
	if v := q.Get("window"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 120 {
			return nil, dossier.FieldError("window", "window must be a whole number from 1 to 120")
		}
		window = n
	}
	f, err := s.analysisFilter(r, analytics.Dim{Field: byDim(q.Get("by"))})
	if err != nil {
		return nil, err
	}
	return analytics.Trend(r.Context(), s.svc.Analytics, analytics.TrendRequest{
		Query:   analytics.TrendQuery{Filter: f, Source: q.Get("source"), Period: q.Get("period"), By: q.Get("by")},
		Measure: q.Get("measure"), Window: window, End: q.Get("end"), Lang: lang(r),
	})
}

// handleAPIClusters answers GET /api/v1/analytics/clusters. Typical texts
// come only to users who may read customers: free text can name people.
func (s *Server) handleAPIClusters(w nethttp.ResponseWriter, r *nethttp.Request) {
	q := r.URL.Query()
	k := 0
	if v := q.Get("k"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.fail(w, r, dossier.FieldError("k", "k must be a whole number from 1 to %d", analytics.MaxClusters))
			return
		}
		k = n
	}
	// Interactions of the last year unless asked otherwise.
	since := q.Get("since")
	if since == "" {
		since = s.now().AddDate(-1, 0, 0).Format(dossier.DateLayout)
	}
	by := analytics.IndustryTop
	if q.Has("by") {
		by = q.Get("by")
	}
	f, err := s.analysisFilter(r, analytics.Dim{Field: by})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := analytics.Clusters(r.Context(), s.svc.Analytics, analytics.ClusterRequest{
		Query: analytics.TextQuery{Filter: f, Source: q.Get("source"), By: by, Since: since}, K: k,
		Examples: userOf(r).CanSeeCustomers(), Lang: lang(r),
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, res)
}

// byDim is a trend's series as a customer dimension, for the check of
// identifying fields; the record's own series are not.
func byDim(by string) string {
	switch by {
	case "type", "channel", "feedback":
		return ""
	}
	return by
}

// handleAPIOverview answers GET /api/v1/analytics/overview.
func (s *Server) handleAPIOverview(w nethttp.ResponseWriter, r *nethttp.Request) {
	f, err := s.analysisFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ov, err := analytics.Summarize(r.Context(), s.svc.Analytics, f, lang(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, ov)
}

// segmentWrite is the body of POST /api/v1/segments.
type segmentWrite struct {
	Name       string `json:"name"`
	Expression string `json:"expression"`
	Shared     bool   `json:"shared"`
}

// handleAPISegments lists the segments the user may use: their own and the
// shared ones.
func (s *Server) handleAPISegments(w nethttp.ResponseWriter, r *nethttp.Request) {
	ss, err := s.svc.Segments.Segments(r.Context(), userOf(r).Name)
	var p page[dossier.Segment]
	if err == nil {
		p, err = namedPage(r, "segments", ss, func(s dossier.Segment) string { return s.Name }, func(s dossier.Segment) int64 { return s.ID })
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, p)
}

// handleAPICreateSegment saves a segment owned by the caller: 201.
func (s *Server) handleAPICreateSegment(w nethttp.ResponseWriter, r *nethttp.Request) {
	var in segmentWrite
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	seg := &dossier.Segment{Name: in.Name, Expression: in.Expression, Shared: in.Shared, Owner: userOf(r).Name}
	if err := s.svc.Segments.CreateSegment(r.Context(), seg); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusCreated, seg)
}

// handleAnalytics is the analytics page: a pivot builder with charts. The
// page holds no data; its script asks the API, so every number shown went
// through the same access rules.
func (s *Server) handleAnalytics(w nethttp.ResponseWriter, r *nethttp.Request) {
	reg, err := s.svc.Fields.Registry(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l := langOf(r)
	u := userOf(r)
	page := html.AnalyticsPage{Base: s.base(w, r, "analytics.title", "analytics")}
	for _, d := range analytics.DerivedDims {
		page.Dims = append(page.Dims, html.Choice{Value: d, Label: i18n.T(l, "analytics.dim."+d)})
	}
	for _, f := range reg.Active() {
		if f.Entity != dossier.EntityCustomer || f.Type == dossier.TypeTags || (!u.CanSeeCustomers() && slices.Contains(identifying, f.Key)) {
			continue
		}
		c := html.Choice{Value: f.Key, Label: f.Label(l)}
		page.Dims, page.Fields = append(page.Dims, c), append(page.Fields, c)
		switch f.Type {
		case dossier.TypeMoney, dossier.TypeNumber, dossier.TypePercent, dossier.TypeRating:
			page.Numbers = append(page.Numbers, c)
		}
	}
	for _, rep := range analytics.Reports {
		page.Reports = append(page.Reports, html.Choice{Value: rep.Name, Label: i18n.T(l, "analytics.report."+rep.Name)})
	}
	if page.Segments, err = s.segmentChoices(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, nethttp.StatusOK, "analytics", page)
}
