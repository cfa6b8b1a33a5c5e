package analytics

import (
	"context"

	"github.com/dossier/dossier"
)

// RelationRequest asks whether a customer feature (Rows, e.g. industry) and
// a need or concern (Cols: a field such as need_type, or an expression such
// as "decision_factors = 稳定性", whose groups are yes and no) are related.
type RelationRequest struct {
	Rows, Cols Dim
	Filter     dossier.CustomerFilter
	Lang       string
}

// Relation is a contingency table with Pearson's chi-square test. Customers
// whose feature or need is unknown, and rows or columns without customers,
// are left out of the test (they carry no information about the relation).
// Lift is observed ÷ expected: 1.5 means 50% more often than if the two were
// unrelated.
type Relation struct {
	Rows      []Header    `json:"rows"`
	Cols      []Header    `json:"cols"`
	Observed  [][]int64   `json:"observed"`
	Expected  [][]float64 `json:"expected"`
	Lift      [][]float64 `json:"lift"`
	N         int64       `json:"n"`
	Excluded  int64       `json:"excluded"` // customers with an unknown value
	ChiSquare float64     `json:"chi_square"`
	DF        int         `json:"df"`
	P         float64     `json:"p"`
	CramersV  float64     `json:"cramers_v"`
	SmallCell float64     `json:"small_cells"` // share of cells expected below 5
}

// Relate computes the contingency table and its statistics.
func Relate(ctx context.Context, st Store, req RelationRequest) (*Relation, error) {
	if req.Rows == (Dim{}) || req.Cols == (Dim{}) {
		return nil, dossier.FieldError("cols", "a relation needs a feature (rows) and a need or concern (cols)")
	}
	t, err := Pivot(ctx, st, PivotRequest{Rows: req.Rows, Cols: req.Cols, Measure: Measure{Kind: "count"}, Filter: req.Filter, Lang: req.Lang})
	if err != nil {
		return nil, err
	}
	rel := &Relation{}
	var keepR, keepC []int
	for i, h := range t.Rows {
		if h.Key != "" && *t.RowTotals[i] > 0 {
			keepR = append(keepR, i)
		}
	}
	for j, h := range t.Cols {
		if h.Key != "" && *t.ColTotals[j] > 0 {
			keepC = append(keepC, j)
		}
	}
	obs := make([][]float64, len(keepR))
	for a, i := range keepR {
		rel.Rows = append(rel.Rows, t.Rows[i])
		rel.Observed = append(rel.Observed, make([]int64, len(keepC)))
		obs[a] = make([]float64, len(keepC))
		for b, j := range keepC {
			rel.Observed[a][b] = t.Counts[i][j]
			obs[a][b] = float64(t.Counts[i][j])
			rel.N += t.Counts[i][j]
		}
	}
	for _, j := range keepC {
		rel.Cols = append(rel.Cols, t.Cols[j])
	}
	rel.Excluded = t.Customers - rel.N
	if len(keepR) == 0 || len(keepC) == 0 {
		rel.P = 1
		return rel, nil
	}
	cs := TestIndependence(obs)
	rel.ChiSquare, rel.DF, rel.P, rel.CramersV, rel.Expected, rel.SmallCell = cs.Stat, cs.DF, cs.P, cs.CramersV, cs.Expected, cs.SmallCell
	rel.Lift = make([][]float64, len(obs))
	for a := range obs {
		rel.Lift[a] = make([]float64, len(obs[a]))
		for b := range obs[a] {
			if e := cs.Expected[a][b]; e > 0 {
				rel.Lift[a][b] = obs[a][b] / e
			}
		}
	}
	return rel, nil
}
