package demo

import (
	"time"

	"github.com/dossier/dossier"
)

// build writes everything about a profile and resolves the customer's
// profile from its observations. contacts, when given, replace the drawn
// ones (duplicates reuse some of the original's people).
func (g *generator) build(p *profile, s streams, contacts []dossier.Contact) dossier.BulkCustomer {
	needs := g.needs(p, s.needs)
	if contacts == nil {
		contacts = g.contacts(p, s.contacts)
	}
	inters := g.interactions(p, contacts, needs, s.interactions)
	projects := g.projects(p, needs, s.projects)
	lastDay := -1
	if n := len(inters); n > 0 {
		lastDay = int(inters[n-1].CreatedAt.Sub(g.start) / (24 * time.Hour))
	}
	obs := g.observations(p, needs, projects, lastDay, s.observations)

	c := dossier.Customer{ID: p.id, Version: 1}
	c.SetResolved(g.policy.ResolveObservations(obs))
	c.CreatedAt = obs[0].Source.CollectedAt
	c.UpdatedAt = obs[len(obs)-1].Source.CollectedAt
	if n := len(inters); n > 0 {
		c.LastContact = inters[n-1].Date
	}
	return dossier.BulkCustomer{Customer: c, Observations: obs, Contacts: contacts,
		Interactions: inters, Needs: needs, Projects: projects}
}
