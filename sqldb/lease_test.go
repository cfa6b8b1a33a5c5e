package sqldb_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dossier/dossier/postgres"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
	"github.com/dossier/dossier/sqlite"
)

// sharedStores opens n stores on one database, as n server processes would:
// separate pools, nothing shared in memory.
func sharedStores(t *testing.T, n int) map[string][]*sqldb.DB {
	t.Helper()
	ctx := context.Background()
	open := map[string]func() (*sqldb.DB, error){}
	path := filepath.Join(t.TempDir(), "shared.db")
	open["sqlite"] = func() (*sqldb.DB, error) { return sqlite.Open(ctx, path, dbtest.Options()) }
	if dbtest.PostgresURL(t) != "" {
		url := dbtest.FreshPostgresURL(t)
		open["postgres"] = func() (*sqldb.DB, error) { return postgres.Open(ctx, url, dbtest.Options()) }
	}
	out := map[string][]*sqldb.DB{}
	for name, o := range open {
		for range n {
			db, err := o()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			out[name] = append(out[name], db)
		}
	}
	return out
}

// Workers on separate connections race for one job, over and over: never
// two in it at once, and between them it runs many times.
func TestLeaseExclusive(t *testing.T) {
	for name, dbs := range sharedStores(t, 4) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			var inside, maxInside, runs atomic.Int64
			var wg sync.WaitGroup
			// The workers stop after enough runs, not after a time, so a
			// loaded machine makes the test slower, never wrong; the deadline
			// only bounds a lease that is never granted.
			const want = 20
			deadline := time.Now().Add(60 * time.Second)
			for w, db := range dbs {
				holder := fmt.Sprintf("worker-%d", w)
				wg.Go(func() {
					for runs.Load() < want && time.Now().Before(deadline) {
						got, err := db.TryLease(ctx, "job", holder, 0, time.Minute)
						if err != nil {
							t.Error(err)
							return
						}
						if !got {
							continue
						}
						n := inside.Add(1)
						if n > maxInside.Load() {
							maxInside.Store(n)
						}
						runs.Add(1)
						time.Sleep(2 * time.Millisecond)
						inside.Add(-1)
						if err := db.ReleaseLease(ctx, "job", holder, "ok"); err != nil {
							t.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			if maxInside.Load() != 1 {
				t.Errorf("%d workers ran the job at once", maxInside.Load())
			}
			stored, err := dbs[0].JobRuns(ctx, "job")
			if err != nil {
				t.Fatal(err)
			}
			if runs.Load() < want || stored != runs.Load() {
				t.Errorf("job ran %d times, store counted %d", runs.Load(), stored)
			}
		})
	}
}

// A job is not run again before it is due, nor while leased; a lease whose
// holder died is taken over once it expires.
func TestLeaseDueAndExpiry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		try := func(holder string, every, ttl time.Duration) bool {
			t.Helper()
			got, err := db.TryLease(ctx, "recompute", holder, every, ttl)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if !try("a", time.Hour, time.Minute) {
			t.Fatal("a never-run job was not due")
		}
		if try("b", 0, time.Minute) {
			t.Error("b got a job a holds")
		}
		if err := db.ReleaseLease(ctx, "recompute", "b", "ok"); err != nil {
			t.Fatal(err)
		}
		if try("b", 0, time.Minute) {
			t.Error("b released a lease it did not hold")
		}
		if err := db.ReleaseLease(ctx, "recompute", "a", "ok"); err != nil {
			t.Fatal(err)
		}
		if try("b", time.Hour, time.Minute) {
			t.Error("a job that just ran was due again within the hour")
		}
		if !try("b", 0, time.Millisecond) {
			t.Error("b did not get a due, free job")
		}
		time.Sleep(5 * time.Millisecond) // b "dies": its lease expires
		if !try("c", 0, time.Minute) {
			t.Error("c could not take over an expired lease")
		}
	})
}

// On SQLite a server that finds another holding the write lock past the busy
// timeout does not get the job and reports no error: its turn comes at its
// next tick. TestLeaseExclusive once failed in CI with "database is
// locked" when four workers raced on a loaded machine.
func TestLeaseBusyIsNotNow(t *testing.T) {
	dbs := sharedStores(t, 2)["sqlite"]
	ctx := context.Background()
	// Store 1 holds the write lock the way a long import does.
	tx, err := dbs[1].Pools()["write"].BeginTx(ctx, nil) // BEGIN IMMEDIATE
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE hold (x)`); err != nil {
		t.Fatal(err)
	}
	got, err := dbs[0].TryLease(ctx, "job", "a", 0, time.Minute)
	if err != nil || got {
		t.Fatalf("lease while another holds the write lock: got %v, err %v; want false, nil", got, err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got, err := dbs[0].TryLease(ctx, "job", "a", 0, time.Minute); err != nil || !got {
		t.Fatalf("lease once the lock is free: got %v, err %v; want true, nil", got, err)
	}
}

// A release that finds the write lock held past the busy timeout tries
// again, so the job does not stay leased to nobody until the lease expires.
func TestLeaseReleaseRetriesWhenBusy(t *testing.T) {
	dbs := sharedStores(t, 2)["sqlite"]
	ctx := context.Background()
	if got, err := dbs[0].TryLease(ctx, "job", "a", 0, time.Hour); err != nil || !got {
		t.Fatalf("first lease: got %v, err %v", got, err)
	}
	tx, err := dbs[1].Pools()["write"].BeginTx(ctx, nil) // BEGIN IMMEDIATE
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE hold (x)`); err != nil {
		t.Fatal(err)
	}
	released := make(chan error, 1)
	go func() { released <- dbs[0].ReleaseLease(ctx, "job", "a", "ok") }()
	// The lock outlasts the first attempt's 5 s busy timeout, not the
	// second attempt.
	time.Sleep(6500 * time.Millisecond)
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := <-released; err != nil {
		t.Fatalf("release after a busy first attempt: %v", err)
	}
	if got, err := dbs[1].TryLease(ctx, "job", "b", 0, time.Minute); err != nil || !got {
		t.Fatalf("lease after the release: got %v, err %v; want true, nil", got, err)
	}
}
