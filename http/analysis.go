package http

import (
	"fmt"
	nethttp "net/http"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/html"
	"github.com/dossier/dossier/i18n"
	"github.com/dossier/dossier/present"
	"github.com/dossier/dossier/rules"
)

// analysisService returns the configured analysis service or, when none
// was given, the rules service over the customer store if that store can
// serve one (the SQL store can): the analysis is part of every customer
// page, so it should not need wiring of its own.
func analysisService(svc Services) dossier.AnalysisService {
	if svc.Analysis != nil {
		return svc.Analysis
	}
	if b, ok := svc.Customers.(rules.Backend); ok {
		return rules.NewService(b)
	}
	return nil
}

// customerAnalysis is the JSON of GET /api/v1/customers/{id}/analysis: the
// analysis with every explanation, the risk records and the tasks.
type customerAnalysis struct {
	*dossier.Analysis
	RiskRecords []dossier.Risk         `json:"risk_records"`
	Tasks       []dossier.Task         `json:"tasks"`
	History     []dossier.HistoryEntry `json:"history"`
}

func (s *Server) loadAnalysis(r *nethttp.Request, id int64) (*customerAnalysis, error) {
	ctx := r.Context()
	a, err := s.svc.Analysis.Analyze(ctx, id, s.now().UTC())
	if err != nil {
		return nil, err
	}
	risks, err := s.svc.Analysis.FindRisks(ctx, id, false)
	if err != nil {
		return nil, err
	}
	tasks, err := s.svc.Analysis.FindTasks(ctx, dossier.TaskFilter{CustomerID: id, Status: dossier.TaskOpen, AsOf: dossier.FormatDate(s.now().UTC())})
	if err != nil {
		return nil, err
	}
	hist, err := s.svc.Analysis.ScoreHistory(ctx, id)
	if err != nil {
		return nil, err
	}
	return &customerAnalysis{Analysis: a, RiskRecords: risks, Tasks: tasks, History: hist}, nil
}

func (s *Server) handleAPIAnalysis(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, err := s.visibleCustomer(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.loadAnalysis(r, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, a)
}

// handleAPITag sets or removes a hand-set tag ({"tag": "渠道-展会获客",
// "remove": false}); the next recompute keeps it and rules may use it.
func (s *Server) handleAPITag(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, err := s.visibleCustomer(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var body tagWrite
	if err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.svc.Analysis.SetManualTag(r.Context(), c.ID, body.Tag, body.Remove); err != nil {
		s.fail(w, r, err)
		return
	}
	verb := "add"
	if body.Remove {
		verb = "remove"
	}
	if err := s.audit(r, dossier.AuditCustomerUpdate, "customer", c.ID, "tag "+verb+" "+body.Tag); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, tagResult{CustomerID: c.ID, Tag: strings.TrimSpace(body.Tag), Removed: body.Remove})
}

// tagWrite adds (or with Remove, removes) a hand-set tag.
type tagWrite struct {
	Tag    string `json:"tag"`
	Remove bool   `json:"remove,omitempty"`
}

// tagResult says which tag changed on which customer.
type tagResult struct {
	CustomerID int64  `json:"customer_id"`
	Tag        string `json:"tag"`
	Removed    bool   `json:"removed"`
}

// taskFilter reads a task list's query and narrows it to the user's scope.
func (s *Server) taskFilter(r *nethttp.Request) (dossier.TaskFilter, error) {
	q := r.URL.Query()
	f := dossier.TaskFilter{Owner: q.Get("owner"), Status: q.Get("status"), Overdue: q.Get("overdue") == "true",
		AsOf: dossier.FormatDate(s.now().UTC())}
	if f.Status == "" {
		f.Status = dossier.TaskOpen
	} else if f.Status == "all" {
		f.Status = ""
	} else if !dossier.ValidTaskStatus(f.Status) {
		return f, dossier.FieldError("status", "status must be open, done, cancelled or all")
	}
	for key, dst := range map[string]*int64{"customer_id": &f.CustomerID} {
		if v := q.Get(key); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return f, dossier.FieldError(key, "%s must be a number", key)
			}
			*dst = n
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return f, dossier.FieldError("limit", "limit must be 1–1000")
		}
		f.Limit = n
	} else {
		f.Limit = defaultTaskLimit
	}
	if err := parseTaskCursor(r, &f); err != nil {
		return f, err
	}
	var scope dossier.CustomerFilter
	userOf(r).CustomerScope(&scope)
	f.CustomerOwner, f.SharedTeam, f.Team = scope.Owner, scope.SharedTeam, scope.Team
	return f, nil
}

// defaultTaskLimit is the size of a page of GET /api/v1/tasks without
// limit, as before it was paged.
const defaultTaskLimit = 200

// taskList is the body of GET /api/v1/tasks.
type taskList struct {
	Items []dossier.Task `json:"items"`
	Limit int            `json:"limit"`
	// NextCursor pages on (cursor=…); empty on the last page. Keyset on
	// (due, id), so tasks added while a client pages neither repeat nor
	// skip others.
	NextCursor string `json:"next_cursor,omitempty"`
}

func (s *Server) handleAPITasks(w nethttp.ResponseWriter, r *nethttp.Request) {
	f, err := s.taskFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tasks, err := s.svc.Analysis.FindTasks(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := taskList{Items: tasks, Limit: f.Limit}
	if n := len(tasks); n > 0 {
		out.NextCursor = taskCursor(n, f.Limit, tasks[n-1])
	}
	writeJSON(w, nethttp.StatusOK, out)
}

// visibleTask finds the task named by {id} among those the user may see;
// another's is not found.
func (s *Server) visibleTask(r *nethttp.Request) (*dossier.Task, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "no task %q", r.PathValue("id"))
	}
	var scope dossier.CustomerFilter
	userOf(r).CustomerScope(&scope)
	ts, err := s.svc.Analysis.FindTasks(r.Context(), dossier.TaskFilter{ID: id, CustomerOwner: scope.Owner, SharedTeam: scope.SharedTeam, Team: scope.Team,
		AsOf: dossier.FormatDate(s.now().UTC())})
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "no task %d", id)
	}
	return &ts[0], nil
}

// updateTask applies a change to a visible task and audits it.
func (s *Server) updateTask(r *nethttp.Request, upd dossier.TaskUpdate) (*dossier.Task, error) {
	t, err := s.visibleTask(r)
	if err != nil {
		return nil, err
	}
	out, err := s.svc.Analysis.UpdateTask(r.Context(), t.ID, upd, userOf(r).Name)
	if err != nil {
		return nil, err
	}
	detail := fmt.Sprintf("task %d of customer %d: %s → %s", t.ID, t.CustomerID, t.Status, out.Status)
	if out.Due != t.Due {
		detail += fmt.Sprintf(", due %s → %s", t.Due, out.Due)
	}
	return out, s.audit(r, dossier.AuditTaskUpdate, "customer", t.CustomerID, detail)
}

// taskWrite is the body of PATCH /api/v1/tasks/{id}: the fields to change.
type taskWrite struct {
	Status *string `json:"status,omitempty"`
	Title  *string `json:"title,omitempty"`
	Due    *string `json:"due,omitempty"`
	Owner  *string `json:"owner,omitempty"`
	// Version, when sent (or If-Match), must be the task's (409 otherwise).
	Version int64 `json:"version,omitempty"`
}

func (s *Server) handleAPIUpdateTask(w nethttp.ResponseWriter, r *nethttp.Request) {
	var body taskWrite
	if err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.Status != nil && !dossier.ValidTaskStatus(*body.Status) {
		s.fail(w, r, dossier.FieldError("status", "status must be open, done or cancelled"))
		return
	}
	if body.Version != 0 || r.Header.Get("If-Match") != "" {
		v, err := versionOf(r, body.Version)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		body.Version = v
	}
	t, err := s.updateTask(r, dossier.TaskUpdate{Status: body.Status, Title: body.Title, Due: body.Due, Owner: body.Owner, Version: body.Version})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, t)
}

// handleTaskForm closes, reopens or postpones a task from the customer
// page or the tasks board, and returns there.
func (s *Server) handleTaskForm(w nethttp.ResponseWriter, r *nethttp.Request) {
	upd, err := s.taskChange(r)
	if err == nil {
		_, err = s.updateTask(r, upd)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nethttp.Redirect(w, r, safeBack(r.PostFormValue("back")), nethttp.StatusSeeOther)
}

// analysisView lays out the analysis for the customer page.
func (s *Server) analysisView(r *nethttp.Request, id int64) (*html.AnalysisView, error) {
	ca, err := s.loadAnalysis(r, id)
	if err != nil {
		return nil, err
	}
	reg, err := s.svc.Fields.Registry(r.Context())
	if err != nil {
		return nil, err
	}
	lang, a, u := langOf(r), ca.Analysis, userOf(r)
	v := &html.AnalysisView{Value: a.Value, ValueLabel: levelLabel(lang, a.Value), Grade: labelIn(dossier.GradeOptions, a.Grade, lang),
		Tier: a.Tier, TierLabel: labelIn(dossier.PriorityOptions, a.Tier, lang),
		Resources: a.Resources, NextFollowUp: a.NextFollowUp, FollowUpOverdue: a.NextFollowUp < a.AsOf, Tags: a.Tags,
		NeedMatch: a.NeedMatchSuggestion, Likelihood: a.LikelihoodSuggestion, CanEdit: u.CanEditCustomers(), IsAdmin: u.Role == dossier.RoleAdmin}
	if a.Cadence != "" {
		v.Cadence = i18n.T(lang, "cadence."+a.Cadence)
	}
	for _, p := range a.ValueParts {
		v.Parts = append(v.Parts, html.ValueView{Label: i18n.T(lang, "analysis.dim."+p.Dimension), Level: p.Level, LevelLabel: levelLabel(lang, p.Level), Inputs: present.Inputs(reg, p.Inputs, lang)})
	}
	for _, rk := range ca.RiskRecords {
		if rk.ResolvedAt != nil {
			continue
		}
		v.Risks = append(v.Risks, html.RiskView{Category: rk.Category, CategoryLabel: i18n.T(lang, "risk."+rk.Category),
			Level: rk.Level, LevelLabel: levelLabel(lang, rk.Level), Trigger: rk.Trigger, Since: formatTime(rk.Since)})
	}
	for _, f := range a.ICP {
		v.ICP = append(v.ICP, html.ICPView{Name: f.Name, Fit: f.Fit, Unmet: strings.Join(f.Unmet, i18n.T(lang, "value.list_sep"))})
	}
	for _, st := range a.Strategies {
		v.Strategies = append(v.Strategies, st.Name)
	}
	for _, n := range a.Needs {
		text := fmt.Sprintf("%s (%d)", n.Type, n.Rank)
		if n.ToConfirm {
			text += " · " + i18n.T(lang, "analysis.to_confirm")
		}
		v.Needs = append(v.Needs, text)
	}
	for _, t := range ca.Tasks {
		v.Tasks = append(v.Tasks, html.TaskView{ID: t.ID, Title: t.Title, Owner: t.Owner, Due: t.Due, Status: t.Status, Overdue: t.Overdue})
	}
	for _, h := range ca.History[:min(len(ca.History), 5)] {
		v.History = append(v.History, fmt.Sprintf("%s · %d · %s", h.AsOf, h.Total, historyText(h, lang)))
	}
	for _, e := range a.Errors {
		v.Errors = append(v.Errors, e.Rule+": "+e.Message)
	}
	return v, nil
}

var levelLabel = present.Level

// historyText is a history row's cause in lang: from its parts, or the
// English text of rows written before the parts were kept.
func historyText(h dossier.HistoryEntry, lang string) string {
	d := h.Detail
	if d == nil {
		return h.Cause
	}
	var parts, lines []string
	if d.First {
		parts = append(parts, i18n.T(lang, "scorehist.first"))
	}
	for _, c := range d.Changes {
		label := levelLabel
		if c.What == "tier" {
			label = func(lang, v string) string { return labelIn(dossier.PriorityOptions, v, lang) }
		}
		parts = append(parts, i18n.T(lang, "scorehist.change", i18n.T(lang, "scorehist."+c.What), label(lang, c.From), label(lang, c.To)))
	}
	for _, l := range d.Lines {
		lines = append(lines, l.Component+" "+strconv.Itoa(l.Points)+" "+scoreLineText(l, lang))
	}
	sep := i18n.T(lang, "value.list_sep")
	return strings.Join(parts, sep) + i18n.T(lang, "scorehist.because", strings.Join(lines, sep))
}

// handleRules shows every kind of rules with its version, for an admin.
func (s *Server) handleRules(w nethttp.ResponseWriter, r *nethttp.Request) {
	s.renderRules(w, r, nethttp.StatusOK, html.RulesPage{Saved: r.URL.Query().Get("saved")}, "")
}

func (s *Server) renderRules(w nethttp.ResponseWriter, r *nethttp.Request, status int, page html.RulesPage, draft string) {
	kinds, err := s.svc.Analysis.RuleKinds(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := langOf(r)
	page.Base = s.base(w, r, "rules.title", "rules")
	for _, k := range kinds {
		body := k.Body
		if k.Kind == page.ErrorKind {
			body = draft // show what was refused, to fix it
		}
		page.Kinds = append(page.Kinds, html.RuleKindView{Kind: k.Kind, Label: i18n.T(lang, "rules.kind."+k.Kind),
			Version: k.Version, Count: k.Count, Body: body})
	}
	s.render(w, r, status, "rules", page)
}

// handleSaveRules validates and saves a new version of one kind; a bad rule
// is shown again with the error and its position, and nothing is saved.
func (s *Server) handleSaveRules(w nethttp.ResponseWriter, r *nethttp.Request) {
	kind, body := r.PostFormValue("kind"), r.PostFormValue("body")
	v, err := s.svc.Analysis.SaveRules(r.Context(), kind, []byte(body), userOf(r).Name)
	if err == nil {
		err = s.audit(r, dossier.AuditRulesSave, "rules", int64(v), kind)
	}
	switch dossier.ErrorCode(err) {
	case "":
		nethttp.Redirect(w, r, "/admin/rules?saved="+urlQueryEscape(fmt.Sprintf("%s v%d", kind, v)), nethttp.StatusSeeOther)
	case dossier.EINVALID:
		s.renderRules(w, r, nethttp.StatusBadRequest, html.RulesPage{Error: dossier.ErrorMessage(err), ErrorKind: kind}, body)
	default:
		s.fail(w, r, err)
	}
}
