package sqldb_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

func TestRecomputeScores(t *testing.T) {
	results := map[string][]dossier.Score{}
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		a := mustCreate(t, db, map[string]string{"name": "A", "industry": "制造业", "expected_amount": "60万", "strategic_value": "行业标杆"})
		b := mustCreate(t, db, map[string]string{"name": "B", "industry": "制造业", "budget": "30-50万"})
		mustCreate(t, db, map[string]string{"name": "C", "industry": "制造业"})
		for _, d := range []string{"2026-06-01", "2026-06-15", "2026-07-01", "2026-07-02", "2026-07-10", "2026-07-20", "2026-07-25", "2026-07-30", "2026-08-01", "2026-09-01"} {
			in := &dossier.Interaction{CustomerID: a.ID, Date: d, Channel: "电话", Source: src(dossier.ChannelInternal, "CRM", d)}
			if err := db.CreateInteraction(ctx, in); err != nil {
				t.Fatal(err)
			}
		}
		in := &dossier.Interaction{CustomerID: b.ID, Date: "2026-02-02", Channel: "面谈", Source: src(dossier.ChannelInternal, "CRM", "2026-02-02")}
		if err := db.CreateInteraction(ctx, in); err != nil {
			t.Fatal(err)
		}
		var got []dossier.Score
		n, err := db.RecomputeScores(ctx, day("2026-08-02"), dossier.DefaultScoreSettings(), func(s dossier.Score) error {
			got = append(got, s)
			return nil
		})
		if err != nil || n != 3 {
			t.Fatalf("recompute: %d %v", n, err)
		}
		// A: last contact 08-01 (09-01 is after the as-of date), 9 contacts from 05-02 → 3/month, 60万, benchmark.
		want := [][5]int{{30, 30, 30, 10, 100}, {20, 10, 20, 0, 50}, {10, 10, 10, 0, 30}}
		for i, w := range want {
			s := got[i]
			if [5]int{s.R, s.F, s.M, s.V, s.Total} != w {
				t.Errorf("%s: R%d F%d M%d V%d =%d, want %v", s.Name, s.R, s.F, s.M, s.V, s.Total, w)
			}
		}
		stored, err := db.FindScore(ctx, a.ID)
		if err != nil || stored.Total != 100 || stored.Priority != "high" || len(stored.Explanation) != 4 {
			t.Errorf("stored score %+v %v", stored, err)
		}
		c, _ := db.FindCustomerByID(ctx, a.ID)
		if c.Priority != "high" || c.Score == nil || *c.Score != 100 {
			t.Errorf("customer priority %q score %v", c.Priority, c.Score)
		}
		hist, _, _ := db.FieldHistory(ctx, a.ID, "follow_up_priority")
		if len(hist) != 1 || hist[0].Source.Channel != dossier.ChannelInternal {
			t.Errorf("priority fact %+v", hist)
		}
		// A second run with no change records no new fact.
		if _, err := db.RecomputeScores(ctx, day("2026-08-02"), dossier.DefaultScoreSettings(), nil); err != nil {
			t.Fatal(err)
		}
		if hist, _, _ := db.FieldHistory(ctx, a.ID, "follow_up_priority"); len(hist) != 1 {
			t.Errorf("unchanged priority recorded again: %d facts", len(hist))
		}
		results[t.Name()] = got
	})
	if s, p := results["TestRecomputeScores/sqlite"], results["TestRecomputeScores/postgres"]; p != nil {
		if diff := cmp.Diff(s, p); diff != "" {
			t.Errorf("SQLite and PostgreSQL disagree (-sqlite +postgres):\n%s", diff)
		}
	}
}
