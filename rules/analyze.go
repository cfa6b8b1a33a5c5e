package rules

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/dossier/dossier"
)

type compiledRisk struct {
	RiskRule
	when, trigger *program
}

type compiledTag struct {
	TagRule
	when, value *program
}

type compiledICP struct {
	name     string
	criteria []*program
}

type compiledStrategy struct {
	StrategyRule
	when *program
}

// Engine is a compiled Set. Analyze reuses one VM and one environment, so
// an Engine serves one goroutine at a time; Clone makes another.
type Engine struct {
	set                              Set
	vars                             []Variable
	fields                           []fieldVar
	scale, growth, stickiness, value *program
	needMatch, likelihood            *program
	risks                            []compiledRisk
	grade, tier                      *program
	tags                             []compiledTag
	icps                             []compiledICP
	strategies                       []compiledStrategy
	env                              map[string]any
	aggs                             []aggFill // the aggregates some rule reads
	vm                               vmRunner
	version                          string
	terse                            bool // leave out the value inputs (bulk runs)
}

// Compile checks a Set against the registry's fields and compiles every
// expression. The first bad rule is returned as a *CompileError (or an
// EINVALID dossier.Error for a structural fault).
func Compile(s Set, fields []dossier.Field) (*Engine, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	vars := Variables(fields)
	c := newCompiler(vars)
	e := &Engine{set: s, vars: vars, fields: customerFields(fields), version: s.VersionString()}
	var err error
	grade := func(part, src string) *program {
		if err != nil {
			return nil
		}
		var p *program
		p, err = c.compile("value", "value", part, src, asString)
		return p
	}
	e.scale, e.growth, e.stickiness = grade("scale", s.Value.Scale), grade("growth", s.Value.Growth), grade("stickiness", s.Value.Stickiness)
	e.value = grade("overall", s.Value.Overall)
	if err != nil {
		return nil, err
	}
	if e.needMatch, err = c.compile("suggestions", "need_match", "need_match", s.Suggestions.NeedMatch, asNumber); err != nil {
		return nil, err
	}
	if e.likelihood, err = c.compile("suggestions", "likelihood", "likelihood", s.Suggestions.Likelihood, asNumber); err != nil {
		return nil, err
	}
	if err := e.compileLists(c); err != nil {
		return nil, err
	}
	e.env = typeEnv(vars)
	e.fields = usedFields(e.fields, e.programs())
	e.aggs = usedAggregates(e.programs())
	return e, nil
}

// programs lists every compiled expression.
func (e *Engine) programs() []*program {
	ps := []*program{e.scale, e.growth, e.stickiness, e.value, e.needMatch, e.likelihood, e.grade, e.tier}
	for _, r := range e.risks {
		ps = append(ps, r.when, r.trigger)
	}
	for _, r := range e.tags {
		ps = append(ps, r.when)
		if r.value != nil {
			ps = append(ps, r.value)
		}
	}
	for _, i := range e.icps {
		ps = append(ps, i.criteria...)
	}
	for _, s := range e.strategies {
		ps = append(ps, s.when)
	}
	return ps
}

// usedFields keeps the registry fields some rule reads: only those are
// converted for each customer, and only those need reading from the store.
func usedFields(all []fieldVar, ps []*program) []fieldVar {
	used := map[string]bool{}
	for _, p := range ps {
		if p.wholeEnv {
			return all
		}
		for _, id := range p.idents {
			used[id] = true
		}
	}
	var out []fieldVar
	for _, f := range all {
		if used[f.key] {
			out = append(out, f)
		}
	}
	return out
}

// Inputs lists the registry fields the rules read (Analyzer callers may
// fetch only these), plus those the aggregates derive from.
func (e *Engine) Inputs() []string {
	keys := []string{"industry", "budget", "founded"}
	for _, f := range e.fields {
		keys = append(keys, f.key)
	}
	return keys
}

func (e *Engine) compileLists(c *compiler) error {
	s := e.set
	var err error
	for _, r := range s.Risks {
		cr := compiledRisk{RiskRule: r}
		if cr.when, err = c.compile("risks", r.ID, "when", r.When, asBool); err != nil {
			return err
		}
		if cr.trigger, err = c.compile("risks", r.ID, "trigger", r.Trigger, asString); err != nil {
			return err
		}
		e.risks = append(e.risks, cr)
	}
	if e.grade, err = c.compile("grade", "grade", "grade", s.Grade, asString); err != nil {
		return err
	}
	if e.tier, err = c.compile("tiers", "tier", "tier", s.Tiers.Tier, asString); err != nil {
		return err
	}
	for _, r := range s.Tags {
		ct := compiledTag{TagRule: r}
		if ct.when, err = c.compile("tags", r.ID, "when", r.When, asBool); err != nil {
			return err
		}
		if r.Value != "" {
			if ct.value, err = c.compile("tags", r.ID, "value", r.Value, asString); err != nil {
				return err
			}
		}
		e.tags = append(e.tags, ct)
	}
	for _, icp := range s.ICPs {
		ci := compiledICP{name: icp.Name}
		for _, cr := range icp.Criteria {
			p, err := c.compile("icp", icp.Name, cr.Name, cr.When, asBool)
			if err != nil {
				return err
			}
			ci.criteria = append(ci.criteria, p)
		}
		e.icps = append(e.icps, ci)
	}
	for _, r := range s.Strategies {
		cs := compiledStrategy{StrategyRule: r}
		if cs.when, err = c.compile("strategies", r.ID, "when", r.When, asBool); err != nil {
			return err
		}
		e.strategies = append(e.strategies, cs)
	}
	return nil
}

// Terse returns an engine that leaves the inputs out of the value parts:
// bulk recomputes store and print only the grades, and rendering the
// inputs is a fifth of the evaluation.
func (e *Engine) Terse() *Engine {
	c := e.Clone()
	c.terse = true
	return c
}

// Set returns the rules the engine was compiled from.
func (e *Engine) Set() Set { return e.set }

// Vars returns the variables rules may use.
func (e *Engine) Vars() []Variable { return e.vars }

// Clone returns an engine sharing the compiled programs with its own VM and
// environment, for another goroutine.
func (e *Engine) Clone() *Engine {
	c := *e
	c.env = typeEnv(e.vars)
	c.vm = vmRunner{}
	return &c
}

// Fork is Clone as a dossier.Analyzer: a recompute gives each of its
// evaluating goroutines its own.
func (e *Engine) Fork() dossier.Analyzer { return e.Clone() }

// Analyze evaluates every rule for one customer as of in.Score.AsOf (or
// today). Results of rules that fail for this customer are left out and
// listed in Errors.
func (e *Engine) Analyze(in *dossier.AnalysisInput) dossier.Analysis {
	asOf, err := time.Parse(dossier.DateLayout, in.Score.AsOf)
	if err != nil {
		asOf = time.Now().UTC().Truncate(24 * time.Hour)
	}
	env := e.env
	e.fill(env, in, asOf)
	a := dossier.Analysis{CustomerID: in.CustomerID, AsOf: dossier.FormatDate(asOf), RulesVersion: e.version,
		Tags: []string{}, Risks: []dossier.RiskFinding{}, ICP: []dossier.ICPFit{}, Strategies: []dossier.Strategy{}}
	e.analyzeValue(&a, env)
	a.NeedMatchSuggestion = e.suggest(&a, e.needMatch, env, "need_match_suggestion")
	a.LikelihoodSuggestion = e.suggest(&a, e.likelihood, env, "likelihood_suggestion")
	e.analyzeRisks(&a, env)
	a.Grade = e.oneOf(&a, e.grade, env, []string{"key", "potential", "ordinary"})
	env["computed_grade"] = boxString(a.Grade)
	e.analyzeTier(&a, env, in.LastContact, asOf)
	e.analyzeTags(&a, env, in.ManualTags)
	e.analyzeICP(&a, env)
	e.analyzeStrategies(&a, env)
	a.Needs = needItems(in.Needs)
	return a
}

// oneOf runs a program whose result must be one of allowed.
func (e *Engine) oneOf(a *dossier.Analysis, p *program, env map[string]any, allowed []string) string {
	v, rerr := e.run(p, env)
	if rerr != nil {
		a.Errors = append(a.Errors, *rerr)
		return ""
	}
	s, _ := v.(string)
	if !slices.Contains(allowed, s) {
		a.Errors = append(a.Errors, dossier.RuleError{Rule: p.rule,
			Message: p.part + ": result " + render(s) + " is not one of " + strings.Join(allowed, ", ")})
		return ""
	}
	return s
}

func (e *Engine) analyzeValue(a *dossier.Analysis, env map[string]any) {
	a.ValueParts = make([]dossier.ValuePart, 0, 4)
	for _, p := range []*program{e.scale, e.growth, e.stickiness, e.value} {
		lvl := e.oneOf(a, p, env, levels)
		name := p.part
		if name == "overall" {
			env["value"] = boxString(lvl)
			a.Value = lvl
		} else {
			env[name] = boxString(lvl)
		}
		part := dossier.ValuePart{Dimension: name, Level: lvl}
		if !e.terse {
			part.Inputs = inputs(p, env)
		}
		a.ValueParts = append(a.ValueParts, part)
	}
}

func (e *Engine) suggest(a *dossier.Analysis, p *program, env map[string]any, name string) int {
	v, rerr := e.run(p, env)
	if rerr != nil {
		a.Errors = append(a.Errors, *rerr)
		return 0
	}
	f, _ := v.(float64)
	n := int(f + 0.5)
	if n < 1 || n > 5 {
		a.Errors = append(a.Errors, dossier.RuleError{Rule: p.rule, Message: p.part + ": result " + render(f) + " is not 1–5"})
		return 0
	}
	env[name] = num(float64(n))
	return n
}

var levelRank = map[string]int{"none": 0, dossier.LevelLow: 1, dossier.LevelMedium: 2, dossier.LevelHigh: 3}

func (e *Engine) analyzeRisks(a *dossier.Analysis, env map[string]any) {
	top := "none"
	var cats []string
	for _, r := range e.risks {
		if !e.holds(a, r.when, env) {
			continue
		}
		v, rerr := e.run(r.trigger, env)
		if rerr != nil {
			a.Errors = append(a.Errors, *rerr)
			continue
		}
		a.Risks = append(a.Risks, dossier.RiskFinding{RuleID: r.ID, Category: r.Category, Level: r.Level, Trigger: v.(string)})
		if levelRank[r.Level] > levelRank[top] {
			top = r.Level
		}
		if !slices.Contains(cats, r.Category) {
			cats = append(cats, r.Category)
		}
	}
	env["risk_level"], env["risk_count"], env["risk_categories"] = boxString(top), num(float64(len(a.Risks))), list(cats)
}

// holds runs a condition; a condition that fails to evaluate does not hold
// and is reported.
func (e *Engine) holds(a *dossier.Analysis, p *program, env map[string]any) bool {
	v, rerr := e.run(p, env)
	if rerr != nil {
		a.Errors = append(a.Errors, *rerr)
		return false
	}
	return v.(bool)
}

func (e *Engine) analyzeTier(a *dossier.Analysis, env map[string]any, last, asOf time.Time) {
	a.Tier = e.oneOf(a, e.tier, env, levels)
	env["tier"] = boxString(a.Tier)
	plan, ok := e.set.Tiers.Plans[a.Tier]
	if !ok {
		plan = e.set.Tiers.Plans[dossier.LevelLow]
	}
	a.Cadence, a.CadenceDays, a.Resources = plan.Cadence, plan.Days, plan.Resources
	a.PoolAfterDays = e.set.Tiers.PoolAfterDays
	from := last
	if from.IsZero() {
		from = asOf
	}
	a.NextFollowUp = dossier.FormatDate(from.AddDate(0, 0, plan.Days))
}

func (e *Engine) analyzeTags(a *dossier.Analysis, env map[string]any, manual []string) {
	tags := slices.Clone(manual)
	for _, r := range e.tags {
		if !e.holds(a, r.when, env) {
			continue
		}
		tag := r.Tag
		if r.value != nil {
			v, rerr := e.run(r.value, env)
			if rerr != nil {
				a.Errors = append(a.Errors, *rerr)
				continue
			}
			tag = strings.TrimSpace(v.(string))
		}
		if tag != "" && !slices.Contains(tags, tag) {
			tags = append(tags, tag)
			if a.TagRules == nil {
				a.TagRules = map[string]string{}
			}
			a.TagRules[tag] = r.ID
			// Set only when it grows: the list it replaces holds the
			// same tags (boxing it anew was an allocation per rule).
			env["tags"] = tags
		}
	}
	a.Tags = nonNil(tags)
}

func (e *Engine) analyzeICP(a *dossier.Analysis, env map[string]any) {
	for _, icp := range e.icps {
		fit := dossier.ICPFit{Name: icp.name}
		met := 0
		for _, c := range icp.criteria {
			if e.holds(a, c, env) {
				met++
			} else {
				fit.Unmet = append(fit.Unmet, c.part)
			}
		}
		fit.Fit = met * 100 / len(icp.criteria)
		a.ICP = append(a.ICP, fit)
	}
}

func (e *Engine) analyzeStrategies(a *dossier.Analysis, env map[string]any) {
	for _, s := range e.strategies {
		if e.holds(a, s.when, env) {
			a.Strategies = append(a.Strategies, dossier.Strategy{RuleID: s.ID, Name: s.Name, Actions: s.Actions})
		}
	}
}

// needItems orders needs by urgency × importance, highest first (R9);
// implicit needs are marked to confirm.
func needItems(needs []dossier.Need) []dossier.NeedItem {
	out := make([]dossier.NeedItem, 0, len(needs))
	for _, n := range needs {
		out = append(out, dossier.NeedItem{Type: n.Type, Explicit: n.Explicit, ToConfirm: !n.Explicit, Rank: n.Urgency * n.Importance})
	}
	slices.SortStableFunc(out, func(x, y dossier.NeedItem) int { return cmp.Compare(y.Rank, x.Rank) })
	return out
}
