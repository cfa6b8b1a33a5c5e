package sqlite

import (
	"fmt"
	"os"

	"github.com/mattn/go-sqlite3"
)

// LimitMemory bounds the C memory a long-running process (dossier serve)
// keeps for SQLite. Each pooled connection has its own page cache (up to
// 64 MiB, see dsn), and glibc gives every thread that calls into SQLite its
// own malloc arena and keeps what was freed there, so after traffic a
// server on a large store held several hundred MB it no longer used
// (BENCHMARKS.md, "Memory"). heapLimit is SQLite's soft heap limit for the
// whole process (0: none): past it, SQLite reuses its least recently used
// cached pages instead of growing. maxArenas, when above 0 and
// MALLOC_ARENA_MAX is not set, caps glibc's arenas (mallopt M_ARENA_MAX;
// no effect elsewhere). Call it before opening stores.
func LimitMemory(heapLimit int64, maxArenas int) error {
	if maxArenas > 0 && os.Getenv("MALLOC_ARENA_MAX") == "" {
		limitArenas(maxArenas)
	}
	c, err := (&sqlite3.SQLiteDriver{}).Open(":memory:")
	if err != nil {
		return err
	}
	defer c.Close()
	// The pragma sets sqlite3_soft_heap_limit64, which is process-wide.
	if _, err := c.(*sqlite3.SQLiteConn).Exec(fmt.Sprintf("PRAGMA soft_heap_limit = %d", heapLimit), nil); err != nil {
		return fmt.Errorf("sqlite soft heap limit: %w", err)
	}
	return nil
}

// TrimMemory hands memory that the C allocator holds but nothing uses back
// to the system (glibc's malloc_trim; no effect elsewhere). A server calls
// it now and then: after a burst of requests glibc otherwise keeps the
// freed SQLite pages resident.
func TrimMemory() { trimMalloc() }
