package demo

import (
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/dossier/dossier"
)

// interactionCount draws how many contact moments a customer had: a few
// very active customers, many sparse ones, some never contacted. The mean
// is about nine.
func interactionCount(p *profile, r *rand.Rand) int {
	switch p.activity {
	case activityActive:
		return between(r, 20, 40)
	case activityRegular:
		return between(r, 6, 14)
	case activitySparse:
		return between(r, 1, 5)
	case activityDormant:
		return between(r, 2, 8)
	}
	return 0
}

// interactionDays draws the days of a customer's interactions, oldest
// first: between the first contact and the end of regular contact, active
// customers mostly in the last three months, and for a third of the churned
// customers one or two attempts to win them back.
func (g *generator) interactionDays(p *profile, r *rand.Rand) []int {
	n := interactionCount(p, r)
	days := make([]int, 0, n+2)
	recent := max(p.first, g.days-90)
	for range n {
		if p.activity == activityActive && recent <= p.end && chance(r, 0.6) {
			days = append(days, between(r, recent, p.end))
		} else {
			days = append(days, between(r, p.first, p.end))
		}
	}
	if p.stage == "churned" && n > 0 && chance(r, 0.33) {
		for range between(r, 1, 2) {
			days = append(days, between(r, p.end+10, g.days-1))
		}
	}
	slices.Sort(days)
	return days
}

// phase says where in the relationship a day falls, which decides what was
// talked about and how it went.
func phase(p *profile, d int) int {
	if d > p.end {
		return phaseWinBack
	}
	t := float64(d-p.first) / float64(max(1, p.end-p.first))
	switch p.stage {
	case "won":
		return pickPhase(t, []float64{0.2, 0.4, 0.5}, phaseService)
	case "churned":
		return pickPhase(t, []float64{0.15, 0.3, 0.4, 0.8}, phaseComplaint)
	}
	if p.likelihood >= 4 && t > 0.8 {
		return phaseDeal
	}
	return pickPhase(t, []float64{0.4}, phaseSolution)
}

// pickPhase returns the phase whose upper bound first exceeds t, in the
// order intro, solution, deal, service; past the bounds, last.
func pickPhase(t float64, bounds []float64, last int) int {
	for i, b := range bounds {
		if t < b {
			return i
		}
	}
	return last
}

// feedbackW is the share of positive, neutral and negative feedback by phase.
var feedbackW = [][3]int{
	phaseIntro: {35, 50, 15}, phaseSolution: {45, 40, 15}, phaseDeal: {50, 35, 15},
	phaseService: {60, 30, 10}, phaseComplaint: {5, 25, 70}, phaseWinBack: {10, 40, 50},
}

var feedbackValues = [3]string{"positive", "neutral", "negative"}

// interactions writes the notes of the customer's contact moments, recorded
// in the CRM by its owner or, now and then, a teammate.
func (g *generator) interactions(p *profile, cs []dossier.Contact, needs []dossier.Need, r *rand.Rand) []dossier.Interaction {
	days := g.interactionDays(p, r)
	out := make([]dossier.Interaction, len(days))
	for i, d := range days {
		ph := phase(p, d)
		tpl := pick(r, noteTemplates[ph])
		who := "客户"
		if len(cs) > 0 {
			c := pick(r, cs)
			who = c.Name + c.Title
		}
		summary := strings.ReplaceAll(tpl.text, "{p}", pick(r, needs).Type)
		summary = strings.ReplaceAll(summary, "{c}", who)
		by := p.owner.Name
		if chance(r, 0.1) {
			by = g.otherRep(p.owner, r, true).Name
		}
		at := g.day(d, between(r, 9, 18))
		in := dossier.Interaction{
			CustomerID: p.id, Date: g.dates[d], Channel: tpl.channel, Summary: summary, RecordedBy: by,
			Source:    dossier.Source{Channel: dossier.ChannelInternal, Detail: "CRM沟通记录", CollectedAt: at, CollectedBy: by},
			CreatedAt: at,
		}
		if chance(r, 0.92) {
			in.Feedback = feedbackValues[weighted3(feedbackW[ph]).draw(r)]
			texts := feedbackTexts
			if ph >= phaseService {
				texts = serviceFeedbackTexts
			}
			in.FeedbackText = pick(r, texts[in.Feedback])
		}
		out[i] = in
	}
	return out
}

// weighted3 draws from three weights without allocating.
type weighted3 [3]int

func (w weighted3) draw(r *rand.Rand) int {
	x := r.IntN(w[0] + w[1] + w[2])
	switch {
	case x < w[0]:
		return 0
	case x < w[0]+w[1]:
		return 1
	}
	return 2
}
