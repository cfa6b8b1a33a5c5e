package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/dossier/dossier"
)

// snapshotSide is how a comparison reads one of its two states: a
// snapshot's rows joined by customer id, or the live values (ID 0).
type snapshotSide struct {
	join    string
	args    []any
	present string   // SQL true when the customer is in this state
	cols    []string // value expressions in snapshotValueCols order
}

func (db *DB) newSide(ctx context.Context, s *dossier.Snapshot, alias string) (snapshotSide, error) {
	if s.ID == 0 {
		side := snapshotSide{join: " LEFT JOIN analyses " + alias + " ON " + alias + ".customer_id = c.id",
			present: "1 = 1", cols: liveValues(alias)}
		if strings.TrimSpace(s.Scope) == "" {
			// The population is live customers already, so each is present now.
			return side, nil
		}
		// Now within a scope (an analysis's): present if it matches today.
		// A join rather than a condition, so its arguments come once.
		where, args, err := db.customerWhere(ctx, dossier.CustomerFilter{Expr: s.Scope})
		if err != nil {
			return side, err
		}
		side.join += " LEFT JOIN (SELECT c.id FROM customers c" + where + ") " + alias + "_in ON " + alias + "_in.id = c.id"
		side.args, side.present = args, alias+"_in.id IS NOT NULL"
		return side, nil
	}
	cols := make([]string, len(snapshotValueCols))
	for i, c := range snapshotValueCols {
		cols[i] = alias + "." + c
	}
	return snapshotSide{join: " LEFT JOIN snapshot_rows " + alias + " ON " + alias + ".snapshot_id = ? AND " + alias + ".customer_id = c.id",
		args: []any{s.ID}, present: alias + ".customer_id IS NOT NULL", cols: cols}, nil
}

// compareDims are the compared dimensions: snapshotValueCols but the score.
var compareDims = snapshotValueCols[1:]

// CompareSnapshots implements dossier.SnapshotService. SQL groups the
// population by every dimension's (then, now) pair and both score bands in
// one pass (DESIGN idea 4); Go rolls the groups up into counts, transitions
// and bands. The groups are few: the dimensions have a handful of levels
// each and are strongly correlated.
func (db *DB) CompareSnapshots(ctx context.Context, from, to *dossier.Snapshot, f dossier.CustomerFilter) (*dossier.Comparison, error) {
	where, wargs, err := db.customerWhere(ctx, f)
	if err != nil {
		return nil, err
	}
	a, err := db.newSide(ctx, from, "sf")
	if err != nil {
		return nil, err
	}
	b, err := db.newSide(ctx, to, "st")
	if err != nil {
		return nil, err
	}
	var sel []string
	for i := range compareDims {
		sel = append(sel, "CASE WHEN "+a.present+" THEN "+a.cols[i+1]+" END", "CASE WHEN "+b.present+" THEN "+b.cols[i+1]+" END")
	}
	sel = append(sel, "CASE WHEN "+a.present+" THEN "+a.cols[0]+" END", "CASE WHEN "+b.present+" THEN "+b.cols[0]+" END")
	q := "SELECT " + strings.Join(sel, ", ") + ", COUNT(*) FROM customers c" + a.join + b.join + where +
		" AND (" + a.present + " OR " + b.present + ") GROUP BY " + groupOrdinals(len(sel))
	args := append(append(append([]any{}, a.args...), b.args...), wargs...)
	if from.ID != 0 && to.ID != 0 {
		// Neither side is now: the population is within the two snapshots'
		// rows, so an analysis's runs over a small scope read only those
		// customers instead of every live one.
		q = strings.Replace(q, " GROUP BY ", " AND c.id IN (SELECT customer_id FROM snapshot_rows WHERE snapshot_id IN (?, ?)) GROUP BY ", 1)
		args = append(args, from.ID, to.ID)
	}
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("compare snapshots: %w", err)
	}
	defer rows.Close()
	acc := newComparisonAcc()
	for rows.Next() {
		vals := make([]sql.NullString, 2*len(compareDims))
		var scoreFrom, scoreTo sql.NullInt64
		var n int
		dest := make([]any, 0, len(vals)+3)
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := rows.Scan(append(dest, &scoreFrom, &scoreTo, &n)...); err != nil {
			return nil, fmt.Errorf("compare snapshots: %w", err)
		}
		acc.add(vals, scoreFrom, scoreTo, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("compare snapshots: %w", err)
	}
	c := acc.result()
	c.From, c.To, c.Scope = from, to, f.Expr
	return c, nil
}

func groupOrdinals(n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = itoa(int64(i + 1))
	}
	return strings.Join(s, ", ")
}

// Absent is the level of a customer missing from one side of a transition.
const Absent = "-"

type comparisonAcc struct {
	c          dossier.Comparison
	counts     []map[string]*dossier.LevelCount
	trans      []map[[2]string]int
	bands      map[int]*dossier.ScoreBandCount
	sumF, sumT int64
	nF, nT     int
}

func newComparisonAcc() *comparisonAcc {
	acc := &comparisonAcc{bands: map[int]*dossier.ScoreBandCount{}}
	for range compareDims {
		acc.counts = append(acc.counts, map[string]*dossier.LevelCount{})
		acc.trans = append(acc.trans, map[[2]string]int{})
	}
	return acc
}

func (acc *comparisonAcc) add(vals []sql.NullString, scoreFrom, scoreTo sql.NullInt64, n int) {
	acc.c.Customers += n
	inF, inT := scoreFrom.Valid, scoreTo.Valid
	if !inF {
		acc.c.New += n
	}
	if !inT {
		acc.c.Gone += n
	}
	for d := range compareDims {
		from, to := Absent, Absent
		if inF {
			from = vals[2*d].String
			acc.level(d, from).From += n
		}
		if inT {
			to = vals[2*d+1].String
			acc.level(d, to).To += n
		}
		acc.trans[d][[2]string{from, to}] += n
	}
	if inF {
		acc.sumF, acc.nF = acc.sumF+scoreFrom.Int64*int64(n), acc.nF+n
		acc.band(scoreFrom.Int64).From += n
	}
	if inT {
		acc.sumT, acc.nT = acc.sumT+scoreTo.Int64*int64(n), acc.nT+n
		acc.band(scoreTo.Int64).To += n
	}
}

func (acc *comparisonAcc) level(d int, l string) *dossier.LevelCount {
	lc := acc.counts[d][l]
	if lc == nil {
		lc = &dossier.LevelCount{Level: l}
		acc.counts[d][l] = lc
	}
	return lc
}

func (acc *comparisonAcc) band(score int64) *dossier.ScoreBandCount {
	low := int(score) / dossier.ScoreBand * dossier.ScoreBand
	if score < 0 {
		low = 0
	}
	b := acc.bands[low]
	if b == nil {
		b = &dossier.ScoreBandCount{Low: low}
		acc.bands[low] = b
	}
	return b
}

func (acc *comparisonAcc) result() *dossier.Comparison {
	c := acc.c
	for d, name := range compareDims {
		dc := dossier.DimensionChange{Name: name, Counts: []dossier.LevelCount{}, Transitions: []dossier.Transition{}}
		for _, lc := range acc.counts[d] {
			dc.Counts = append(dc.Counts, *lc)
		}
		slices.SortFunc(dc.Counts, func(x, y dossier.LevelCount) int { return compareLevels(x.Level, y.Level) })
		for k, n := range acc.trans[d] {
			dc.Transitions = append(dc.Transitions, dossier.Transition{From: k[0], To: k[1], Count: n})
		}
		slices.SortFunc(dc.Transitions, func(x, y dossier.Transition) int {
			if r := compareLevels(x.From, y.From); r != 0 {
				return r
			}
			return compareLevels(x.To, y.To)
		})
		c.Dimensions = append(c.Dimensions, dc)
	}
	if acc.nF > 0 {
		c.ScoreFrom = float64(acc.sumF) / float64(acc.nF)
	}
	if acc.nT > 0 {
		c.ScoreTo = float64(acc.sumT) / float64(acc.nT)
	}
	c.Bands = []dossier.ScoreBandCount{}
	for _, b := range acc.bands {
		c.Bands = append(c.Bands, *b)
	}
	slices.SortFunc(c.Bands, func(x, y dossier.ScoreBandCount) int { return x.Low - y.Low })
	return &c
}

// CompareCustomer implements dossier.SnapshotService. A customer now hidden
// or merged is ENOTFOUND, as everywhere else.
func (db *DB) CompareCustomer(ctx context.Context, from, to *dossier.Snapshot, id int64) (*dossier.CustomerChange, error) {
	var live int
	if err := db.r.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM customers WHERE id = ? AND hidden = 0 AND merged_into IS NULL`), id).Scan(&live); err != nil {
		return nil, fmt.Errorf("compare customer: %w", err)
	}
	if live == 0 {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "no customer %d", id)
	}
	ch := &dossier.CustomerChange{CustomerID: id, Changed: []string{}}
	var err error
	if ch.From, err = db.snapshotRow(ctx, from, id); err != nil {
		return nil, err
	}
	if ch.To, err = db.snapshotRow(ctx, to, id); err != nil {
		return nil, err
	}
	if ch.From == nil || ch.To == nil {
		if ch.From != ch.To {
			ch.Changed = append(ch.Changed, "present")
		}
		return ch, nil
	}
	x, y := *ch.From, *ch.To
	for _, d := range []struct {
		name string
		diff bool
	}{{"score", x.Score != y.Score}, {"priority", x.Priority != y.Priority}, {"tier", x.Tier != y.Tier},
		{"grade", x.Grade != y.Grade}, {"value", x.Value != y.Value}, {"stage", x.Stage != y.Stage}} {
		if d.diff {
			ch.Changed = append(ch.Changed, d.name)
		}
	}
	return ch, nil
}

// snapshotRow is a customer's row in a snapshot (live values for ID 0);
// nil when the snapshot does not hold it.
func (db *DB) snapshotRow(ctx context.Context, s *dossier.Snapshot, id int64) (*dossier.SnapshotRow, error) {
	side, err := db.newSide(ctx, s, "sr")
	if err != nil {
		return nil, err
	}
	q := "SELECT " + strings.Join(side.cols, ", ") + " FROM customers c" + side.join + " WHERE c.id = ? AND " + side.present
	r := dossier.SnapshotRow{CustomerID: id}
	err = db.r.QueryRowContext(ctx, db.q(q), append(side.args, id)...).Scan(&r.Score, &r.Priority, &r.Tier, &r.Grade, &r.Value, &r.Stage)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot row: %w", err)
	}
	return &r, nil
}

// levelRank orders the levels people read top down: high before low, key
// before ordinary. Other levels follow in text order, then unknown, then
// absent.
var levelRank = map[string]int{dossier.LevelHigh: 1, dossier.LevelMedium: 2, dossier.LevelLow: 3,
	"key": 4, "potential": 5, "ordinary": 6, "": 100, Absent: 101}

func compareLevels(a, b string) int {
	ra, rb := levelRank[a], levelRank[b]
	if ra == 0 {
		ra = 50
	}
	if rb == 0 {
		rb = 50
	}
	if ra != rb {
		return ra - rb
	}
	return strings.Compare(a, b)
}
