package demo

import (
	"math/rand/v2"
	"strings"

	"github.com/dossier/dossier"
)

// A planted duplicate is the same company entered again by another rep: the
// name written differently, the credit code the same or missing, the same
// person or another one (sometimes on the same phone), slightly different
// figures, a later and thinner history. GroundTruth says which record it
// copies.
func (g *generator) duplicate(rec int, id int64, company int) dossier.BulkCustomer {
	base := g.profile(company, 0)
	base.invalid = "" // the copy starts from the clean company
	r := newRand(g.cfg.Seed, streamDuplicate, uint64(rec))
	p := base
	p.id, p.dup = id, true
	p.name = variantName(&base, r)
	if chance(r, 0.4) {
		p.creditCode = ""
	}
	p.owner = g.otherRep(base.owner, r, false)
	p.employees = int(roundTo(float64(base.employees)*(0.85+0.3*r.Float64()), 1))
	p.revenue = roughly(base.revenue, 0.2, r)
	g.varyIndustry(&p, r)
	g.varyRelationship(&p, r)

	s := g.streams(uint64(rec), dupFlag)
	contacts := g.dupContacts(&p, &base, s, r)
	return g.build(&p, s, contacts)
}

// varyIndustry files the copy under a sibling sub-industry or only the
// section now and then, as a second rep might.
func (g *generator) varyIndustry(p *profile, r *rand.Rand) {
	switch u := r.Float64(); {
	case u < 0.1:
		sib := g.bySection[p.ind.section]
		p.ind = &g.industries[pick(r, sib)]
		p.path = p.ind.path
	case u < 0.15:
		p.path = p.ind.section
	}
}

// varyRelationship gives the copy its own, later and sparser history. A
// churned company stays churned with its dates; others were often entered
// again as a new prospect.
func (g *generator) varyRelationship(p *profile, r *rand.Rand) {
	p.activity = activitySparse
	if chance(r, 0.3) {
		p.activity = activityRegular
	}
	if p.stage == "churned" {
		g.drawAssessment(p, r)
		return
	}
	if chance(r, 0.5) {
		p.stage = "prospect"
	}
	last := g.days - 8
	if p.stage == "won" {
		last = g.days - 121
	}
	p.first = between(r, min(p.first+30, last), last)
	p.end = g.days - 1
	p.needDay = min(p.first+r.IntN(30), g.days-1)
	g.drawAssessment(p, r)
}

// dupContacts: the same person (same name and phone), a different person on
// the same phone, or other people altogether.
func (g *generator) dupContacts(p, base *profile, s streams, r *rand.Rand) []dossier.Contact {
	orig := g.contacts(base, newRand(g.cfg.Seed, streamContacts, uint64(base.company)))
	cs := g.contacts(p, s.contacts)
	o := pick(r, orig)
	switch u := r.Float64(); {
	case u < 0.45:
		src := cs[0].Source
		cs[0] = o
		cs[0].CustomerID, cs[0].Source, cs[0].CreatedAt = p.id, src, src.CollectedAt
		if chance(r, 0.3) {
			cs[0].Email = ""
		}
	case u < 0.8 && o.Phone != "":
		cs[0].Phone = o.Phone
	}
	return cs
}

// nameParts are the pieces of a company name that variants move around.
type nameParts struct {
	prefix, core, bracket, form string
	spaced                      bool
}

func (n nameParts) String() string {
	sep := ""
	if n.spaced {
		sep = " "
	}
	s := n.core
	if n.bracket != "" {
		s += "(" + n.bracket + ")"
	}
	if n.prefix != "" {
		return n.prefix + sep + s + n.form
	}
	return s + sep + n.form
}

func partsOf(p *profile) nameParts {
	n := nameParts{core: p.tradeZH() + p.word.zh, form: p.form}
	switch p.style {
	case styleCity:
		n.prefix = p.city
	case styleProvince:
		n.prefix = p.prov.Short
	case styleBracket:
		n.bracket = dossier.CityShort(p.city)
	case styleGroup:
		n.core += "集团"
	}
	return n
}

// variantName writes the company's name the way another rep might: region
// moved into or out of brackets, legal form changed, 股份 or 集团 dropped,
// region left out, spaces. Full-width brackets are not among them: the
// canonical form of text folds them to half-width.
func variantName(p *profile, r *rand.Rand) string {
	orig := partsOf(p)
	n := orig
	for k := 0; k < 1 || (k < 2 && chance(r, 0.3)) || n.String() == orig.String(); k++ {
		switch r.IntN(5) {
		case 0: // region into or out of brackets
			if n.bracket != "" {
				n.prefix, n.bracket = p.city, ""
			} else {
				n.prefix, n.bracket = "", dossier.CityShort(p.city)
			}
		case 1: // legal form
			n.form = map[string]string{formLLC: formLLC2, formLLC2: formLLC, formJoint: formLLC}[n.form]
		case 2: // no region
			n.prefix, n.bracket = "", ""
		case 3: // 深圳市 → 深圳, or 集团 dropped
			if c, ok := strings.CutSuffix(n.core, "集团"); ok {
				n.core = c
			} else if n.prefix == p.city {
				n.prefix = dossier.CityShort(p.city)
			}
		case 4:
			n.spaced = true
		}
	}
	return n.String()
}
