package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
)

// recomputeJob is the lease name of the periodic score recompute.
const recomputeJob = "score-recompute"

// jobHolder names this process in job leases: host and pid, so an operator
// can tell which server ran what.
func jobHolder() string {
	h, _ := os.Hostname()
	return fmt.Sprintf("%s:%d", h, os.Getpid())
}

// scheduleRecompute recomputes every score each interval until ctx ends. All
// servers on one database run this loop; the job lease makes exactly one of
// them do each due run. The lease outlives the longest plausible run (ttl),
// so a server that dies mid-run only delays the next one.
func scheduleRecompute(ctx context.Context, log *slog.Logger, store *sqldb.DB, every time.Duration) {
	holder := jobHolder()
	check := min(max(every/10, time.Second), time.Minute)
	ttl := max(2*time.Hour, every)
	t := time.NewTicker(check)
	defer t.Stop()
	for {
		got, err := store.TryLease(ctx, recomputeJob, holder, every, ttl)
		if err != nil && ctx.Err() == nil {
			log.Warn("job lease failed", "job", recomputeJob, "err", err)
		}
		if got {
			runRecompute(ctx, log, store, holder)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func runRecompute(ctx context.Context, log *slog.Logger, store *sqldb.DB, holder string) {
	start := time.Now()
	status := "ok"
	settings, err := loadScoreSettings(ctx, store)
	var n int
	if err == nil {
		n, err = store.RecomputeScores(ctx, time.Now().UTC(), settings, func(dossier.Score) error { return nil })
	}
	if err != nil {
		status = "failed: " + err.Error()
		log.Error("score recompute failed", "job", recomputeJob, "scored", n, "err", err)
	} else {
		log.Info("score recompute done", "job", recomputeJob, "scored", n, "dur_ms", time.Since(start).Milliseconds())
	}
	// Released even when ctx is done, so the next server need not wait for
	// the lease to expire.
	if err := store.ReleaseLease(context.WithoutCancel(ctx), recomputeJob, holder, status); err != nil {
		log.Warn("job release failed", "job", recomputeJob, "err", err)
	}
}

// snapshotJob is the lease name of the quarterly snapshot (SPEC R32).
const snapshotJob = "quarterly-snapshot"

// scheduleSnapshots takes a snapshot of every customer when the current
// quarter has none yet, checking every interval. Like the recompute, every
// server runs this loop and the lease lets one of them check at a time, so
// two servers never both take the quarter's snapshot.
func scheduleSnapshots(ctx context.Context, log *slog.Logger, store *sqldb.DB, check time.Duration) {
	holder := jobHolder()
	t := time.NewTicker(check)
	defer t.Stop()
	for {
		// Half the interval: a check that finished a moment less than
		// one interval ago is still due at the next tick.
		quarterlySnapshot(ctx, log, store, holder, check/2)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// quarterlySnapshot is one check: lease, look for this quarter's snapshot,
// take it if missing, release. It reports whether it took one.
func quarterlySnapshot(ctx context.Context, log *slog.Logger, store *sqldb.DB, holder string, every time.Duration) bool {
	got, err := store.TryLease(ctx, snapshotJob, holder, every, 6*time.Hour)
	if err != nil && ctx.Err() == nil {
		log.Warn("job lease failed", "job", snapshotJob, "err", err)
	}
	if !got {
		return false
	}
	status, took := "ok", false
	now := time.Now().UTC()
	has, err := store.HasSnapshotSince(ctx, quarterStart(now))
	if err == nil && !has {
		start := time.Now()
		s := &dossier.Snapshot{Label: quarterName(now), TakenBy: "server"}
		if err = store.TakeSnapshot(ctx, s); err == nil {
			took = true
			log.Info("quarterly snapshot taken", "job", snapshotJob, "snapshot", s.ID, "customers", s.Customers, "dur_ms", time.Since(start).Milliseconds())
		}
	}
	if err != nil {
		status = "failed: " + err.Error()
		log.Error("quarterly snapshot failed", "job", snapshotJob, "err", err)
	}
	if err := store.ReleaseLease(context.WithoutCancel(ctx), snapshotJob, holder, status); err != nil {
		log.Warn("job release failed", "job", snapshotJob, "err", err)
	}
	return took
}

// quarterStart is the first instant of t's calendar quarter, UTC.
func quarterStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), (t.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
}

// quarterName labels a quarterly snapshot, e.g. 2026Q4.
func quarterName(t time.Time) string {
	return fmt.Sprintf("%dQ%d", t.Year(), (int(t.UTC().Month())-1)/3+1)
}
