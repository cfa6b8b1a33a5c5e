package sqldb

import (
	"context"
	"fmt"
	"time"
)

// TryLease claims the background job name for holder until now+ttl when the
// job is due (its last run finished at least every ago, or it never ran) and
// nobody else holds an unexpired lease. It reports whether holder got it.
// Servers sharing a database call it on a timer; exactly one wins.
//
// On PostgreSQL the job's row is locked with FOR UPDATE SKIP LOCKED, so a
// server that finds it locked by another moves on at once instead of
// waiting. On SQLite every write transaction holds the database's one write
// lock from BEGIN (IMMEDIATE), which serialises claims the same way.
func (db *DB) TryLease(ctx context.Context, name, holder string, every, ttl time.Duration) (bool, error) {
	got := false
	err := db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO job_leases (name) VALUES (?) ON CONFLICT (name) DO NOTHING`, name); err != nil {
			return err
		}
		lock := ""
		if db.dialect.Name() == "postgres" {
			lock = " FOR UPDATE SKIP LOCKED"
		}
		var until, finished *string
		err := tx.queryRow(ctx, `SELECT leased_until, last_finished FROM job_leases WHERE name = ?`+lock, name).Scan(&until, &finished)
		if isNoRows(err) {
			return nil // another server is claiming it right now
		}
		if err != nil {
			return err
		}
		if until != nil && parseTS(*until).After(tx.now) {
			return nil // running elsewhere
		}
		if finished != nil && tx.now.Sub(parseTS(*finished)) < every {
			return nil // not due
		}
		_, err = tx.exec(ctx, `UPDATE job_leases SET holder = ?, leased_until = ?, last_started = ?, runs = runs + 1 WHERE name = ?`,
			holder, ts(tx.now.Add(ttl)), ts(tx.now), name)
		got = err == nil
		return err
	})
	if db.isBusy(err) {
		// Another server held SQLite's write lock for the whole busy
		// timeout: it is claiming or running something now, so this
		// server's turn comes at its next tick.
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("lease job %s: %w", name, err)
	}
	return got, nil
}

// ReleaseLease ends holder's lease on job name and records how the run
// ended. It does nothing if the lease expired and another server took it.
//
// A release that finds the database busy tries again a few times: giving up
// would leave the job leased to nobody until its lease expires.
func (db *DB) ReleaseLease(ctx context.Context, name, holder, status string) error {
	var err error
	for range releaseTries {
		if err = db.releaseLease(ctx, name, holder, status); !db.isBusy(err) {
			return err
		}
	}
	return err
}

// releaseTries bounds ReleaseLease's attempts on a busy database.
const releaseTries = 5

func (db *DB) releaseLease(ctx context.Context, name, holder, status string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE job_leases SET leased_until = NULL, last_finished = ?, last_status = ?
			WHERE name = ? AND holder = ?`, ts(tx.now), status, name, holder)
		if err != nil {
			return fmt.Errorf("release job %s: %w", name, err)
		}
		return nil
	})
}

// JobRuns returns how many times job name has been leased, for tests and
// metrics.
func (db *DB) JobRuns(ctx context.Context, name string) (int64, error) {
	var n int64
	err := db.r.QueryRowContext(ctx, db.q(`SELECT COALESCE((SELECT runs FROM job_leases WHERE name = ?), 0)`), name).Scan(&n)
	return n, err
}
