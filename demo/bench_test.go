package demo

import (
	"context"
	"testing"
	"time"

	"github.com/dossier/dossier"
)

// BenchmarkGenerate generates b.N companies (and their planted duplicates)
// into an emit that drops them, and reports customers per second. For the
// million-customer figure: go test -run '^$' -bench Generate -benchtime 1000000x ./demo
func BenchmarkGenerate(b *testing.B) {
	cfg := Config{Customers: b.N, Seed: 1, AsOf: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}
	records := 0
	b.ReportAllocs()
	b.ResetTimer()
	err := Generate(context.Background(), cfg, dossier.DefaultResolvePolicy(), func(batch []dossier.BulkCustomer) error {
		records += len(batch)
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "customers/s")
}
