package main

import (
	"context"
	"errors"
	"testing"

	"github.com/dossier/dossier"
)

func TestPipeline(t *testing.T) {
	produce := func(n int) func(emit func([]dossier.BulkCustomer) error) error {
		return func(emit func([]dossier.BulkCustomer) error) error {
			for i := range n {
				if err := emit([]dossier.BulkCustomer{{Customer: dossier.Customer{ID: int64(i)}}}); err != nil {
					return err
				}
			}
			return nil
		}
	}
	var got []int64
	err := pipeline(context.Background(), produce(100), func(b []dossier.BulkCustomer) error {
		got = append(got, b[0].Customer.ID)
		return nil
	})
	if err != nil || len(got) != 100 || got[99] != 99 {
		t.Fatalf("pipeline: %v, %d batches", err, len(got))
	}
	for i, id := range got {
		if id != int64(i) {
			t.Fatalf("batch %d out of order: %d", i, id)
		}
	}
	boom := errors.New("disk full")
	n := 0
	err = pipeline(context.Background(), produce(1000), func([]dossier.BulkCustomer) error {
		if n++; n == 3 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || n != 3 {
		t.Errorf("a failing load must stop the pipeline: %v after %d batches", err, n)
	}
	err = pipeline(context.Background(), func(func([]dossier.BulkCustomer) error) error { return boom }, func([]dossier.BulkCustomer) error { return nil })
	if !errors.Is(err, boom) {
		t.Errorf("producer error lost: %v", err)
	}
}
