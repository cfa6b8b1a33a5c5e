package dedupe

import (
	"cmp"
	"slices"
)

// joinAverage clusters a list of names alone (dataset.nameOnly) by
// average link: through the pairs at or above floor, the most probable
// first, two groups become one only when the mean probability over every
// pair of their records (pairs never compared count as 0) is at least bar.
// With no second field to confirm a doubtful pair, the pairs of one
// organisation mostly stay under a threshold of 0.9, and joining at a
// lower one pair by pair chains every affiliation of "University of X"
// with every "Department of Y" into one cluster; the mean asks the whole
// group to hang together. Returns the groups joined.
func joinAverage(ds *dataset, pairs []uint64, probs []float32, floor, bar float64, parent []int32, find func(int32) int32) int {
	n := ds.n()
	type edge struct {
		to int32
		p  float32
	}
	adj := make([][]edge, n)
	var cand []int32
	for p, pr := range probs {
		if float64(pr) < floor {
			continue
		}
		a, b := int32(pairs[p]>>32), int32(uint32(pairs[p]))
		adj[a] = append(adj[a], edge{b, pr})
		adj[b] = append(adj[b], edge{a, pr})
		cand = append(cand, int32(p))
	}
	members := make(map[int32][]int32)
	for i := range n {
		r := find(int32(i))
		members[r] = append(members[r], int32(i))
	}
	slices.SortStableFunc(cand, func(a, b int32) int { return cmp.Compare(probs[b], probs[a]) })
	joined := 0
	for _, p := range cand {
		a, b := find(int32(pairs[p]>>32)), find(int32(uint32(pairs[p])))
		if a == b {
			continue
		}
		ma, mb := members[a], members[b]
		if len(ma) > len(mb) {
			ma, mb = mb, ma
		}
		other := find(mb[0])
		var sum float64
		for _, x := range ma {
			for _, e := range adj[x] {
				if find(e.to) == other {
					sum += float64(e.p)
				}
			}
		}
		if sum < bar*float64(len(ma))*float64(len(mb)) {
			continue
		}
		if b < a { // the root is the earliest record
			a, b = b, a
		}
		parent[b] = a
		// The smaller list is copied into the larger, so a record is
		// copied at most log n times.
		big, small := members[a], members[b]
		if len(big) < len(small) {
			big, small = small, big
		}
		members[a] = append(big, small...)
		delete(members, b)
		joined++
	}
	return joined
}
