package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
)

// TestImportCache: a batch of an import runs with the import's page cache
// on the writer, the readers keep theirs, and the end of the import gives
// the writer its everyday cache back.
func TestImportCache(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "i.db"), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pragma := func(pool, name string) int {
		var n int
		if err := db.Pools()[pool].QueryRowContext(ctx, "PRAGMA "+name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	cache := func(pool string) int { return pragma(pool, "cache_size") }
	run := &dossier.ImportRun{File: "c.csv", Kind: dossier.KindCustomers, Source: dossier.Source{Channel: dossier.ChannelInternal, Detail: "c.csv", CollectedAt: time.Now()}}
	if err := db.StartImport(ctx, run); err != nil {
		t.Fatal(err)
	}
	batch := []dossier.ImportRecord{{Row: 2, Entry: dossier.Entry{Customer: map[string]string{"name": "甲公司"}}}}
	if _, err := db.ImportBatch(ctx, run, batch, false); err != nil {
		t.Fatal(err)
	}
	if got := cache("write"); got != -importCacheKiB {
		t.Errorf("writer cache during the import: %d, want %d", got, -importCacheKiB)
	}
	if got := cache("read"); got != -cacheKiB {
		t.Errorf("reader cache during the import: %d, want %d", got, -cacheKiB)
	}
	run.Status = "done"
	if err := db.FinishImport(ctx, run); err != nil {
		t.Fatal(err)
	}
	if got := cache("write"); got != -cacheKiB {
		t.Errorf("writer cache after the import: %d, want %d", got, -cacheKiB)
	}
}
