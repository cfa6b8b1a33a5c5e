package sqldb_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// ImportRunsBefore pages newest first from a keyset cursor.
func TestImportRunsBefore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		var ids []int64
		for i := range 5 {
			run := &dossier.ImportRun{File: fmt.Sprintf("f%d.csv", i), Kind: "customers",
				Source: dossier.Source{Channel: dossier.ChannelInternal, CollectedAt: time.Now()}}
			if err := db.StartImport(ctx, run); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, run.ID)
		}
		var got []int64
		var before int64
		for {
			page, err := db.ImportRunsBefore(ctx, before, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page {
				got = append(got, r.ID)
			}
			if len(page) < 2 {
				break
			}
			before = page[len(page)-1].ID
		}
		want := fmt.Sprint([]int64{ids[4], ids[3], ids[2], ids[1], ids[0]})
		if fmt.Sprint(got) != want {
			t.Errorf("paged %v, want %v", got, want)
		}
	})
}
