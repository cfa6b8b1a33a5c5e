package report

import (
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/present"
)

// analysis is the rules' analysis as of the report's date, with the open
// risk records (for since when a risk is open) and the open tasks: what the
// profile page shows, from the same AnalysisService.
func (b *builder) analysis(c *dossier.Customer, rep *Report) error {
	if c.MergedInto != 0 {
		return nil // a merged customer lives on in its survivor
	}
	a, err := b.svc.Analysis.Analyze(b.ctx, c.ID, b.opt.AsOf)
	if err != nil {
		return err
	}
	records, err := b.svc.Analysis.FindRisks(b.ctx, c.ID, true)
	if err != nil {
		return err
	}
	asOf := dossier.FormatDate(b.opt.AsOf)
	tasks, err := b.svc.Analysis.FindTasks(b.ctx, dossier.TaskFilter{CustomerID: c.ID, Status: dossier.TaskOpen, AsOf: asOf})
	if err != nil {
		return err
	}
	sep := b.t("value.list_sep")
	v := &AnalysisView{Value: a.Value, ValueLabel: levelLabel(b.lang, a.Value),
		Grade: dossier.Field{Options: dossier.GradeOptions}.OptionLabel(a.Grade, b.lang),
		Tier:  a.Tier, TierLabel: dossier.Field{Options: dossier.PriorityOptions}.OptionLabel(a.Tier, b.lang),
		Resources: a.Resources, NextFollowUp: a.NextFollowUp, FollowUpOverdue: a.NextFollowUp != "" && a.NextFollowUp < a.AsOf,
		NeedMatch: a.NeedMatchSuggestion, Likelihood: a.LikelihoodSuggestion, Tags: a.Tags, RulesVersion: a.RulesVersion}
	if a.Cadence != "" {
		v.Cadence = b.t("cadence." + a.Cadence)
	}
	for _, p := range a.ValueParts {
		v.Parts = append(v.Parts, ValueRow{Dimension: b.t("analysis.dim." + p.Dimension), Level: p.Level,
			LevelLabel: levelLabel(b.lang, p.Level), Inputs: present.Inputs(b.reg, p.Inputs, b.lang)})
	}
	since := map[string]string{}
	for _, r := range records {
		since[r.RuleID] = dossier.FormatDate(r.Since)
	}
	for _, r := range a.Risks {
		v.Risks = append(v.Risks, RiskRow{Category: b.t("risk." + r.Category), Level: r.Level,
			LevelLabel: levelLabel(b.lang, r.Level), Trigger: r.Trigger, Since: since[r.RuleID]})
	}
	for _, f := range a.ICP {
		v.ICP = append(v.ICP, ICPRow{Name: f.Name, Fit: min(max(f.Fit, 0), 100), Unmet: strings.Join(f.Unmet, sep)})
	}
	for _, s := range a.Strategies {
		row := StrategyRow{Name: s.Name}
		for _, act := range s.Actions {
			row.Actions = append(row.Actions, ActionRow{Title: act.Title,
				Due: dossier.FormatDate(b.opt.AsOf.Add(time.Duration(act.DueDays) * 24 * time.Hour))})
		}
		v.Strategies = append(v.Strategies, row)
	}
	for _, t := range tasks {
		v.Tasks = append(v.Tasks, TaskRow{Title: t.Title, Owner: t.Owner, Due: t.Due,
			Status: b.t("report.task." + t.Status), Overdue: t.Overdue})
	}
	for _, e := range a.Errors {
		v.Errors = append(v.Errors, e.Rule+": "+e.Message)
	}
	rep.Analysis = v
	return nil
}

// quality states each key fact (verified, unverified, conflict) with the
// channels behind it, and the record's completeness.
func (b *builder) quality(c *dossier.Customer, rep *Report) error {
	vs, err := b.svc.Quality.Verification(b.ctx, c.ID)
	if err != nil {
		return err
	}
	states := map[string]string{}
	sep := b.t("value.list_sep")
	for _, v := range vs {
		f, ok := b.reg.Field(v.Field)
		if !ok {
			continue
		}
		states[v.Field] = v.State
		var ev []string
		for _, x := range v.Evidence {
			ev = append(ev, b.t("channel."+string(x.Source.Channel))+" "+display(f, x.Value, b.lang, b.opt.SeesContacts))
		}
		rep.Verification = append(rep.Verification, VerificationRow{Field: f.Label(b.lang),
			Value: display(f, v.Value, b.lang, b.opt.SeesContacts), State: v.State,
			StateText: b.t("quality.state." + v.State), Evidence: strings.Join(ev, sep)})
	}
	for gi := range rep.Profile {
		for ri := range rep.Profile[gi].Rows {
			row := &rep.Profile[gi].Rows[ri]
			if st, ok := states[row.Key]; ok {
				row.State, row.StateText = st, b.t("quality.state."+st)
			}
		}
	}
	comp, err := b.svc.Quality.Completeness(b.ctx, c.ID)
	if err != nil {
		return err
	}
	rep.Completeness = comp.Score
	for _, g := range comp.Missing {
		label := g.Field
		if f, ok := b.reg.Field(g.Field); ok {
			label = f.Label(b.lang)
		}
		rep.Missing = append(rep.Missing, label)
	}
	return nil
}
