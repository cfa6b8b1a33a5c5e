package sqldb_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
	"github.com/dossier/dossier/sqlite"
)

// splitQueries are pivots the split takes: over the analysis index's
// columns (ranges of grade and stage), over columns it lacks (ranges of
// ids), with a measure, and a derived dimension.
var splitQueries = []analytics.Query{
	{Dims: []analytics.Dim{{Field: "customer_type"}}},
	{Dims: []analytics.Dim{{Field: "grade"}, {Field: "stage"}}},
	{Dims: []analytics.Dim{{Field: "owner"}, {Field: "city"}}},
	{Dims: []analytics.Dim{{Field: analytics.LastContactMonth}}},
	{Dims: []analytics.Dim{{Field: analytics.IndustryTop}, {Field: "need_type"}}, Value: "revenue"},
	{Dims: []analytics.Dim{{Field: "lost_to"}}},
	{Dims: []analytics.Dim{{Field: "churn_reason"}, {Field: "stage"}}, Value: "satisfaction"},
}

// A pivot split in two halves run at once gives the groups of the single
// query, whatever grades and stages (empty ones included) the customers
// have and wherever the cut falls.
func TestSplitAggregateEqualsWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "split.db")
	opt := dbtest.Options()
	opt.NoRollup = true // else the rollup answers grade × stage
	whole, err := sqlite.Open(ctx, path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Close()
	pick := func(r *rand.Rand, vs ...string) string { return vs[r.IntN(len(vs))] }
	for seed := range uint64(4) {
		r := rand.New(rand.NewPCG(seed, 7))
		for i := range 30 + r.IntN(40) {
			mustCreate(t, whole, map[string]string{
				"name":          fmt.Sprintf("分片测试%d-%d有限公司", seed, i),
				"grade":         pick(r, "重点", "潜在", "普通", ""),
				"stage":         pick(r, "潜在", "意向", "成交", "流失", ""),
				"customer_type": pick(r, "ka", "smb", ""),
				"owner":         pick(r, "li", "zhou", ""),
				"city":          pick(r, "广州", "深圳", "杭州", ""),
				"industry":      pick(r, "制造业-汽车", "信息技术-软件开发", ""),
				"need_type":     pick(r, "数据分析", "仓储", ""),
				"revenue":       pick(r, "5000万", "300万", ""),
				"lost_to":       pick(r, "甲公司", ""),
				"churn_reason":  pick(r, "响应慢", "价格", ""),
				"satisfaction":  pick(r, "1", "4", "5", ""),
			})
		}
		wholeAnswers := make([][]string, len(splitQueries))
		for i, q := range splitQueries {
			gs, err := whole.Aggregate(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			wholeAnswers[i] = norm(gs)
		}
		restore, runs := sqldb.SplitForTest()
		split, err := sqlite.Open(ctx, path, opt) // its own result cache
		if err != nil {
			t.Fatal(err)
		}
		for i, q := range splitQueries {
			gs, err := split.Aggregate(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if got := norm(gs); !slices.Equal(got, wholeAnswers[i]) {
				t.Errorf("seed %d, %+v:\nsplit %v\nwhole %v", seed, q, got, wholeAnswers[i])
			}
		}
		// A filter keeps the single query: its own index may be better.
		if _, err := split.Aggregate(ctx, analytics.Query{Dims: []analytics.Dim{{Field: "city"}},
			Filter: dossier.CustomerFilter{Expr: "grade = 重点"}}); err != nil {
			t.Fatal(err)
		}
		if got := runs(); got != int64(len(splitQueries)) {
			t.Errorf("seed %d: %d pivots split, want %d", seed, got, len(splitQueries))
		}
		restore()
		split.Close()
	}
}

// TestSplitCompactsRollup: the split reads the owner rollup for its cut,
// and like every rollup read it has the rollups compacted once their delta
// rows have piled up (here 30,000 rows that sum to nothing).
func TestSplitCompactsRollup(t *testing.T) {
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "compact.db"), dbtest.Options())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, g := range []string{"重点", "潜在", "普通"} {
		mustCreate(t, db, map[string]string{"name": fmt.Sprintf("压缩测试%d有限公司", i), "grade": g, "owner": "li", "industry": "制造业"})
	}
	w := db.Pools()["write"]
	_, err = w.ExecContext(ctx, `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 30000)
		INSERT INTO customer_rollup_owner (owner, team, grade, stage, follow_up_priority, n, revenue_sum, revenue_n)
		SELECT 'li', NULL, '重点', NULL, NULL, CASE i % 2 WHEN 0 THEN 1 ELSE -1 END, 0, 0 FROM k`)
	if err != nil {
		t.Fatal(err)
	}
	rowsNow := func() (n int) {
		if err := w.QueryRowContext(ctx, "SELECT COUNT(*) FROM customer_rollup_owner").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	restore, runs := sqldb.SplitForTest()
	defer restore()
	gs, err := db.Aggregate(ctx, analytics.Query{Dims: []analytics.Dim{{Field: "owner"}, {Field: "industry"}}}) // no rollup holds both
	if err != nil {
		t.Fatal(err)
	}
	if runs() != 1 || len(gs) != 1 || gs[0].Count != 3 {
		t.Fatalf("split runs %d, groups %+v: want one split pivot of 3 customers", runs(), gs)
	}
	deadline := time.Now().Add(10 * time.Second)
	for rowsNow() > 100 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := rowsNow(); n > 100 {
		t.Errorf("the owner rollup still holds %d rows after a split pivot: not compacted", n)
	}
}

// TestAggregateBesideAWriter: a pivot's table of groups is written in the
// reader's temporary store, so a pivot neither waits for nor blocks the
// writer: here one holds the write lock throughout, and every pivot, split
// or whole, still answers.
func TestAggregateBesideAWriter(t *testing.T) {
	opt := dbtest.Options()
	opt.NoRollup = true
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "writer.db"), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := range 6 {
		mustCreate(t, db, map[string]string{"name": fmt.Sprintf("写锁测试%d有限公司", i), "grade": "重点", "owner": "li", "city": "广州"})
	}
	tx, err := db.Pools()["write"].BeginTx(ctx, nil) // BEGIN IMMEDIATE: the write lock
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "UPDATE customers SET city = '深圳' WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	restore, runs := sqldb.SplitForTest()
	defer restore()
	for _, q := range splitQueries {
		gs, err := db.Aggregate(ctx, q)
		if err != nil {
			t.Fatalf("%+v beside a writer: %v", q, err)
		}
		if n := total(gs); n != 6 {
			t.Errorf("%+v: %d customers, want 6 (the writer's change is not committed)", q, n)
		}
	}
	if runs() == 0 {
		t.Error("no pivot was split")
	}
}

func total(gs []analytics.Group) (n int64) {
	for _, g := range gs {
		n += g.Count
	}
	return n
}
