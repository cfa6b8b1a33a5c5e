package http

import (
	"cmp"
	"context"
	"encoding/json"
	nethttp "net/http"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/html"
)

// studyWrite is the body of POST /api/v1/analyses: an analysis (SPEC R1)
// with its scope given as a saved segment's name or a filter expression.
type studyWrite struct {
	Name    string   `json:"name"`
	Goal    string   `json:"goal"`
	Segment string   `json:"segment,omitempty"`
	Scope   string   `json:"scope,omitempty"`
	Roles   []string `json:"roles,omitempty"`
}

// studyRuns is the body of GET /api/v1/analyses/{id}: the analysis and its
// runs, newest first.
type studyRuns struct {
	dossier.Study
	RunList []dossier.Snapshot `json:"run_list"`
}

// createStudy stores an analysis owned by the caller. A segment the caller
// may not use is reported as missing, as in filters.
func (s *Server) createStudy(r *nethttp.Request, in studyWrite) (*dossier.Study, error) {
	if in.Segment != "" {
		seg, err := s.svc.Segments.FindSegment(r.Context(), in.Segment)
		if err != nil || !seg.VisibleTo(userOf(r)) {
			return nil, dossier.FieldError("segment", "no segment %q", in.Segment)
		}
	}
	st := &dossier.Study{Name: in.Name, Goal: in.Goal, Segment: in.Segment, Scope: in.Scope, Roles: in.Roles, Owner: userOf(r).Name}
	if err := s.svc.Snapshots.CreateStudy(r.Context(), st); err != nil {
		return nil, err
	}
	return st, nil
}

// visibleStudy is the analysis named by {id} if the user may see it;
// ENOTFOUND otherwise, so its existence does not leak.
func (s *Server) visibleStudy(r *nethttp.Request) (*dossier.Study, error) {
	id, err := pathID(r, "analysis")
	if err != nil {
		return nil, err
	}
	st, err := s.svc.Snapshots.FindStudy(r.Context(), strconv.FormatInt(id, 10))
	if err == nil && !st.VisibleTo(userOf(r)) {
		err = dossier.Errorf(dossier.ENOTFOUND, "no analysis %d", id)
	}
	return st, err
}

// visibleStudies are the analyses the user may see.
func (s *Server) visibleStudies(ctx context.Context, u *dossier.User) ([]dossier.Study, error) {
	all, err := s.svc.Snapshots.Studies(ctx)
	out := []dossier.Study{}
	for _, st := range all {
		if st.VisibleTo(u) {
			out = append(out, st)
		}
	}
	return out, err
}

// compareStudy compares two runs of an analysis (by default its last two,
// or its only run with now), narrowed to the user's customers. A snapshot
// that is not one of the analysis's runs is reported as missing.
func (s *Server) compareStudy(r *nethttp.Request, st *dossier.Study, fromRef, toRef string) (*dossier.Comparison, error) {
	ctx := r.Context()
	a, b, err := dossier.PickRuns(ctx, s.svc.Snapshots, st, fromRef, toRef)
	if err != nil {
		return nil, err
	}
	var pair [2]*dossier.Snapshot
	for i, ref := range []string{a, b} {
		if pair[i], err = s.svc.Snapshots.ResolveSnapshot(ctx, ref); err != nil {
			return nil, err
		}
		if pair[i].ID != 0 && pair[i].StudyID != st.ID {
			return nil, dossier.Errorf(dossier.ENOTFOUND, "no run %s of analysis %d", ref, st.ID)
		}
		if pair[i].ID == 0 {
			pair[i].Scope = st.Scope // now, within the analysis's scope
		}
	}
	return s.compare(r, pair[0], pair[1], dossier.CustomerFilter{})
}

// compare runs a comparison within the user's scope. Users who see
// aggregates only get no mean score of fewer than minGroup customers.
func (s *Server) compare(r *nethttp.Request, from, to *dossier.Snapshot, f dossier.CustomerFilter) (*dossier.Comparison, error) {
	u := userOf(r)
	u.CustomerScope(&f)
	c, err := s.svc.Snapshots.CompareSnapshots(r.Context(), from, to, f)
	if err == nil && !u.CanSeeCustomers() && c.Customers < minGroup {
		c.ScoreFrom, c.ScoreTo = 0, 0
	}
	return c, err
}

func (s *Server) handleAPIStudies(w nethttp.ResponseWriter, r *nethttp.Request) {
	ss, err := s.visibleStudies(r.Context(), userOf(r))
	var p page[dossier.Study]
	if err == nil {
		p, err = namedPage(r, "analyses", ss, func(s dossier.Study) string { return s.Name }, func(s dossier.Study) int64 { return s.ID })
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, p)
}

func (s *Server) handleAPICreateStudy(w nethttp.ResponseWriter, r *nethttp.Request) {
	var in studyWrite
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.createStudy(r, in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusCreated, st)
}

func (s *Server) handleAPIStudy(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, err := s.visibleStudy(r)
	var runs []dossier.Snapshot
	if err == nil {
		runs, err = s.svc.Snapshots.Snapshots(r.Context(), st.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if runs == nil {
		runs = []dossier.Snapshot{}
	}
	writeJSON(w, nethttp.StatusOK, studyRuns{*st, runs})
}

func (s *Server) handleAPIRunStudy(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, err := s.visibleStudy(r)
	var run *dossier.Snapshot
	if err == nil {
		run, err = s.svc.Snapshots.RunStudy(r.Context(), st.ID, userOf(r).Name)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusCreated, run)
}

func (s *Server) handleAPICompareStudy(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, err := s.visibleStudy(r)
	var c *dossier.Comparison
	if err == nil {
		c, err = s.compareStudy(r, st, r.URL.Query().Get("from"), r.URL.Query().Get("to"))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, c)
}

// handleAPISnapshots lists the snapshots of every customer (not the
// analyses' runs, which their analyses show to whom may see them).
func (s *Server) handleAPISnapshots(w nethttp.ResponseWriter, r *nethttp.Request) {
	limit, err := apiLimit(r)
	var k *cursorKey
	if err == nil {
		k, err = readCursor(r, "snapshots", 2)
	}
	after := func(dossier.Snapshot) bool { return true }
	if k != nil { // newest first: taken at, then id, descending
		id, at := k.id(0), k.time(1)
		after, err = func(s dossier.Snapshot) bool { return cmp.Or(at.Compare(s.TakenAt), cmp.Compare(id, s.ID)) > 0 }, k.err()
	}
	var ss []dossier.Snapshot
	if err == nil {
		ss, err = s.svc.Snapshots.Snapshots(r.Context(), -1)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, newPage("snapshots", pageAfter(ss, after, limit), limit,
		func(s dossier.Snapshot) []string { return []string{itoa(s.ID), stamp(s.TakenAt)} }))
}

// handleAPICompareSnapshots compares a segment between two snapshots or
// dates ("a year ago vs now").
func (s *Server) handleAPICompareSnapshots(w nethttp.ResponseWriter, r *nethttp.Request) {
	f, err := s.analysisFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	from := q.Get("from")
	if from == "" { // the latest snapshot
		ss, err := s.svc.Snapshots.Snapshots(r.Context(), -1)
		if err != nil || len(ss) == 0 {
			s.fail(w, r, cmp.Or(err, error(dossier.Errorf(dossier.ENOTFOUND, "no snapshot yet"))))
			return
		}
		from = strconv.FormatInt(ss[0].ID, 10)
	}
	var pair [2]*dossier.Snapshot
	for i, ref := range []string{from, q.Get("to")} {
		if pair[i], err = s.svc.Snapshots.ResolveSnapshot(r.Context(), ref); err != nil {
			s.fail(w, r, err)
			return
		}
		if pair[i].StudyID != 0 {
			s.fail(w, r, dossier.Errorf(dossier.ENOTFOUND, "no snapshot %s", ref))
			return
		}
	}
	c, err := s.svc.Snapshots.CompareSnapshots(r.Context(), pair[0], pair[1], f)
	if err == nil && !userOf(r).CanSeeCustomers() && c.Customers < minGroup {
		c.ScoreFrom, c.ScoreTo = 0, 0
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, c)
}

// handleAnalyses is the analyses page: the analyses the user may see, a
// form to add one, and for the chosen one its runs and the comparison of
// two of them, as tables and a chart.
func (s *Server) handleAnalyses(w nethttp.ResponseWriter, r *nethttp.Request) {
	u, q := userOf(r), r.URL.Query()
	page := html.AnalysesPage{Base: s.base(w, r, "analyses.title", "analyses")}
	var err error
	if page.Studies, err = s.visibleStudies(r.Context(), u); err != nil {
		s.fail(w, r, err)
		return
	}
	if page.Segments, err = s.segmentChoices(r); err != nil {
		s.fail(w, r, err)
		return
	}
	page.Roles = dossier.Roles
	if id := q.Get("id"); id != "" {
		r.SetPathValue("id", id)
		if page.Study, err = s.visibleStudy(r); err != nil {
			s.fail(w, r, err)
			return
		}
		if page.Runs, err = s.svc.Snapshots.Snapshots(r.Context(), page.Study.ID); err != nil {
			s.fail(w, r, err)
			return
		}
		if len(page.Runs) > 0 {
			c, err := s.compareStudy(r, page.Study, q.Get("from"), q.Get("to"))
			if err != nil {
				s.fail(w, r, err)
				return
			}
			page.Comparison = html.NewComparisonView(c, page.Lang)
			chart, _ := json.Marshal(page.Comparison.Chart)
			page.ChartJSON = string(chart)
		}
	}
	s.render(w, r, nethttp.StatusOK, "analyses", page)
}

// handleCreateAnalysis is the page's form: name, goal, scope and roles.
func (s *Server) handleCreateAnalysis(w nethttp.ResponseWriter, r *nethttp.Request) {
	in := studyWrite{Name: r.PostFormValue("name"), Goal: r.PostFormValue("goal"),
		Segment: strings.TrimSpace(r.PostFormValue("segment")), Scope: r.PostFormValue("scope")}
	in.Roles = r.PostForm["roles"]
	st, err := s.createStudy(r, in)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nethttp.Redirect(w, r, "/analyses?id="+strconv.FormatInt(st.ID, 10), nethttp.StatusSeeOther)
}

// handleRunAnalysis runs an analysis from the page and shows the new run
// against the previous one.
func (s *Server) handleRunAnalysis(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, err := s.visibleStudy(r)
	if err == nil {
		_, err = s.svc.Snapshots.RunStudy(r.Context(), st.ID, userOf(r).Name)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nethttp.Redirect(w, r, "/analyses?id="+strconv.FormatInt(st.ID, 10), nethttp.StatusSeeOther)
}
