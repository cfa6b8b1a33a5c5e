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
