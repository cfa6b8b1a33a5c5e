package sqldb_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
	"github.com/dossier/dossier/sqlite"
)

// trendQueries are trends the interaction rollup answers, and some it does
// not (a series of the records, a field or filter outside it), which must
// agree all the same.
var trendQueries = []analytics.TrendQuery{
	{By: ""}, {By: "grade"}, {By: "stage"}, {By: "province"},
	{By: "grade", Period: analytics.PeriodQuarter},
	{By: "", Filter: dossier.CustomerFilter{Expr: "grade = 重点"}},
	{By: "stage", Filter: dossier.CustomerFilter{Expr: "grade IN (重点, 普通) AND province = 广东"}},
	{By: "grade", Filter: dossier.CustomerFilter{Industry: "制造业"}},
	{By: "province", Filter: dossier.CustomerFilter{Stage: "潜在"}},
	{By: "channel"}, // not in the rollup
	{By: "industry"},
	{By: "grade", Filter: dossier.CustomerFilter{Expr: "industry = 制造业 AND stage IN (潜在, 成交)"}},
	{By: "owner"}, // not in the rollup
	{By: "grade", Filter: dossier.CustomerFilter{City: "深圳"}}, // not in a rollup
	// the place rollup (migration 037)
	{By: "city"}, {By: "customer_type"},
	{By: "city", Filter: dossier.CustomerFilter{Expr: "province = 广东"}},
	{By: "customer_type", Filter: dossier.CustomerFilter{City: "深圳"}},
	{By: "", Filter: dossier.CustomerFilter{Expr: "customer_type IN (KA大客户, 中小企业)"}},
	{By: "city", Filter: dossier.CustomerFilter{Expr: "grade = 重点"}}, // in neither
	// each customer's months (migration 039): any customer field or filter
	{By: "owner", Period: analytics.PeriodQuarter}, {By: "team"}, {By: "revenue"}, {By: "satisfaction"},
	{By: "", Filter: dossier.CustomerFilter{Expr: "owner = zhou"}},
	{By: "owner", Filter: dossier.CustomerFilter{Expr: "grade = 重点 OR city = 宁波"}},
	// the records' own series, of a segment: the join, grouped as a pivot
	{By: "channel", Filter: dossier.CustomerFilter{Expr: "owner = zhou"}},
	{By: "feedback", Filter: dossier.CustomerFilter{Expr: "grade = 重点"}, Period: analytics.PeriodQuarter},
}

// needTrendQueries are the same for needs (migration 035's rollup), whose
// own series is the need type.
var needTrendQueries = []analytics.TrendQuery{
	{By: ""}, {By: "type"}, {By: "grade"}, {By: "stage"}, {By: "industry"},
	{By: "type", Period: analytics.PeriodQuarter},
	{By: "type", Filter: dossier.CustomerFilter{Expr: "grade = 重点"}},
	{By: "type", Filter: dossier.CustomerFilter{Industry: "制造业"}},
	{By: "grade", Filter: dossier.CustomerFilter{Expr: "industry = 制造业 AND stage IN (潜在, 成交)"}},
	// the place rollup of needs (migration 038)
	{By: "province"}, {By: "city"}, {By: "customer_type"},
	{By: "type", Filter: dossier.CustomerFilter{Expr: "province = 广东"}},
	{By: "type", Filter: dossier.CustomerFilter{City: "深圳"}},
	// in neither rollup: each customer's months of needs (migration 040)
	{By: "owner"},
	{By: "type", Filter: dossier.CustomerFilter{Expr: "grade = 重点 AND province = 广东"}},
	{By: "satisfaction", Period: analytics.PeriodQuarter}, {By: "team"},
	{By: "", Filter: dossier.CustomerFilter{Expr: "owner = zhou"}},
	{By: "type", Filter: dossier.CustomerFilter{Expr: "owner = zhou OR grade = 普通"}},
}

func normTrend(gs []analytics.TrendGroup) []string {
	var out []string
	for _, g := range gs {
		out = append(out, fmt.Sprintf("%s %q %d", g.Period, g.Key, g.Count))
	}
	slices.Sort(out)
	return out
}

func sameTrends(t *testing.T, step string, fast, plain *sqldb.DB) {
	t.Helper()
	var qs []analytics.TrendQuery
	for _, q := range trendQueries {
		q.Source = analytics.SourceInteractions
		qs = append(qs, q)
	}
	for _, q := range needTrendQueries {
		q.Source = analytics.SourceNeeds
		qs = append(qs, q)
	}
	compareTrends(t, step, fast, plain, qs)
}

// compareTrends computes each trend (monthly unless it says) on both
// stores and reports those that differ.
func compareTrends(t *testing.T, step string, fast, plain *sqldb.DB, qs []analytics.TrendQuery) {
	t.Helper()
	for _, q := range qs {
		if q.Period == "" {
			q.Period = analytics.PeriodMonth
		}
		a, err := fast.Trend(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		b, err := plain.Trend(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := normTrend(a), normTrend(b); !slices.Equal(got, want) {
			t.Errorf("%s: trend %+v:\nrollup %v\nplain  %v", step, q, got, want)
		}
	}
}

// The interaction rollup's trends are the plain queries' after every write
// that changes which records count where: records created, edited, moved
// by a merge and deleted, imported and the import undone and restored,
// customers' counted fields changed, a customer hidden, a compaction.
func TestTrendRollupEqualsPlainSQL(t *testing.T) {
	for name, pair := range rollupPair(t) {
		t.Run(name, func(t *testing.T) {
			fast, plain := pair[0], pair[1]
			sameTrends(t, "empty", fast, plain)
			var cs []*dossier.Customer
			for i, v := range []map[string]string{
				{"grade": "重点", "stage": "潜在", "province": "广东", "city": "广州", "industry": "制造业-汽车", "customer_type": "KA大客户"},
				{"grade": "重点", "stage": "流失", "province": "广东", "city": "深圳", "industry": "制造业", "customer_type": "中小企业"},
				{"grade": "普通", "stage": "成交", "province": "浙江", "city": "杭州", "industry": "信息技术-软件开发", "customer_type": "KA大客户"},
				{"grade": "重点", "province": "广东", "city": "深圳", "industry": "信息技术-系统集成"},
				{"stage": "潜在"},
			} {
				v["name"] = fmt.Sprintf("趋势测试%d有限公司", i)
				cs = append(cs, mustCreate(t, fast, v))
			}
			var ins []dossier.Interaction
			for i, c := range cs {
				for j, day := range []string{"2025-10-02", "2025-11-03", "2025-11-20", "2026-01-05"} {
					in := dossier.Interaction{CustomerID: c.ID, Date: day, Channel: []string{"phone", "email", "meeting"}[(i+j)%3],
						Source: src(dossier.ChannelInternal, "test", "2026-02-10")}
					if err := fast.CreateInteraction(ctx, &in); err != nil {
						t.Fatal(err)
					}
					ins = append(ins, in)
				}
			}
			sameTrends(t, "created", fast, plain)

			// Needs come from bulk loads (many in one statement) and are
			// written behind the store's back here, one by one.
			needs := []int64{}
			for i, c := range cs {
				for j, day := range []string{"2025-10-02", "2025-11-03", "2026-01-05"} {
					needs = append(needs, addNeed(t, fast, c.ID, []string{"CRM系统", "ERP系统", "数据分析"}[(i+j)%3], day, 0))
				}
			}
			bulkNeeds(t, fast)
			sameTrends(t, "needs created", fast, plain)

			im := importAs(t, fast, dossier.KindInteractions, "i.csv", dossier.ChannelInternal,
				"客户,日期,沟通方式,摘要\n趋势测试0有限公司,2026-02-15,面谈,演示\n趋势测试2有限公司,2026-03-20,电话,跟进\n趋势测试2有限公司,2026-03-21,电话,跟进\n")
			addNeed(t, fast, cs[2].ID, "数据分析", "2026-03-20", im.Run.ID)
			sameTrends(t, "imported", fast, plain)

			day, channel := "2026-02-01", "email"
			in, err := fast.FindInteraction(ctx, ins[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := fast.UpdateInteraction(ctx, in.ID, dossier.InteractionUpdate{Date: &day, Channel: &channel, Version: in.Version}); err != nil {
				t.Fatal(err)
			}
			sameTrends(t, "date edited", fast, plain)
			in, err = fast.FindInteraction(ctx, ins[5].ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := fast.DeleteInteraction(ctx, in.ID, in.Version); err != nil {
				t.Fatal(err)
			}
			sameTrends(t, "record deleted", fast, plain)
			for _, step := range []string{
				fmt.Sprintf("UPDATE needs SET type = '客服系统' WHERE id = %d", needs[0]),
				fmt.Sprintf("UPDATE needs SET collected_at = '2026-02-11T08:00:00Z' WHERE id = %d", needs[1]),
				fmt.Sprintf("UPDATE needs SET description = 'x' WHERE id = %d", needs[2]),
				fmt.Sprintf("DELETE FROM needs WHERE id = %d", needs[4]),
			} {
				if _, err := rawPool(fast).ExecContext(ctx, step); err != nil {
					t.Fatal(err)
				}
				sameTrends(t, step, fast, plain)
			}

			for _, u := range []struct {
				i    int
				vals map[string]string
			}{
				{0, map[string]string{"grade": "普通"}},
				{1, map[string]string{"stage": "成交", "revenue": "2亿"}},
				{3, map[string]string{"industry": "制造业-电子设备", "province": "江苏"}},
				{2, map[string]string{"owner": "zhou", "city": "宁波"}},
				{1, map[string]string{"customer_type": "个人"}},
				{3, map[string]string{"city": "广州"}},
			} {
				c, err := fast.FindCustomerByID(ctx, cs[u.i].ID)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := fast.UpdateCustomer(ctx, c.ID, dossier.CustomerUpdate{Values: u.vals,
					Source: src(dossier.ChannelInternal, "test", "2026-01-06"), Version: c.Version}); err != nil {
					t.Fatal(err)
				}
				sameTrends(t, fmt.Sprintf("updated %v", u.vals), fast, plain)
			}

			undoAndMerge(t, fast, im.Run.ID, cs[0].ID, cs[2].ID, func(step string) { sameTrends(t, step, fast, plain) })

			c, err := fast.FindCustomerByID(ctx, cs[4].ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := fast.DeleteCustomer(ctx, c.ID, c.Version, dossier.AuditEntry{User: "admin"}); err != nil {
				t.Fatal(err)
			}
			sameTrends(t, "customer deleted", fast, plain)

			if err := fast.CompactRollup(ctx); err != nil {
				t.Fatal(err)
			}
			sameTrends(t, "compacted", fast, plain)
			for table, keys := range map[string]string{
				"interaction_rollup":       "month, grade, stage, province, industry",
				"interaction_rollup_place": "month, province, city, customer_type",
				"need_rollup":              "month, type, grade, stage, industry",
				"need_rollup_place":        "month, type, province, city, customer_type",
			} {
				var rows, cells int
				if err := rawPool(fast).QueryRowContext(ctx, `SELECT COUNT(*), (SELECT COUNT(*) FROM (SELECT 1 FROM `+table+`
					GROUP BY `+keys+`) g) FROM `+table).Scan(&rows, &cells); err != nil {
					t.Fatal(err)
				}
				if rows != cells {
					t.Errorf("%d rows in %s after compaction for %d combinations", rows, table, cells)
				}
			}

			// The answers came from the rollups: a row planted behind the
			// triggers' back shows in the trend its table answers.
			for _, p := range []struct {
				plant    string
				source   string
				by, want string // the series and the key the planted row adds 1000 to in 2025-10
			}{
				{`INSERT INTO interaction_rollup (month, grade, stage, province, industry, n) VALUES ('2025-10', 'key', NULL, '广东', NULL, 1000)`,
					analytics.SourceInteractions, "grade", "key"},
				{`INSERT INTO interaction_rollup_place (month, province, city, customer_type, n) VALUES ('2025-10', '广东', '深圳', 'ka', 1000)`,
					analytics.SourceInteractions, "city", "深圳"},
				{`INSERT INTO need_rollup (month, type, grade, stage, industry, n) VALUES ('2025-10', 'CRM系统', 'key', NULL, NULL, 1000)`,
					analytics.SourceNeeds, "type", "CRM系统"},
				{`INSERT INTO need_rollup_place (month, type, province, city, customer_type, n) VALUES ('2025-10', 'ERP系统', '广东', '深圳', NULL, 1000)`,
					analytics.SourceNeeds, "city", "深圳"},
			} {
				if _, err := rawPool(fast).ExecContext(ctx, p.plant); err != nil {
					t.Fatal(err)
				}
				got, err := fast.Trend(ctx, analytics.TrendQuery{Source: p.source, Period: analytics.PeriodMonth, By: p.by})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(got, func(g analytics.TrendGroup) bool {
					return g.Period == "2025-10" && g.Key == p.want && g.Count >= 1000
				}) {
					t.Errorf("trend of %s by %s with a planted rollup row: %v; the rollup was not used", p.source, p.by, normTrend(got))
				}
			}
			// And the customers' months: a planted month shows in a trend by
			// owner, and in a trend of one customer, of interactions and of
			// needs (by their type too).
			for _, plant := range []string{
				`INSERT INTO interaction_months (customer_id, month, n) VALUES (%d, '2024-01', 1000)`,
				`INSERT INTO need_months (customer_id, month, type, n) VALUES (%d, '2024-01', 'CRM系统', 1000)`,
			} {
				if _, err := rawPool(fast).ExecContext(ctx, fmt.Sprintf(plant, cs[1].ID)); err != nil {
					t.Fatal(err)
				}
			}
			for _, q := range []analytics.TrendQuery{
				{Source: analytics.SourceInteractions, By: "owner"},
				{Source: analytics.SourceInteractions, Filter: dossier.CustomerFilter{Expr: "name ~ 趋势测试1"}},
				{Source: analytics.SourceNeeds, By: "owner"},
				{Source: analytics.SourceNeeds, By: "type", Filter: dossier.CustomerFilter{Expr: "name ~ 趋势测试1"}},
			} {
				q.Period = analytics.PeriodMonth
				got, err := fast.Trend(ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(got, func(g analytics.TrendGroup) bool { return g.Period == "2024-01" && g.Count == 1000 }) {
					t.Errorf("trend %+v with a planted month: %v; interaction_months was not used", q, normTrend(got))
				}
			}
		})
	}
}

// addNeed writes a need as a bulk load would, behind the store's back (the
// store has no other writer of needs); importID 0 is none.
func addNeed(t *testing.T, db *sqldb.DB, customerID int64, typ, day string, importID int64) int64 {
	t.Helper()
	imp := "NULL"
	if importID > 0 {
		imp = fmt.Sprint(importID)
	}
	var id int64
	if err := rawPool(db).QueryRowContext(ctx, fmt.Sprintf(`INSERT INTO needs (customer_id, type, src_channel, collected_at, import_id)
		VALUES (%d, '%s', 'internal', '%sT10:00:00Z', %s) RETURNING id`, customerID, typ, day, imp)).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// bulkNeeds loads two new customers with three needs each through the
// bulk loader (COPY on PostgreSQL: one statement for all their needs).
func bulkNeeds(t *testing.T, db *sqldb.DB) {
	t.Helper()
	next, err := db.NextCustomerID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s := src(dossier.ChannelInternal, "CRM", "2026-01-10")
	var batch []dossier.BulkCustomer
	for i, v := range []map[string]string{
		{"grade": "重点", "stage": "成交", "industry": "制造业-化工"},
		{"grade": "普通", "industry": "零售"},
	} {
		v["name"] = fmt.Sprintf("批量需求%d有限公司", i)
		c := dossier.Customer{ID: next + int64(i), Version: 1}
		obs := []dossier.Observation{{Source: s, Values: v}}
		c.SetResolved(db.Policy().ResolveObservations(obs))
		b := dossier.BulkCustomer{Customer: c, Observations: obs}
		for j, typ := range []string{"CRM系统", "数据分析", "CRM系统"} {
			ns := s
			ns.CollectedAt = ns.CollectedAt.AddDate(0, -j, 0)
			b.Needs = append(b.Needs, dossier.Need{Type: typ, Explicit: true, Urgency: 3, Importance: 3, Source: ns})
		}
		batch = append(batch, b)
	}
	if err := db.LoadCustomers(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishLoad(ctx); err != nil {
		t.Fatal(err)
	}
}

// Writers of one customer's records and of its counted fields, at once:
// none deadlocks, and the rollup ends as the plain query counts (on
// PostgreSQL the record triggers lock the customer as its update would).
func TestTrendRollupConcurrentWriters(t *testing.T) {
	for name, pair := range rollupPair(t) {
		t.Run(name, func(t *testing.T) {
			fast, plain := pair[0], pair[1]
			var cs []*dossier.Customer
			for i := range 2 {
				cs = append(cs, mustCreate(t, fast, map[string]string{"name": fmt.Sprintf("并发趋势%d有限公司", i), "grade": "重点", "province": "广东"}))
			}
			var wg sync.WaitGroup
			errs := make(chan error, 64)
			for w := range 6 {
				wg.Go(func() {
					for j := range 8 {
						in := dossier.Interaction{CustomerID: cs[(w+j)%2].ID, Date: fmt.Sprintf("2026-0%d-1%d", 1+j%3, w), Channel: "phone",
							Source: src(dossier.ChannelInternal, "test", "2026-03-20")}
						if err := fast.CreateInteraction(ctx, &in); err != nil {
							errs <- err
							return
						}
					}
				})
			}
			wg.Go(func() {
				for j := range 12 {
					c := cs[j%2]
					for {
						cur, err := fast.FindCustomerByID(ctx, c.ID)
						if err != nil {
							errs <- err
							return
						}
						_, err = fast.UpdateCustomer(ctx, c.ID, dossier.CustomerUpdate{Values: map[string]string{"grade": []string{"普通", "重点", "潜在"}[j%3]},
							Source: src(dossier.ChannelInternal, "test", "2026-03-20"), Version: cur.Version})
						if dossier.ErrorCode(err) == dossier.ECONFLICT {
							continue // a record's write bumped the version meanwhile
						}
						if err != nil {
							errs <- err
							return
						}
						break
					}
				}
			})
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			sameTrends(t, "concurrent writers", fast, plain)
		})
	}
}

// A trend from the customers' months split in two halves of ids, each on
// a read connection of its own, gives the plain query's answer whatever
// fields the customers have and wherever the cut falls.
func TestSplitTrendEqualsPlain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "split-trend.db")
	plainOpt := dbtest.Options()
	plainOpt.NoRollup = true
	fast, err := sqlite.Open(ctx, path, dbtest.Options())
	if err != nil {
		t.Fatal(err)
	}
	defer fast.Close()
	plain, err := sqlite.Open(ctx, path, plainOpt)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	r := rand.New(rand.NewPCG(3, 9))
	pick := func(vs ...string) string { return vs[r.IntN(len(vs))] }
	for i := range 60 {
		c := mustCreate(t, fast, map[string]string{"name": fmt.Sprintf("分片趋势%d有限公司", i),
			"owner": pick("li", "zhou", ""), "satisfaction": pick("1", "4", "5", ""), "city": pick("广州", "深圳", "")})
		for range r.IntN(5) {
			in := dossier.Interaction{CustomerID: c.ID, Date: fmt.Sprintf("2026-%02d-%02d", 1+r.IntN(12), 1+r.IntN(28)),
				Channel: pick("phone", "email", "meeting"), Source: src(dossier.ChannelInternal, "test", "2026-02-10")}
			if err := fast.CreateInteraction(ctx, &in); err != nil {
				t.Fatal(err)
			}
		}
		for range r.IntN(3) {
			addNeed(t, fast, c.ID, pick("CRM系统", "ERP系统"), fmt.Sprintf("2026-%02d-01", 1+r.IntN(12)), 0)
		}
	}
	queries := []analytics.TrendQuery{
		{Source: analytics.SourceInteractions, By: "owner"},
		{Source: analytics.SourceInteractions, By: "satisfaction", Period: analytics.PeriodQuarter},
		{Source: analytics.SourceNeeds, By: "satisfaction"},
		{Source: analytics.SourceNeeds, By: "owner"},
		{Source: analytics.SourceInteractions, By: "channel", Filter: dossier.CustomerFilter{Expr: "owner = li OR satisfaction = 5"}},
		{Source: analytics.SourceInteractions, By: "owner", Filter: dossier.CustomerFilter{Expr: "city = 深圳"}},
	}
	restore, runs := sqldb.SplitForTest()
	defer restore()
	compareTrends(t, "split", fast, plain, queries)
	if got := runs(); got != int64(len(queries)) {
		t.Errorf("%d trends split, want %d", got, len(queries))
	}
}
