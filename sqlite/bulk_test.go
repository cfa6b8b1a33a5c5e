package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/rules"
	"github.com/dossier/dossier/sqldb"
)

// TestBulkSettings: a batch of an import runs with the bulk page cache and
// checkpoint interval on the writer, the readers keep theirs, and the end of
// the import gives the writer its everyday settings back.
func TestBulkSettings(t *testing.T) {
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
	if got := cache("write"); got != -bulkCacheKiB {
		t.Errorf("writer cache during the import: %d, want %d", got, -bulkCacheKiB)
	}
	if got := pragma("write", "wal_autocheckpoint"); got != bulkCheckpointPages {
		t.Errorf("writer checkpoint interval during the import: %d, want %d", got, bulkCheckpointPages)
	}
	if got := cache("read"); got != -cacheKiB {
		t.Errorf("reader cache during the import: %d, want %d", got, -cacheKiB)
	}
	run.Status = "done"
	if err := db.FinishImport(ctx, run); err != nil {
		t.Fatal(err)
	}
	everyday(t, pragma, "after the import")

	// A recompute writes its batches with the same settings and gives the
	// everyday ones back.
	e, err := rules.Compile(rules.Default(), dossier.BuiltinFields())
	if err != nil {
		t.Fatal(err)
	}
	if n, err := db.RecomputeAll(ctx, time.Now(), dossier.DefaultScoreSettings(), e, nil); err != nil || n != 1 {
		t.Fatalf("recompute: %d, %v", n, err)
	}
	everyday(t, pragma, "after the recompute")
}

// everyday checks the writer's and readers' everyday settings.
func everyday(t *testing.T, pragma func(pool, name string) int, when string) {
	t.Helper()
	for _, pool := range []string{"write", "read"} {
		if got := pragma(pool, "cache_size"); got != -cacheKiB {
			t.Errorf("%s cache %s: %d, want %d", pool, when, got, -cacheKiB)
		}
		if got := pragma(pool, "wal_autocheckpoint"); got != everydayCheckpointPages {
			t.Errorf("%s checkpoint interval %s: %d, want %d", pool, when, got, everydayCheckpointPages)
		}
		if got := pragma(pool, "journal_size_limit"); got != walSizeLimit {
			t.Errorf("%s log size limit %s: %d, want %d", pool, when, got, walSizeLimit)
		}
	}
}
