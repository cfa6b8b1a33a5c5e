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
