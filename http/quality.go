package http

import (
	"fmt"
	nethttp "net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/html"
	"github.com/dossier/dossier/i18n"
)

// The data-quality page: the duplicate review queue with merge, "not a
// duplicate" and undo; conflicts to settle; the gap worklist with peer
// estimates; invalid values. Actions are form posts that redirect back.

const qualityPageSize = 20

var qualityTabs = []string{"pairs", "conflicts", "gaps", "invalid"}

// pairFields are the fields shown side by side for a candidate pair.
var pairFields = []string{"name", "credit_code", "industry", "province", "city", "address", "main_business", "owner", "team"}

func (s *Server) handleQuality(w nethttp.ResponseWriter, r *nethttp.Request) {
	tab := r.URL.Query().Get("tab")
	if !slices.Contains(qualityTabs, tab) {
		tab = "pairs"
	}
	lang := langOf(r)
	page := html.QualityPage{Base: s.base(w, r, "quality.title", "quality"), Tab: tab, CanEdit: userOf(r).CanEditCustomers()}
	for _, t := range qualityTabs {
		page.Tabs = append(page.Tabs, html.Tab{Key: t, Label: i18n.T(lang, "quality.tab."+t), URL: "/quality?tab=" + t, Active: t == tab})
	}
	s.qualityNotice(r, &page)
	reg, err := s.svc.Fields.Registry(r.Context())
	if err == nil {
		switch tab {
		case "pairs":
			err = s.fillPairs(r, &page, reg)
		case "conflicts":
			err = s.fillConflicts(r, &page, reg)
		case "gaps":
			err = s.fillGaps(r, &page, reg)
		case "invalid":
			err = s.fillInvalid(r, &page, reg)
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, nethttp.StatusOK, "quality", page)
}

// qualityNotice says what the last action did (from the redirect's query).
func (s *Server) qualityNotice(r *nethttp.Request, page *html.QualityPage) {
	q, lang := r.URL.Query(), page.Lang
	id, _ := strconv.ParseInt(q.Get("id"), 10, 64)
	page.Done = q.Get("done")
	switch page.Done {
	case "merged":
		page.Notice, page.UndoID = i18n.T(lang, "quality.notice.merged", id), id
	case "undone":
		page.Notice = i18n.T(lang, "quality.notice.undone", id)
	case "rejected":
		page.Notice = i18n.T(lang, "quality.notice.rejected")
	case "settled":
		page.Notice = i18n.T(lang, "quality.notice.settled")
	case "estimated":
		page.Notice = i18n.T(lang, "quality.notice.estimated")
	default:
		page.Done = ""
	}
}

// pager fills the count line and the links to the neighbouring pages.
func pager(r *nethttp.Request, page *html.QualityPage, offset, n, total, size int) {
	page.Total, page.From, page.To = total, offset+1, offset+n
	if offset > 0 {
		page.PrevURL = listURL(r, map[string]string{"offset": strconv.Itoa(max(offset-size, 0)), "done": "", "id": ""})
	}
	if offset+n < total {
		page.NextURL = listURL(r, map[string]string{"offset": strconv.Itoa(offset + n), "done": "", "id": ""})
	}
}

func (s *Server) fillPairs(r *nethttp.Request, page *html.QualityPage, reg *dossier.Registry) error {
	f, err := pairFilter(r, qualityPageSize)
	if err != nil {
		return err
	}
	pairs, total, err := s.svc.Dedupe.FindPairs(r.Context(), f)
	if err != nil {
		return err
	}
	sees := userOf(r).SeesContactDetails()
	for _, p := range pairs {
		a, errA := s.svc.Customers.FindCustomerByID(r.Context(), p.A)
		b, errB := s.svc.Customers.FindCustomerByID(r.Context(), p.B)
		if errA != nil || errB != nil {
			continue
		}
		page.Pairs = append(page.Pairs, pairView(p, a, b, reg, page.Lang, sees))
	}
	pager(r, page, f.Offset, len(pairs), total, qualityPageSize)
	return s.fillMerges(r, page)
}

func pairView(p dossier.CandidatePair, a, b *dossier.Customer, reg *dossier.Registry, lang string, sees bool) html.PairView {
	v := html.PairView{ID: p.ID, Probability: fmt.Sprintf("%.0f%%", 100*p.Probability), Weight: fmt.Sprintf("%.1f", p.Weight),
		AURL: fmt.Sprintf("/customers/%d", a.ID), BURL: fmt.Sprintf("/customers/%d", b.ID), AName: a.Name, BName: b.Name}
	for _, k := range pairFields {
		f, ok := reg.Field(k)
		if !ok {
			continue
		}
		va, vb := display(f, a.Value(k), lang, sees), display(f, b.Value(k), lang, sees)
		v.Rows = append(v.Rows, html.PairRow{Label: f.Label(lang), A: va, B: vb, Same: va == vb})
	}
	for _, e := range p.Evidence {
		label := e.Field
		if f, ok := reg.Field(e.Field); ok {
			label = f.Label(lang)
		}
		level := e.Level
		if k := "quality.level." + e.Level; i18n.Has(lang, k) {
			level = i18n.T(lang, k)
		}
		v.Evidence = append(v.Evidence, html.EvidenceView{Field: label, Level: level, Weight: fmt.Sprintf("%+.1f", e.Weight)})
	}
	return v
}

// fillMerges lists recent merges the user may see, for undo.
func (s *Server) fillMerges(r *nethttp.Request, page *html.QualityPage) error {
	ms, err := s.svc.Dedupe.RecentMerges(r.Context(), 20)
	if err != nil {
		return err
	}
	for _, m := range ms {
		sv, errS := s.svc.Customers.FindCustomerByID(r.Context(), m.Survivor)
		ab, errA := s.svc.Customers.FindCustomerByID(r.Context(), m.Absorbed)
		if errS != nil || errA != nil || !inScope(userOf(r), sv) || !inScope(userOf(r), ab) {
			continue
		}
		page.Merges = append(page.Merges, html.MergeView{ID: m.ID, SurvivorURL: fmt.Sprintf("/customers/%d", sv.ID),
			SurvivorName: sv.Name, AbsorbedName: ab.Name, At: formatTime(m.At), By: m.By, Reason: m.Reason, Undone: m.UndoneAt != nil})
	}
	return nil
}

func (s *Server) fillConflicts(r *nethttp.Request, page *html.QualityPage, reg *dossier.Registry) error {
	f, err := qualityFilter(r, qualityPageSize)
	if err != nil {
		return err
	}
	cs, total, err := s.svc.Quality.FindConflicts(r.Context(), f)
	if err != nil {
		return err
	}
	sees := userOf(r).SeesContactDetails()
	for _, c := range cs {
		fld, ok := reg.Field(c.Verification.Field)
		v := html.ConflictView{CustomerID: c.CustomerID, CustomerURL: fmt.Sprintf("/customers/%d", c.CustomerID), Name: c.CustomerName,
			Field: c.Verification.Field, FieldLabel: fld.Label(page.Lang), Current: display(fld, c.Verification.Value, page.Lang, sees), Settleable: ok}
		if !ok {
			v.FieldLabel, v.Current = i18n.T(page.Lang, "quality."+c.Verification.Field), c.Verification.Value
		}
		for _, e := range c.Verification.Evidence {
			v.Evidence = append(v.Evidence, html.FactView{ChannelKey: string(e.Source.Channel), Channel: channelText(e.Source.Channel, page.Lang),
				Value: display(fld, e.Value, page.Lang, sees), Raw: e.Value, Detail: e.Source.Detail, Date: dossier.FormatDate(e.Source.CollectedAt)})
		}
		page.Conflicts = append(page.Conflicts, v)
	}
	pager(r, page, f.Offset, len(cs), total, qualityPageSize)
	return nil
}

func (s *Server) fillGaps(r *nethttp.Request, page *html.QualityPage, reg *dossier.Registry) error {
	f, err := qualityFilter(r, qualityPageSize)
	if err != nil {
		return err
	}
	page.Owner = f.Owner
	gs, total, err := s.svc.Quality.FindGaps(r.Context(), f)
	if err != nil {
		return err
	}
	for _, g := range gs {
		v := html.GapView{CustomerID: g.CustomerID, CustomerURL: fmt.Sprintf("/customers/%d", g.CustomerID), Name: g.CustomerName,
			Owner: g.Owner, Score: g.Score, Filled: g.Filled, Total: g.Total}
		for _, m := range g.Missing {
			fld, _ := reg.Field(m.Field)
			it := html.GapItem{Field: m.Field, Label: fld.Label(page.Lang), Required: m.Required, Pending: display(fld, m.Estimate, page.Lang, true)}
			if m.Estimate == "" && dossier.Estimable(fld) {
				if e, err := s.svc.Quality.PeerEstimate(r.Context(), g.CustomerID, m.Field); err == nil {
					it.Offer, it.OfferPeers = display(fld, e.Value, page.Lang, true), e.Peers
				}
			}
			v.Missing = append(v.Missing, it)
		}
		page.Gaps = append(page.Gaps, v)
	}
	pager(r, page, f.Offset, len(gs), total, qualityPageSize)
	return nil
}

func (s *Server) fillInvalid(r *nethttp.Request, page *html.QualityPage, reg *dossier.Registry) error {
	f, err := qualityFilter(r, qualityPageSize)
	if err != nil {
		return err
	}
	items, total, err := s.svc.Quality.FindInvalid(r.Context(), f)
	if err != nil {
		return err
	}
	maskInvalid(items, reg, userOf(r).SeesContactDetails())
	for _, iv := range items {
		label := iv.Field
		if fld, ok := reg.Field(iv.Field); ok {
			label = fld.Label(page.Lang)
		}
		problem := iv.Problem
		if problem == dossier.ProblemMissing {
			problem = i18n.T(page.Lang, "quality.invalid.missing")
		}
		page.Invalid = append(page.Invalid, html.InvalidView{CustomerURL: fmt.Sprintf("/customers/%d", iv.CustomerID), Name: iv.CustomerName,
			Field: label, Value: iv.Value, Problem: problem})
	}
	pager(r, page, f.Offset, len(items), total, qualityPageSize)
	return nil
}

// qualityDone redirects back to a tab of the page with what was done.
func qualityDone(w nethttp.ResponseWriter, r *nethttp.Request, tab, done string, id int64) {
	u := "/quality?tab=" + tab + "&done=" + done
	if id != 0 {
		u += "&id=" + strconv.FormatInt(id, 10)
	}
	nethttp.Redirect(w, r, u, nethttp.StatusSeeOther)
}

func (s *Server) handleQualityMerge(w nethttp.ResponseWriter, r *nethttp.Request) {
	p, err := s.visiblePair(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := s.svc.Dedupe.MergePair(r.Context(), p.ID, strings.TrimSpace(r.PostFormValue("reason")), actorOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	qualityDone(w, r, "pairs", "merged", m.ID)
}

func (s *Server) handleQualityReject(w nethttp.ResponseWriter, r *nethttp.Request) {
	p, err := s.visiblePair(r)
	if err == nil {
		_, err = s.svc.Dedupe.RejectPair(r.Context(), p.ID, actorOf(r))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	qualityDone(w, r, "pairs", "rejected", 0)
}

func (s *Server) handleQualityUndo(w nethttp.ResponseWriter, r *nethttp.Request) {
	m, err := s.visibleMerge(r)
	if err == nil {
		_, err = s.svc.Dedupe.UndoMerge(r.Context(), m.ID, actorOf(r))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	qualityDone(w, r, "pairs", "undone", m.ID)
}

func (s *Server) handleQualitySettle(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, err := s.visibleCustomer(r)
	if err == nil {
		_, err = s.svc.Quality.SettleConflict(r.Context(), dossier.Settlement{CustomerID: c.ID,
			Field: r.PostFormValue("field"), Value: r.PostFormValue("value"), By: actorOf(r)})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	qualityDone(w, r, "conflicts", "settled", 0)
}

func (s *Server) handleQualityEstimate(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, err := s.visibleCustomer(r)
	if err == nil {
		_, err = s.svc.Quality.AcceptEstimate(r.Context(), c.ID, r.PostFormValue("field"), actorOf(r))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	qualityDone(w, r, "gaps", "estimated", 0)
}

// qualityOfCustomer adds to a customer's page the verification state of its
// key facts, its completeness and, for a merged customer, its survivor.
func (s *Server) qualityOfCustomer(r *nethttp.Request, c *dossier.Customer, page *html.CustomerPage, reg *dossier.Registry,
	obs []dossier.Observation, contacts []dossier.Contact) error {
	set, err := s.svc.Quality.QualitySettings(r.Context())
	if err != nil {
		return err
	}
	facts := dossier.Facts(obs)
	policy := policyOf(s.svc.Customers)
	states := map[string]string{}
	for _, v := range dossier.Verify(reg, facts, policy, set.Tolerance) {
		states[v.Field] = v.State
	}
	for gi := range page.Groups {
		for ri := range page.Groups[gi].Rows {
			row := &page.Groups[gi].Rows[ri]
			if st, ok := states[row.Key]; ok {
				row.State, row.StateText = st, i18n.T(page.Lang, "quality.state."+st)
			}
		}
	}
	page.Completeness = dossier.AssessCompleteness(reg, policy.Resolve(facts), len(contacts) > 0).Score
	dm := dossier.VerifyDecisionMaker(contacts)
	page.DecisionMaker, page.DecisionMakerText = dm.State, i18n.T(page.Lang, "quality.state."+dm.State)
	page.MergedInto = c.MergedInto
	return nil
}
