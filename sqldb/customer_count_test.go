package sqldb_test

import (
	"fmt"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// TestCountMatching: a count stops past its cap, counts "mine or shared
// with my team" once each, and an exact one becomes the total that a list
// asking for a cheap total gets, until the next write; on both engines.
func TestCountMatching(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		for i := range 7 {
			owner := "li"
			if i%2 == 1 {
				owner = "chen"
			}
			mustCreate(t, db, map[string]string{"name": fmt.Sprintf("上海客户%d", i), "industry": "制造业",
				"province": "上海市", "city": "上海市", "owner": owner, "team": "east"})
		}
		other := mustCreate(t, db, map[string]string{"name": "杭州客户", "industry": "制造业", "province": "浙江省", "city": "杭州市", "owner": "chen", "team": "east"})
		if err := db.SetCustomerShared(ctx, other.ID, true, dossier.AuditEntry{User: "admin"}); err != nil {
			t.Fatal(err)
		}
		// A name search: no rollup holds it (a city is in migration 028's).
		search := dossier.CustomerFilter{Query: "上海"}
		li := dossier.CustomerFilter{}
		(&dossier.User{Name: "li", Role: dossier.RoleSales, Team: "east"}).CustomerScope(&li)
		cheap := func(f dossier.CustomerFilter) int {
			t.Helper()
			f.CheapTotal, f.Limit = true, 2
			cs, total, err := db.FindCustomers(ctx, f)
			if err != nil || len(cs) != 2 {
				t.Fatalf("FindCustomers: %d rows, %v", len(cs), err)
			}
			return total
		}
		if n := cheap(search); n != -1 {
			t.Errorf("a search's total before any count = %d, want -1 (not at hand)", n)
		}
		for _, c := range []struct {
			name string
			f    dossier.CustomerFilter
			max  int
			want dossier.Count
		}{
			{"search over the cap", search, 5, dossier.Count{N: 5, More: true}},
			{"search at the cap", search, 7, dossier.Count{N: 7}},
			{"search under the cap", search, 100, dossier.Count{N: 7}},
			{"tag filter, none", dossier.CustomerFilter{Expr: "tags = 不存在的标签"}, 100, dossier.Count{}},
			// li's four own, and the shared one from chen, counted once.
			{"mine or shared", li, 100, dossier.Count{N: 5}},
			{"mine or shared over the cap", li, 4, dossier.Count{N: 4, More: true}},
		} {
			got, err := db.CountMatching(ctx, c.f, c.max)
			if err != nil || got != c.want {
				t.Errorf("%s: %+v %v, want %+v", c.name, got, err, c.want)
			}
		}
		if n := cheap(search); n != 7 {
			t.Errorf("a search's total after its count = %d, want 7", n)
		}
		if n := cheap(li); n != 5 {
			t.Errorf("li's total after its count = %d, want 5", n)
		}
		mustCreate(t, db, map[string]string{"name": "上海新客户", "industry": "制造业", "province": "上海市", "city": "上海市"})
		if n := cheap(search); n != -1 {
			t.Errorf("a search's total after a write = %d, want -1 (the count is of an older version)", n)
		}
		if got, err := db.CountMatching(ctx, search, 100); err != nil || got != (dossier.Count{N: 8}) {
			t.Errorf("search after a write: %+v %v, want 8", got, err)
		}
		if _, n, err := db.FindCustomers(ctx, dossier.CustomerFilter{Province: "上海市", CheapTotal: true}); err != nil || n != 8 {
			t.Errorf("a province's total = %d, %v, want 8 from the rollup", n, err)
		}
		if _, err := db.CountMatching(ctx, search, 0); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("a cap of 0: %v, want invalid", err)
		}
	})
}
