package sqldb_test

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

func f64(v float64) *float64 { return &v }

// TestPivot checks pivots of segmentFixture against counts worked out by
// hand, with unknown values, empty groups and one-customer groups.
func TestPivot(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		segmentFixture(t, db)
		pivot := func(rows, cols, measure, expr string) *analytics.PivotTable {
			t.Helper()
			m, err := analytics.ParseMeasure(measure)
			if err != nil {
				t.Fatal(err)
			}
			pt, err := analytics.Pivot(ctx, db, analytics.PivotRequest{Rows: analytics.ParseDim(rows), Cols: analytics.ParseDim(cols),
				Measure: m, Filter: dossier.CustomerFilter{Expr: expr}, Lang: "zh"})
			if err != nil {
				t.Fatal(err)
			}
			return pt
		}
		keys := func(hs []analytics.Header) []string {
			var out []string
			for _, h := range hs {
				out = append(out, h.Key)
			}
			return out
		}
		pt := pivot("grade", "stage", "count", "")
		if diff := cmp.Diff([]string{"key", "potential", "ordinary", ""}, keys(pt.Rows)); diff != "" {
			t.Errorf("rows: %s", diff)
		}
		if diff := cmp.Diff([]string{"prospect", "won", "churned", ""}, keys(pt.Cols)); diff != "" {
			t.Errorf("cols: %s", diff)
		}
		wantCounts := [][]int64{{1, 1, 1, 0}, {1, 0, 0, 0}, {0, 0, 0, 1}, {0, 0, 0, 1}}
		if diff := cmp.Diff(wantCounts, pt.Counts); diff != "" {
			t.Errorf("counts: %s", diff)
		}
		if diff := cmp.Diff([]*float64{f64(3), f64(1), f64(1), f64(1)}, pt.RowTotals); diff != "" {
			t.Errorf("row totals: %s", diff)
		}
		if diff := cmp.Diff([]*float64{f64(2), f64(1), f64(1), f64(2)}, pt.ColTotals); diff != "" {
			t.Errorf("col totals: %s", diff)
		}
		if *pt.Total != 6 || pt.Rows[0].Label != "重点" {
			t.Errorf("total %v, label %q", *pt.Total, pt.Rows[0].Label)
		}

		// Averages leave out customers without a value; a group without
		// any has no average.
		pt = pivot("grade", "", "avg:revenue", "")
		if diff := cmp.Diff([]*float64{f64(125000000), f64(100000000), f64(30000000), nil}, pt.RowTotals); diff != "" {
			t.Errorf("avg: %s", diff)
		}
		if *pt.Total != 95000000 {
			t.Errorf("avg total %v", *pt.Total)
		}
		pt = pivot("客户等级", "", "sum:年营收", "")
		if *pt.RowTotals[0] != 250000000 || *pt.RowTotals[3] != 0 {
			t.Errorf("sum: %v %v", *pt.RowTotals[0], *pt.RowTotals[3])
		}
		pt = pivot("grade", "", "share", "")
		if math.Abs(*pt.RowTotals[0]-50) > 1e-9 || math.Abs(*pt.RowTotals[1]-100.0/6) > 1e-9 || *pt.Total != 100 {
			t.Errorf("share: %v %v", *pt.RowTotals[0], *pt.RowTotals[1])
		}
		pt = pivot(analytics.IndustryTop, "", "count", "")
		got := map[string]int64{}
		for i, h := range pt.Rows {
			got[h.Key] = pt.Counts[i][0]
		}
		if diff := cmp.Diff(map[string]int64{"制造业": 2, "零售": 1, "信息技术": 1, "批发": 1, "制造业务外包": 1}, got); diff != "" {
			t.Errorf("industry_top: %s", diff)
		}
		// A filter narrows the customers; empty options still show.
		pt = pivot("grade", "", "count", "province = 江苏")
		if diff := cmp.Diff([][]int64{{1}, {1}, {0}}, pt.Counts); diff != "" {
			t.Errorf("filtered: %s", diff)
		}
		// Columns by an expression: yes / no.
		pt = pivot("grade", "revenue >= 1亿", "count", "")
		if diff := cmp.Diff([][]int64{{1, 2}, {1, 0}, {0, 1}, {0, 1}}, pt.Counts); diff != "" {
			t.Errorf("by expression: %s", diff)
		}
		pt = pivot(analytics.LastContactQuarter, "", "count", "")
		if diff := cmp.Diff([]string{"2025-Q4", "2026-Q1", ""}, keys(pt.Rows)); diff != "" || pt.Counts[0][0] != 2 {
			t.Errorf("quarters: %s %v", diff, pt.Counts)
		}
		pt = pivot("need_match", "", "count", "")
		if diff := cmp.Diff([]string{"2", "3", "4", "5", ""}, keys(pt.Rows)); diff != "" || pt.Counts[2][0] != 2 {
			t.Errorf("numeric rows: %s %v", diff, pt.Counts)
		}
		if _, err := analytics.Pivot(ctx, db, analytics.PivotRequest{Rows: analytics.Dim{Field: "grade"}, Measure: analytics.Measure{Kind: "avg", Field: "name"}}); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("avg of text: %v", err)
		}
		if _, err := analytics.Pivot(ctx, db, analytics.PivotRequest{Rows: analytics.Dim{Field: "gradee"}, Measure: analytics.Measure{Kind: "count"}}); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("unknown field: %v", err)
		}
	})
}

func TestRelation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		// 10 manufacturers, 8 of them care about stability; 10 retailers, 2.
		for i := 0; i < 20; i++ {
			ind, df := "制造业", "价格"
			if i >= 10 {
				ind = "零售"
			}
			if (i < 8) || (i >= 10 && i < 12) {
				df = "稳定性;价格"
			}
			mustCreate(t, db, map[string]string{"name": fmt.Sprint("c", i), "industry": ind, "decision_factors": df})
		}
		mustCreate(t, db, map[string]string{"name": "unknown industry", "decision_factors": "稳定性"})
		rel, err := analytics.Relate(ctx, db, analytics.RelationRequest{Rows: analytics.Dim{Field: "industry"}, Cols: analytics.ParseDim("decision_factors = 稳定性")})
		if err != nil {
			t.Fatal(err)
		}
		// Observed [[8 2] [2 8]]: expected 5 everywhere, chi² = 4·9/5 = 7.2,
		// df 1, p = erfc(√(7.2/2)), V = √(7.2/20) = 0.6, lift 8/5 = 1.6.
		if diff := cmp.Diff([][]int64{{8, 2}, {2, 8}}, rel.Observed); diff != "" {
			t.Errorf("observed: %s", diff)
		}
		if math.Abs(rel.ChiSquare-7.2) > 1e-9 || rel.DF != 1 || math.Abs(rel.P-math.Erfc(math.Sqrt(3.6))) > 1e-9 ||
			math.Abs(rel.CramersV-0.6) > 1e-9 || math.Abs(rel.Lift[0][0]-1.6) > 1e-9 || rel.N != 20 || rel.Excluded != 1 {
			t.Errorf("stats: %+v", rel)
		}
	})
}

func TestTrend(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		a := mustCreate(t, db, map[string]string{"name": "甲", "industry": "制造业"})
		b := mustCreate(t, db, map[string]string{"name": "乙", "industry": "零售"})
		for _, in := range []dossier.Interaction{
			{CustomerID: a.ID, Date: "2025-11-03", Channel: "phone"}, {CustomerID: a.ID, Date: "2025-12-31", Channel: "meeting"},
			{CustomerID: a.ID, Date: "2026-01-15", Channel: "phone"}, {CustomerID: b.ID, Date: "2026-01-01", Channel: "email"},
			{CustomerID: b.ID, Date: "2025-09-10", Channel: "phone"},
		} {
			in.Source = src(dossier.ChannelInternal, "test", "2026-01-20")
			if err := db.CreateInteraction(ctx, &in); err != nil {
				t.Fatal(err)
			}
		}
		tr, err := analytics.Trend(ctx, db, analytics.TrendRequest{Query: analytics.TrendQuery{Source: "interactions", Period: "month", By: "channel"}, Window: 2, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"2025-09", "2025-10", "2025-11", "2025-12", "2026-01"}, tr.Periods); diff != "" {
			t.Errorf("periods: %s", diff)
		}
		byKey := map[string]analytics.Series{}
		for _, s := range tr.Series {
			byKey[s.Key] = s
		}
		// Last 2 months (12, 01) against the 2 before (10, 11).
		if s := byKey["phone"]; !cmp.Equal(s.Values, []float64{1, 0, 1, 0, 1}) || s.Last != 1 || s.Before != 1 || *s.Change != 0 || s.Label != "Phone" {
			t.Errorf("phone: %+v", s)
		}
		if s := byKey["meeting"]; s.Last != 1 || s.Before != 0 || s.Change != nil {
			t.Errorf("meeting: %+v", s)
		}
		tr, err = analytics.Trend(ctx, db, analytics.TrendRequest{Query: analytics.TrendQuery{Source: "interactions", Period: "quarter",
			Filter: dossier.CustomerFilter{Expr: "industry = 制造业"}}, Measure: "count", Window: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !cmp.Equal(tr.Periods, []string{"2025-Q4", "2026-Q1"}) || !cmp.Equal(tr.Series[0].Values, []float64{2, 1}) || *tr.Series[0].Change != -50 {
			t.Errorf("quarters: %+v %+v", tr.Periods, tr.Series)
		}
	})
}

func TestOverview(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		segmentFixture(t, db)
		ov, err := analytics.Summarize(ctx, db, dossier.CustomerFilter{}, "zh")
		if err != nil {
			t.Fatal(err)
		}
		// Provinces: 江苏 2, 浙江 1, unknown 3 → HHI over the known ones:
		// (200/3)² + (100/3)² = 5555.56.
		if ov.Customers != 6 || math.Abs(ov.RegionHHI-50000.0/9) > 1e-6 || math.Abs(ov.TopRegions-50) > 1e-9 {
			t.Errorf("regions: %+v hhi %v top %v", ov.Regions, ov.RegionHHI, ov.TopRegions)
		}
		var funnel []int64
		for _, s := range ov.Funnel {
			funnel = append(funnel, s.Count)
		}
		if !cmp.Equal(funnel, []int64{2, 1, 1, 2}) || ov.Industries[0].Key != "制造业" || ov.Industries[0].Count != 2 {
			t.Errorf("funnel %v industries %+v", funnel, ov.Industries)
		}
		if len(ov.Growth) != 1 || ov.Growth[0].Count != 6 {
			t.Errorf("growth %+v", ov.Growth)
		}
	})
}

// TestTrendLeavesOutHiddenCustomers: a trend over every live customer, which
// skips the join to customers, still leaves out the interactions of a
// customer hidden by an undone import.
func TestTrendLeavesOutHiddenCustomers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		a := importAs(t, db, dossier.KindCustomers, "a.csv", dossier.ChannelCustomer, "客户名称\n华信科技\n东方机械\n")
		importAs(t, db, dossier.KindInteractions, "i.csv", dossier.ChannelInternal,
			"客户,日期,沟通方式,摘要\n华信科技,2026-01-15,面谈,演示\n东方机械,2026-01-20,电话,跟进\n")
		total := func() float64 {
			tr, err := analytics.Trend(ctx, db, analytics.TrendRequest{Query: analytics.TrendQuery{Source: "interactions", Period: "month"}, Window: 1})
			if err != nil || len(tr.Series) > 1 {
				t.Fatalf("trend %+v, %v", tr, err)
			}
			if len(tr.Series) == 0 {
				return 0 // no interaction counted at all
			}
			return tr.Series[0].Values[len(tr.Series[0].Values)-1]
		}
		if n := total(); n != 2 {
			t.Fatalf("before undo: %v interactions", n)
		}
		if _, err := db.UndoImport(ctx, a.Run.ID, "admin", false); err != nil {
			t.Fatal(err)
		}
		if n := total(); n != 0 {
			t.Errorf("after undo: %v interactions of hidden customers still counted", n)
		}
	})
}

// A trend over every live customer, which counts all records less those of
// gone customers, gives what the join to the live customers gives, per day
// and series, with a customer hidden, one merged, and a day whose records
// are all a gone customer's.
func TestTrendLessGoneEqualsJoin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		var ids []*dossier.Customer
		for _, name := range []string{"甲公司", "乙公司", "丙公司", "丁公司"} {
			ids = append(ids, mustCreate(t, db, map[string]string{"name": name}))
		}
		for i, c := range ids {
			for j, day := range []string{"2025-10-02", "2025-11-03", "2025-11-20", "2026-01-05"} {
				if i == 1 && j == 3 {
					day = "2026-02-01" // only the hidden customer's
				}
				in := dossier.Interaction{CustomerID: c.ID, Date: day, Channel: []string{"phone", "email", "meeting"}[(i+j)%3],
					Source: src(dossier.ChannelInternal, "test", "2026-02-10")}
				if err := db.CreateInteraction(ctx, &in); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := db.DeleteCustomer(ctx, ids[1].ID, ids[1].Version, dossier.AuditEntry{User: "admin"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.MergeCustomers(ctx, dossier.MergeRequest{Survivor: ids[0].ID, Absorbed: ids[2].ID, SurvivorVersion: ids[0].Version, By: who}); err != nil {
			t.Fatal(err)
		}
		for _, by := range []string{"", "channel"} {
			trend := func(f dossier.CustomerFilter) []analytics.TrendGroup {
				gs, err := db.Trend(ctx, analytics.TrendQuery{Source: "interactions", Period: "month", By: by, Filter: f})
				if err != nil {
					t.Fatal(err)
				}
				slices.SortFunc(gs, func(a, b analytics.TrendGroup) int {
					return strings.Compare(a.Period+"\x00"+a.Key, b.Period+"\x00"+b.Key)
				})
				return gs
			}
			all, joined := trend(dossier.CustomerFilter{}), trend(dossier.CustomerFilter{Expr: "name ~ 公司"})
			if diff := cmp.Diff(joined, all); diff != "" || len(all) == 0 {
				t.Errorf("by %q: all less gone against the join (-join +less gone):\n%s", by, diff)
			}
		}
	})
}

// Records written by an undone import are not counted by a trend, on the
// path over every live customer (by channel; with a gone customer and
// without), on the interaction rollup (no series, by grade) and on the join,
// and count again once the import is restored.
func TestTrendLeavesOutUndoneImports(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		importAs(t, db, dossier.KindCustomers, "a.csv", dossier.ChannelCustomer, "客户名称,客户等级\n华信科技,重点\n东方机械,普通\n南方物流,重点\n")
		for _, n := range []string{"华信", "东方", "南方"} {
			c := customerNamed(t, db, n)
			if err := db.CreateInteraction(ctx, &dossier.Interaction{CustomerID: c.ID, Date: "2026-01-05", Channel: "phone",
				Source: src(dossier.ChannelInternal, "test", "2026-01-05")}); err != nil {
				t.Fatal(err)
			}
		}
		in := importAs(t, db, dossier.KindInteractions, "i.csv", dossier.ChannelInternal,
			"客户,日期,沟通方式,摘要\n华信科技,2026-01-15,面谈,演示\n东方机械,2026-02-20,电话,跟进\n南方物流,2026-02-21,电话,跟进\n")
		count := func(by string, f dossier.CustomerFilter) map[string]int64 {
			gs, err := db.Trend(ctx, analytics.TrendQuery{Source: "interactions", Period: "month", By: by, Filter: f})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]int64{}
			for _, g := range gs {
				out[g.Period+" "+g.Key] += g.Count
			}
			return out
		}
		check := func(step string, want map[string]int64, wantKey map[string]int64) {
			t.Helper()
			for _, f := range []dossier.CustomerFilter{{}, {Expr: "name ~ 公司 OR name ~ 科技 OR name ~ 机械 OR name ~ 物流"}} {
				if got := count("", f); !maps.Equal(got, want) {
					t.Errorf("%s, filter %q: %v, want %v", step, f.Expr, got, want)
				}
			}
			if got := count("grade", dossier.CustomerFilter{}); !maps.Equal(got, wantKey) {
				t.Errorf("%s, by grade: %v, want %v", step, got, wantKey)
			}
			perPeriod := map[string]int64{}
			for k, n := range count("channel", dossier.CustomerFilter{}) {
				perPeriod[k[:len("2026-01")]+" "] += n
			}
			if !maps.Equal(perPeriod, want) {
				t.Errorf("%s, by channel, summed per month: %v, want %v", step, perPeriod, want)
			}
		}
		check("imported", map[string]int64{"2026-01 ": 4, "2026-02 ": 2}, map[string]int64{"2026-01 key": 3, "2026-01 ordinary": 1, "2026-02 key": 1, "2026-02 ordinary": 1})
		if _, err := db.UndoImport(ctx, in.Run.ID, "admin", false); err != nil {
			t.Fatal(err)
		}
		check("undone", map[string]int64{"2026-01 ": 3}, map[string]int64{"2026-01 key": 2, "2026-01 ordinary": 1})
		if _, err := db.RestoreImport(ctx, in.Run.ID, "admin"); err != nil {
			t.Fatal(err)
		}
		check("restored", map[string]int64{"2026-01 ": 4, "2026-02 ": 2}, map[string]int64{"2026-01 key": 3, "2026-01 ordinary": 1, "2026-02 key": 1, "2026-02 ordinary": 1})
		if _, err := db.UndoImport(ctx, in.Run.ID, "admin", false); err != nil {
			t.Fatal(err)
		}
		nf := customerNamed(t, db, "南方")
		if err := db.DeleteCustomer(ctx, nf.ID, nf.Version, dossier.AuditEntry{User: "admin"}); err != nil {
			t.Fatal(err)
		}
		check("undone again, one hidden", map[string]int64{"2026-01 ": 2}, map[string]int64{"2026-01 key": 1, "2026-01 ordinary": 1})
	})
}
