package sqldb_test

import (
	"slices"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// TestSharedScope: the sales scope (own customers, and the team's shared
// ones) on both engines, for lists, gaps and pairs.
func TestSharedScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		own := mustCreate(t, db, map[string]string{"name": "自有公司", "industry": "制造业", "owner": "li", "team": "east"})
		shared := mustCreate(t, db, map[string]string{"name": "共享公司", "industry": "制造业", "owner": "chen", "team": "east"})
		private := mustCreate(t, db, map[string]string{"name": "私有公司", "industry": "制造业", "owner": "chen", "team": "east"})
		west := mustCreate(t, db, map[string]string{"name": "西部公司", "industry": "制造业", "owner": "wang", "team": "west"})
		// li's own customer is shared too: it must be counted once.
		for _, c := range []*dossier.Customer{shared, west, own} {
			if err := db.SetCustomerShared(ctx, c.ID, true, dossier.AuditEntry{User: "admin"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetCustomerShared(ctx, 99999, true, dossier.AuditEntry{User: "admin"}); dossier.ErrorCode(err) != dossier.ENOTFOUND {
			t.Errorf("sharing a missing customer: %v", err)
		}
		if c, err := db.FindCustomerByID(ctx, shared.ID); err != nil || !c.SharedWithTeam || c.Version != shared.Version {
			t.Errorf("shared customer: %+v %v (sharing must not change the version)", c, err)
		}
		li := &dossier.User{Name: "li", Role: dossier.RoleSales, Team: "east"}
		var f dossier.CustomerFilter
		li.CustomerScope(&f)
		cs, total, err := db.FindCustomers(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, c := range cs {
			ids = append(ids, c.ID)
			if !li.SeesCustomer(c) {
				t.Errorf("listed %q, but SeesCustomer says no", c.Name)
			}
		}
		slices.Sort(ids)
		if want := []int64{own.ID, shared.ID}; total != 2 || !slices.Equal(ids, want) {
			t.Errorf("li's customers %v (total %d), want %v", ids, total, want)
		}
		for _, c := range []*dossier.Customer{private, west} {
			if c, _ := db.FindCustomerByID(ctx, c.ID); li.SeesCustomer(c) {
				t.Errorf("li sees %q", c.Name)
			}
		}
		gaps, _, err := db.FindGaps(ctx, dossier.QualityFilter{Owner: f.Owner, SharedTeam: f.SharedTeam, Limit: -1})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range gaps {
			if g.CustomerID != own.ID && g.CustomerID != shared.ID {
				t.Errorf("li's gap list holds customer %d", g.CustomerID)
			}
		}
		// The pair query's scope SQL runs on both engines.
		if _, _, err := db.FindPairs(ctx, dossier.PairFilter{Owner: f.Owner, SharedTeam: f.SharedTeam}); err != nil {
			t.Errorf("pairs in li's scope: %v", err)
		}
	})
}
