package sqldb

import (
	"context"
	"testing"

	"github.com/dossier/dossier"
)

// The writer's queue gives the batches in order, skips those without a
// customer, and ready never waits for a batch the workers have not
// finished: the writer holds the write lock while it asks.
func TestBatchQueueReadyNeverWaits(t *testing.T) {
	in := make(chan recomputeJob, 4)
	jobs := make([]recomputeJob, 4)
	for i := range jobs {
		jobs[i] = recomputeJob{lo: int64(i), out: make(chan computedBatch, 1)}
		in <- jobs[i]
	}
	close(in)
	batch := func(id int64) computedBatch { return computedBatch{scores: []dossier.Score{{CustomerID: id}}} }
	jobs[0].out <- batch(0)
	jobs[1].out <- computedBatch{} // no customer in its range
	q := &batchQueue{in: in}
	c, ok, err := q.next(context.Background())
	if err != nil || !ok || c.scores[0].CustomerID != 0 {
		t.Fatalf("next: %+v, %v, %v", c, ok, err)
	}
	if _, ok, _ := q.ready(); ok {
		t.Fatal("ready gave a batch that is not computed yet") // job 2 has no result
	}
	jobs[2].out <- batch(2)
	if c, ok, _ := q.ready(); !ok || c.scores[0].CustomerID != 2 {
		t.Fatalf("ready after job 2 was computed: %+v, %v", c, ok)
	}
	jobs[3].out <- batch(3)
	if c, ok, _ := q.next(context.Background()); !ok || c.scores[0].CustomerID != 3 {
		t.Fatalf("next: %+v, %v", c, ok)
	}
	if _, ok, err := q.next(context.Background()); ok || err != nil {
		t.Fatalf("next after the last: %v, %v", ok, err)
	}
	if _, ok, _ := q.ready(); ok {
		t.Fatal("ready after the last")
	}
}
