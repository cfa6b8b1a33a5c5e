package sqldb_test

import (
	"slices"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/demo"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

func observe(t *testing.T, db *sqldb.DB, id int64, vals map[string]string, s dossier.Source) {
	t.Helper()
	if _, err := db.UpdateCustomer(ctx, id, dossier.CustomerUpdate{Values: vals, Source: s}); err != nil {
		t.Fatal(err)
	}
}

func stateOf(t *testing.T, db *sqldb.DB, id int64, field string) dossier.FieldVerification {
	t.Helper()
	vs, err := db.Verification(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.Field == field {
			return v
		}
	}
	t.Fatalf("no verification of %s in %+v", field, vs)
	return dossier.FieldVerification{}
}

func TestConflictsAndSettling(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		c := mustCreate(t, db, map[string]string{"name": "华信", "industry": "制造业", "owner": "zhou"})
		ok := mustCreate(t, db, map[string]string{"name": "正泰", "industry": "制造业", "owner": "li"})
		observe(t, db, c.ID, map[string]string{"revenue": "1亿", "employees": "500"}, src(dossier.ChannelPublic, "2024年年报", "2025-03-01"))
		observe(t, db, c.ID, map[string]string{"revenue": "5000万", "employees": "520"}, src(dossier.ChannelCustomer, "首次洽谈", "2025-04-01"))
		observe(t, db, ok.ID, map[string]string{"revenue": "1亿"}, src(dossier.ChannelPublic, "2024年年报", "2025-03-01"))
		observe(t, db, ok.ID, map[string]string{"revenue": "1.05亿"}, src(dossier.ChannelThirdParty, "征信报告", "2025-04-01"))

		if v := stateOf(t, db, c.ID, "revenue"); v.State != dossier.StateConflict || len(v.Evidence) != 2 {
			t.Errorf("revenue 1亿 vs 5000万: %+v", v)
		}
		if v := stateOf(t, db, c.ID, "employees"); v.State != dossier.StateVerified {
			t.Errorf("employees 500 vs 520: %+v", v)
		}
		if v := stateOf(t, db, ok.ID, "revenue"); v.State != dossier.StateVerified {
			t.Errorf("revenue 1亿 vs 1.05亿: %+v", v)
		}
		if v := stateOf(t, db, ok.ID, "budget"); v.State != dossier.StateUnverified {
			t.Errorf("no budget: %+v", v)
		}
		conflicts, total, err := db.FindConflicts(ctx, dossier.QualityFilter{})
		if err != nil || total != 1 || conflicts[0].CustomerID != c.ID || conflicts[0].Verification.Field != "revenue" {
			t.Fatalf("conflicts %+v %d %v", conflicts, total, err)
		}
		if _, total, _ := db.FindConflicts(ctx, dossier.QualityFilter{Owner: "li"}); total != 0 {
			t.Errorf("owner filter: %d", total)
		}
		// A tighter team setting turns 1亿 vs 1.05亿 and 500 vs 520 employees into conflicts too.
		if err := db.SaveSetting(ctx, sqldb.QualitySettingsKey, dossier.QualitySettings{Tolerance: 0.01, MinPeers: 3}); err != nil {
			t.Fatal(err)
		}
		if _, total, _ := db.FindConflicts(ctx, dossier.QualityFilter{}); total != 3 {
			t.Errorf("tolerance 1%%: %d conflicts, want 3", total)
		}
		if err := db.SaveSetting(ctx, sqldb.QualitySettingsKey, dossier.DefaultQualitySettings()); err != nil {
			t.Fatal(err)
		}

		got, err := db.SettleConflict(ctx, dossier.Settlement{CustomerID: c.ID, Field: "revenue", Value: "5000万", By: who})
		if err != nil {
			t.Fatal(err)
		}
		if got.Value("revenue") != "50000000" {
			t.Errorf("settled value does not win: %s", got.Value("revenue"))
		}
		if v := stateOf(t, db, c.ID, "revenue"); v.State != dossier.StateVerified || !v.Settled {
			t.Errorf("after settling: %+v", v)
		}
		obs, _ := db.Observations(ctx, c.ID)
		last := obs[len(obs)-1]
		if last.Source.Detail != "settled conflict" || last.Source.CollectedBy != "lead" || last.Remarks["revenue"] != dossier.RemarkConfirmed || last.Source.Channel != dossier.ChannelInternal {
			t.Errorf("settlement is not a recorded fact: %+v", last)
		}
		if _, total, _ := db.FindConflicts(ctx, dossier.QualityFilter{}); total != 0 {
			t.Errorf("settled conflict still listed")
		}
		if _, err := db.SettleConflict(ctx, dossier.Settlement{CustomerID: c.ID, Field: "city", Value: "x", By: who}); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("settling a non-key field: %v", err)
		}

		// The decision chain: the customer names one decision maker, our notes another.
		for _, dm := range []struct {
			name string
			ch   dossier.Channel
		}{{"王伟", dossier.ChannelCustomer}, {"李娜", dossier.ChannelInternal}} {
			if err := db.CreateContact(ctx, &dossier.Contact{CustomerID: ok.ID, Name: dm.name, Role: "decision_maker", Source: src(dm.ch, "x", "2025-05-01")}); err != nil {
				t.Fatal(err)
			}
		}
		if v := stateOf(t, db, ok.ID, dossier.DecisionMakerField); v.State != dossier.StateConflict || len(v.Evidence) != 2 {
			t.Errorf("decision makers 王伟 vs 李娜: %+v", v)
		}
		conflicts, total, _ = db.FindConflicts(ctx, dossier.QualityFilter{})
		if total != 1 || conflicts[0].Verification.Field != dossier.DecisionMakerField {
			t.Errorf("decision-maker conflict not listed: %+v", conflicts)
		}
	})
}

func TestGapsAndPeerEstimates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		for i, rev := range []string{"1000万", "2000万", "3000万", "9亿"} {
			emp := "300"
			if i == 3 {
				emp = "8000" // another size band: not a peer while the band has enough
			}
			mustCreate(t, db, map[string]string{"name": "同行" + rev, "industry": "制造业-机械设备", "revenue": rev, "employees": emp})
		}
		c := mustCreate(t, db, map[string]string{"name": "缺营收", "industry": "制造业-机械设备", "employees": "250", "owner": "zhou"})
		gaps, _, err := db.FindGaps(ctx, dossier.QualityFilter{Owner: "zhou"})
		if err != nil || len(gaps) != 1 || gaps[0].CustomerID != c.ID {
			t.Fatalf("gaps %+v %v", gaps, err)
		}
		if !slices.ContainsFunc(gaps[0].Missing, func(g dossier.Gap) bool { return g.Field == "revenue" }) {
			t.Errorf("revenue not listed missing: %+v", gaps[0].Missing)
		}
		e, err := db.PeerEstimate(ctx, c.ID, "revenue")
		if err != nil {
			t.Fatal(err)
		}
		if e.Value != "20000000" || e.Peers != 3 || e.Band != "200-999" {
			t.Errorf("estimate %+v, want the median 2000万 of 3 peers in 200-999", e)
		}
		got, err := db.AcceptEstimate(ctx, c.ID, "revenue", who)
		if err != nil {
			t.Fatal(err)
		}
		if got.Value("revenue") != "20000000" {
			t.Errorf("accepted estimate not in profile: %v", got.Values)
		}
		comp, _ := db.Completeness(ctx, c.ID)
		if !slices.ContainsFunc(comp.Missing, func(g dossier.Gap) bool { return g.Field == "revenue" && g.Estimate == "20000000" }) {
			t.Errorf("an estimate pending verification must stay a gap: %+v", comp.Missing)
		}
		// A real value, even an older one from the least trusted channel, beats the estimate.
		observe(t, db, c.ID, map[string]string{"revenue": "4500万"}, src(dossier.ChannelPublic, "企查查", "2020-01-01"))
		got, _ = db.FindCustomerByID(ctx, c.ID)
		if got.Value("revenue") != "45000000" {
			t.Errorf("pending estimate overwrote a real value: %s", got.Value("revenue"))
		}
		if _, err := db.AcceptEstimate(ctx, c.ID, "revenue", who); dossier.ErrorCode(err) != dossier.ECONFLICT {
			t.Errorf("estimate over a real value: %v", err)
		}
		if _, err := db.PeerEstimate(ctx, c.ID, "name"); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("estimating a text field: %v", err)
		}
	})
}

func TestInvalidFindsPlantedValues(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		cfg := demo.Config{Customers: 1500, Seed: 7, AsOf: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
		loadDemo(t, db, cfg)
		type key struct {
			id    int64
			field string
		}
		planted := map[key]bool{}
		if err := demo.PlantedInvalids(cfg, func(id int64, field string) error { planted[key{id, field}] = true; return nil }); err != nil {
			t.Fatal(err)
		}
		if len(planted) == 0 {
			t.Fatal("the demo planted nothing")
		}
		found := map[key]bool{}
		all, total, err := db.FindInvalid(ctx, dossier.QualityFilter{Limit: sqldb.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		for off := len(all); off < total; off += sqldb.MaxLimit {
			more, _, err := db.FindInvalid(ctx, dossier.QualityFilter{Offset: off, Limit: sqldb.MaxLimit})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, more...)
		}
		for _, iv := range all {
			found[key{iv.CustomerID, iv.Field}] = true
		}
		missed := 0
		for k := range planted {
			if !found[k] {
				missed++
				t.Errorf("planted invalid %s of customer %d not reported", k.field, k.id)
			}
		}
		extra := 0
		for k := range found {
			if !planted[k] {
				extra++
			}
		}
		t.Logf("planted %d, reported %d (customer, field) pairs, %d not planted", len(planted), len(found), extra)
		if extra > len(planted) {
			t.Errorf("precision: %d reports that were not planted", extra)
		}
	})
}
