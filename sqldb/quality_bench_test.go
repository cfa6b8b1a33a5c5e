package sqldb_test

import (
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/demo"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

func qualityBenchDB(b *testing.B, s dbtest.Store) *sqldb.DB {
	db := s.Open(b, dbtest.Options())
	cfg := demo.Config{Customers: 5000, Seed: 1, AsOf: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	loadDemo(b, db, cfg)
	return db
}

// BenchmarkQualityScan measures a page of each quality list (conflicts,
// gaps, invalid values) on 5,000 demo customers, as the web page and the
// API ask for it: "scan" is the full computation the lists used to do on
// each request (the reference kept in export_test.go), "table" the
// indexed read of the derived tables of migration 010.
func BenchmarkQualityScan(b *testing.B) {
	for _, s := range dbtest.Stores(b) {
		db := qualityBenchDB(b, s)
		for _, l := range []struct {
			name        string
			table, scan func(*sqldb.DB) error
		}{
			{"conflicts",
				func(db *sqldb.DB) error { _, _, err := db.FindConflicts(ctx, dossier.QualityFilter{}); return err },
				func(db *sqldb.DB) error { _, _, err := db.ScanConflicts(ctx, dossier.QualityFilter{}); return err }},
			{"gaps",
				func(db *sqldb.DB) error { _, _, err := db.FindGaps(ctx, dossier.QualityFilter{}); return err },
				func(db *sqldb.DB) error { _, _, err := db.ScanGaps(ctx, dossier.QualityFilter{}); return err }},
			{"invalid",
				func(db *sqldb.DB) error { _, _, err := db.FindInvalid(ctx, dossier.QualityFilter{}); return err },
				func(db *sqldb.DB) error { _, _, err := db.ScanInvalid(ctx, dossier.QualityFilter{}); return err }},
		} {
			for kind, run := range map[string]func(*sqldb.DB) error{"table": l.table, "scan": l.scan} {
				b.Run(s.Name+"/"+l.name+"/"+kind, func(b *testing.B) {
					for b.Loop() {
						if err := run(db); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

// BenchmarkQualityRebuild measures RebuildQuality (every customer's rows
// computed again) on 5,000 demo customers: the cost a bulk load, an
// upgrade or a registry change pays once.
func BenchmarkQualityRebuild(b *testing.B) {
	for _, s := range dbtest.Stores(b) {
		db := qualityBenchDB(b, s)
		b.Run(s.Name, func(b *testing.B) {
			for b.Loop() {
				if _, err := db.RebuildQuality(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
