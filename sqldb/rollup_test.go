package sqldb_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/postgres"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
	"github.com/dossier/dossier/sqlite"
)

// rollupPair opens two stores on one database: one answering from the
// customer rollup, the other with the plain queries over customers.
func rollupPair(t *testing.T) map[string][2]*sqldb.DB {
	t.Helper()
	plain := dbtest.Options()
	plain.NoRollup = true
	open := map[string]func(sqldb.Options) (*sqldb.DB, error){}
	path := filepath.Join(t.TempDir(), "rollup.db")
	open["sqlite"] = func(o sqldb.Options) (*sqldb.DB, error) { return sqlite.Open(context.Background(), path, o) }
	if dbtest.PostgresURL(t) != "" {
		url := dbtest.FreshPostgresURL(t)
		open["postgres"] = func(o sqldb.Options) (*sqldb.DB, error) { return postgres.Open(context.Background(), url, o) }
	}
	out := map[string][2]*sqldb.DB{}
	for name, o := range open {
		var pair [2]*sqldb.DB
		for i, opt := range []sqldb.Options{dbtest.Options(), plain} {
			db, err := o(opt)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			pair[i] = db
		}
		out[name] = pair
	}
	return out
}

// rollupQueries are the pivots the rollups answer (and some they do not,
// marked, which must agree all the same).
var rollupQueries = []analytics.Query{
	{Dims: []analytics.Dim{{Field: "grade"}}},
	{Dims: []analytics.Dim{{Field: "grade"}, {Field: "stage"}}},
	{Dims: []analytics.Dim{{Field: analytics.IndustryTop}}, Value: "revenue"},
	{Dims: []analytics.Dim{{Field: "province"}, {Field: "follow_up_priority"}}, Value: "revenue"},
	{Dims: []analytics.Dim{{Field: "province"}}, Filter: dossier.CustomerFilter{Expr: "grade = 重点"}},
	{Dims: []analytics.Dim{{Field: "stage"}}, Filter: dossier.CustomerFilter{Expr: "grade IN (重点, 普通) AND province = 广东"}},
	{Dims: []analytics.Dim{{Field: "grade"}}, Filter: dossier.CustomerFilter{Industry: "制造业", Priority: "high"}},
	{Dims: []analytics.Dim{{Field: analytics.CreatedMonth}}},
	// the sales view (migration 028)
	{Dims: []analytics.Dim{{Field: "owner"}, {Field: "grade"}}},
	{Dims: []analytics.Dim{{Field: "team"}, {Field: "stage"}}, Value: "revenue"},
	{Dims: []analytics.Dim{{Field: "owner"}}, Filter: dossier.CustomerFilter{Expr: "stage IN (潜在, 成交)", Priority: "high"}},
	// the market view (migration 028)
	{Dims: []analytics.Dim{{Field: "industry"}}},
	{Dims: []analytics.Dim{{Field: "city"}}},
	{Dims: []analytics.Dim{{Field: "city"}, {Field: "industry"}}, Value: "revenue"},
	{Dims: []analytics.Dim{{Field: analytics.IndustryTop}, {Field: "city"}}},
	{Dims: []analytics.Dim{{Field: "province"}}, Filter: dossier.CustomerFilter{Industry: "制造业-汽车"}},
	{Dims: []analytics.Dim{{Field: "city"}}, Filter: dossier.CustomerFilter{Expr: "industry = 制造业 AND province = 广东"}},
	// needs per industry (migration 034)
	{Dims: []analytics.Dim{{Field: analytics.IndustryTop}, {Field: "need_type"}}},
	{Dims: []analytics.Dim{{Field: "need_type"}}, Value: "revenue", Filter: dossier.CustomerFilter{Industry: "制造业"}},
	// satisfaction and territory (migration 036)
	{Dims: []analytics.Dim{{Field: "satisfaction"}}, Value: "revenue"},
	{Dims: []analytics.Dim{{Field: analytics.IndustryTop}, {Field: "satisfaction"}}},
	{Dims: []analytics.Dim{{Field: "need_type"}}, Filter: dossier.CustomerFilter{Expr: "satisfaction = 5"}},
	{Dims: []analytics.Dim{{Field: "owner"}, {Field: "city"}}},
	{Dims: []analytics.Dim{{Field: "owner"}, {Field: "province"}}, Value: "revenue", Filter: dossier.CustomerFilter{City: "深圳"}},
	{Dims: []analytics.Dim{{Field: analytics.CreatedMonth}}, Filter: dossier.CustomerFilter{Grade: "key"}}, // not in a rollup
	{Dims: []analytics.Dim{{Field: "grade"}}, Filter: dossier.CustomerFilter{Expr: "NOT stage = 流失"}},      // not in a rollup
	{Dims: []analytics.Dim{{Field: "owner"}, {Field: "industry"}}},                                         // not in a rollup
	{Dims: []analytics.Dim{{Field: "customer_type"}}, Filter: dossier.CustomerFilter{Grade: "key"}},        // not in a rollup
	// churn, win/loss and customer types (migration 041)
	{Dims: []analytics.Dim{{Field: "customer_type"}}},
	{Dims: []analytics.Dim{{Field: "customer_type"}, {Field: "stage"}}, Value: "revenue"},
	{Dims: []analytics.Dim{{Field: "churn_reason"}}, Filter: dossier.CustomerFilter{Expr: "stage = 流失"}},
	{Dims: []analytics.Dim{{Field: "lost_to"}, {Field: "churn_reason"}}, Filter: dossier.CustomerFilter{Expr: "stage = 流失"}},
	{Dims: []analytics.Dim{{Field: "won_from"}}, Value: "revenue", Filter: dossier.CustomerFilter{Expr: "stage = 成交"}},
	// follow-up by month of last contact (migration 042)
	{Dims: []analytics.Dim{{Field: analytics.LastContactMonth}}},
	{Dims: []analytics.Dim{{Field: analytics.LastContactQuarter}, {Field: "grade"}}, Value: "revenue"},
	{Dims: []analytics.Dim{{Field: analytics.LastContactMonth}, {Field: "stage"}}, Filter: dossier.CustomerFilter{Expr: "grade = 重点"}},
	{Dims: []analytics.Dim{{Field: analytics.LastContactMonth}}, Filter: dossier.CustomerFilter{Province: "广东"}}, // not in a rollup
}

// rollupFilters are list filters whose totals the rollup counts.
var rollupFilters = []dossier.CustomerFilter{
	{}, {Grade: "key"}, {Stage: "churned"}, {Province: "广东", Grade: "key"}, {Industry: "制造业"}, {Industry: "信息技术"},
	{Priority: "high"}, {Expr: "grade = 重点"}, {Expr: "stage = 流失 AND grade = 重点"},
	{City: "深圳"}, {Industry: "制造业-汽车"}, {City: "深圳", Industry: "信息技术"}, {Expr: "city = 深圳 AND industry = 信息技术"},
	{Expr: "owner = zhou AND grade IN (重点, 普通)"}, {Expr: "owner = li AND city = 深圳"}, {Expr: "satisfaction IN (4, 5)"},
	{Expr: "customer_type = ka AND stage = 流失"}, {Expr: "lost_to = 云启软件"},
	{City: "深圳", Grade: "key"}, {Expr: "industry = 制造业 OR grade = 重点"}, // not in a rollup
}

// norm prints groups in a stable order.
func norm(gs []analytics.Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, fmt.Sprintf("%q %d %g %d", g.Keys, g.Count, g.Sum, g.N))
	}
	slices.Sort(out)
	return out
}

// sameAnswers compares the rollup's pivots and totals with the plain
// queries' on the current data.
func sameAnswers(t *testing.T, step string, fast, plain *sqldb.DB) {
	t.Helper()
	for _, q := range rollupQueries {
		a, err := fast.Aggregate(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		b, err := plain.Aggregate(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := norm(a), norm(b); !slices.Equal(got, want) {
			t.Errorf("%s: pivot %+v:\nrollup %v\nplain  %v", step, q, got, want)
		}
	}
	for _, f := range rollupFilters {
		_, a, err := fast.FindCustomers(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		_, b, err := plain.FindCustomers(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if a != b {
			t.Errorf("%s: total of %+v: rollup %d, plain %d", step, f, a, b)
		}
	}
}

// The rollup's answers are the plain queries' after every kind of write
// that changes who is counted where: inserts (one by one and imported),
// updates of the grouped fields and of others, new interactions (which move
// the last contact) and a deleted one, a delete, an import undone
// and restored, a merge and its undo, and a compaction.
func TestRollupEqualsPlainSQL(t *testing.T) {
	for name, pair := range rollupPair(t) {
		t.Run(name, func(t *testing.T) {
			fast, plain := pair[0], pair[1]
			sameAnswers(t, "empty", fast, plain)
			bad := analytics.Query{Dims: []analytics.Dim{{Field: "grade"}}, Filter: dossier.CustomerFilter{Expr: "grade = 重点 AND"}}
			_, errFast := fast.Aggregate(ctx, bad)
			_, errPlain := plain.Aggregate(ctx, bad)
			if errFast == nil || errPlain == nil || errFast.Error() != errPlain.Error() {
				t.Errorf("bad filter: rollup %v, plain %v", errFast, errPlain)
			}
			var cs []*dossier.Customer
			for i, v := range []map[string]string{
				{"grade": "重点", "stage": "潜在", "province": "广东", "city": "广州", "industry": "制造业-汽车", "revenue": "5000万",
					"follow_up_priority": "high", "owner": "li", "team": "华南组", "satisfaction": "5", "last_contact_date": "2026-01-05"},
				{"grade": "重点", "stage": "流失", "province": "广东", "city": "深圳", "industry": "制造业", "revenue": "1亿", "owner": "li", "satisfaction": "4",
					"customer_type": "ka", "churn_reason": "响应速度慢", "lost_to": "云启软件"},
				{"grade": "普通", "stage": "成交", "province": "浙江", "city": "杭州", "industry": "信息技术-软件开发", "owner": "zhou", "team": "华东一组",
					"customer_type": "smb", "won_from": "数擎科技", "last_contact_date": "2025-12-20"},
				{"grade": "重点", "province": "广东", "city": "深圳", "industry": "信息技术-系统集成", "revenue": "300万", "follow_up_priority": "high"},
				{"stage": "潜在", "revenue": "20万"},
				{},
				{"stage": "流失", "churn_reason": "价格偏高", "lost_to": "云启软件", "revenue": "100万"},
			} {
				v["name"] = fmt.Sprintf("汇总测试%d有限公司", i)
				cs = append(cs, mustCreate(t, fast, v))
			}
			sameAnswers(t, "created", fast, plain)

			im := importAs(t, fast, dossier.KindCustomers, "r.csv", dossier.ChannelCustomer,
				"客户名称,客户等级,省份,行业,年营收\n南方物流,重点,广东,交通运输-仓储物流,800万\n北方机械,普通,河北,制造业-机械设备,\n")
			sameAnswers(t, "imported", fast, plain)

			for _, u := range []struct {
				i    int
				vals map[string]string
			}{
				{0, map[string]string{"grade": "普通"}},
				{1, map[string]string{"stage": "成交", "revenue": "2亿"}},
				{2, map[string]string{"owner": "zhou", "need_type": "数据分析"}},
				{3, map[string]string{"industry": "制造业-电子设备", "province": "江苏"}},
				{0, map[string]string{"city": "佛山", "owner": "wang"}},
				{2, map[string]string{"team": "华南组"}},
				{1, map[string]string{"satisfaction": "2"}},
				{3, map[string]string{"satisfaction": "5", "owner": "li"}},
				{3, map[string]string{"city": "广州"}},
				{6, map[string]string{"churn_reason": "预算削减"}},
				{6, map[string]string{"lost_to": "数擎科技"}},
				{2, map[string]string{"won_from": "云启软件", "customer_type": "ka"}},
				{6, map[string]string{"customer_type": "ka"}},
				{6, map[string]string{"stage": "成交", "won_from": "云启软件"}},
			} {
				c, err := fast.FindCustomerByID(ctx, cs[u.i].ID)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := fast.UpdateCustomer(ctx, c.ID, dossier.CustomerUpdate{Values: u.vals,
					Source: src(dossier.ChannelInternal, "test", "2026-01-06"), Version: c.Version}); err != nil {
					t.Fatal(err)
				}
				sameAnswers(t, fmt.Sprintf("updated %v", u.vals), fast, plain)
			}

			// New interactions: a first contact, one in the same month
			// as the last, one in a later month, which is then deleted.
			var later dossier.Interaction
			for _, in := range []struct {
				i    int
				date string
			}{{3, "2026-02-01"}, {0, "2026-01-20"}, {0, "2026-03-02"}} {
				later = dossier.Interaction{CustomerID: cs[in.i].ID, Date: in.date, Channel: "phone",
					Source: src(dossier.ChannelInternal, "test", in.date)}
				if err := fast.CreateInteraction(ctx, &later); err != nil {
					t.Fatal(err)
				}
				sameAnswers(t, "interaction "+in.date, fast, plain)
			}
			if err := fast.DeleteInteraction(ctx, later.ID, later.Version); err != nil {
				t.Fatal(err)
			}
			sameAnswers(t, "interaction deleted", fast, plain)

			c, err := fast.FindCustomerByID(ctx, cs[4].ID)
			if err != nil {
				t.Fatal(err)
			}
			if err := fast.DeleteCustomer(ctx, c.ID, c.Version, dossier.AuditEntry{User: "admin"}); err != nil {
				t.Fatal(err)
			}
			sameAnswers(t, "deleted", fast, plain)

			undoAndMerge(t, fast, im.Run.ID, cs[0].ID, cs[1].ID, func(step string) { sameAnswers(t, step, fast, plain) })

			if err := fast.CompactRollup(ctx); err != nil {
				t.Fatal(err)
			}
			sameAnswers(t, "compacted", fast, plain)
			var rows int
			if err := rawPool(fast).QueryRowContext(ctx, "SELECT COUNT(*) FROM customer_rollup").Scan(&rows); err != nil {
				t.Fatal(err)
			}
			if rows > 10 {
				t.Errorf("%d rows in the rollup after compaction; want one per combination (10 at most)", rows)
			}

			// The answers above came from the rollups: a row added behind
			// the triggers' back shows in the answers of its table (and
			// only there).
			for _, plant := range []string{
				`INSERT INTO customer_rollup (grade, stage, follow_up_priority, province, industry_top, n, revenue_sum, revenue_n)
				VALUES ('key', NULL, NULL, '广东', NULL, 1000, 0, 0)`,
				`INSERT INTO customer_rollup_owner (owner, team, grade, stage, follow_up_priority, n, revenue_sum, revenue_n)
				VALUES ('zhou', NULL, 'key', NULL, NULL, 1000, 0, 0)`,
				`INSERT INTO customer_rollup_place (province, city, industry, n, revenue_sum, revenue_n)
				VALUES ('广东', '深圳', '信息技术', 1000, 0, 0)`,
				`INSERT INTO customer_rollup_territory (owner, province, city, n, revenue_sum, revenue_n)
				VALUES ('zhou', '广东', '深圳', 1000, 0, 0)`,
				`INSERT INTO customer_rollup_need (industry, need_type, n, revenue_sum, revenue_n)
				VALUES ('制造业', '数据分析', 1000, 0, 0)`,
				`INSERT INTO customer_rollup_outcome (stage, customer_type, churn_reason, lost_to, won_from, n, revenue_sum, revenue_n)
				VALUES ('churned', 'ka', '价格偏高', '云启软件', NULL, 1000, 0, 0)`,
				`INSERT INTO customer_rollup_contact (last_contact_month, grade, stage, n, revenue_sum, revenue_n)
				VALUES ('2026-01', 'key', NULL, 1000, 0, 0)`,
			} {
				if _, err := rawPool(fast).ExecContext(ctx, plant); err != nil {
					t.Fatal(err)
				}
			}
			if err := fast.CreateInteraction(ctx, &dossier.Interaction{CustomerID: cs[0].ID, Date: "2026-01-07", Channel: "phone",
				Source: src(dossier.ChannelInternal, "test", "2026-01-07")}); err != nil {
				t.Fatal(err)
			}
			for _, f := range []dossier.CustomerFilter{
				{Grade: "key", Province: "广东"},        // customer_rollup
				{Grade: "key"},                        // customer_rollup_contact, the first that covers it
				{Expr: "owner = zhou AND grade = 重点"}, // customer_rollup_owner
				{City: "深圳", Industry: "信息技术"},        // customer_rollup_place
				{Expr: "owner = zhou AND city = 深圳"},  // customer_rollup_territory
				{Industry: "制造业"},                     // customer_rollup_need, the first that covers it
				{Expr: "lost_to = 云启软件"},              // customer_rollup_outcome
			} {
				_, a1, _ := fast.FindCustomers(ctx, f)
				_, b1, _ := plain.FindCustomers(ctx, f)
				if a1 != b1+1000 {
					t.Errorf("total of %+v with a planted rollup row: %d, plain %d; the rollup was not used", f, a1, b1)
				}
			}
		})
	}
}

// undoAndMerge undoes and restores an import, then merges two customers and
// undoes the merge, calling check after each step.
func undoAndMerge(t *testing.T, db *sqldb.DB, importID, survivor, absorbed int64, check func(step string)) {
	t.Helper()
	if _, err := db.UndoImport(ctx, importID, "admin", false); err != nil {
		t.Fatal(err)
	}
	check("import undone")
	if _, err := db.RestoreImport(ctx, importID, "admin"); err != nil {
		t.Fatal(err)
	}
	check("import restored")
	a, err := db.FindCustomerByID(ctx, survivor)
	if err != nil {
		t.Fatal(err)
	}
	m, err := db.MergeCustomers(ctx, dossier.MergeRequest{Survivor: a.ID, Absorbed: absorbed, Reason: "same", SurvivorVersion: a.Version, By: who})
	if err != nil {
		t.Fatal(err)
	}
	check("merged")
	if _, err := db.UndoMerge(ctx, m.ID, who); err != nil {
		t.Fatal(err)
	}
	check("unmerged")
}

// rawPool is the store's writing pool, for SQL behind its back.
func rawPool(db *sqldb.DB) *sql.DB {
	if p := db.Pools()["write"]; p != nil {
		return p
	}
	return db.Pools()["main"]
}

// Two PostgreSQL transactions that move customers between the same
// combinations do not wait for each other: the rollup takes delta rows,
// not updates of a shared counter row (whose lock the first writer would
// hold until it commits). A compaction meanwhile neither waits nor loses
// the open transaction's rows.
func TestRollupWritersDoNotWait(t *testing.T) {
	if dbtest.PostgresURL(t) == "" {
		t.Skip("DOSSIER_TEST_POSTGRES not set (SQLite has one writer)")
	}
	pair := rollupPair(t)["postgres"]
	fast, plain := pair[0], pair[1]
	a := mustCreate(t, fast, map[string]string{"name": "甲有限公司", "grade": "重点", "province": "广东"})
	b := mustCreate(t, fast, map[string]string{"name": "乙有限公司", "grade": "重点", "province": "广东"})
	open, err := rawPool(fast).BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer open.Rollback()
	if _, err := open.ExecContext(ctx, "UPDATE customers SET grade = 'potential' WHERE id = $1", a.ID); err != nil {
		t.Fatal(err)
	}
	// Generous: a lock wait would last until the open transaction ends,
	// that is for ever here.
	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if _, err := fast.UpdateCustomer(wait, b.ID, dossier.CustomerUpdate{Values: map[string]string{"grade": "普通"},
		Source: src(dossier.ChannelInternal, "test", "2026-01-06"), Version: b.Version}); err != nil {
		t.Fatalf("second writer: %v", err)
	}
	if err := fast.CompactRollup(wait); err != nil {
		t.Fatalf("compaction beside an open writer: %v", err)
	}
	if err := open.Commit(); err != nil {
		t.Fatal(err)
	}
	// The open transaction wrote behind the store's back: bump the
	// version as the store would, so the cache does not answer.
	if err := fast.CreateInteraction(ctx, &dossier.Interaction{CustomerID: b.ID, Date: "2026-01-07", Channel: "phone",
		Source: src(dossier.ChannelInternal, "test", "2026-01-07")}); err != nil {
		t.Fatal(err)
	}
	sameAnswers(t, "two writers", fast, plain)
	gs, err := fast.Aggregate(ctx, analytics.Query{Dims: []analytics.Dim{{Field: "grade"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := norm(gs); !slices.Equal(got, []string{`["ordinary"] 1 0 0`, `["potential"] 1 0 0`}) {
		t.Errorf("grades after both writers: %v", got)
	}
}
