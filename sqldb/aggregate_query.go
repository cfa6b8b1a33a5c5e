package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// SQLite has no hash aggregate: a GROUP BY that no index is in order for
// sorts every row it groups, and the sort was most of an uncovered pivot's
// time (1,000,000 customers by owner × city: 1.5 s in the sqlite3 shell,
// of which reading the analysis index is 0.2–0.3 s). An upsert into a
// temporary table with a unique index on the group, SQLite's own b-tree
// doing a hash table's job, turns each row into a seek in a table of as
// many rows as there are groups, and no row waits for a sort: 0.65 s for
// the same pivot, 0.67 s against 1.68 s for 5,285 groups (last contact ×
// score), and about the sort's time when nearly every row is its own group
// (300,000 names × score: 0.54 s against 0.51 s). The table lives in the
// read transaction and goes with its rollback, so nothing is left behind
// on the connection; the temp store is in memory (the connection hook).
// Where SQLite groups in an index's order, with no sort, its GROUP BY stays
// (grade × stage from the analysis index: 0.13–0.17 s, 0.23–0.29 s hashed).

// groupQuery is an aggregate over customers before it becomes SQL.
type groupQuery struct {
	keys  []string // the dimensions' expressions
	value string   // the measure's column; "" counts only
	from  string   // the rows grouped: customers c, or "" for customers c alone
	where string   // " WHERE …" over customers c
	args  []any    // the keys' arguments, then the filter's
	hash  bool     // on SQLite, group in a table of groups (sortsGroups)
}

// source is the FROM clause: the customers c, and what g joins to them.
func (g groupQuery) source() string {
	if g.from == "" {
		return " FROM customers c"
	}
	return " FROM " + g.from
}

// groupBy is the query as a GROUP BY, extra (if any) ANDed to its filter.
func (g groupQuery) groupBy(extra string) string {
	sel := append(append([]string{}, g.keys...), "COUNT(*)")
	if g.value != "" {
		sel = append(sel, "CAST(SUM("+g.value+") AS DOUBLE PRECISION)", "COUNT("+g.value+")")
	}
	by := make([]string, len(g.keys))
	for i := range by {
		by[i] = strconv.Itoa(i + 1)
	}
	return "SELECT " + strings.Join(sel, ", ") + g.source() + g.and(extra) + " GROUP BY " + strings.Join(by, ", ")
}

func (g groupQuery) and(extra string) string {
	if extra == "" {
		return g.where
	}
	return g.where + " AND " + extra
}

// The temporary table of groups: two keys (the second empty for a single
// dimension), the count, and with a measure its sum and number of values.
// A key of a unique index can be NULL more than once, so NULL is stored as
// the empty blob, which no customer column holds. A rowid table with a
// unique index beat a WITHOUT ROWID table keyed by the group (1,000,000
// customers by owner × city: 0.65 s against 0.77 s in the sqlite3 shell):
// a row's update rewrites the table row in place and leaves the index,
// whose keys do not change, alone. Counting alone, the table has no sum.
// The rollback of the read transaction drops the table; should one be left
// on a connection all the same, the next pivot empties it first.
const (
	groupsUpsert    = " ON CONFLICT (k1, k2) DO UPDATE SET n = n + 1"
	groupsUpsertSum = ", s = s + excluded.s, m = m + excluded.m"
)

// table is the name of the temporary table of groups for g's shape.
func (g groupQuery) table() string {
	if g.value == "" {
		return "temp.dossier_groups"
	}
	return "temp.dossier_groups_sum"
}

// create makes g's table of groups if the connection lacks it, and empties it.
func (g groupQuery) create() string {
	cols := "k1, k2, n"
	if g.value != "" {
		cols += ", s, m"
	}
	return "CREATE TEMP TABLE IF NOT EXISTS " + strings.TrimPrefix(g.table(), "temp.") + " (" + cols + ", UNIQUE (k1, k2)); DELETE FROM " + g.table()
}

// upsert is the query as an INSERT into the temporary table of groups.
func (g groupQuery) upsert(extra string) string {
	k2 := "x''"
	if len(g.keys) > 1 {
		k2 = "ifnull(" + g.keys[1] + ", x'')"
	}
	sel := "SELECT ifnull(" + g.keys[0] + ", x''), " + k2 + ", 1"
	if g.value == "" {
		return "INSERT INTO " + g.table() + " (k1, k2, n) " + sel + g.source() + g.and(extra) + groupsUpsert
	}
	return "INSERT INTO " + g.table() + " (k1, k2, n, s, m) " + sel + ", ifnull(" + g.value + ", 0), (" + g.value + ") IS NOT NULL" +
		g.source() + g.and(extra) + groupsUpsert + groupsUpsertSum
}

// groupsRead reads the table of groups as scanGroups expects them.
func (g groupQuery) groupsRead() string {
	sel := []string{"nullif(k1, x'')"}
	if len(g.keys) > 1 {
		sel = append(sel, "nullif(k2, x'')")
	}
	sel = append(sel, "n")
	if g.value != "" {
		sel = append(sel, "CASE WHEN m > 0 THEN CAST(s AS REAL) END", "m")
	}
	return "SELECT " + strings.Join(sel, ", ") + " FROM " + g.table()
}

// hashGroups runs the query over each part (the whole table for none) on
// tx, a SQLite read transaction the caller rolls back, and returns the
// groups. Two parts of the same half add up in the same table.
func hashGroups(ctx context.Context, tx *sql.Tx, g groupQuery, parts []splitPart) ([]rawGroup, error) {
	if _, err := tx.ExecContext(ctx, g.create()); err != nil {
		return nil, fmt.Errorf("aggregate: %w", err)
	}
	if len(parts) == 0 {
		parts = []splitPart{{}}
	}
	for _, p := range parts {
		if _, err := tx.ExecContext(ctx, g.upsert(p.cond), append(append([]any{}, g.args...), p.args...)...); err != nil {
			return nil, fmt.Errorf("aggregate: %w", err)
		}
	}
	rows, err := tx.QueryContext(ctx, g.groupsRead())
	if err != nil {
		return nil, fmt.Errorf("aggregate: %w", err)
	}
	return scanGroups(rows, len(g.keys), g.value != "")
}

// sortsGroups tells whether SQLite's plan for g's GROUP BY sorts the rows
// ("USE TEMP B-TREE FOR GROUP BY", or for its right part), where a table
// of groups does better.
func (db *DB) sortsGroups(ctx context.Context, g groupQuery) (bool, error) {
	if db.dialect.Name() != "sqlite" {
		return false, nil
	}
	return planSorts(ctx, db.r, g)
}

// planSorts reads SQLite's plan for g's GROUP BY on r; a function of its
// own so that a test can ask a bare database.
func planSorts(ctx context.Context, r *sql.DB, g groupQuery) (bool, error) {
	rows, err := r.QueryContext(ctx, "EXPLAIN QUERY PLAN "+g.groupBy(""), g.args...)
	if err != nil {
		return false, fmt.Errorf("aggregate: %w", err)
	}
	defer rows.Close()
	sorts := false
	for rows.Next() {
		var id, parent, unused int64
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return false, fmt.Errorf("aggregate: %w", err)
		}
		sorts = sorts || strings.Contains(detail, "TEMP B-TREE FOR") && strings.Contains(detail, "GROUP BY")
	}
	return sorts, rows.Err()
}

// aggregateWhole runs the query in one piece: into a table of groups in a
// read transaction of its own where SQLite would sort (g.hash), else as a
// GROUP BY (which PostgreSQL answers with a hash aggregate of its own);
// over every live customer PostgreSQL counts all the customers less the
// gone ones.
func (db *DB) aggregateWhole(ctx context.Context, g groupQuery, plain bool) (out []rawGroup, err error) {
	if !g.hash {
		query, args := g.groupBy(""), g.args
		if plain && db.dialect.Name() != "sqlite" {
			query, args = g.allLessGone()
		}
		return db.aggregateRows(ctx, db.q(query), args, len(g.keys), g.value != "")
	}
	tx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("aggregate: %w", err)
	}
	defer func() { err = errors.Join(err, tx.Rollback()) }()
	return hashGroups(ctx, tx, g, nil)
}

// PostgreSQL reads a row's columns in order up to the last one a query
// needs, and the live flags, hidden and merged_into, came last (added by
// migrations): over 100,000 customers a scan grouping by owner and city
// took 37 ms, and 70–85 ms when it also tested the flags. The gone
// customers are few and have partial indexes, so a pivot of every live
// customer groups all the customers without the test and takes away the
// groups of the gone ones, in one statement (one snapshot). It relies on
// hidden being 0 or 1, which migration 032 holds it to.
const (
	goneHidden = " WHERE c.hidden = 1"
	goneMerged = " WHERE c.merged_into IS NOT NULL AND c.hidden = 0"
)

// allLessGone is the query over every live customer (g.where holds only
// the live test) as all the customers' groups less the gone ones'.
func (g groupQuery) allLessGone() (string, []any) {
	part := func(where, sign string) string {
		sel := make([]string, 0, len(g.keys)+3)
		by := make([]string, len(g.keys))
		for i, k := range g.keys {
			sel, by[i] = append(sel, k+" AS k"+strconv.Itoa(i+1)), strconv.Itoa(i+1)
		}
		sel = append(sel, sign+"COUNT(*) AS n")
		if g.value != "" {
			sel = append(sel, sign+"SUM("+g.value+") AS s", sign+"COUNT("+g.value+") AS m")
		}
		return "SELECT " + strings.Join(sel, ", ") + g.source() + where + " GROUP BY " + strings.Join(by, ", ")
	}
	keys := make([]string, len(g.keys))
	for i := range keys {
		keys[i] = "k" + strconv.Itoa(i+1)
	}
	sel := append(append([]string{}, keys...), "CAST(SUM(n) AS BIGINT)")
	if g.value != "" {
		sel = append(sel, "CAST(CASE WHEN SUM(m) > 0 THEN SUM(s) END AS DOUBLE PRECISION)", "CAST(SUM(m) AS BIGINT)")
	}
	query := "SELECT " + strings.Join(sel, ", ") + " FROM (" + part("", "") +
		" UNION ALL " + part(goneHidden, "-") + " UNION ALL " + part(goneMerged, "-") +
		") t GROUP BY " + strings.Join(keys, ", ") + " HAVING SUM(n) <> 0"
	args := append(append(append([]any{}, g.args...), g.args...), g.args...)
	return query, args
}
