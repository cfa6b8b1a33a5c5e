package demo

import (
	"slices"

	"github.com/dossier/dossier"
)

// Owner is a sales rep customers are assigned to.
type Owner struct{ Name, Team string }

// Owners returns the sales reps of a data set: three in each of the four
// teams (华东一组, 华东二组, 华南组, 华北组), with names drawn from seed. The
// same seed gives the same reps in the same order; names are unique.
func Owners(seed uint64) []Owner {
	r := newRand(seed, streamNames, 1<<30)
	var out []Owner
	for _, t := range teams {
		for range repsPerTeam {
			var name string
			for name == "" || slices.ContainsFunc(out, func(o Owner) bool { return o.Name == name }) {
				name = personName(r).zh
			}
			out = append(out, Owner{Name: name, Team: t.name})
		}
	}
	return out
}

// teamOf returns the team that covers a province.
func teamOf(p dossier.Province) string {
	for _, t := range teams {
		if slices.Contains(t.regions, p.Name) || slices.Contains(t.regions, p.Region) {
			return t.name
		}
	}
	return teams[len(teams)-1].name
}
