package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// A pivot no rollup holds reads every live customer: on SQLite one
// connection reads and groups on one core (aggregate_query.go). Split in
// two parts that each group their own rows on a read connection of their
// own, the two cores share it. The parts are ranges of an index, complete
// and disjoint by construction, so the merged groups (foldGroups adds
// groups that meet) are the single query's whatever the data; the
// rollup's counts only choose where to cut so that both halves weigh the
// same.

// splitMinCustomers is the size below which one query is quicker than two
// connections and a merge; a variable for the tests, which split small
// stores and count the splits.
var (
	splitMinCustomers atomic.Int64
	splitRuns         atomic.Int64
)

func init() { splitMinCustomers.Store(50_000) }

// analysisColumns are the columns of the covering index customers_analysis
// (migration 015): a pivot over only these reads that index in ranges of
// its first two columns, grade and stage.
var analysisColumns = map[string]bool{
	"grade": true, "stage": true, "follow_up_priority": true, "score": true, "need_match": true,
	"likelihood": true, "industry": true, "province": true, "city": true, "revenue": true,
	"expected_amount": true, "employees": true, "customer_type": true, "need_type": true,
	"last_contact": true, "owner": true, "team": true,
}

// plainColumn matches a dimension or measure that is one column of the
// customer row, which is what a range of an index can be judged for.
var plainColumn = regexp.MustCompile(`^\+?c\.([a-z_]+)$`)

// splitPart is one range query's extra condition and its arguments.
type splitPart struct {
	cond string
	args []any
}

// splitAggregate runs g (its WHERE the live customers only) in two halves
// at once and returns their groups, or
// ok=false when the query does not qualify or the halves saw different
// data versions; the caller then runs it whole.
func (db *DB) splitAggregate(ctx context.Context, g groupQuery, cols []string) ([]rawGroup, bool, error) {
	halves, err := db.splitHalves(ctx, cols)
	if err != nil || halves[0] == nil {
		return nil, false, err
	}
	return db.aggregateHalves(ctx, g, halves)
}

// aggregateHalves runs g over each half at once, on a read connection
// each; ok=false when the halves saw different data versions.
func (db *DB) aggregateHalves(ctx context.Context, g groupQuery, halves [2][]splitPart) ([]rawGroup, bool, error) {
	var (
		parts    [2][]rawGroup
		versions [2]int64
	)
	eg, gctx := errgroup.WithContext(ctx)
	for i, half := range halves {
		eg.Go(func() error {
			var err error
			parts[i], versions[i], err = db.aggregateParts(gctx, g, half)
			return err
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, false, err
	}
	if versions[0] != versions[1] {
		return nil, false, nil // a write landed between the two snapshots
	}
	splitRuns.Add(1)
	return append(parts[0], parts[1]...), true, nil
}

// splitHalves chooses the two sets of ranges: of the analysis index when
// it holds every column, else of ids; none (nil halves) when the query
// should run whole.
func (db *DB) splitHalves(ctx context.Context, cols []string) ([2][]splitPart, error) {
	covered := true
	for _, c := range cols {
		m := plainColumn.FindStringSubmatch(c)
		if m == nil {
			return [2][]splitPart{}, nil
		}
		covered = covered && analysisColumns[m[1]]
	}
	return db.halves(ctx, covered)
}

// halves are the ranges of the analysis index (covered) or of ids, none
// where one query does better: on PostgreSQL, on one core, for a small
// store.
func (db *DB) halves(ctx context.Context, covered bool) ([2][]splitPart, error) {
	var none [2][]splitPart
	if db.dialect.Name() != "sqlite" || runtime.GOMAXPROCS(0) < 2 {
		return none, nil
	}
	cells, err := db.gradeStageCells(ctx)
	if err != nil {
		return none, err
	}
	var total int64
	for _, c := range cells {
		total += c.n
	}
	if total < splitMinCustomers.Load() {
		return none, nil
	}
	if !covered {
		return db.idHalves(ctx)
	}
	return gradeStageHalves(cells, total), nil
}

// cell is a (grade, stage) pair and its live customers, from the rollup.
type cell struct {
	grade, stage sql.NullString
	n            int64
}

// gradeStageCells reads the live customers per grade and stage in the
// analysis index's order (NULL first, then by bytes, as SQLite sorts).
// Like every read of a rollup it has the rollups compacted when their delta
// rows have piled up: after the first scoring of the 1M demo store the owner
// rollup held 3,000,000 rows, and summing them took 1.9 s before each
// uncovered pivot, where a covered pivot would have compacted them.
func (db *DB) gradeStageCells(ctx context.Context) ([]cell, error) {
	defer db.maybeCompactRollup(ctx, "customer_rollup_owner")
	rows, err := db.r.QueryContext(ctx, "SELECT grade, stage, SUM(n) FROM customer_rollup_owner"+
		" GROUP BY grade, stage HAVING SUM(n) <> 0 ORDER BY grade, stage")
	if err != nil {
		return nil, fmt.Errorf("split: %w", err)
	}
	defer rows.Close()
	var out []cell
	for rows.Next() {
		var c cell
		if err := rows.Scan(&c.grade, &c.stage, &c.n); err != nil {
			return nil, fmt.Errorf("split: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// gradeStageHalves cuts the index before the cell that best halves the
// customers, among cells with a grade (a cut inside the NULL grades would
// need a range SQLite cannot seek). Before the cut (g, s): no grade, a
// grade below g, or grade g with no stage or a stage below s; from it: a
// grade above g, or grade g with a stage from s on.
func gradeStageHalves(cells []cell, total int64) [2][]splitPart {
	best, bestGap, before := -1, total, int64(0)
	for i, c := range cells {
		if gap := abs(2*before - total); c.grade.Valid && i > 0 && gap < bestGap {
			best, bestGap = i, gap
		}
		before += c.n
	}
	if best < 0 {
		return [2][]splitPart{}
	}
	g, s := cells[best].grade.String, cells[best].stage
	low := []splitPart{{"c.grade IS NULL", nil}, {"c.grade < ?", []any{g}}}
	high := []splitPart{{"c.grade > ?", []any{g}}}
	if s.Valid {
		low = append(low, splitPart{"c.grade = ? AND c.stage IS NULL", []any{g}}, splitPart{"c.grade = ? AND c.stage < ?", []any{g, s.String}})
		high = append(high, splitPart{"c.grade = ? AND c.stage >= ?", []any{g, s.String}})
	} else {
		high = append(high, splitPart{"c.grade = ?", []any{g}})
	}
	return [2][]splitPart{low, high}
}

// idHalves cuts the table at the middle id: a pivot over a column the
// analysis index lacks reads the table, half of it each.
func (db *DB) idHalves(ctx context.Context) ([2][]splitPart, error) {
	var lo, hi sql.NullInt64
	if err := db.r.QueryRowContext(ctx, "SELECT MIN(id), MAX(id) FROM customers").Scan(&lo, &hi); err != nil {
		return [2][]splitPart{}, fmt.Errorf("split: %w", err)
	}
	mid := lo.Int64 + (hi.Int64-lo.Int64)/2
	return [2][]splitPart{{{"c.id < ?", []any{mid}}}, {{"c.id >= ?", []any{mid}}}}, nil
}

// aggregateParts runs one half's range queries in one read transaction,
// so they share a snapshot, and returns the data version it saw.
func (db *DB) aggregateParts(ctx context.Context, g groupQuery, parts []splitPart) (out []rawGroup, version int64, err error) {
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("aggregate: %w", err)
	}
	defer func() { err = errors.Join(err, tx.Rollback()) }()
	// The first read pins the snapshot; the version says which one it is.
	if err := tx.QueryRowContext(ctx, "SELECT customers FROM data_version WHERE id = 1").Scan(&version); err != nil {
		return nil, 0, fmt.Errorf("aggregate: %w", err)
	}
	if g.hash {
		out, err = hashGroups(ctx, tx, g, parts)
		return out, version, err
	}
	for _, p := range parts {
		rows, err := tx.QueryContext(ctx, db.q(g.groupBy(p.cond)), append(append([]any{}, g.args...), p.args...)...)
		if err != nil {
			return nil, 0, fmt.Errorf("aggregate: %w", err)
		}
		groups, err := scanGroups(rows, len(g.keys), g.value != "")
		if err != nil {
			return nil, 0, err
		}
		out = append(out, groups...)
	}
	return out, version, nil
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
