package sqldb_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/demo"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// sameLists checks that the table-backed quality lists equal the full scans
// they replaced, for several filters and pages.
func sameLists(t *testing.T, db *sqldb.DB, step string) {
	t.Helper()
	filters := []dossier.QualityFilter{
		{Limit: -1}, {Offset: 7, Limit: 13}, {Field: "revenue", Limit: -1}, {Field: "contact_phone", Offset: 2, Limit: 5},
	}
	// An owner of a customer with a conflict, and one with an invalid value.
	for _, find := range []func() (string, error){
		func() (string, error) {
			cs, _, err := db.ScanConflicts(ctx, dossier.QualityFilter{Limit: 1})
			return firstOwner(cs, err)
		},
		func() (string, error) {
			ivs, _, err := db.ScanInvalid(ctx, dossier.QualityFilter{Limit: 1})
			if err != nil || len(ivs) == 0 {
				return "", err
			}
			return ivs[0].Owner, nil
		},
	} {
		owner, err := find()
		if err != nil {
			t.Fatal(err)
		}
		if owner != "" {
			filters = append(filters, dossier.QualityFilter{Owner: owner, Limit: -1}, dossier.QualityFilter{Owner: owner, Field: "revenue", Limit: -1})
		}
	}
	n := 0
	for _, f := range filters {
		check := func(list string, got, want any, gotN, wantN int, errG, errW error) {
			t.Helper()
			if errG != nil || errW != nil {
				t.Fatalf("%s: %s %+v: %v / %v", step, list, f, errG, errW)
			}
			if gotN != wantN || !reflect.DeepEqual(got, want) {
				gj, _ := json.Marshal(got)
				wj, _ := json.Marshal(want)
				t.Errorf("%s: %s %+v: tables give %d\n%.2000s\nthe scan %d\n%.2000s", step, list, f, gotN, gj, wantN, wj)
			}
		}
		c1, n1, e1 := db.FindConflicts(ctx, f)
		c2, n2, e2 := db.ScanConflicts(ctx, f)
		check("conflicts", c1, c2, n1, n2, e1, e2)
		g1, n3, e1 := db.FindGaps(ctx, f)
		g2, n4, e2 := db.ScanGaps(ctx, f)
		check("gaps", g1, g2, n3, n4, e1, e2)
		i1, n5, e1 := db.FindInvalid(ctx, f)
		i2, n6, e2 := db.ScanInvalid(ctx, f)
		check("invalid", i1, i2, n5, n6, e1, e2)
		n += n2 + n4 + n6
	}
	if n == 0 {
		t.Fatalf("%s: every list is empty: the comparison proves nothing", step)
	}
}

func firstOwner(cs []dossier.Conflict, err error) (string, error) {
	if err != nil || len(cs) == 0 {
		return "", err
	}
	return cs[0].Owner, nil
}

// TestQualityTablesMatchScan follows demo data through the writes that
// change quality — merges, undo, imports, import undo and restore, settling,
// estimates, contacts, erasure, scores, registry and settings changes — and
// compares the table-backed lists with the full scan after each.
func TestQualityTablesMatchScan(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		cfg := demo.Config{Customers: 500, Seed: 3, AsOf: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
		loadDemo(t, db, cfg)
		sameLists(t, db, "demo load")
		// All rows from an offset (the command line's Limit -1).
		g1, n1, err1 := db.FindGaps(ctx, dossier.QualityFilter{Offset: 3, Limit: -1})
		g2, n2, err2 := db.ScanGaps(ctx, dossier.QualityFilter{Offset: 3, Limit: -1})
		if err1 != nil || err2 != nil || n1 != n2 || len(g1) != n1-3 || !reflect.DeepEqual(g1, g2) {
			t.Errorf("gaps from offset 3: %d rows of %d (%v), the scan %d of %d (%v)", len(g1), n1, err1, len(g2), n2, err2)
		}

		// A chain of merges: 3 into 2, then 2 into 1; and 5 into 4.
		var merges []int64
		for _, m := range [][2]int64{{2, 3}, {1, 2}, {4, 5}} {
			got, err := db.MergeCustomers(ctx, dossier.MergeRequest{Survivor: m[0], Absorbed: m[1], By: who})
			if err != nil {
				t.Fatal(err)
			}
			merges = append(merges, got.ID)
		}
		if _, err := db.MergeCluster(ctx, 10, []int64{11, 12}, "cluster", who); err != nil {
			t.Fatal(err)
		}
		sameLists(t, db, "merges")
		if _, err := db.UndoMerge(ctx, merges[2], who); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UndoMerge(ctx, merges[1], who); err != nil {
			t.Fatal(err)
		}
		sameLists(t, db, "undo merges")

		// An import that updates demo customers (one absorbed by a merge)
		// and creates new ones, with conflicting and invalid values.
		var rows []string
		for _, id := range []int64{6, 7, 8, 11} {
			c, err := db.FindCustomerByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, fmt.Sprintf("%s,%d亿,123,王%d,1390000%04d", c.Name, id, id, id))
		}
		rows = append(rows, "新客户甲,3亿,,,", "新客户乙,,50,李四,12345")
		res := importAs(t, db, dossier.KindCustomers, "q.csv", dossier.ChannelThirdParty, "客户名称,年营收,员工人数,联系人,手机\n"+strings.Join(rows, "\n")+"\n")
		sameLists(t, db, "import")
		if _, err := db.UndoImport(ctx, res.Run.ID, "tester", false); err != nil {
			t.Fatal(err)
		}
		sameLists(t, db, "import undo")
		if _, err := db.RestoreImport(ctx, res.Run.ID, "tester"); err != nil {
			t.Fatal(err)
		}
		sameLists(t, db, "import restore")

		// Settle the first conflict of a key fact of the registry.
		cs, _, err := db.FindConflicts(ctx, dossier.QualityFilter{Limit: -1})
		if err != nil {
			t.Fatal(err)
		}
		settled := false
		for _, c := range cs {
			if v := c.Verification; v.Field != dossier.DecisionMakerField && len(v.Evidence) > 0 {
				if _, err := db.SettleConflict(ctx, dossier.Settlement{CustomerID: c.CustomerID, Field: v.Field, Value: v.Evidence[0].Value, By: who}); err != nil {
					t.Fatal(err)
				}
				settled = true
				break
			}
		}
		if !settled {
			t.Fatal("no conflict to settle in the demo data")
		}
		sameLists(t, db, "settle")

		// Contacts: a bad phone number, a second decision maker, an erasure.
		k := &dossier.Contact{CustomerID: 20, Name: "赵六", Role: "decision_maker", Phone: "12", Source: src(dossier.ChannelCustomer, "x", "2025-05-01")}
		if err := db.CreateContact(ctx, k); err != nil {
			t.Fatal(err)
		}
		sameLists(t, db, "contact")
		if err := db.EraseContact(ctx, k.ID, &dossier.AuditEntry{User: "lead"}); err != nil {
			t.Fatal(err)
		}
		sameLists(t, db, "erasure")

		// Scores record priorities as facts.
		if _, err := db.RecomputeScores(ctx, cfg.AsOf, dossier.DefaultScoreSettings(), nil); err != nil {
			t.Fatal(err)
		}
		sameLists(t, db, "scores")

		// The registry and the settings decide what is a gap or a conflict.
		if err := db.SaveSetting(ctx, sqldb.QualitySettingsKey, dossier.QualitySettings{Tolerance: 0.01, MinPeers: 3}); err != nil {
			t.Fatal(err)
		}
		sameLists(t, db, "tolerance")
		reg, err := db.Registry(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_ = reg
		f := dossier.Field{Key: "plant_count", LabelZH: "工厂数", Category: dossier.CatBasic, Type: dossier.TypeNumber, Required: true, KeyFact: true}
		if err := db.SaveField(ctx, f); err != nil {
			t.Fatal(err)
		}
		sameLists(t, db, "registry")

		// A bulk load into a store whose rows are current refreshes only
		// the new customers.
		next, err := db.NextCustomerID(ctx)
		if err != nil {
			t.Fatal(err)
		}
		more := demo.Config{Customers: 50, Seed: 9, StartID: next, AsOf: cfg.AsOf}
		loadDemo(t, db, more)
		sameLists(t, db, "second load")
	})
}
