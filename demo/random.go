package demo

import (
	"math"
	"math/rand/v2"
)

// Randomness. Every decision draws from a PCG stream derived from the seed,
// a stream number and the index of the company or record it concerns, so a
// record depends on nothing generated before it: batches are independent,
// generation could run in parallel, and changing how interactions are drawn
// does not change anyone's contacts.
const (
	streamProfile uint64 = iota + 1
	streamContacts
	streamNeeds
	streamInteractions
	streamProjects
	streamObservations
	streamDuplicate
	streamPlan // cheap hashed decisions: duplicates' places, planted invalids
	streamNames
	streamWinLoss // our competitors: lost_to, won_from, the market
)

// mix is the splitmix64 finaliser: a bijection that scatters nearby inputs.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

func hash(seed, stream, idx uint64) uint64 {
	return mix(mix(seed^stream*0x9e3779b97f4a7c15) + idx)
}

func newRand(seed, stream, idx uint64) *rand.Rand {
	return rand.New(rand.NewPCG(hash(seed, stream, idx), hash(seed, stream|1<<32, idx)))
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// pickSkewed draws from a list ordered most common first: the first items
// come up far more often than the last.
func pickSkewed[T any](r *rand.Rand, xs []T) T {
	u := r.Float64()
	return xs[int(u*u*float64(len(xs)))]
}

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// between returns an integer in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// logUniform returns a number in [lo, hi] whose logarithm is uniform: sizes
// and amounts spread over orders of magnitude.
func logUniform(r *rand.Rand, lo, hi float64) float64 {
	return math.Exp(math.Log(lo) + r.Float64()*(math.Log(hi)-math.Log(lo)))
}

// roundTo rounds n to a multiple of unit (at least unit).
func roundTo(n float64, unit int64) int64 {
	v := int64(math.Round(n/float64(unit))) * unit
	return max(v, unit)
}

// weighted draws an index by integer weights.
type weighted struct{ cum []int }

func newWeighted(ws []int) weighted {
	cum := make([]int, len(ws))
	t := 0
	for i, w := range ws {
		t += w
		cum[i] = t
	}
	return weighted{cum}
}

func (w weighted) draw(r *rand.Rand) int {
	x := r.IntN(w.cum[len(w.cum)-1])
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if w.cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}
