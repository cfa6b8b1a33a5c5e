package http

import (
	"cmp"
	"fmt"
	nethttp "net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/html"
	"github.com/dossier/dossier/i18n"
)

const interactionsShown = 50

func (s *Server) handleCustomer(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, err := s.visibleCustomer(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.customerPage(r, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page.Base = s.base(w, r, "customer.title", "customers")
	page.Title = c.Name
	s.render(w, r, nethttp.StatusOK, "customer", page)
}

// customerPage gathers a customer's profile, records and score.
func (s *Server) customerPage(r *nethttp.Request, c *dossier.Customer) (html.CustomerPage, error) {
	ctx, lang, sees := r.Context(), langOf(r), userOf(r).SeesContactDetails()
	page := html.CustomerPage{ID: c.ID, Name: c.Name}
	reg, err := s.svc.Fields.Registry(ctx)
	if err != nil {
		return page, err
	}
	obs, err := s.svc.Customers.Observations(ctx, c.ID)
	if err != nil {
		return page, err
	}
	contacts, err := s.svc.Records.Contacts(ctx, c.ID)
	if err != nil {
		return page, err
	}
	inters, err := s.svc.Records.Interactions(ctx, c.ID)
	if err != nil {
		return page, err
	}
	page.Summary = customerSummary(c, reg, lang)
	page.Groups = fieldGroups(c, reg, policyOf(s.svc.Customers).Resolve(dossier.Facts(obs)), lang, sees)
	if sees && hasPersonalData(c, reg, contacts) {
		if err := s.audit(r, dossier.AuditContactView, "customer", c.ID, "page"); err != nil {
			return page, err
		}
	}
	page.Contacts, page.ChainGaps = contactRows(contacts, reg, lang, sees)
	page.Chain = decisionChain(c, contacts, lang)
	page.Interactions, page.InteractionsTotal = interactionRows(inters, reg, lang), len(inters)
	if userOf(r).CanEditCustomers() {
		page.SurveyAction = fmt.Sprintf("/customers/%d/survey-links", c.ID)
		if c.MergedInto == 0 {
			page.Edit = editForm(c, reg, lang, c.Values, c.Version)
		}
	}
	page.Share = shareForm(userOf(r), c)
	if page.Score, err = s.scoreView(r, c.ID); err != nil {
		return page, err
	}
	// A customer merged into another has no analysis of its own: it lives on
	// in its survivor, which the quality section links to.
	if c.MergedInto == 0 {
		if page.Analysis, err = s.analysisView(r, c.ID); err != nil {
			return page, err
		}
	}
	return page, s.qualityOfCustomer(r, c, &page, reg, obs, contacts)
}

func customerSummary(c *dossier.Customer, reg *dossier.Registry, lang string) []string {
	var out []string
	for _, s := range []string{c.Industry, optionLabel(reg, "stage", c.Stage, lang), optionLabel(reg, "grade", c.Grade, lang)} {
		if s != "" {
			out = append(out, s)
		}
	}
	if c.Owner != "" {
		out = append(out, i18n.T(lang, "customer.owner", c.Owner))
	}
	return out
}

// fieldGroups lays out the profile by the registry's categories, each value
// with the source of the fact that won it.
func fieldGroups(c *dossier.Customer, reg *dossier.Registry, won map[string]dossier.Fact, lang string, sees bool) []html.FieldGroup {
	var groups []html.FieldGroup
	for _, cat := range dossier.Categories {
		g := html.FieldGroup{Label: i18n.T(lang, "category."+string(cat))}
		for _, f := range reg.Active() {
			v := c.Value(f.Key)
			if f.Category != cat || v == "" {
				continue
			}
			row := html.FieldRow{Key: f.Key, Label: f.Label(lang), Value: display(f, v, lang, sees),
				HistoryURL: fmt.Sprintf("/customers/%d/fields/%s", c.ID, url.PathEscape(f.Key))}
			if fact, ok := won[f.Key]; ok {
				row.Channel, row.ChannelText = string(fact.Source.Channel), channelText(fact.Source.Channel, lang)
				row.Detail, row.Remark = fact.Source.Detail, remarkText(fact.Remark, lang)
			}
			g.Rows = append(g.Rows, row)
		}
		if len(g.Rows) > 0 {
			groups = append(groups, g)
		}
	}
	return groups
}

// contactRows lists contacts, masked as the role requires, and the
// decision-chain roles nobody holds (SPEC R2: the system says so).
func contactRows(cs []dossier.Contact, reg *dossier.Registry, lang string, sees bool) ([]html.ContactRow, string) {
	rows := make([]html.ContactRow, 0, len(cs))
	for _, c := range cs {
		rows = append(rows, html.ContactRow{
			Name: c.Name, Title: c.Title, Role: optionLabel(reg, "contact_role", c.Role, lang),
			Phone: maskContact(dossier.TypePhone, c.Phone, sees), Email: maskContact(dossier.TypeEmail, c.Email, sees),
			Preferences: c.Preferences,
		})
	}
	var gaps []string
	for _, g := range dossier.DecisionChainGaps(cs) {
		gaps = append(gaps, labelIn(dossier.ContactRoleOptions, g, lang))
	}
	return rows, strings.Join(gaps, i18n.T(lang, "value.list_sep"))
}

// interactionRows shows the latest interactions, newest first.
func interactionRows(in []dossier.Interaction, reg *dossier.Registry, lang string) []html.InteractionRow {
	sorted := slices.Clone(in)
	slices.SortFunc(sorted, func(a, b dossier.Interaction) int {
		return cmp.Or(cmp.Compare(b.Date, a.Date), cmp.Compare(b.ID, a.ID))
	})
	rows := make([]html.InteractionRow, 0, min(len(sorted), interactionsShown))
	for _, it := range sorted[:min(len(sorted), interactionsShown)] {
		rows = append(rows, html.InteractionRow{
			Date: it.Date, Channel: optionLabel(reg, "last_contact_channel", it.Channel, lang),
			Summary: it.Summary, Feedback: labelIn(dossier.FeedbackOptions, it.Feedback, lang),
			FeedbackText: it.FeedbackText, RecordedBy: it.RecordedBy,
		})
	}
	return rows
}

// scoreView is the customer's latest score with its explanation in the
// user's language; nil when the customer has not been scored yet.
func (s *Server) scoreView(r *nethttp.Request, id int64) (*html.ScoreView, error) {
	sc, err := s.svc.Scores.FindScore(r.Context(), id)
	if dossier.ErrorCode(err) == dossier.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	lang := langOf(r)
	v := &html.ScoreView{Total: sc.Total, Priority: sc.Priority, AsOf: sc.AsOf,
		PriorityLabel: labelIn(dossier.PriorityOptions, sc.Priority, lang)}
	for _, l := range sc.Explanation {
		v.Lines = append(v.Lines, html.ScoreLineView{Component: l.Component, Points: l.Points, Text: scoreLineText(l, lang), Missing: l.Missing})
	}
	return v, nil
}

// scoreLineText is a score line in lang, or its English reason where the
// catalogue lacks its key.
func scoreLineText(l dossier.ScoreLine, lang string) string {
	if l.Key != "" && i18n.Has(lang, l.Key) {
		return i18n.T(lang, l.Key, l.Args...)
	}
	return l.Reason
}

// handleFieldHistory lists every fact of one field of a customer, marking
// the one that currently wins.
func (s *Server) handleFieldHistory(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, reg, err := s.visibleCustomerAndRegistry(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, ok := reg.Field(r.PathValue("key"))
	if !ok {
		s.fail(w, r, dossier.Errorf(dossier.ENOTFOUND, "no field %q", r.PathValue("key")))
		return
	}
	facts, winner, err := s.svc.Customers.FieldHistory(r.Context(), c.ID, f.Key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sees := userOf(r).SeesContactDetails()
	if sees && len(facts) > 0 && (f.Type == dossier.TypePhone || f.Type == dossier.TypeEmail) {
		if err := s.audit(r, dossier.AuditContactView, "customer", c.ID, "field "+f.Key); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	lang := langOf(r)
	page := html.FieldPage{Base: s.base(w, r, "history.title", "customers"), CustomerName: c.Name,
		CustomerURL: fmt.Sprintf("/customers/%d", c.ID), FieldLabel: f.Label(lang)}
	page.Title = f.Label(lang) + " · " + c.Name
	page.Facts = factRows(facts, winner, f, lang, sees)
	s.render(w, r, nethttp.StatusOK, "field", page)
}

func factRows(facts []dossier.Fact, winner *dossier.Fact, f dossier.Field, lang string, sees bool) []html.FactRow {
	rows := make([]html.FactRow, 0, len(facts))
	for _, ft := range facts {
		value := display(f, ft.Value, lang, sees)
		if ft.Value == "" {
			value = i18n.T(lang, "history.cleared")
		}
		rows = append(rows, html.FactRow{
			Value: value, Channel: string(ft.Source.Channel), ChannelText: channelText(ft.Source.Channel, lang),
			Detail: ft.Source.Detail, CollectedAt: formatTime(ft.Source.CollectedAt), CollectedBy: ft.Source.CollectedBy,
			Remark: remarkText(ft.Remark, lang), RecordedAt: formatTime(ft.RecordedAt),
			Winner: winner != nil && winner.ObservationID == ft.ObservationID && winner.Field == ft.Field,
		})
	}
	return rows
}
