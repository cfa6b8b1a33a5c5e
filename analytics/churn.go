package analytics

import (
	"cmp"
	"context"
	"slices"

	"github.com/dossier/dossier"
)

// Churn and win/loss (SPEC R26-R27) read the customers' own facts: stage,
// churn_reason, lost_to (the competitor a churned customer went to) and
// won_from (the competitor a won customer came from). The store counts;
// this file turns counts into shares.

// Part is one value and the customers that have it; Share is their % of
// the group's customers, nil when the group is empty.
type Part struct {
	Key   string   `json:"key"` // "" for customers without a value
	Count int64    `json:"count"`
	Share *float64 `json:"share"`
}

// ChurnReport is why churned customers left: "80% of churned customers
// left over response speed".
type ChurnReport struct {
	Churned int64  `json:"churned"` // churned customers in scope
	Reasons []Part `json:"reasons"` // most common first; "" (no reason recorded) last
}

// WinLossRow is one competitor: the churned customers lost to it and the
// won customers won from it, each with its share of all churned
// (respectively won) customers in scope, and the reasons of those lost.
type WinLossRow struct {
	Competitor string   `json:"competitor"`
	Lost       int64    `json:"lost"`
	LostShare  *float64 `json:"lost_share"`
	Won        int64    `json:"won"`
	WonShare   *float64 `json:"won_share"`
	Net        int64    `json:"net"` // won - lost
	Reasons    []Part   `json:"reasons,omitempty"`
}

// WinLossReport lists competitors by customers lost to them, most first.
// Churned and Won count all customers of that stage in scope, whether or
// not a competitor is recorded.
type WinLossReport struct {
	Churned int64        `json:"churned"`
	Won     int64        `json:"won"`
	Rows    []WinLossRow `json:"rows"`
}

func share(n, of int64) *float64 {
	if of == 0 {
		return nil
	}
	v := 100 * float64(n) / float64(of)
	return &v
}

// withStage narrows a filter to one lifecycle stage.
func withStage(f dossier.CustomerFilter, stage string) dossier.CustomerFilter {
	cond := "stage = " + stage
	if f.Expr != "" {
		f.Expr = "(" + f.Expr + ") AND " + cond
	} else {
		f.Expr = cond
	}
	return f
}

// count groups the customers of f by dims.
func count(ctx context.Context, st Store, f dossier.CustomerFilter, dims ...string) ([]Group, error) {
	q := Query{Filter: f}
	for _, d := range dims {
		q.Dims = append(q.Dims, Dim{Field: d})
	}
	return st.Aggregate(ctx, q)
}

// parts turns counts per key into shares of total, most common first, the
// unknown value last.
func parts(counts map[string]int64, total int64) []Part {
	out := make([]Part, 0, len(counts))
	for k, n := range counts {
		out = append(out, Part{Key: k, Count: n, Share: share(n, total)})
	}
	slices.SortFunc(out, func(a, b Part) int {
		if (a.Key == "") != (b.Key == "") {
			if a.Key == "" {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key))
	})
	return out
}

// Churn counts the churned customers of f per churn reason.
func Churn(ctx context.Context, st Store, f dossier.CustomerFilter) (*ChurnReport, error) {
	groups, err := count(ctx, st, withStage(f, "churned"), "churn_reason")
	if err != nil {
		return nil, err
	}
	rep := &ChurnReport{}
	counts := map[string]int64{}
	for _, g := range groups {
		counts[g.Keys[0]] += g.Count
		rep.Churned += g.Count
	}
	rep.Reasons = parts(counts, rep.Churned)
	return rep, nil
}

// WinLoss counts, per competitor, the churned customers of f lost to it and
// the won customers won from it.
func WinLoss(ctx context.Context, st Store, f dossier.CustomerFilter) (*WinLossReport, error) {
	lost, err := count(ctx, st, withStage(f, "churned"), "lost_to", "churn_reason")
	if err != nil {
		return nil, err
	}
	won, err := count(ctx, st, withStage(f, "won"), "won_from")
	if err != nil {
		return nil, err
	}
	rep := &WinLossReport{}
	rows := map[string]*WinLossRow{}
	reasons := map[string]map[string]int64{}
	row := func(name string) *WinLossRow {
		if rows[name] == nil {
			rows[name], reasons[name] = &WinLossRow{Competitor: name}, map[string]int64{}
		}
		return rows[name]
	}
	for _, g := range lost {
		rep.Churned += g.Count
		if g.Keys[0] != "" {
			row(g.Keys[0]).Lost += g.Count
			reasons[g.Keys[0]][g.Keys[1]] += g.Count
		}
	}
	for _, g := range won {
		rep.Won += g.Count
		if g.Keys[0] != "" {
			row(g.Keys[0]).Won += g.Count
		}
	}
	for name, r := range rows {
		r.LostShare, r.WonShare, r.Net = share(r.Lost, rep.Churned), share(r.Won, rep.Won), r.Won-r.Lost
		if r.Lost > 0 {
			r.Reasons = parts(reasons[name], r.Lost)
		}
		rep.Rows = append(rep.Rows, *r)
	}
	slices.SortFunc(rep.Rows, func(a, b WinLossRow) int {
		return cmp.Or(cmp.Compare(b.Lost, a.Lost), cmp.Compare(b.Won, a.Won), cmp.Compare(a.Competitor, b.Competitor))
	})
	if rep.Rows == nil {
		rep.Rows = []WinLossRow{}
	}
	return rep, nil
}
