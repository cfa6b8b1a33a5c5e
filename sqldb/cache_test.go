package sqldb_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/sqldb"
)

// List totals and pivots are cached per data version: a write through
// either of two stores on one database (two `dossier serve` processes)
// changes the next answer of both, however many times they were asked
// before.
func TestCachedTotalsAndPivotsFollowWrites(t *testing.T) {
	for name, dbs := range sharedStores(t, 2) {
		t.Run(name, func(t *testing.T) {
			a, b := dbs[0], dbs[1]
			key := dossier.CustomerFilter{Grade: "key"}
			check := func(step string, wantKey, wantAll int) {
				t.Helper()
				for i, db := range []*sqldb.DB{a, b} {
					for range 2 { // the second answer comes from the cache
						_, total, err := db.FindCustomers(ctx, key)
						if err != nil {
							t.Fatal(err)
						}
						gs, err := db.Aggregate(ctx, analytics.Query{Dims: []analytics.Dim{{Field: "grade"}}})
						if err != nil {
							t.Fatal(err)
						}
						counts := map[string]int64{}
						for _, g := range gs {
							counts[g.Keys[0]] = g.Count
						}
						all := 0
						for _, n := range counts {
							all += int(n)
						}
						if total != wantKey || int(counts["key"]) != wantKey || all != wantAll {
							t.Fatalf("%s, store %d: total %d, pivot %v (all %d); want %d key customers of %d", step, i, total, counts, all, wantKey, wantAll)
						}
					}
				}
			}
			var ids []int64
			for i := range 3 {
				ids = append(ids, mustCreate(t, a, map[string]string{"name": fmt.Sprintf("恒泰%d有限公司", i), "grade": "重点"}).ID)
			}
			check("created in a", 3, 3)
			c := mustCreate(t, b, map[string]string{"name": "华信有限公司", "grade": "重点"})
			check("created in b", 4, 4)
			if _, err := a.UpdateCustomer(ctx, c.ID, dossier.CustomerUpdate{Values: map[string]string{"grade": "普通"},
				Source: src(dossier.ChannelInternal, "test", "2026-01-06"), Version: c.Version}); err != nil {
				t.Fatal(err)
			}
			check("grade changed in a", 3, 4)
			if err := b.CreateInteraction(ctx, &dossier.Interaction{CustomerID: ids[0], Date: "2026-01-07", Channel: "phone",
				Source: src(dossier.ChannelInternal, "test", "2026-01-07")}); err != nil {
				t.Fatal(err)
			}
			// A write that changes a column only the sort reads also
			// changes the cached counts behind the NULL part of the page.
			for _, db := range []*sqldb.DB{a, b} {
				got, _, err := db.FindCustomers(ctx, dossier.CustomerFilter{Sort: "-last_contact", Limit: 1})
				if err != nil || len(got) != 1 || got[0].ID != ids[0] {
					t.Fatalf("-last_contact after an interaction in b: %v, %v", got, err)
				}
			}
		})
	}
}

// Sorted pages put NULLs last in both directions, ties broken by id in the
// same direction, and a page may straddle the NULL boundary; the same
// within a scope of "mine or shared with my team", read in two parts.
func TestFindCustomersSortsNullsLast(t *testing.T) {
	for name, dbs := range sharedStores(t, 1) {
		t.Run(name, func(t *testing.T) {
			db := dbs[0]
			var ids []int64
			owners := []string{"li", "li", "li", "wang", "wang", "wang"}
			for i := range 6 {
				ids = append(ids, mustCreate(t, db, map[string]string{"name": fmt.Sprintf("客户%d", i), "owner": owners[i], "team": "east"}).ID)
			}
			if err := db.SetCustomerShared(ctx, ids[4], true, dossier.AuditEntry{User: "wang"}); err != nil {
				t.Fatal(err)
			}
			visible := map[int]bool{0: true, 1: true, 2: true, 4: true} // to li
			if page, total, err := db.FindCustomers(ctx, dossier.CustomerFilter{Limit: 2, NoTotal: true}); err != nil || len(page) != 2 || total != 0 {
				t.Fatalf("NoTotal: %d rows, total %d, %v", len(page), total, err)
			}
			// Contacts: 1 and 4 on the same day, 2 later; 0, 3 and 5 never.
			for _, c := range []struct {
				i    int
				date string
			}{{1, "2026-02-01"}, {4, "2026-02-01"}, {2, "2026-03-01"}} {
				if err := db.CreateInteraction(ctx, &dossier.Interaction{CustomerID: ids[c.i], Date: c.date, Channel: "phone",
					Source: src(dossier.ChannelInternal, "test", c.date)}); err != nil {
					t.Fatal(err)
				}
			}
			want := map[string][]int{
				"-last_contact": {2, 4, 1, 5, 3, 0},
				"last_contact":  {1, 4, 2, 0, 3, 5},
				"name":          {0, 1, 2, 3, 4, 5},
				"-name":         {5, 4, 3, 2, 1, 0},
				"":              {5, 4, 3, 2, 1, 0},
			}
			for sort, order := range want {
				var wantIDs []int64
				for _, i := range order {
					wantIDs = append(wantIDs, ids[i])
				}
				var wantLi []int64
				for _, i := range order {
					if visible[i] {
						wantLi = append(wantLi, ids[i])
					}
				}
				for _, scope := range []struct {
					f    dossier.CustomerFilter
					want []int64
				}{{dossier.CustomerFilter{}, wantIDs}, {dossier.CustomerFilter{Owner: "li", SharedTeam: "east"}, wantLi}} {
					for limit := 1; limit <= 4; limit++ {
						var got []int64
						for off := 0; off < 8; off += limit {
							f := scope.f
							f.Sort, f.Limit, f.Offset = sort, limit, off
							page, total, err := db.FindCustomers(ctx, f)
							if err != nil || total != len(scope.want) {
								t.Fatalf("sort %q, scope %+v: total %d, %v", sort, scope.f, total, err)
							}
							for _, c := range page {
								got = append(got, c.ID)
							}
						}
						if diff := cmp.Diff(scope.want, got); diff != "" {
							t.Errorf("sort %q, scope %+v, pages of %d (-want +got):\n%s", sort, scope.f, limit, diff)
						}
					}
				}
			}
		})
	}
}
