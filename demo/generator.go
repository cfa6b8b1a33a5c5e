package demo

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/dossier/dossier"
)

// generator holds what every record needs: the tables indexed for drawing,
// the reps, the calendar. It holds nothing about customers already made.
type generator struct {
	cfg      Config
	policy   dossier.ResolvePolicy
	plan     plan
	names    nameSpace
	orgPerm  affine // organisation numbers of credit codes
	owners   []Owner
	teamReps map[string][]Owner

	provinces  []provinceInfo
	provW      weighted
	industries []industryInfo
	indW       weighted
	bySection  map[string][]int // industry section → indexes into industries

	start time.Time // first day of the two-year window
	days  int       // days in the window; day d is start + d, AsOf is day `days`
	dates []string  // canonical date of every day of the window
}

type provinceInfo struct {
	dossier.Province
	code  string // two-digit division code
	team  string
	cityW weighted
}

type industryInfo struct {
	industryData
	section  string
	products weighted // need types, by how common they are in the section
	recent   weighted // the same in the last three months: analytics needs rise (R23)
}

func newGenerator(cfg Config, policy dossier.ResolvePolicy) (*generator, error) {
	cfg, err := cfg.normalize()
	if err != nil {
		return nil, err
	}
	ns, err := newNameSpace(cfg.Seed, cfg.Customers)
	if err != nil {
		return nil, err
	}
	g := &generator{
		cfg: cfg, policy: policy, plan: plan{seed: cfg.Seed, records: cfg.Customers}, names: ns,
		orgPerm: newAffine(cfg.Seed, 1<<10, 100_000_000), owners: Owners(cfg.Seed), teamReps: map[string][]Owner{},
	}
	for _, o := range g.owners {
		g.teamReps[o.Team] = append(g.teamReps[o.Team], o)
	}
	g.initCalendar()
	g.initProvinces()
	g.initIndustries()
	return g, nil
}

func (g *generator) initCalendar() {
	g.start = g.cfg.AsOf.AddDate(-2, 0, 0)
	g.days = int(g.cfg.AsOf.Sub(g.start) / (24 * time.Hour))
	g.dates = make([]string, g.days+1)
	for d := range g.dates {
		g.dates[d] = g.day(d, 0).Format(dossier.DateLayout)
	}
}

// day returns the time of day d of the window at the given hour.
func (g *generator) day(d, hour int) time.Time {
	return g.start.Add(time.Duration(d)*24*time.Hour + time.Duration(hour)*time.Hour)
}

// date returns the canonical date of day d, which may lie before the window.
func (g *generator) date(d int) string {
	if d >= 0 && d < len(g.dates) {
		return g.dates[d]
	}
	return g.day(d, 0).Format(dossier.DateLayout)
}

func (g *generator) initProvinces() {
	var ws []int
	for _, p := range dossier.Provinces() {
		pd := provinceData[p.Name]
		cw := make([]int, len(p.Cities))
		for i := range cw {
			cw[i] = max(1, 3-i) // the capital and the second city are larger
		}
		g.provinces = append(g.provinces, provinceInfo{Province: p, code: pd.code, team: teamOf(p), cityW: newWeighted(cw)})
		ws = append(ws, pd.weight)
	}
	g.provW = newWeighted(ws)
}

func (g *generator) initIndustries() {
	g.bySection = map[string][]int{}
	var ws []int
	for i, d := range industryTable {
		sec := dossier.IndustryTop(d.path)
		pw, rw := make([]int, len(products)), make([]int, len(products))
		for k, p := range products {
			pw[k] = 1
			if slices.Contains(p.focus, sec) {
				pw[k] = 4
			}
			rw[k] = pw[k]
			if p.name == productAnalytics {
				rw[k] = pw[k] * 2
			}
		}
		g.industries = append(g.industries, industryInfo{industryData: d, section: sec, products: newWeighted(pw), recent: newWeighted(rw)})
		g.bySection[sec] = append(g.bySection[sec], i)
		ws = append(ws, d.weight)
	}
	g.indW = newWeighted(ws)
}

// streams are the random streams of one record. Originals are keyed by
// company index; duplicates by record position, with flag set.
type streams struct{ contacts, needs, interactions, projects, observations *rand.Rand }

const dupFlag = 1 << 16

func (g *generator) streams(idx, flag uint64) streams {
	s := g.cfg.Seed
	return streams{
		contacts:     newRand(s, streamContacts|flag, idx),
		needs:        newRand(s, streamNeeds|flag, idx),
		interactions: newRand(s, streamInteractions|flag, idx),
		projects:     newRand(s, streamProjects|flag, idx),
		observations: newRand(s, streamObservations|flag, idx),
	}
}

// otherRep returns a rep other than o, from the same team when it can.
func (g *generator) otherRep(o Owner, r *rand.Rand, sameTeam bool) Owner {
	pool := g.owners
	if sameTeam {
		pool = g.teamReps[o.Team]
	}
	for {
		if x := pick(r, pool); x != o {
			return x
		}
	}
}
