package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// TestImportAnalyzesGrownTables: an import into a new database analyses the
// tables its first batch filled, leaves them alone while they grow by less
// than they had, and analyses them again once they have doubled. Without
// statistics the planner scans whole tables for the import's IN lists.
func TestImportAnalyzesGrownTables(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Postgres(t, dbtest.Options())
	analyzed := func(table string) int {
		t.Helper()
		var n int
		err := db.Pools()["main"].QueryRowContext(ctx, "SELECT analyze_count FROM pg_stat_user_tables WHERE relname = $1", table).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	run := &dossier.ImportRun{File: "c.csv", Kind: dossier.KindCustomers, Source: dossier.Source{Channel: dossier.ChannelInternal, Detail: "c.csv", CollectedAt: time.Now()}}
	if err := db.StartImport(ctx, run); err != nil {
		t.Fatal(err)
	}
	next := 0
	batch := func(n int) {
		t.Helper()
		recs := make([]dossier.ImportRecord, n)
		for i := range recs {
			next++
			recs[i] = dossier.ImportRecord{Row: next + 1, Entry: dossier.Entry{Customer: map[string]string{"name": fmt.Sprintf("公司%d", next)}}}
		}
		if _, err := db.ImportBatch(ctx, run, recs, false); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string, want int) {
		t.Helper()
		for _, table := range []string{"customers", "observations", "quality_customers"} {
			if got := analyzed(table); got != want {
				t.Errorf("%s: %s analysed %d times, want %d", when, table, got, want)
			}
		}
	}
	batch(600)
	check("after the first batch", 1)
	batch(300)
	check("after growing by half", 1)
	batch(600)
	check("after more than doubling", 2)
}

// TestRenameReadsGramsByKey: renaming a customer deletes its old name's
// character pairs through the primary key of customer_grams (migration
// 030), not by reading the whole table, which cost a third of an import's
// server time: the imports' resolve renames customers.
func TestRenameReadsGramsByKey(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Postgres(t, dbtest.Options())
	run := &dossier.ImportRun{File: "c.csv", Kind: dossier.KindCustomers, Source: dossier.Source{Channel: dossier.ChannelInternal, Detail: "c.csv", CollectedAt: time.Now()}}
	if err := db.StartImport(ctx, run); err != nil {
		t.Fatal(err)
	}
	recs := make([]dossier.ImportRecord, 2000)
	for i := range recs {
		recs[i] = dossier.ImportRecord{Row: i + 2, Entry: dossier.Entry{Customer: map[string]string{"name": fmt.Sprintf("深圳市第%d号电子科技有限公司", i)}}}
	}
	if _, err := db.ImportBatch(ctx, run, recs, false); err != nil {
		t.Fatal(err)
	}
	conn, err := db.Pools()["main"].Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	// The backend's counters also hold what earlier transactions on this
	// connection did and it has not published yet: compare before and after.
	scans := func() (seq, idx int64) {
		t.Helper()
		if err := tx.QueryRowContext(ctx, "SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'customer_grams'").Scan(&seq, &idx); err != nil {
			t.Fatal(err)
		}
		return seq, idx
	}
	seq0, idx0 := scans()
	res, err := tx.ExecContext(ctx, "UPDATE customers SET name = '深圳市第7号电子技术有限公司' WHERE name = '深圳市第7号电子科技有限公司'")
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("rename: %d rows, %v", n, err)
	}
	seq, idx := scans()
	seq, idx = seq-seq0, idx-idx0
	var left int64
	if seq != 0 || idx == 0 {
		t.Errorf("renaming a customer scanned customer_grams %d times, read its index %d times", seq, idx)
	}
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM customer_grams g JOIN customers c ON c.id = g.customer_id WHERE c.name = '深圳市第7号电子技术有限公司' AND gram = '科技'").Scan(&left); err != nil || left != 0 {
		t.Errorf("pairs of the old name left: %d, %v", left, err)
	}
}
