package sqldb

import (
	"context"
	"time"

	"github.com/dossier/dossier"
)

// A month's recompute changes most customers, and each batch rewrites
// pages all over the indexes of customers and tasks; committing several
// batches at once writes a page they share once. The writer takes into its
// transaction every batch the workers have already computed, for up to
// recomputeGroupTime: it never waits for a worker while it holds the write
// lock, so a user's save waits behind it at most about that long. When
// most results change the writer is the bottleneck and its groups fill the
// time (at 1,000,000 customers a month on, about eight batches: 115–119 s
// against 132–134 s with four a group, BENCHMARKS.md); on a new day the
// workers are, and each group is the one or two batches ready.
const (
	recomputeGroupTime = time.Second
	recomputeGroupMax  = 64
)

// batchQueue hands the writer the computed batches in id order, skipping
// those with no customer.
type batchQueue struct {
	in      <-chan recomputeJob
	pending *recomputeJob // taken from in, its batch not yet received
}

// next waits for the next batch; ok = false when there are no more.
func (q *batchQueue) next(ctx context.Context) (computedBatch, bool, error) {
	for {
		if q.pending == nil {
			j, ok := <-q.in
			if !ok {
				return computedBatch{}, false, nil
			}
			q.pending = &j
		}
		select {
		case c := <-q.pending.out:
			q.pending = nil
			if c.err != nil || len(c.scores) > 0 {
				return c, true, c.err
			}
		case <-ctx.Done():
			return computedBatch{}, false, ctx.Err()
		}
	}
}

// ready is next without waiting: ok = false when the next batch is not
// computed yet (or there is none).
func (q *batchQueue) ready() (computedBatch, bool, error) {
	for {
		if q.pending == nil {
			select {
			case j, ok := <-q.in:
				if !ok {
					return computedBatch{}, false, nil
				}
				q.pending = &j
			default:
				return computedBatch{}, false, nil
			}
		}
		select {
		case c := <-q.pending.out:
			q.pending = nil
			if c.err != nil || len(c.scores) > 0 {
				return c, true, c.err
			}
		default:
			return computedBatch{}, false, nil
		}
	}
}

// consumeBatches writes the computed batches in id order, in groups of
// those ready (above), then emits their results.
func (db *DB) consumeBatches(ctx context.Context, in <-chan recomputeJob, s dossier.ScoreSettings, asOf time.Time,
	emit func(dossier.Score, *dossier.Analysis) error) (int, error) {
	n := 0
	q := &batchQueue{in: in}
	for {
		first, ok, err := q.next(ctx)
		if err != nil || !ok {
			return n, err
		}
		group := []computedBatch{first}
		start := time.Now()
		err = db.inTx(ctx, func(tx *Tx) error {
			if err := tx.tuneBulk(ctx); err != nil {
				return err
			}
			for i := 0; i < len(group); i++ {
				if err := tx.saveBatch(ctx, group[i], s, asOf); err != nil {
					return err
				}
				group[i].b = nil // written: only the results are kept, to emit
				if len(group) < recomputeGroupMax && time.Since(start) < recomputeGroupTime {
					c, ok, err := q.ready()
					if err != nil {
						return err
					}
					if ok {
						group = append(group, c)
					}
				}
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		for _, c := range group {
			for i := range c.scores {
				if emit != nil {
					if err := emit(c.scores[i], &c.analyses[i]); err != nil {
						return n, err
					}
				}
				n++
			}
		}
	}
}
