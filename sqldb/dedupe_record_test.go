package sqldb_test

import (
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// EachDedupeRecord reads only the compared columns itself: a deleted
// (hidden) customer is left out as the customer lists leave it out, and a
// field without a value is absent rather than empty.
func TestEachDedupeRecordSkipsHiddenAndBlank(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		a, b := twoDuplicates(t, db)
		if err := db.DeleteCustomer(ctx, b.ID, b.Version, dossier.AuditEntry{User: "admin"}); err != nil {
			t.Fatal(err)
		}
		got := map[int64]map[string]string{}
		if err := db.EachDedupeRecord(ctx, func(id int64, f map[string]string) error { got[id] = f; return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[a.ID] == nil {
			t.Fatalf("records %v, want customer %d only", got, a.ID)
		}
		for k, v := range got[a.ID] {
			if v == "" {
				t.Errorf("field %q given empty", k)
			}
		}
		if _, ok := got[a.ID]["address"]; ok {
			t.Errorf("address given though %d has none: %v", a.ID, got[a.ID])
		}
	})
}
