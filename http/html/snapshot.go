package html

import (
	"fmt"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/i18n"
)

// AnalysesPage lists the analyses (SPEC R1) the user may see; with one
// chosen, its runs and the comparison of two of them.
type AnalysesPage struct {
	Base
	Studies    []dossier.Study
	Segments   []Choice
	Roles      []string
	Study      *dossier.Study
	Runs       []dossier.Snapshot
	Comparison *ComparisonView
	ChartJSON  string // Comparison.Chart for the page's script
}

// ComparisonView is a comparison laid out for the page: labelled counts per
// dimension and the tier transitions as a matrix.
type ComparisonView struct {
	*dossier.Comparison
	ScoreFrom, ScoreTo string
	Dims               []DimView
	Matrix             MatrixView
	Chart              ChartData
}

// DimView is one dimension's counts then and now.
type DimView struct {
	Name string // already translated
	Rows []LevelRow
}

// LevelRow is one level's counts and their change.
type LevelRow struct {
	Label    string
	From, To int
	Delta    string // "+3", "-1", "0"
}

// MatrixView is the transitions matrix of a dimension: Cells[i][j] counts
// customers whose level was From[i] and is To[j].
type MatrixView struct {
	From, To []string // labels
	Cells    [][]int
}

// ChartData is what the chart draws: each tier's count then and now.
type ChartData struct {
	Levels []string `json:"levels"`
	From   []int    `json:"from"`
	To     []int    `json:"to"`
	Names  []string `json:"names"` // the two series' names
}

// shownDims are the dimensions the page shows, in order.
var shownDims = []string{"tier", "grade", "value"}

// NewComparisonView lays out c in lang.
func NewComparisonView(c *dossier.Comparison, lang string) *ComparisonView {
	v := &ComparisonView{Comparison: c, ScoreFrom: fmt.Sprintf("%.1f", c.ScoreFrom), ScoreTo: fmt.Sprintf("%.1f", c.ScoreTo)}
	for _, name := range shownDims {
		d := c.Dimension(name)
		if d == nil {
			continue
		}
		dv := DimView{Name: i18n.T(lang, "snapshots.dim."+name)}
		for _, l := range d.Counts {
			dv.Rows = append(dv.Rows, LevelRow{Label: LevelLabel(lang, l.Level), From: l.From, To: l.To, Delta: fmt.Sprintf("%+d", l.To-l.From)})
		}
		v.Dims = append(v.Dims, dv)
	}
	if tier := c.Dimension("tier"); tier != nil {
		v.Matrix = matrix(tier, lang)
		v.Chart.Names = []string{i18n.T(lang, "snapshots.then"), i18n.T(lang, "snapshots.now")}
		for _, l := range tier.Counts {
			v.Chart.Levels = append(v.Chart.Levels, LevelLabel(lang, l.Level))
			v.Chart.From, v.Chart.To = append(v.Chart.From, l.From), append(v.Chart.To, l.To)
		}
	}
	return v
}

func matrix(d *dossier.DimensionChange, lang string) MatrixView {
	var from, to []string
	seen := map[[2]string]bool{}
	for _, t := range d.Transitions {
		if !seen[[2]string{"f", t.From}] {
			seen[[2]string{"f", t.From}], from = true, append(from, t.From)
		}
		if !seen[[2]string{"t", t.To}] {
			seen[[2]string{"t", t.To}], to = true, append(to, t.To)
		}
	}
	m := MatrixView{Cells: make([][]int, len(from))}
	idx := func(list []string, s string) int {
		for i, x := range list {
			if x == s {
				return i
			}
		}
		return -1
	}
	for i := range m.Cells {
		m.Cells[i] = make([]int, len(to))
	}
	for _, t := range d.Transitions {
		m.Cells[idx(from, t.From)][idx(to, t.To)] += t.Count
	}
	for _, l := range from {
		m.From = append(m.From, LevelLabel(lang, l))
	}
	for _, l := range to {
		m.To = append(m.To, LevelLabel(lang, l))
	}
	return m
}

// LevelLabel names a level of a compared dimension: "" is unknown, "-"
// absent from that snapshot, known codes are translated.
func LevelLabel(lang, level string) string {
	switch {
	case level == "":
		return i18n.T(lang, "snapshots.unknown")
	case level == "-":
		return i18n.T(lang, "snapshots.absent")
	case i18n.Has(lang, "snapshots.level."+level):
		return i18n.T(lang, "snapshots.level."+level)
	case i18n.Has(lang, "level."+level):
		return i18n.T(lang, "level."+level)
	}
	return level
}
