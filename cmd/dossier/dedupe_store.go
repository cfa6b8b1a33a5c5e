package main

import (
	"context"
	stdcsv "encoding/csv"
	"fmt"
	"slices"
	"strconv"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/dedupe"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqlite"
)

// storeDedupeKeys renames the store's matcher fields (sqldb.DedupeFields) to
// the field keys the engine compares: a customer's contacts give it phones,
// e-mails and names as the contact fields of one import row would.
var storeDedupeKeys = map[string]string{"phone": "contact_phone", "email": "contact_email", "contact_names": "contact_name"}

// dedupeSQLiteMemory bounds SQLite's page caches during `dossier dedupe`
// on a store (sqlite.LimitMemory).
const dedupeSQLiteMemory = 16 << 20

// dedupeStore runs the matcher over every active customer of the store,
// saves the candidate pairs in the review queue (idempotently: decided
// pairs stay decided), prints record_id,cluster_id for every customer and,
// with --apply, merges each cluster into its oldest customer.
func dedupeStore(ctx context.Context, e *env, o dedupeOptions) error {
	// The engine's peak comes after the read: SQLite's page cache and the
	// malloc arenas of its threads would stay resident beside it, and are
	// of little use to a read that visits each page once.
	if err := sqlite.LimitMemory(dedupeSQLiteMemory, 2); err != nil {
		return err
	}
	store, err := openStore(ctx, o.db)
	if err != nil {
		return err
	}
	defer store.Close()
	recs, err := storeDedupeRecords(ctx, store)
	if err != nil {
		return err
	}
	sqlite.TrimMemory()
	ids := recordIDs(recs)
	// recs is not used after Run, so the records' field maps (about 700
	// MB for a million customers) can be collected once the engine has
	// normalised them.
	res, err := dedupe.Run(ctx, recs, dedupe.Options{Threshold: o.threshold})
	if err != nil {
		return err
	}
	// The writes below (queue, merges) go back to SQLite's usual caches.
	if err := sqlite.LimitMemory(0, 0); err != nil {
		return err
	}
	saved, err := store.SavePairs(ctx, candidatePairs(res.Pairs))
	if err != nil {
		return err
	}
	if err := printClusters(e, ids, res); err != nil {
		return err
	}
	printDedupeReport(e.stderr, res, o.explain)
	fmt.Fprintf(e.stderr, "review queue: %d new, %d updated, %d already decided, %d skipped\n",
		saved.Added, saved.Updated, saved.Kept, saved.Skipped)
	if !o.apply {
		return nil
	}
	merged, err := applyClusters(ctx, store, res, o.threshold, dossier.Actor{Name: cliUser(e)})
	fmt.Fprintf(e.stderr, "merged %d customers into %d\n", merged.absorbed, merged.survivors)
	return err
}

// storeDedupeRecords reads every active customer as a matcher record.
func storeDedupeRecords(ctx context.Context, store *sqldb.DB) ([]dedupe.Record, error) {
	var recs []dedupe.Record
	err := store.EachDedupeRecord(ctx, func(id int64, fields map[string]string) error {
		// Renamed in place: a second map per customer was 100 MB more
		// garbage for a million of them.
		for from, to := range storeDedupeKeys {
			if v, ok := fields[from]; ok {
				delete(fields, from)
				fields[to] = v
			}
		}
		recs = append(recs, dedupe.Record{ID: strconv.FormatInt(id, 10), Fields: fields})
		return nil
	})
	return recs, err
}

// candidatePairs turns the engine's pairs into review-queue pairs, the
// smaller customer id first as the queue expects.
func candidatePairs(ps []dedupe.Pair) []dossier.CandidatePair {
	out := make([]dossier.CandidatePair, 0, len(ps))
	for _, p := range ps {
		a, errA := strconv.ParseInt(p.A, 10, 64)
		b, errB := strconv.ParseInt(p.B, 10, 64)
		if errA != nil || errB != nil {
			continue // store records always have numeric ids
		}
		if a > b {
			a, b = b, a
		}
		cp := dossier.CandidatePair{A: a, B: b, Probability: p.Probability, Weight: p.Weight}
		for _, ev := range p.Evidence {
			cp.Evidence = append(cp.Evidence, dossier.PairEvidence{Field: ev.Field, Level: ev.Level, Weight: ev.Weight})
		}
		out = append(out, cp)
	}
	return out
}

// printClusters writes record_id,cluster_id for every record.
func printClusters(e *env, ids []string, res *dedupe.Result) error {
	w := stdcsv.NewWriter(e.stdout)
	w.Write([]string{"record_id", "cluster_id"})
	for _, id := range ids {
		w.Write([]string{id, res.Cluster[id]})
	}
	w.Flush()
	return w.Error()
}

// recordIDs lists the records' ids in order.
func recordIDs(recs []dedupe.Record) []string {
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	return ids
}

type mergeCount struct{ survivors, absorbed int }

// applyClusters merges every cluster of two or more customers into its
// oldest (smallest id) customer. A cluster only forms from pairs at or above
// the threshold, so this merges exactly what the matcher is sure of; each
// merge is recorded and audited like a merge made by hand, and can be undone
// with `dossier unmerge`.
func applyClusters(ctx context.Context, store *sqldb.DB, res *dedupe.Result, threshold float64, by dossier.Actor) (mergeCount, error) {
	members := map[string][]int64{}
	for id, cl := range res.Cluster {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			continue
		}
		members[cl] = append(members[cl], n)
	}
	var out mergeCount
	clusters := make([]string, 0, len(members))
	for cl, ids := range members {
		if len(ids) > 1 {
			clusters = append(clusters, cl)
		}
	}
	slices.Sort(clusters) // a stable order makes reruns and logs comparable
	for _, cl := range clusters {
		ids := members[cl]
		slices.Sort(ids)
		// One transaction per cluster: its survivor is resolved once, and a
		// failure leaves the cluster as it was.
		ms, err := store.MergeCluster(ctx, ids[0], ids[1:], fmt.Sprintf("dossier dedupe --apply (threshold %g)", threshold), by)
		if err != nil {
			return out, fmt.Errorf("merge cluster of %d: %w", ids[0], err)
		}
		out.absorbed += len(ms)
		out.survivors++
	}
	return out, nil
}
