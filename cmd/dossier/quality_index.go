package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/dossier/dossier/sqldb"
)

// runQuality shows the state of the quality tables (the derived rows the
// conflicts, gaps and invalid lists read) or rebuilds them: after an
// upgrade to migration 010, or to do ahead of time what the first list
// would do after a registry change.
func runQuality(ctx context.Context, e *env, args []string) error {
	fs := newFlags("quality")
	db := dbFlag(fs, e)
	rebuild := fs.Bool("rebuild", false, "compute every customer's quality rows again")
	asJSON := fs.Bool("json", false, "print the status as JSON")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if *rebuild {
		start := time.Now()
		n, err := store.RebuildQuality(ctx)
		if err != nil {
			return err
		}
		if !*asJSON {
			fmt.Fprintf(e.stdout, "rebuilt the quality rows of %d customers in %s\n", n, time.Since(start).Round(time.Millisecond))
		}
	}
	st, err := store.QualityStatus(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(e.stdout).Encode(st)
	}
	state := "current"
	if !st.Current {
		state = "stale: the next quality list rebuilds them (or run dossier quality --rebuild)"
	}
	fmt.Fprintf(e.stdout, "%d customers: %d with gaps, %d conflicts, %d invalid values; rows %s\n",
		st.Customers, st.WithGaps, st.Conflicts, st.Invalid, state)
	return nil
}

// warmQuality rebuilds stale quality rows when the server starts (after an
// upgrade to migration 010, or a field change by another process), so that
// the first person to open a quality list does not wait for it. A list
// asked for meanwhile waits for this rebuild rather than starting another.
// Shutdown stops it; the next start begins again.
func warmQuality(ctx context.Context, log *slog.Logger, store *sqldb.DB) {
	st, err := store.QualityStatus(ctx)
	if err != nil || st.Current {
		if err != nil && ctx.Err() == nil {
			log.Warn("quality status failed", "err", err)
		}
		return
	}
	start := time.Now()
	log.Info("rebuilding the quality rows")
	n, err := store.RebuildQuality(ctx)
	if err != nil {
		if ctx.Err() == nil {
			log.Warn("quality rebuild failed", "err", err)
		}
		return
	}
	log.Info("quality rows rebuilt", "customers", n, "duration", time.Since(start).Round(time.Millisecond))
}
