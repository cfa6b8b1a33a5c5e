package http

import (
	"encoding/json"
	"fmt"
	nethttp "net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/html"
	"github.com/dossier/dossier/i18n"
)

// The tasks and cadence board (issue #7, screen 7): follow-up and action
// tasks in four columns, each tier's cadence from the rules in force, and
// the public pool (公海) with a claim button.

const (
	boardColumnRows = 50 // tasks per column; the board says when there are more
	boardDoneDays   = 7  // the done column: tasks closed this many days back
	boardPoolRows   = 20
	maxPostponeDays = 90
)

var boardTiers = []string{dossier.LevelHigh, dossier.LevelMedium, dossier.LevelLow}

// boardScope is the task filter of the board: the user's customers, and
// the owner and tier asked for. A rep's board is their own tasks; a manager
// or admin picks an owner of their scope, or sees all of it.
func (s *Server) boardScope(r *nethttp.Request) (dossier.TaskFilter, error) {
	u, q := userOf(r), r.URL.Query()
	var scope dossier.CustomerFilter
	u.CustomerScope(&scope)
	f := dossier.TaskFilter{CustomerOwner: scope.Owner, SharedTeam: scope.SharedTeam, Team: scope.Team,
		Owner: strings.TrimSpace(q.Get("owner")), Tier: q.Get("tier"), AsOf: dossier.FormatDate(s.now().UTC()), Limit: boardColumnRows}
	if !u.CanAssignOwners() {
		f.Owner = u.Name
	}
	if f.Tier != "" && !slices.Contains(boardTiers, f.Tier) {
		return f, dossier.FieldError("tier", "tier must be high, medium or low")
	}
	return f, nil
}

func (s *Server) handleTasks(w nethttp.ResponseWriter, r *nethttp.Request) {
	f, err := s.boardScope(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang, u := langOf(r), userOf(r)
	page := html.TasksPage{Base: s.base(w, r, "board.title", "tasks"), Owner: f.Owner, Tier: f.Tier,
		CanPickOwner: u.CanAssignOwners(), CanEdit: u.CanEditCustomers(), Back: "/tasks?" + listQuery(r, nil)}
	page.Tiers = choicesOf(dossier.PriorityOptions, f.Tier, lang)
	if page.CanPickOwner {
		if page.Owners, err = s.ownerChoices(r, f.Owner); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if page.Columns, err = s.boardColumns(r, f); err != nil {
		s.fail(w, r, err)
		return
	}
	if page.Cadences, page.PoolAfterDays, err = s.cadences(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if page.Pool, page.PoolTotal, err = s.pool(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, nethttp.StatusOK, "tasks", page)
}

// boardColumns fills the four columns, one query each, bounded.
func (s *Server) boardColumns(r *nethttp.Request, f dossier.TaskFilter) ([]html.TaskColumn, error) {
	today, _ := time.Parse(dossier.DateLayout, f.AsOf)
	day := func(n int) string { return dossier.FormatDate(today.AddDate(0, 0, n)) }
	open := f
	open.Status = dossier.TaskOpen
	overdue, week, later, done := open, open, open, f
	overdue.Overdue = true
	week.DueFrom, week.DueTo = f.AsOf, day(6)
	later.DueFrom = day(7)
	done.Status, done.ClosedSince = dossier.TaskDone, day(-boardDoneDays)
	lang := langOf(r)
	var cols []html.TaskColumn
	for _, c := range []struct {
		key string
		f   dossier.TaskFilter
	}{{"overdue", overdue}, {"week", week}, {"later", later}, {"done", done}} {
		ts, err := s.svc.Analysis.FindTasks(r.Context(), c.f)
		if err != nil {
			return nil, err
		}
		col := html.TaskColumn{Key: c.key, Label: i18n.T(lang, "board.col."+c.key), More: len(ts) >= boardColumnRows}
		for _, t := range ts {
			col.Cards = append(col.Cards, html.TaskCard{ID: t.ID, Title: t.Title, Customer: t.CustomerName,
				CustomerURL: customerURL(t.CustomerID), Owner: t.Owner, Due: t.Due, Overdue: t.Overdue,
				Open: t.Status == dossier.TaskOpen, Tier: t.Tier, TierLabel: labelIn(dossier.PriorityOptions, t.Tier, lang)})
		}
		cols = append(cols, col)
	}
	return cols, nil
}

// ownerChoices are the users whose tasks a manager may pick: their team's
// (every user for an admin or a manager without a team).
func (s *Server) ownerChoices(r *nethttp.Request, selected string) ([]html.Choice, error) {
	users, err := s.svc.Users.ListUsers(r.Context())
	if err != nil {
		return nil, err
	}
	u := userOf(r)
	var out []html.Choice
	for _, x := range users {
		if u.Role == dossier.RoleAdmin || u.Team == "" || x.Team == u.Team {
			out = append(out, html.Choice{Value: x.Name, Label: x.Name, Selected: x.Name == selected})
		}
	}
	return out, nil
}

// tierPlans is the part of the tier rules the board shows (rules.TierRules).
type tierPlans struct {
	Plans map[string]struct {
		Cadence   string `json:"cadence"`
		Days      int    `json:"days"`
		Resources string `json:"resources"`
	} `json:"plans"`
	PoolAfterDays int `json:"pool_after_days"`
}

// cadences reads each tier's follow-up plan from the tier rules in force.
func (s *Server) cadences(r *nethttp.Request) ([]html.CadenceView, int, error) {
	kinds, err := s.svc.Analysis.RuleKinds(r.Context())
	if err != nil {
		return nil, 0, err
	}
	lang := langOf(r)
	for _, k := range kinds {
		if k.Kind != "tiers" {
			continue
		}
		var tp tierPlans
		if err := json.Unmarshal([]byte(k.Body), &tp); err != nil {
			return nil, 0, fmt.Errorf("tier rules: %w", err)
		}
		var out []html.CadenceView
		for _, t := range boardTiers {
			p, ok := tp.Plans[t]
			if !ok {
				continue
			}
			cad := p.Cadence
			if i18n.Has(lang, "cadence."+cad) {
				cad = i18n.T(lang, "cadence."+cad)
			}
			out = append(out, html.CadenceView{Tier: t, TierLabel: labelIn(dossier.PriorityOptions, t, lang),
				Cadence: cad, Days: p.Days, Resources: p.Resources})
		}
		return out, tp.PoolAfterDays, nil
	}
	return nil, 0, nil
}

// pool lists the public pool the user sees, most recently changed first.
func (s *Server) pool(r *nethttp.Request) ([]html.PoolRow, int, error) {
	u := userOf(r)
	ps, ok := s.svc.Customers.(dossier.PoolService)
	if !ok {
		return nil, 0, dossier.Errorf(dossier.EINTERNAL, "the customer store has no public pool")
	}
	items, total, err := ps.FindPool(r.Context(), u.PoolTeam(), boardPoolRows)
	if err != nil {
		return nil, 0, err
	}
	rows := make([]html.PoolRow, 0, len(items))
	for _, c := range items {
		row := html.PoolRow{ID: c.ID, Name: c.Name, Industry: c.Industry, LastContact: c.LastContact, Team: c.Team,
			CanClaim: u.CanClaim(c)}
		if u.SeesCustomer(c) {
			row.URL = customerURL(c.ID)
		}
		rows = append(rows, row)
	}
	return rows, total, nil
}

// handleClaim takes a customer from the public pool: the user becomes its
// owner (an internal observation, audited) and its open tasks become theirs.
func (s *Server) handleClaim(w nethttp.ResponseWriter, r *nethttp.Request) {
	u := userOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, dossier.Errorf(dossier.ENOTFOUND, "no customer %q", r.PathValue("id")))
		return
	}
	c, err := s.svc.Customers.FindCustomerByID(r.Context(), id)
	switch {
	case err != nil:
	case c.Owner != "" && u.SeesCustomer(c):
		err = dossier.Errorf(dossier.ECONFLICT, "customer %d already has an owner", id)
	case !u.CanClaim(c):
		err = dossier.Errorf(dossier.ENOTFOUND, "no customer %d in your public pool", id)
	default:
		err = s.claim(r, c)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nethttp.Redirect(w, r, "/tasks", nethttp.StatusSeeOther)
}

func (s *Server) claim(r *nethttp.Request, c *dossier.Customer) error {
	u := userOf(r)
	if err := s.setOwner(r, c, u, "claimed from the public pool"); err != nil {
		return err
	}
	ts, err := s.svc.Analysis.FindTasks(r.Context(), dossier.TaskFilter{CustomerID: c.ID, Status: dossier.TaskOpen})
	if err != nil {
		return err
	}
	for _, t := range ts {
		if t.Owner == "" {
			if _, err := s.svc.Analysis.UpdateTask(r.Context(), t.ID, dossier.TaskUpdate{Owner: &u.Name}, u.Name); err != nil {
				return err
			}
		}
	}
	return nil
}

// postponeDue is the new due date of a task put off by days: from its due
// date, or from today when it is already overdue.
func postponeDue(due, today string, days int) string {
	from, err := time.Parse(dossier.DateLayout, max(due, today))
	if err != nil {
		from, _ = time.Parse(dossier.DateLayout, today)
	}
	return dossier.FormatDate(from.AddDate(0, 0, days))
}

// taskChange reads the task form: a new status, or a number of days to put
// the task off by.
func (s *Server) taskChange(r *nethttp.Request) (dossier.TaskUpdate, error) {
	if v := r.PostFormValue("postpone"); v != "" {
		days, err := strconv.Atoi(v)
		if err != nil || days < 1 || days > maxPostponeDays {
			return dossier.TaskUpdate{}, dossier.FieldError("postpone", "postpone by 1–%d days", maxPostponeDays)
		}
		t, err := s.visibleTask(r)
		if err != nil {
			return dossier.TaskUpdate{}, err
		}
		due := postponeDue(t.Due, dossier.FormatDate(s.now().UTC()), days)
		return dossier.TaskUpdate{Due: &due}, nil
	}
	status := r.PostFormValue("status")
	if !dossier.ValidTaskStatus(status) {
		return dossier.TaskUpdate{}, dossier.FieldError("status", "status must be open, done or cancelled")
	}
	return dossier.TaskUpdate{Status: &status}, nil
}

// safeBack is where a task form returns: the customer page or the board it
// came from, never another site.
func safeBack(back string) string {
	u, err := url.Parse(back)
	if err != nil || u.Host != "" || u.Scheme != "" || strings.HasPrefix(back, "//") ||
		!(strings.HasPrefix(u.Path, "/customers/") || u.Path == "/tasks") {
		return "/customers"
	}
	return back
}
