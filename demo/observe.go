package demo

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/dossier/dossier"
)

// Observations are what each channel said about the customer (R4). Every
// customer has a public record (business registry or annual report) and an
// internal CRM record; most also have what the customer told us, many a
// third-party report. Some fields come from two channels with different
// values — revenue from the annual report and the rep's estimate, employees
// from the registry's insured headcount and the customer's own figure — so
// cross-verification and conflicts have something to show. Each observation
// is collected at its own hour, so no two tie when the profile is resolved.
func (g *generator) observations(p *profile, needs []dossier.Need, projects []dossier.Project, lastDay int, r *rand.Rand) []dossier.Observation {
	obs := make([]dossier.Observation, 0, 4)
	pub := !p.dup || chance(r, 0.4)
	if pub {
		obs = append(obs, g.publicObs(p, r))
	}
	cust := chance(r, 0.8)
	if p.dup {
		cust = !pub || chance(r, 0.5)
	}
	if cust {
		obs = append(obs, g.customerObs(p, needs[0], r))
	}
	if !p.dup && chance(r, 0.45) {
		obs = append(obs, g.thirdPartyObs(p, r))
	}
	obs = append(obs, g.internalObs(p, needs[0], projects, max(lastDay, p.needDay), !cust, r))
	slices.SortFunc(obs, func(a, b dossier.Observation) int { return a.Source.CollectedAt.Compare(b.Source.CollectedAt) })
	return obs
}

// newObs starts an observation with room for about size values.
func newObs(p *profile, ch dossier.Channel, detail string, at time.Time, by string, size int) dossier.Observation {
	return dossier.Observation{CustomerID: p.id, RecordedAt: at, Values: make(map[string]string, size),
		Source: dossier.Source{Channel: ch, Detail: detail, CollectedAt: at, CollectedBy: by}}
}

// set stores a value; empty values are left out, not stored as a clear.
func set(o *dossier.Observation, key, v string) {
	if v != "" {
		o.Values[key] = v
	}
}

func mark(o *dossier.Observation, key string, rm dossier.Remark) {
	if _, ok := o.Values[key]; !ok {
		return
	}
	if o.Remarks == nil {
		o.Remarks = map[string]dossier.Remark{}
	}
	o.Remarks[key] = rm
}

// setIndustry stores the industry unless the plan leaves it empty.
func setIndustry(o *dossier.Observation, p *profile) {
	if p.invalid != invalidIndustry {
		set(o, "industry", p.path)
	}
}

// publicObs is the business registry entry or, for a listed company, its
// annual report.
func (g *generator) publicObs(p *profile, r *rand.Rand) dossier.Observation {
	at := g.day(max(0, p.first-between(r, 1, 30)), 10)
	annual := p.form == formJoint && chance(r, 0.6)
	detail := pick(r, registrySources)
	if annual {
		detail = strconv.Itoa(at.Year()-1) + "年年报"
	}
	o := newObs(p, dossier.ChannelPublic, detail, at, p.owner.Name, 10)
	set(&o, "name", p.name)
	code := p.creditCode
	if p.invalid == invalidCreditCode {
		code = breakCreditCode(code, r)
	}
	set(&o, "credit_code", code)
	set(&o, "founded", p.founded.Format(dossier.DateLayout))
	set(&o, "registered_capital", money(p.capital))
	set(&o, "province", p.prov.Name)
	set(&o, "city", p.city)
	set(&o, "address", p.address)
	set(&o, "main_business", p.business)
	setIndustry(&o, p)
	if annual {
		set(&o, "employees", itoa(p.employees))
		set(&o, "revenue", money(p.revenue))
		if chance(r, 0.6) {
			set(&o, "industry_rank", drawRank(p, r))
		}
		return o
	}
	// The registry shows insured staff, fewer than the real headcount.
	insured := max(3, int(float64(p.employees)*(0.6+0.35*r.Float64())))
	set(&o, "employees", itoa(insured))
	mark(&o, "employees", dossier.RemarkDynamic)
	return o
}

// customerObs is what the customer said: the core need, the decision
// process, goals, its own size.
func (g *generator) customerObs(p *profile, nd dossier.Need, r *rand.Rand) dossier.Observation {
	o := newObs(p, dossier.ChannelCustomer, pick(r, customerSources), g.day(p.needDay, 14), p.owner.Name, 12)
	g.setNeed(&o, p, nd, r)
	if chance(r, 0.7) {
		set(&o, "decision_process", pick(r, decisionProcesses))
	}
	if chance(r, 0.6) {
		set(&o, "decision_factors", drawFactors(p, r))
	}
	if chance(r, 0.6) {
		set(&o, "strategic_goals", drawGoals(p, r))
	}
	if chance(r, 0.5) {
		set(&o, "employees", itoa(p.employees))
		mark(&o, "employees", dossier.RemarkDynamic)
	}
	if chance(r, 0.25) {
		set(&o, "main_competitors", g.drawCompetitors(p, r))
		mark(&o, "main_competitors", dossier.RemarkDynamic)
	}
	if chance(r, 0.35) { // what the customer says it turns over
		set(&o, "revenue", money(roughly(p.revenue, 0.1, r)))
	}
	if chance(r, 0.4) {
		groups, ok := customerGroups[p.ind.section]
		if !ok {
			groups = customerGroups[""]
		}
		set(&o, "customer_groups", pick(r, groups))
	}
	if p.size >= sizeMedium && chance(r, 0.3) {
		set(&o, "revenue_history", revenueHistory(p, g.cfg.AsOf.Year(), r))
		set(&o, "profit_growth", itoa(between(r, -15, 35)))
	}
	if p.custType == "ka" && chance(r, 0.5) {
		set(&o, "branches", drawBranches(p, r))
	}
	return o
}

// setNeed stores the core need's fields, leaving need_type out when the
// plan makes it the record's invalid value.
func (g *generator) setNeed(o *dossier.Observation, p *profile, nd dossier.Need, r *rand.Rand) {
	if p.invalid != invalidNeedType {
		set(o, "need_type", nd.Type)
	}
	set(o, "need_description", nd.Description)
	set(o, "budget", nd.Budget)
	set(o, "purchase_timeline", nd.Timeline)
	if pr := productNamed(nd.Type); pr != nil {
		set(o, "pain_points", pick(r, pr.pains))
	}
}

func productNamed(name string) *product {
	for i := range products {
		if products[i].name == name {
			return &products[i]
		}
	}
	return nil
}

// thirdPartyObs is a credit report (risk inputs), an industry study (rank,
// share, competitors) or an exhibition directory.
func (g *generator) thirdPartyObs(p *profile, r *rand.Rand) dossier.Observation {
	at := g.day(between(r, p.first, g.days-1), 16)
	switch u := r.Float64(); {
	case u < 0.5:
		o := newObs(p, dossier.ChannelThirdParty, "信用报告", at, p.owner.Name, 5)
		set(&o, "debt_ratio", itoa(between(r, 15, 60)+[]int{0, 0, 10, 25}[r.IntN(4)]))
		overdue := int64(0)
		if chance(r, 0.4) {
			overdue = roundTo(float64(p.revenue)*logUniform(r, 0.002, 0.05), 10_000)
		}
		set(&o, "overdue_receivables", money(overdue))
		set(&o, "revenue", money(roughly(p.revenue, 0.15, r)))
		registrySignals(&o, p)
		return o
	case u < 0.8:
		o := newObs(p, dossier.ChannelThirdParty, "行业研究报告", at, p.owner.Name, 5)
		set(&o, "industry_rank", drawRank(p, r))
		set(&o, "market_share", drawShare(p, r))
		set(&o, "main_competitors", g.drawCompetitors(p, r))
		set(&o, "core_advantages", drawAdvantages(r))
		mark(&o, "market_share", dossier.RemarkDynamic)
		mark(&o, "main_competitors", dossier.RemarkDynamic)
		return o
	}
	o := newObs(p, dossier.ChannelThirdParty, "展会名录", at, p.owner.Name, 5)
	set(&o, "name", p.name)
	set(&o, "main_business", p.business)
	set(&o, "province", p.prov.Name)
	set(&o, "city", p.city)
	setIndustry(&o, p)
	return o
}

// internalObs is the CRM record as of the last activity: stage, owner, the
// rep's judgement and estimates. A rep's revenue estimate and a budget heard
// in passing are pending verification; now and then the rep noted a
// different decision process than the customer described.
func (g *generator) internalObs(p *profile, nd dossier.Need, projects []dossier.Project, day int, withNeed bool, r *rand.Rand) dossier.Observation {
	o := newObs(p, dossier.ChannelInternal, pick(r, internalSources), g.day(max(day, p.first), 18), p.owner.Name, 16)
	set(&o, "name", p.name)
	setIndustry(&o, p)
	set(&o, "customer_type", p.custType)
	set(&o, "stage", p.stage)
	set(&o, "owner", p.owner.Name)
	set(&o, "team", p.owner.Team)
	set(&o, "strategic_value", p.strategic)
	set(&o, "grade", p.grade)
	set(&o, "need_match", itoa(p.needMatch))
	set(&o, "likelihood", itoa(p.likelihood))
	if nd.ExpectedAmount > 0 {
		set(&o, "expected_amount", money(nd.ExpectedAmount))
	}
	if withNeed {
		g.setNeed(&o, p, nd, r)
	}
	if n := len(projects); n > 0 {
		set(&o, "satisfaction", itoa(projects[n-1].Satisfaction))
		if chance(r, 0.3) {
			set(&o, "overdue_receivables", money(roundTo(float64(projects[n-1].Amount)*r.Float64()*0.3, 1000)))
		}
	}
	reason := ""
	if p.stage == "churned" {
		reason = drawChurnReason(r)
		set(&o, "churn_reason", reason)
	}
	g.setWinLoss(&o, p, reason)
	if (p.strategic == "benchmark" || p.strategic == "regional_leader") && chance(r, 0.5) {
		set(&o, "industry_rank", drawRank(p, r))
	}
	g.setEstimates(&o, p, nd, withNeed, r)
	return o
}

// setEstimates adds the rep's own figures. A budget heard in passing is
// added only when the customer stated one in another observation.
func (g *generator) setEstimates(o *dossier.Observation, p *profile, nd dossier.Need, withNeed bool, r *rand.Rand) {
	if chance(r, 0.5) {
		set(o, "revenue", money(roughly(p.revenue, 0.3, r)))
		mark(o, "revenue", dossier.RemarkPending)
	}
	if !withNeed && nd.Budget != "" && chance(r, 0.2) {
		lo, hi := budgetBand(p, productNamed(nd.Type), r)
		set(o, "budget", money(lo)+"-"+money(hi))
		mark(o, "budget", dossier.RemarkPending)
	}
	if chance(r, 0.15) {
		set(o, "decision_process", pick(r, decisionProcesses))
	}
}

// roughly returns n off by up to ±frac, rounded as people round estimates.
func roughly(n int64, frac float64, r *rand.Rand) int64 {
	v := float64(n) * (1 - frac + 2*frac*r.Float64())
	if v >= 1e8 {
		return roundTo(v, 1_000_000)
	}
	return roundTo(v, 100_000)
}

func drawChurnReason(r *rand.Rand) string {
	t := 0
	for _, c := range churnReasons {
		t += c.weight
	}
	x := r.IntN(t)
	for _, c := range churnReasons {
		if x -= c.weight; x < 0 {
			return c.text
		}
	}
	return churnReasons[0].text
}

// registryShares are the business-registry records a credit report (from
// 企查查 or 天眼查) lists — 失信被执行人, 经营异常, 行政处罚, 股权冻结 — with the
// share of reported companies that have each, per 1,000.
var registryShares = []struct {
	key      string
	perMille uint64
}{{"dishonest_debtor", 30}, {"abnormal_operations", 120}, {"administrative_penalties", 90}, {"equity_freezes", 20}}

// registrySignals adds the registry records of the few companies that have
// some. They are drawn from a hash of the company, not from r, so adding
// them left every other value of the data set as it was.
func registrySignals(o *dossier.Observation, p *profile) {
	h := uint64(p.company)*0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019
	for _, s := range registryShares {
		h ^= h >> 29
		h *= 0xBF58476D1CE4E5B9
		if h%1000 < s.perMille {
			set(o, s.key, itoa(1+int(h>>40%3)))
		}
	}
}
