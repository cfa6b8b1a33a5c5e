package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// The table of groups, and all customers' groups less the gone ones', give
// what SQLite's own GROUP BY of the live customers gives, for keys that are
// NULL, empty, numbers, numeric text and Chinese text, with and without a
// measure that has NULLs, in one piece and added up over parts, with
// customers hidden, merged, or both.
func TestGroupStrategiesEqualGroupBy(t *testing.T) {
	ctx := context.Background()
	db := rawStore(t, "CREATE TABLE customers (id INTEGER PRIMARY KEY, hidden INTEGER, merged_into INTEGER, a, b, v)")
	keys := []any{nil, "", "广州", "深圳", 5, "5", 5.5, -1, "x'00'"}
	values := []any{nil, 3, 2.5, "7", 0}
	for i := range 400 {
		hidden, merged := i%17 == 0, any(nil)
		if i%23 == 0 {
			merged = 1
		}
		if _, err := db.Exec("INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?)", i+1, hidden,
			merged, keys[i%len(keys)], keys[(i/3)%len(keys)], values[(i/7)%len(values)]); err != nil {
			t.Fatal(err)
		}
	}
	// a group of gone customers alone, which no answer may show
	if _, err := db.Exec("INSERT INTO customers VALUES (1001, 1, NULL, '已删除', '已删除', 4), (1002, 0, 7, '已删除', '已删除', NULL)"); err != nil {
		t.Fatal(err)
	}
	where := " WHERE c.hidden = 0 AND c.merged_into IS NULL"
	parts := []splitPart{{"c.id < ?", []any{150}}, {"c.id >= ?", []any{150}}}
	for _, g := range []groupQuery{
		{keys: []string{"c.a"}, where: where},
		{keys: []string{"+c.a", "+c.b"}, where: where},
		{keys: []string{"c.b"}, value: "c.v", where: where},
		{keys: []string{"c.a", "c.b"}, value: "c.v", where: where},
		{keys: []string{"CASE WHEN c.a = ? THEN 'yes' ELSE 'no' END", "c.b"}, where: where, args: []any{"广州"}},
	} {
		rows, err := db.QueryContext(ctx, g.groupBy(""), g.args...)
		if err != nil {
			t.Fatal(err)
		}
		want, err := scanGroups(rows, len(g.keys), g.value != "")
		if err != nil {
			t.Fatal(err)
		}
		lessGone, args := g.allLessGone()
		rows, err = db.QueryContext(ctx, lessGone, args...)
		if err != nil {
			t.Fatal(err)
		}
		got, err := scanGroups(rows, len(g.keys), g.value != "")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(describe(got), describe(want)) {
			t.Errorf("%s:\n got %v\nwant %v", lessGone, describe(got), describe(want))
		}
		for _, ps := range [][]splitPart{nil, parts} {
			got := hashInTx(t, db, g, ps)
			if !slices.Equal(describe(got), describe(want)) {
				t.Errorf("%s over %d parts:\n got %v\nwant %v", g.groupBy(""), len(ps), describe(got), describe(want))
			}
		}
	}
}

// A table of groups left on a connection (here committed, where a pivot
// rolls back) does not add to the next pivot's groups.
func TestHashGroupsLeftTable(t *testing.T) {
	ctx := context.Background()
	db := rawStore(t, `CREATE TABLE customers (id INTEGER PRIMARY KEY, hidden INTEGER, merged_into INTEGER, a, v);
		INSERT INTO customers VALUES (1, 0, NULL, 'x', 2), (2, 0, NULL, 'x', 3), (3, 0, NULL, NULL, NULL)`)
	for _, g := range []groupQuery{
		{keys: []string{"c.a"}, where: " WHERE c.hidden = 0"},
		{keys: []string{"c.a"}, value: "c.v", where: " WHERE c.hidden = 0"},
	} {
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := hashGroups(ctx, tx, g, nil); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		got := describe(hashInTx(t, db, g, nil))
		want := []string{"[{ false}] 1 {0 false} 0", "[{x true}] 2 {0 false} 0"}
		if g.value != "" {
			want = []string{"[{ false}] 1 {0 false} 0", "[{x true}] 2 {5 true} 2"}
		}
		if !slices.Equal(got, want) {
			t.Errorf("after a left table: %v, want %v", got, want)
		}
	}
}

// The table of groups is for a GROUP BY that SQLite would sort: grouped
// in an index's order, the GROUP BY stays.
func TestPlanSorts(t *testing.T) {
	ctx := context.Background()
	db := rawStore(t, `CREATE TABLE customers (id INTEGER PRIMARY KEY, hidden INTEGER, merged_into INTEGER, a, b);
		CREATE INDEX customers_a ON customers (a, hidden, merged_into)`)
	where := " WHERE c.hidden = 0 AND c.merged_into IS NULL"
	for _, c := range []struct {
		g    groupQuery
		want bool
	}{
		{groupQuery{keys: []string{"c.a"}, where: where}, false},
		{groupQuery{keys: []string{"+c.a"}, where: where}, true},
		{groupQuery{keys: []string{"c.b"}, where: where}, true},
		{groupQuery{keys: []string{"c.a", "c.b"}, where: where}, true},
	} {
		got, err := planSorts(ctx, db, c.g)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s: sorts %v, want %v", c.g.groupBy(""), got, c.want)
		}
	}
}

// rawStore is a SQLite file with schema and no migrations, on one
// connection (so that a temporary table left behind is seen), its temp
// store in memory as the store's connection hook sets it.
func rawStore(t *testing.T, schema string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(t.TempDir(), "raw.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("PRAGMA temp_store = MEMORY; " + schema); err != nil {
		t.Fatal(err)
	}
	return db
}

func hashInTx(t *testing.T, db *sql.DB, g groupQuery, parts []splitPart) []rawGroup {
	t.Helper()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	got, err := hashGroups(context.Background(), tx, g, parts)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// describe writes groups as sorted strings, so that the order of the
// groups does not matter.
func describe(gs []rawGroup) []string {
	var out []string
	for _, g := range gs {
		out = append(out, fmt.Sprintf("%v %d %v %d", g.keys, g.count, g.sum, g.n))
	}
	slices.Sort(out)
	return out
}
