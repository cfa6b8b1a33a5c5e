package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"
)

// profile is the truth about one company, drawn first; observations,
// contacts, interactions, needs and projects are then written about it, each
// telling part of the truth from its own angle.
type profile struct {
	company int
	id      int64
	dup     bool // a planted second record: fewer sources, another rep
	invalid string

	trade      []syllable
	prov       *provinceInfo
	city       string
	cityIdx    int
	ind        *industryInfo
	path       string // the industry field's value
	address    string
	business   string
	word       word
	form       string
	style      int
	name       string
	domain     string
	creditCode string // "" when the record does not know it

	size      int // sizeMicro … sizeHuge
	employees int
	revenue   int64
	capital   int64
	founded   time.Time
	custType  string
	stage     string
	strategic string
	owner     Owner

	activity   int
	first      int // day of first contact
	needDay    int // day the needs were collected
	end        int // last day of regular contact: the churn date for churned customers
	likelihood int
	needMatch  int
	grade      string
}

// Size classes by employees.
var sizeClasses = []struct {
	weight int
	lo, hi float64
}{{20, 10, 49}, {35, 50, 299}, {25, 300, 999}, {15, 1000, 4999}, {5, 5000, 50000}}

var sizeW = func() weighted {
	ws := make([]int, len(sizeClasses))
	for i, s := range sizeClasses {
		ws[i] = s.weight
	}
	return newWeighted(ws)
}()

const (
	sizeMedium = 2
	sizeLarge  = 3
)

// revenuePerHead is annual revenue per employee in yuan, by section.
var revenuePerHead = map[string]float64{
	"制造业": 6e5, "信息技术": 5e5, "批发和零售业": 1.5e6, "建筑业": 8e5, "金融业": 2e6, "交通运输": 7e5, "房地产业": 2e6,
}

var capitalSteps = []int64{500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000, 50_000_000,
	100_000_000, 200_000_000, 500_000_000, 1_000_000_000}

// Activity classes: how often the customer is contacted.
const (
	activityActive  = iota // 20-40 interactions, most in the last three months
	activityRegular        // 6-14
	activitySparse         // 1-5
	activityDormant        // 2-8, none in the last six months
	activityNone           // never contacted
)

var activityW = newWeighted([]int{12, 43, 27, 13, 5})

// profile draws company c, whose record has the given id.
func (g *generator) profile(c int, id int64) profile {
	r := newRand(g.cfg.Seed, streamProfile, uint64(c))
	p := profile{company: c, id: id, invalid: g.plan.invalid(c)}
	g.drawPlace(&p, r)
	g.drawSize(&p, r)
	g.drawName(&p, r)
	g.drawRelationship(&p, r)
	return p
}

func (g *generator) drawPlace(p *profile, r *rand.Rand) {
	p.prov = &g.provinces[g.provW.draw(r)]
	p.cityIdx = p.prov.cityW.draw(r)
	p.city = p.prov.Cities[p.cityIdx]
	p.ind = &g.industries[g.indW.draw(r)]
	p.path = p.ind.path
	p.word = pick(r, p.ind.words)
	p.business = pick(r, p.ind.business)
	p.address = p.city + pick(r, addressZones) + pick(r, addressRoads) + itoa(between(r, 1, 999)) + "号"
}

func (g *generator) drawSize(p *profile, r *rand.Rand) {
	p.size = sizeW.draw(r)
	sc := sizeClasses[p.size]
	p.employees = int(logUniform(r, sc.lo, sc.hi))
	if p.employees >= 100 {
		p.employees = int(roundTo(float64(p.employees), 10))
	}
	perHead, ok := revenuePerHead[p.ind.section]
	if !ok {
		perHead = 4e5
	}
	rev := float64(p.employees) * perHead * logUniform(r, 0.5, 2)
	unit := int64(100_000)
	if rev >= 1e8 {
		unit = 1_000_000
	}
	p.revenue = roundTo(rev, unit)
	p.capital = capitalSteps[min(len(capitalSteps)-1, p.size*2+r.IntN(3))]
	years := between(r, 2, 8+p.size*5)
	p.founded = g.cfg.AsOf.AddDate(-years, -r.IntN(12), -r.IntN(28))
	p.custType = "smb"
	if (p.size >= sizeLarge && chance(r, 0.85)) || (p.size == sizeMedium && chance(r, 0.1)) {
		p.custType = "ka"
	}
	switch u := r.Float64(); {
	case u < 0.08:
		p.strategic = "" // not assessed yet
	case p.size == 4 && u < 0.5, p.size == 3 && u < 0.2, u < 0.09:
		p.strategic = "benchmark"
	case p.size >= 3 && u < 0.6, p.size == 2 && u < 0.25, u < 0.12:
		p.strategic = "regional_leader"
	default:
		p.strategic = "ordinary"
	}
}

func (g *generator) drawName(p *profile, r *rand.Rand) {
	p.trade = g.names.trade(p.company)
	switch u := r.Float64(); {
	case p.size >= sizeLarge && u < 0.4, u < 0.05:
		p.form = formJoint
	case u < 0.3:
		p.form = formLLC2
	default:
		p.form = formLLC
	}
	switch u := r.Float64(); {
	case p.size >= sizeLarge && u < 0.2:
		p.style = styleGroup
	case u < 0.55:
		p.style = styleCity
	case u < 0.8:
		p.style = styleBracket
	default:
		p.style = styleProvince
	}
	p.name = companyName(p.style, &p.prov.Province, p.city, joinZH(p.trade), p.word.zh, p.form)
	p.domain = domain(p.trade, pick(r, []string{"com", "com", "com.cn", "cn"}))
	division := p.prov.code + fmt.Sprintf("%02d%02d", p.cityIdx+1, between(r, 1, 12))
	p.creditCode = creditCode(g.orgPerm, p.company, division)
}

// drawRelationship decides the stage and the rhythm of contact.
func (g *generator) drawRelationship(p *profile, r *rand.Rand) {
	p.owner = pick(r, g.teamReps[p.prov.team])
	p.stage = pick(r, []string{"prospect", "prospect", "prospect", "prospect", "prospect",
		"won", "won", "won", "won", "churned", "churned"})
	p.activity = activityW.draw(r)
	latestFirst := g.days - 8 // prospects: first contact at least a week ago
	switch p.stage {
	case "won":
		latestFirst = g.days - 121
	case "churned":
		latestFirst = g.days - 241
	}
	if p.activity == activityDormant {
		latestFirst = min(latestFirst, g.days-200)
	}
	p.first = r.IntN(latestFirst + 1)
	p.end = g.days - 1
	switch {
	case p.stage == "churned":
		p.end = between(r, p.first+120, g.days-31)
	case p.activity == activityDormant:
		p.end = between(r, p.first, g.days-181)
	}
	p.needDay = min(p.first+r.IntN(45), g.days-1)
	g.drawAssessment(p, r)
}

// drawAssessment sets the rep's judgement: likelihood, need match, grade.
func (g *generator) drawAssessment(p *profile, r *rand.Rand) {
	switch p.stage {
	case "won":
		p.likelihood = between(r, 3, 5)
	case "churned":
		p.likelihood = between(r, 1, 2)
	default:
		base := []int{4, 3, 2, 1, 1}[p.activity]
		p.likelihood = min(5, base+r.IntN(2))
	}
	p.needMatch = between(r, 2, 5)
	important := p.strategic == "benchmark" || p.strategic == "regional_leader" || p.size >= sizeLarge
	switch {
	case r.Float64() < 0.05:
		p.grade = ""
	case important && p.likelihood >= 3 && p.stage != "churned":
		p.grade = "key"
	case p.likelihood >= 3:
		p.grade = "potential"
	default:
		p.grade = "ordinary"
	}
}

func itoa(n int) string            { return strconv.Itoa(n) }
func money(n int64) string         { return strconv.FormatInt(n, 10) }
func (p *profile) tradeZH() string { return joinZH(p.trade) }
