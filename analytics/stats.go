package analytics

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// ChiSquare is Pearson's test of independence on a contingency table with no
// empty row or column: the statistic, its degrees of freedom, the p-value,
// Cramér's V, the expected counts, and the share of cells expected below 5
// (the test is unreliable when that exceeds 20%).
type ChiSquare struct {
	Stat      float64
	DF        int
	P         float64
	CramersV  float64
	Expected  [][]float64
	SmallCell float64
}

// TestIndependence computes the chi-square test of observed. Rows and
// columns must each have a positive total.
func TestIndependence(observed [][]float64) ChiSquare {
	r := len(observed)
	if r == 0 {
		return ChiSquare{P: 1}
	}
	c := len(observed[0])
	rowT, colT, n := make([]float64, r), make([]float64, c), 0.0
	for i := range observed {
		for j, v := range observed[i] {
			rowT[i] += v
			colT[j] += v
			n += v
		}
	}
	res := ChiSquare{Expected: make([][]float64, r), DF: (r - 1) * (c - 1), P: 1}
	small := 0
	for i := range observed {
		res.Expected[i] = make([]float64, c)
		for j, o := range observed[i] {
			e := rowT[i] * colT[j] / n
			res.Expected[i][j] = e
			if e < 5 {
				small++
			}
			if e > 0 {
				res.Stat += (o - e) * (o - e) / e
			}
		}
	}
	if r*c > 0 {
		res.SmallCell = float64(small) / float64(r*c)
	}
	if res.DF > 0 && n > 0 {
		res.P = distuv.ChiSquared{K: float64(res.DF)}.Survival(res.Stat)
		res.CramersV = math.Sqrt(res.Stat / (n * float64(min(r, c)-1)))
	}
	return res
}

// HHI is the Herfindahl–Hirschman index of counts: the sum of the squared
// shares in percent, from near 0 (spread out) to 10,000 (one group).
func HHI(counts []int64) float64 {
	var n float64
	for _, c := range counts {
		n += float64(c)
	}
	if n == 0 {
		return 0
	}
	var h float64
	for _, c := range counts {
		s := 100 * float64(c) / n
		h += s * s
	}
	return h
}
