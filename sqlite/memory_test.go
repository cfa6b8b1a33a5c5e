package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/dossier/dossier/sqldb"
)

// TestLimitMemory: the limit applies to every connection of the process,
// including the stores opened after it, and 0 lifts it.
func TestLimitMemory(t *testing.T) {
	t.Cleanup(func() { _ = LimitMemory(0, 0) })
	if err := LimitMemory(48<<20, 2); err != nil {
		t.Fatal(err)
	}
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "m.db"), sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, pool := range db.Pools() {
		var n int64
		if err := pool.QueryRow("PRAGMA soft_heap_limit").Scan(&n); err != nil || n != 48<<20 {
			t.Errorf("%s: soft_heap_limit %d (%v), want %d", name, n, err, 48<<20)
		}
	}
	TrimMemory() // must not disturb open connections
	if err := LimitMemory(0, 0); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := db.Pools()["read"].QueryRow("PRAGMA soft_heap_limit").Scan(&n); err != nil || n != 0 {
		t.Errorf("after lifting: soft_heap_limit %d (%v)", n, err)
	}
}
