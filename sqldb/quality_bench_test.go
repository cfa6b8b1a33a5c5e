package sqldb_test

import (
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/demo"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// BenchmarkQualityScan measures the whole-store scans behind the quality
// lists (conflicts, gaps, invalid values) on 5,000 demo customers.
func BenchmarkQualityScan(b *testing.B) {
	for _, s := range dbtest.Stores(b) {
		db := s.Open(b, dbtest.Options())
		cfg := demo.Config{Customers: 5000, Seed: 1, AsOf: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
		if err := demo.Generate(ctx, cfg, db.Policy(), func(bc []dossier.BulkCustomer) error { return db.LoadCustomers(ctx, bc) }); err != nil {
			b.Fatal(err)
		}
		if err := db.FinishLoad(ctx); err != nil {
			b.Fatal(err)
		}
		for name, scan := range map[string]func(*sqldb.DB) error{
			"conflicts": func(db *sqldb.DB) error { _, _, err := db.FindConflicts(ctx, dossier.QualityFilter{}); return err },
			"gaps":      func(db *sqldb.DB) error { _, _, err := db.FindGaps(ctx, dossier.QualityFilter{}); return err },
			"invalid":   func(db *sqldb.DB) error { _, _, err := db.FindInvalid(ctx, dossier.QualityFilter{}); return err },
		} {
			b.Run(s.Name+"/"+name, func(b *testing.B) {
				for b.Loop() {
					if err := scan(db); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
