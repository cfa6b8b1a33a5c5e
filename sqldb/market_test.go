package sqldb_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// churnFixture: 5 churned customers (3 over response speed, 1 over price,
// 1 without a reason), 3 won, 1 prospect, and one churned customer that is
// hidden and one that is merged, which no count may include.
//
//	name  stage    churn_reason  lost_to  won_from  province
//	c1    churned  响应速度慢     A                   江苏
//	c2    churned  响应速度慢     A                   江苏
//	c3    churned  响应速度慢     B                   浙江
//	c4    churned  价格偏高       A                   浙江
//	c5    churned                                    浙江
//	w1    won                             A         江苏
//	w2    won                             B         江苏
//	w3    won                                       浙江
//	p1    prospect                                  江苏
//	h1    churned  价格偏高       B                   江苏  (hidden)
//	m1    churned  价格偏高       B                   江苏  (merged into c1)
func churnFixture(t *testing.T, db *sqldb.DB) {
	rows := [][]string{
		{"c1", "流失", "响应速度慢", "A", "", "江苏"},
		{"c2", "流失", "响应速度慢", "A", "", "江苏"},
		{"c3", "流失", "响应速度慢", "B", "", "浙江"},
		{"c4", "流失", "价格偏高", "A", "", "浙江"},
		{"c5", "流失", "", "", "", "浙江"},
		{"w1", "成交", "", "", "A", "江苏"},
		{"w2", "成交", "", "", "B", "江苏"},
		{"w3", "成交", "", "", "", "浙江"},
		{"p1", "潜在", "", "", "", "江苏"},
		{"h1", "流失", "价格偏高", "B", "", "江苏"},
		{"m1", "流失", "价格偏高", "B", "", "江苏"},
	}
	ids := map[string]int64{}
	for _, r := range rows {
		vals := map[string]string{"name": r[0], "industry": "制造业", "stage": r[1], "province": r[5]}
		for k, v := range map[string]string{"churn_reason": r[2], "lost_to": r[3], "won_from": r[4]} {
			if v != "" {
				vals[k] = v
			}
		}
		ids[r[0]] = mustCreate(t, db, vals).ID
	}
	for _, q := range []string{
		fmt.Sprintf(`UPDATE customers SET hidden = 1 WHERE id = %d`, ids["h1"]),
		fmt.Sprintf(`UPDATE customers SET merged_into = %d WHERE id = %d`, ids["c1"], ids["m1"]),
	} {
		if err := db.ExecForTest(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
}

// TestChurnAndWinLoss checks the shares against the fixture counted by hand.
func TestChurnAndWinLoss(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		churnFixture(t, db)
		rep, err := analytics.Churn(ctx, db, dossier.CustomerFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := &analytics.ChurnReport{Churned: 5, Reasons: []analytics.Part{
			{Key: "响应速度慢", Count: 3, Share: f64(60)}, {Key: "价格偏高", Count: 1, Share: f64(20)}, {Key: "", Count: 1, Share: f64(20)},
		}}
		if diff := cmp.Diff(want, rep); diff != "" {
			t.Errorf("churn: %s", diff)
		}
		// 江苏: c1, c2 only: 100% response speed.
		rep, err = analytics.Churn(ctx, db, dossier.CustomerFilter{Expr: "province = 江苏"})
		if err != nil {
			t.Fatal(err)
		}
		want = &analytics.ChurnReport{Churned: 2, Reasons: []analytics.Part{{Key: "响应速度慢", Count: 2, Share: f64(100)}}}
		if diff := cmp.Diff(want, rep); diff != "" {
			t.Errorf("churn in 江苏: %s", diff)
		}
		// An empty group: no churned customer, no share.
		rep, err = analytics.Churn(ctx, db, dossier.CustomerFilter{Expr: "province = 广东"})
		if err != nil || rep.Churned != 0 || len(rep.Reasons) != 0 {
			t.Errorf("churn in 广东: %+v %v", rep, err)
		}

		wl, err := analytics.WinLoss(ctx, db, dossier.CustomerFilter{})
		if err != nil {
			t.Fatal(err)
		}
		// A: lost c1, c2, c4 (3 of 5 churned = 60%), won w1 (1 of 3 won).
		// B: lost c3 (20%), won w2 (1 of 3).
		third := 100.0 / 3
		wantWL := &analytics.WinLossReport{Churned: 5, Won: 3, Rows: []analytics.WinLossRow{
			{Competitor: "A", Lost: 3, LostShare: f64(60), Won: 1, WonShare: &third, Net: -2, Reasons: []analytics.Part{
				{Key: "响应速度慢", Count: 2, Share: f64(100.0 * 2 / 3)}, {Key: "价格偏高", Count: 1, Share: &third}}},
			{Competitor: "B", Lost: 1, LostShare: f64(20), Won: 1, WonShare: &third, Net: 0, Reasons: []analytics.Part{
				{Key: "响应速度慢", Count: 1, Share: f64(100)}}},
		}}
		if diff := cmp.Diff(wantWL, wl); diff != "" {
			t.Errorf("win/loss: %s", diff)
		}
		// 浙江: lost c3 to B, c4 to A; of 3 churned; won none from a competitor (w3 has none).
		wl, err = analytics.WinLoss(ctx, db, dossier.CustomerFilter{Expr: "province = 浙江"})
		if err != nil {
			t.Fatal(err)
		}
		wantWL = &analytics.WinLossReport{Churned: 3, Won: 1, Rows: []analytics.WinLossRow{
			{Competitor: "A", Lost: 1, LostShare: &third, WonShare: f64(0), Net: -1, Reasons: []analytics.Part{{Key: "价格偏高", Count: 1, Share: f64(100)}}},
			{Competitor: "B", Lost: 1, LostShare: &third, WonShare: f64(0), Net: -1, Reasons: []analytics.Part{{Key: "响应速度慢", Count: 1, Share: f64(100)}}},
		}}
		if diff := cmp.Diff(wantWL, wl); diff != "" {
			t.Errorf("win/loss in 浙江: %s", diff)
		}
		wl, err = analytics.WinLoss(ctx, db, dossier.CustomerFilter{Expr: "province = 广东"})
		if err != nil || wl.Churned != 0 || wl.Won != 0 || len(wl.Rows) != 0 {
			t.Errorf("win/loss in 广东: %+v %v", wl, err)
		}
	})
}

func marketSource(day string) dossier.Source {
	at, _ := time.Parse("2006-01-02", day)
	return dossier.Source{Channel: dossier.ChannelThirdParty, Detail: "艾瑞咨询", CollectedAt: at, CollectedBy: "li"}
}

// TestMarketRoundTrip writes every kind of market fact and reads it back
// with its provenance.
func TestMarketRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		g := 15.0
		recs := []dossier.MarketRecord{
			{Region: "华东", Industry: "SaaS", Year: 2023, Size: 12_000_000_000, Growth: &g, Source: marketSource("2024-03-01")},
			{Region: "华南", Industry: "SaaS", Year: 2024, Size: 8_000_000_000, Source: marketSource("2024-05-01")},
		}
		for i := range recs {
			if err := db.CreateMarketRecord(ctx, &recs[i]); err != nil || recs[i].ID == 0 {
				t.Fatalf("record %d: %v", i, err)
			}
		}
		got, err := db.MarketRecords(ctx, dossier.MarketFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]dossier.MarketRecord{recs[1], recs[0]}, got); diff != "" {
			t.Errorf("records: %s", diff)
		}
		if got, _ := db.MarketRecords(ctx, dossier.MarketFilter{Region: "华东", Year: 2023}); len(got) != 1 || *got[0].Growth != 15 {
			t.Errorf("filtered: %+v", got)
		}
		if err := db.CreateMarketRecord(ctx, &dossier.MarketRecord{Region: "华东", Industry: "SaaS", Year: 23, Source: marketSource("2024-01-01")}); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("bad year: %v", err)
		}

		note := dossier.MarketNote{Kind: dossier.NotePolicy, Region: "全国", Title: "中小企业数字化转型政策", Body: "补贴上云", Source: marketSource("2025-02-01")}
		if err := db.CreateMarketNote(ctx, &note); err != nil {
			t.Fatal(err)
		}
		notes, err := db.MarketNotes(ctx, dossier.MarketFilter{Kind: dossier.NotePolicy, Year: 2025})
		if err != nil || len(notes) != 1 {
			t.Fatalf("notes: %v %v", notes, err)
		}
		if diff := cmp.Diff(note, notes[0]); diff != "" {
			t.Errorf("note: %s", diff)
		}
		if notes, _ := db.MarketNotes(ctx, dossier.MarketFilter{Year: 2024}); len(notes) != 0 {
			t.Errorf("2024 notes: %v", notes)
		}

		comp := dossier.Competitor{Name: "竞品B", Positioning: "低价", Strengths: "便宜", Weaknesses: "不灵活", PriceLevel: "low", Source: marketSource("2025-01-01")}
		if err := db.CreateCompetitor(ctx, &comp); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateCompetitor(ctx, &dossier.Competitor{Name: "竞品B", Source: marketSource("2025-01-01")}); dossier.ErrorCode(err) != dossier.ECONFLICT {
			t.Errorf("duplicate competitor: %v", err)
		}
		comps, err := db.Competitors(ctx)
		if err != nil || len(comps) != 1 {
			t.Fatalf("competitors: %v %v", comps, err)
		}
		if diff := cmp.Diff(comp, comps[0]); diff != "" {
			t.Errorf("competitor: %s", diff)
		}

		sh := dossier.MarketShare{Competitor: "竞品B", Region: "华东", Year: 2025, Share: 30, Source: marketSource("2025-06-01")}
		if err := db.CreateMarketShare(ctx, &sh); err != nil {
			t.Fatal(err)
		}
		err = db.CreateMarketShare(ctx, &dossier.MarketShare{Competitor: "无名", Region: "华东", Year: 2025, Share: 1, Source: marketSource("2025-06-01")})
		if e, ok := err.(*dossier.Error); !ok || e.Code != dossier.EINVALID || e.Field != "competitor" {
			t.Errorf("unknown competitor: %v", err)
		}
		shares, err := db.MarketShares(ctx, dossier.MarketFilter{Region: "华东"})
		if err != nil || len(shares) != 1 {
			t.Fatalf("shares: %v %v", shares, err)
		}
		if diff := cmp.Diff(sh, shares[0]); diff != "" {
			t.Errorf("share: %s", diff)
		}

		// A batch is all or nothing: a share of an unknown competitor
		// undoes the competitor and the record added with it.
		bad := dossier.MarketBatch{
			Competitors: []dossier.Competitor{{Name: "竞品C", Source: marketSource("2025-01-01")}},
			Records:     []dossier.MarketRecord{{Region: "西南", Industry: "SaaS", Year: 2024, Size: 1, Source: marketSource("2025-01-01")}},
			Shares:      []dossier.MarketShare{{Competitor: "竞品D", Region: "西南", Year: 2024, Share: 5, Source: marketSource("2025-01-01")}},
		}
		if err := db.LoadMarket(ctx, &bad); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("bad batch: %v", err)
		}
		if cs, _ := db.Competitors(ctx); len(cs) != 1 {
			t.Errorf("bad batch left competitors: %v", cs)
		}
		if rs, _ := db.MarketRecords(ctx, dossier.MarketFilter{Region: "西南"}); len(rs) != 0 {
			t.Errorf("bad batch left records: %v", rs)
		}
		bad.Shares[0].Competitor = "竞品C"
		if err := db.LoadMarket(ctx, &bad); err != nil || bad.Shares[0].ID == 0 {
			t.Errorf("good batch: %v", err)
		}
	})
}
