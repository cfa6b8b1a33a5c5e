package sqldb_test

import (
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/demo"
	"github.com/dossier/dossier/sqldb"
)

// loadDemo loads cfg's generated customers into db and finishes the load,
// as `dossier demo` does before it scores them.
func loadDemo(t testing.TB, db *sqldb.DB, cfg demo.Config) {
	t.Helper()
	if err := demo.Generate(ctx, cfg, db.Policy(), func(b []dossier.BulkCustomer) error { return db.LoadCustomers(ctx, b) }); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishLoad(ctx); err != nil {
		t.Fatal(err)
	}
}
