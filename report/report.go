// Package report makes the analysis report of one customer (SPEC R33): its
// profile with the source of every value, contacts, needs, score, the rules'
// analysis (value, risks, ICP fit, strategy, action list) and the
// verification of its key facts, as a printable HTML document or an XLSX
// workbook with native charts.
//
// It reads through the service interfaces of package dossier only, the same
// ones the web pages use, so the command line, the profile page's print
// button and the JSON API agree on every figure. Build gathers and
// translates; WriteHTML and WriteXLSX only lay out.
package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/i18n"
	"github.com/dossier/dossier/present"
)

// Services are the stores a report reads. All are required; Policy is the
// store's resolution policy (the default when zero).
type Services struct {
	Customers dossier.CustomerService
	Records   dossier.RecordService
	Scores    dossier.ScoreService
	Fields    dossier.FieldService
	Quality   dossier.QualityService
	Analysis  dossier.AnalysisService
	Policy    dossier.ResolvePolicy
}

// Options say for whom and as of when a report is made.
type Options struct {
	Lang string // zh (default) or en
	// SeesContacts: phone numbers and e-mail addresses unmasked. The web
	// passes User.SeesContactDetails; the admin command line passes true.
	SeesContacts bool
	AsOf         time.Time // the analysis date; now when zero
	Now          time.Time // printed as the generation time; AsOf when zero
}

// Report is one customer's report, every text already in the report's
// language, so the writers need no store and no catalogue lookups beyond
// their fixed labels.
type Report struct {
	Lang       string
	CustomerID int64
	Name       string
	Generated  string // yyyy-mm-dd hh:mm
	AsOf       string // the analysis date
	Summary    []KV   // industry, stage, grade, owner, …
	MergedInto int64
	// BackURL, when set (the web), adds a link back to the profile that
	// does not print.
	BackURL string

	Profile      []Group
	Contacts     []ContactRow
	ChainGaps    string // decision-chain roles nobody holds
	Needs        []NeedRow
	Score        *ScoreView // nil: not scored yet
	Analysis     *AnalysisView
	Verification []VerificationRow
	Completeness int // 0–100
	Missing      []string
}

// KV is a label and its value.
type KV struct{ Label, Value string }

// Group is one category of the profile.
type Group struct {
	Label string
	Rows  []FactRow
}

// FactRow is a profile value with the source of the fact that won it.
type FactRow struct {
	Key, Label, Value          string
	Channel, Detail, Collected string
	CollectedBy, Remark        string
	State, StateText           string // verification of key facts
}

// ContactRow is one person at the customer.
type ContactRow struct{ Name, Title, Role, Phone, Email string }

// NeedRow is one need, ranked by urgency × importance.
type NeedRow struct {
	Type, Description, Kind    string // Kind: explicit / to confirm
	Budget, Timeline, Expected string
	Urgency, Importance, Rank  int
}

// ScoreView is the priority score (R14) with its explanation.
type ScoreView struct {
	Total         int
	Priority      string // high / medium / low
	PriorityLabel string
	AsOf          string
	Parts         []ScorePart
}

// ScorePart is one component: R, F, M or V.
type ScorePart struct {
	Component string
	Label     string
	Points    int
	Max       int
	Text      string
	Missing   bool
}

// AnalysisView is the rules' analysis in words.
type AnalysisView struct {
	Value, ValueLabel  string
	Parts              []ValueRow
	Grade              string
	Tier, TierLabel    string
	Cadence, Resources string
	NextFollowUp       string
	FollowUpOverdue    bool
	NeedMatch          int // suggested 1–5, 0 none
	Likelihood         int
	Tags               []string
	Risks              []RiskRow
	ICP                []ICPRow
	Strategies         []StrategyRow
	Tasks              []TaskRow
	Errors             []string
	RulesVersion       string
}

// ValueRow is one dimension of the value with the inputs that decided it.
type ValueRow struct{ Dimension, Level, LevelLabel, Inputs string }

// RiskRow is a risk that fires, with its trigger and since when it is open.
type RiskRow struct{ Category, Level, LevelLabel, Trigger, Since string }

// ICPRow is the fit to one ideal customer profile.
type ICPRow struct {
	Name  string
	Fit   int
	Unmet string
}

// StrategyRow is a recommended strategy with its action list.
type StrategyRow struct {
	Name    string
	Actions []ActionRow
}

// ActionRow is one step of a strategy, due some days after the analysis.
type ActionRow struct {
	Title string
	Due   string
}

// TaskRow is an open task of the action list or the follow-up cadence.
type TaskRow struct {
	Title, Owner, Due, Status string
	Overdue                   bool
}

// VerificationRow is the state of one key fact and the channels behind it.
type VerificationRow struct {
	Field, Value, State, StateText, Evidence string
}

// Build gathers a customer's report. ENOTFOUND when there is no such
// customer; the caller checks that the user may see it.
func Build(ctx context.Context, svc Services, id int64, opt Options) (*Report, error) {
	c, err := svc.Customers.FindCustomerByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return BuildFor(ctx, svc, c, opt)
}

// BuildFor is Build for a customer already found (and checked) by the caller.
func BuildFor(ctx context.Context, svc Services, c *dossier.Customer, opt Options) (*Report, error) {
	lang := i18n.Normalize(opt.Lang)
	if opt.AsOf.IsZero() {
		opt.AsOf = time.Now().UTC()
	}
	if opt.Now.IsZero() {
		opt.Now = opt.AsOf
	}
	if svc.Policy.Trust == nil {
		svc.Policy = dossier.DefaultResolvePolicy()
	}
	b := &builder{ctx: ctx, svc: svc, opt: opt, lang: lang}
	rep := &Report{Lang: lang, CustomerID: c.ID, Name: c.Name, MergedInto: c.MergedInto,
		Generated: opt.Now.Format("2006-01-02 15:04"), AsOf: dossier.FormatDate(opt.AsOf)}
	steps := []func(*dossier.Customer, *Report) error{b.profile, b.contacts, b.needs, b.score, b.analysis, b.quality}
	for _, step := range steps {
		if err := step(c, rep); err != nil {
			return nil, fmt.Errorf("report of customer %d: %w", c.ID, err)
		}
	}
	return rep, nil
}

// builder carries what every part of Build needs.
type builder struct {
	ctx  context.Context
	svc  Services
	opt  Options
	lang string
	reg  *dossier.Registry
}

func (b *builder) t(key string, args ...any) string { return i18n.T(b.lang, key, args...) }

// profile lays out the resolved profile by category, each value with the
// source of the fact that won it under the store's policy.
func (b *builder) profile(c *dossier.Customer, rep *Report) error {
	reg, err := b.svc.Fields.Registry(b.ctx)
	if err != nil {
		return err
	}
	b.reg = reg
	obs, err := b.svc.Customers.Observations(b.ctx, c.ID)
	if err != nil {
		return err
	}
	won := b.svc.Policy.Resolve(dossier.Facts(obs))
	for _, key := range []string{"credit_code", "industry", "stage", "grade", "owner"} {
		if f, ok := reg.Field(key); ok && c.Value(key) != "" {
			rep.Summary = append(rep.Summary, KV{f.Label(b.lang), display(f, c.Value(key), b.lang, b.opt.SeesContacts)})
		}
	}
	for _, cat := range dossier.Categories {
		g := Group{Label: b.t("category." + string(cat))}
		for _, f := range reg.Active() {
			v := c.Value(f.Key)
			if f.Category != cat || v == "" {
				continue
			}
			row := FactRow{Key: f.Key, Label: f.Label(b.lang), Value: display(f, v, b.lang, b.opt.SeesContacts)}
			if fact, ok := won[f.Key]; ok {
				row.Channel, row.Detail = b.t("channel."+string(fact.Source.Channel)), fact.Source.Detail
				row.Collected, row.CollectedBy = dossier.FormatDate(fact.Source.CollectedAt), fact.Source.CollectedBy
				if fact.Remark != dossier.RemarkNone {
					row.Remark = b.t("remark." + string(fact.Remark))
				}
			}
			g.Rows = append(g.Rows, row)
		}
		if len(g.Rows) > 0 {
			rep.Profile = append(rep.Profile, g)
		}
	}
	return nil
}

func (b *builder) contacts(c *dossier.Customer, rep *Report) error {
	cs, err := b.svc.Records.Contacts(b.ctx, c.ID)
	if err != nil {
		return err
	}
	for _, ct := range cs {
		rep.Contacts = append(rep.Contacts, ContactRow{Name: ct.Name, Title: ct.Title,
			Role:  optionLabel(b.reg, "contact_role", ct.Role, b.lang),
			Phone: maskContact(dossier.TypePhone, ct.Phone, b.opt.SeesContacts),
			Email: maskContact(dossier.TypeEmail, ct.Email, b.opt.SeesContacts)})
	}
	var gaps []string
	for _, g := range dossier.DecisionChainGaps(cs) {
		gaps = append(gaps, dossier.Field{Options: dossier.ContactRoleOptions}.OptionLabel(g, b.lang))
	}
	rep.ChainGaps = strings.Join(gaps, b.t("value.list_sep"))
	return nil
}

// needs lists the needs, most urgent × important first (R9).
func (b *builder) needs(c *dossier.Customer, rep *Report) error {
	ns, err := b.svc.Records.Needs(b.ctx, c.ID)
	if err != nil {
		return err
	}
	slices.SortStableFunc(ns, func(x, y dossier.Need) int {
		return cmp.Or(cmp.Compare(y.Urgency*y.Importance, x.Urgency*x.Importance), cmp.Compare(x.ID, y.ID))
	})
	budget, _ := b.reg.Field("budget")
	timeline, _ := b.reg.Field("purchase_timeline")
	for _, n := range ns {
		row := NeedRow{Type: optionLabel(b.reg, "need_type", n.Type, b.lang), Description: n.Description,
			Kind: b.t("report.need.explicit"), Budget: display(budget, n.Budget, b.lang, false),
			Timeline: display(timeline, n.Timeline, b.lang, false),
			Urgency:  n.Urgency, Importance: n.Importance, Rank: n.Urgency * n.Importance}
		if !n.Explicit {
			row.Kind = b.t("analysis.to_confirm")
		}
		if n.ExpectedAmount > 0 {
			row.Expected = dossier.Money(n.ExpectedAmount).Wan()
		}
		rep.Needs = append(rep.Needs, row)
	}
	return nil
}

// score is the latest stored score; a customer never scored has none.
func (b *builder) score(c *dossier.Customer, rep *Report) error {
	sc, err := b.svc.Scores.FindScore(b.ctx, c.ID)
	if dossier.ErrorCode(err) == dossier.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	set := dossier.DefaultScoreSettings()
	maxOf := map[string]int{"R": set.RHigh, "F": set.FHigh, "M": set.MHigh, "V": set.VBenchmark}
	v := &ScoreView{Total: sc.Total, Priority: sc.Priority, AsOf: sc.AsOf,
		PriorityLabel: dossier.Field{Options: dossier.PriorityOptions}.OptionLabel(sc.Priority, b.lang)}
	for _, l := range sc.Explanation {
		text := l.Reason
		if l.Key != "" && i18n.Has(b.lang, l.Key) {
			text = b.t(l.Key, l.Args...)
		}
		v.Parts = append(v.Parts, ScorePart{Component: l.Component, Label: b.t("report.score." + l.Component),
			Points: l.Points, Max: max(maxOf[l.Component], l.Points, 1), Text: text, Missing: l.Missing})
	}
	rep.Score = v
	return nil
}

var levelLabel = present.Level
