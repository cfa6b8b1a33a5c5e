package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
)

// The business background of R2.3: goals, rank, share, competitors,
// advantages, history. Tag values are joined by ";", the canonical form.

// drawDistinct picks n different items.
func drawDistinct(r *rand.Rand, xs []string, n int, first ...string) []string {
	out := append([]string(nil), first...)
	for len(out) < n {
		if x := pick(r, xs); !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// drawFactors lists decision factors: heavy industry weighs stability first,
// service trades ease of use (R24).
func drawFactors(p *profile, r *rand.Rand) string {
	lead := "易用性"
	if slices.Contains(heavySections, p.ind.section) {
		lead = "稳定性"
	}
	if !chance(r, 0.7) {
		lead = pick(r, decisionFactors)
	}
	return strings.Join(drawDistinct(r, decisionFactors, between(r, 2, 3), lead), ";")
}

func drawGoals(p *profile, r *rand.Rand) string {
	goals := drawDistinct(r, strategicGoals, between(r, 1, 2))
	for i, gl := range goals {
		goals[i] = strings.Replace(gl, "%s", otherRegion(p, r), 1)
	}
	return strings.Join(goals, ";")
}

func otherRegion(p *profile, r *rand.Rand) string {
	for {
		if x := pick(r, dossier.Regions); x != p.prov.Region {
			return x
		}
	}
}

func drawBranches(p *profile, r *rand.Rand) string {
	if chance(r, 0.5) {
		return "在" + otherRegion(p, r) + "、" + otherRegion(p, r) + "设有分公司"
	}
	return "全国设有" + itoa(between(r, 3, 40)) + "家分支机构"
}

func drawRank(p *profile, r *rand.Rand) string {
	key := p.strategic
	if key == "" {
		key = "ordinary"
	}
	return strings.Replace(pick(r, industryRanks[key]), "%s", p.prov.Region, 1)
}

// drawShare gives a market share in percent with at most one decimal, never
// below 1: "0.8" would read as a fraction (80%) when parsed again.
func drawShare(p *profile, r *rand.Rand) string {
	tenths := between(r, 10, 20)
	switch p.strategic {
	case "benchmark":
		tenths = between(r, 80, 250)
	case "regional_leader":
		tenths = between(r, 20, 80)
	}
	return dossier.FormatNumber(float64(tenths) / 10)
}

// drawCompetitors names two or three companies of the same trade by their
// short names: another trade name and an industry word.
func (g *generator) drawCompetitors(p *profile, r *rand.Rand) string {
	own := p.tradeZH() + p.word.zh
	n := between(r, 2, 3)
	out := make([]string, 0, n)
	for len(out) < n {
		a, b := pick(r, tradeChars), pick(r, tradeChars)
		name := a.zh + b.zh + pick(r, p.ind.words).zh
		if a != b && name != own && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return strings.Join(out, ";")
}

func drawAdvantages(r *rand.Rand) string {
	return strings.Join(drawDistinct(r, coreAdvantages, between(r, 1, 2)), ";")
}

// revenueHistory writes the last three years' revenue as people do:
// "2023年:1.2亿;2024年:1.5亿;2025年:1.8亿".
func revenueHistory(p *profile, year int, r *rand.Rand) string {
	growth := -0.1 + 0.4*r.Float64()
	parts := make([]string, 3)
	for k := range 3 {
		v := float64(p.revenue) / math.Pow(1+growth, float64(2-k))
		unit := int64(100_000)
		if v >= 1e8 {
			unit = 1_000_000
		}
		parts[k] = strconv.Itoa(year-3+k) + "年:" + dossier.Money(roundTo(v, unit)).Wan()
	}
	return strings.Join(parts, ";")
}
