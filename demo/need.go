package demo

import (
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/dossier/dossier"
)

// Budget bands in 万 yuan, the ranges people quote.
var budgetBands = [][2]int64{{5, 10}, {10, 20}, {20, 30}, {30, 50}, {50, 80}, {50, 100}, {80, 120},
	{100, 200}, {200, 300}, {200, 500}, {300, 500}, {500, 1000}}

// budgetBase is a typical budget in 万 yuan by size class.
var budgetBase = []float64{8, 20, 50, 120, 300}

// needCountW: one need for half the customers, up to three.
var needCountW = newWeighted([]int{50, 35, 15})

// needs draws 1-3 needs. The first is the core need: explicit, collected
// from the customer, and the one the profile's need fields repeat. Later
// ones may be implicit: inferred from a pain point, to be confirmed.
func (g *generator) needs(p *profile, r *rand.Rand) []dossier.Need {
	n := 1 + needCountW.draw(r)
	out := make([]dossier.Need, 0, n)
	used := make([]int, 0, n)
	for len(out) < n {
		k := g.drawProduct(p, r)
		if containsInt(used, k) {
			continue
		}
		used = append(used, k)
		if len(out) == 0 || chance(r, 0.5) {
			out = append(out, g.explicitNeed(p, r, &products[k], len(out) == 0))
		} else {
			out = append(out, g.implicitNeed(p, r, &products[k]))
		}
	}
	return out
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// drawProduct picks a need type by the industry's weights; needs collected
// in the last three months lean to data analytics (the trend of R23).
func (g *generator) drawProduct(p *profile, r *rand.Rand) int {
	if p.needDay >= g.days-90 {
		return p.ind.recent.draw(r)
	}
	return p.ind.products.draw(r)
}

func (g *generator) explicitNeed(p *profile, r *rand.Rand, pr *product, core bool) dossier.Need {
	nd := dossier.Need{
		CustomerID: p.id, Type: pr.name, Description: pick(r, pr.desc), Explicit: true,
		Urgency: between(r, 2, 5), Importance: between(r, 3, 5),
		Source: dossier.Source{Channel: dossier.ChannelCustomer, Detail: "需求调研问卷",
			CollectedAt: g.day(p.needDay, 14), CollectedBy: p.owner.Name},
	}
	lo, hi := budgetBand(p, pr, r)
	switch u := r.Float64(); {
	case u < 0.2: // no budget yet: the gap R8 lists for follow-up
	case u < 0.3:
		nd.Budget = "negotiable"
	case u < 0.35:
		nd.Budget = money(lo) + "-"
	default:
		nd.Budget = money(lo) + "-" + money(hi)
	}
	if chance(r, 0.6) {
		mid := float64(lo+hi) / 2 * (0.8 + 0.3*r.Float64())
		nd.ExpectedAmount = roundTo(mid, 10_000)
	}
	switch u := r.Float64(); {
	case u < 0.1:
	case u < 0.25:
		nd.Timeline = "tbd"
	default:
		nd.Timeline = g.timeline(p.needDay+between(r, 30, 360), r)
	}
	if !core {
		nd.Urgency = between(r, 1, 4)
	}
	return nd
}

func (g *generator) implicitNeed(p *profile, r *rand.Rand, pr *product) dossier.Need {
	day := min(g.days-1, p.needDay+r.IntN(90))
	return dossier.Need{
		CustomerID: p.id, Type: pr.name, Description: "客户提到" + pick(r, pr.pains) + ",存在" + pr.name + "潜在需求,待确认",
		Urgency: between(r, 1, 3), Importance: between(r, 2, 4),
		Source: dossier.Source{Channel: dossier.ChannelInternal, Detail: "销售推断", CollectedAt: g.day(day, 15), CollectedBy: p.owner.Name},
	}
}

// budgetBand returns the quoted band nearest a budget typical for the
// customer's size and the product, in yuan.
func budgetBand(p *profile, pr *product, r *rand.Rand) (lo, hi int64) {
	want := math.Log(budgetBase[p.size] * pr.scale * logUniform(r, 0.5, 2))
	best, dist := 0, math.Inf(1)
	for i, b := range budgetBands {
		if d := math.Abs(math.Log(math.Sqrt(float64(b[0]*b[1]))) - want); d < dist {
			best, dist = i, d
		}
	}
	return budgetBands[best][0] * 10_000, budgetBands[best][1] * 10_000
}

// timeline gives the canonical purchase timeline of a day: mostly a
// quarter ("2026-Q3"), sometimes a month ("2026-09").
func (g *generator) timeline(d int, r *rand.Rand) string {
	t := g.day(d, 0)
	if chance(r, 0.3) {
		return t.Format("2006-01")
	}
	return strconv.Itoa(t.Year()) + "-Q" + strconv.Itoa((int(t.Month())+2)/3)
}

// projectCountW: won and churned customers have 1-3 past projects.
var projectCountW = newWeighted([]int{50, 35, 15})

// projects draws the cooperation history of won and churned customers,
// newest last. A won customer's latest project may still be running; a
// churned customer's ended before it left and it was less satisfied.
func (g *generator) projects(p *profile, needs []dossier.Need, r *rand.Rand) []dossier.Project {
	if p.stage != "won" && p.stage != "churned" {
		return nil
	}
	n := 1 + projectCountW.draw(r)
	out := make([]dossier.Project, n)
	end := p.end - r.IntN(60)
	if p.stage == "won" {
		end = g.days - 1 - 200 + r.IntN(320) // past the window: still running
	}
	for i := n - 1; i >= 0; i-- {
		start := end - between(r, 60, 300)
		pr := needs[0].Type
		if i > 0 || chance(r, 0.3) {
			pr = pick(r, products).name
		}
		pj := dossier.Project{CustomerID: p.id, Name: pr + pick(r, projectSuffixes[i]),
			Start: g.date(start), Amount: g.projectAmount(p, r), Satisfaction: satisfaction(p, r, i == n-1),
			Source: dossier.Source{Channel: dossier.ChannelInternal, Detail: pick(r, projectSources),
				CollectedAt: g.day(max(0, min(end, g.days-1)), 17), CollectedBy: p.owner.Name}}
		if end < g.days {
			pj.End = g.date(end)
		}
		out[i] = pj
		end = start - between(r, 20, 120)
	}
	return out
}

func (g *generator) projectAmount(p *profile, r *rand.Rand) int64 {
	return roundTo(budgetBase[p.size]*10_000*logUniform(r, 0.5, 2.5), 1000)
}

// satisfaction is 1-5: won customers are mostly satisfied; churned ones
// were not, least of all with their last project.
func satisfaction(p *profile, r *rand.Rand, last bool) int {
	switch {
	case p.stage == "churned" && last:
		return between(r, 1, 2)
	case p.stage == "churned":
		return between(r, 2, 3)
	}
	return []int{3, 4, 4, 4, 5, 5}[r.IntN(6)]
}
