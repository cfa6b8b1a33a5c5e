package sqldb_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/rules"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// loadAnalysisCustomers stores two customers as of mid-June 2026: the seed's
// ideal customer with a high debt ratio and no decision maker on file, and
// one never contacted.
func loadAnalysisCustomers(t *testing.T, db *sqldb.DB) (int64, int64) {
	t.Helper()
	first, err := db.NextCustomerID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s := src(dossier.ChannelInternal, "CRM", "2026-03-01")
	ideal := dossier.BulkCustomer{
		Customer: dossier.Customer{ID: first, Values: map[string]string{"name": "宁波华锐汽车部件有限公司", "industry": "制造业-汽车零部件",
			"employees": "800", "revenue": "300000000", "debt_ratio": "78", "stage": "won", "owner": "张伟", "expected_amount": "600000"}},
		Observations: []dossier.Observation{{Source: s, Values: map[string]string{"name": "宁波华锐汽车部件有限公司", "debt_ratio": "78", "owner": "张伟"}}},
		Contacts:     []dossier.Contact{{Name: "王工", Role: "technical", Source: s}},
		Interactions: []dossier.Interaction{{Date: "2026-05-20", Channel: "meeting", Feedback: "positive", Source: s}},
		Needs:        []dossier.Need{{Type: "智能仓储管理系统", Explicit: true, Urgency: 4, Importance: 5, Source: s}},
	}
	silent := dossier.BulkCustomer{
		Customer:     dossier.Customer{ID: first + 1, Values: map[string]string{"name": "无锡静默贸易有限公司", "industry": "批发和零售业", "owner": "李娜"}},
		Observations: []dossier.Observation{{Source: s, Values: map[string]string{"name": "无锡静默贸易有限公司", "owner": "李娜"}}},
	}
	if err := db.LoadCustomers(ctx, []dossier.BulkCustomer{ideal, silent}); err != nil {
		t.Fatal(err)
	}
	if err := db.FinishLoad(ctx); err != nil {
		t.Fatal(err)
	}
	return first, first + 1
}

func defaultEngine(t testing.TB) *rules.Engine {
	t.Helper()
	e, err := rules.Compile(rules.Default(), dossier.BuiltinFields())
	if err != nil {
		t.Fatal(err)
	}
	return e
}

type line struct {
	Score    dossier.Score
	Analysis dossier.Analysis
}

func recompute(t *testing.T, db *sqldb.DB, asOf string) []line {
	t.Helper()
	var out []line
	_, err := db.RecomputeAll(ctx, day(asOf), dossier.DefaultScoreSettings(), defaultEngine(t), func(s dossier.Score, a *dossier.Analysis) error {
		out = append(out, line{s, *a})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRecomputeAll(t *testing.T) {
	results := map[string][]line{}
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ideal, silent := loadAnalysisCustomers(t, db)
		got := recompute(t, db, "2026-06-15")
		if len(got) != 2 {
			t.Fatalf("%d lines", len(got))
		}
		a := got[0].Analysis
		if a.ICP[0].Fit != 100 || !slices.Contains(a.Tags, "行业-制造业-细分领域-汽车零部件") || len(a.Errors) > 0 {
			t.Errorf("ideal customer: %+v", a)
		}
		if !slices.Contains(got[1].Analysis.Tags, rules.TagNoContact3m) {
			t.Errorf("silent customer tags %v", got[1].Analysis.Tags)
		}
		risks, err := db.FindRisks(ctx, ideal, true)
		if err != nil || len(risks) != 2 {
			t.Fatalf("open risks %+v %v", risks, err)
		}
		byRule := map[string]dossier.Risk{}
		for _, r := range risks {
			byRule[r.RuleID] = r
		}
		if byRule["debt-ratio"].Trigger != "负债率 78% > 70%" || byRule["no-decision-maker"].Category != "cooperation" {
			t.Errorf("risks %+v", risks)
		}
		tasks, _ := db.FindTasks(ctx, dossier.TaskFilter{CustomerID: ideal, AsOf: "2026-06-15"})
		sources := taskSources(tasks)
		for _, want := range []string{"follow_up", "strategy:staged-pilot:0", "strategy:staged-pilot:1"} {
			if !slices.Contains(sources, want) {
				t.Errorf("tasks %v lack %s", sources, want)
			}
		}
		if f := tasks[slices.Index(sources, "follow_up")]; f.Due != "2026-06-15" || f.Owner != "张伟" {
			t.Errorf("follow-up %+v: want due today (05-27 has passed) for 张伟", f)
		}

		// The same run again changes nothing, so nothing is rewritten.
		before, err := db.AnalysisComputedAt(ctx, ideal)
		if err != nil {
			t.Fatal(err)
		}
		recompute(t, db, "2026-06-15")
		if after, _ := db.AnalysisComputedAt(ctx, ideal); after != before {
			t.Errorf("an unchanged summary was rewritten: %s → %s", before, after)
		}
		// Nor the next day, when only the as-of date moved.
		recompute(t, db, "2026-06-16")
		if after, _ := db.AnalysisComputedAt(ctx, ideal); after != before {
			t.Errorf("a summary was rewritten for a new as-of date alone: %s → %s", before, after)
		}

		// The debt ratio falls: its risk is resolved, the other stays open
		// since the same day; no task is created twice.
		c, _ := db.FindCustomerByID(ctx, ideal)
		if _, err := db.UpdateCustomer(ctx, ideal, dossier.CustomerUpdate{Values: map[string]string{"debt_ratio": "50"},
			Source: src(dossier.ChannelInternal, "财务复核", "2026-06-20"), Version: c.Version}); err != nil {
			t.Fatal(err)
		}
		recompute(t, db, "2026-06-20")
		all, _ := db.FindRisks(ctx, ideal, false)
		open, _ := db.FindRisks(ctx, ideal, true)
		if len(all) != 2 || len(open) != 1 || open[0].RuleID != "no-decision-maker" || !open[0].Since.Equal(byRule["no-decision-maker"].Since) {
			t.Errorf("after the fix: all %+v open %+v", all, open)
		}
		tasks2, _ := db.FindTasks(ctx, dossier.TaskFilter{CustomerID: ideal})
		if len(tasks2) != len(tasks) {
			t.Errorf("tasks %d → %d after a second run", len(tasks), len(tasks2))
		}

		// Six weeks later nobody has called the ideal customer: its
		// follow-up (due 06-15) is 47 days overdue, past the 30-day limit.
		// The silent one's (monthly, due 07-15) is 17 days overdue: kept.
		recompute(t, db, "2026-08-01")
		ic, _ := db.FindCustomerByID(ctx, ideal)
		if ic.Owner != "" || ic.Values["owner"] != "" {
			t.Errorf("ideal customer still owned by %q", ic.Owner)
		}
		if sc, _ := db.FindCustomerByID(ctx, silent); sc.Owner != "李娜" {
			t.Errorf("silent customer returned to the pool too early (owner %q)", sc.Owner)
		}
		hist, pick, _ := db.FieldHistory(ctx, ideal, "owner")
		if len(hist) != 2 || pick == nil || pick.Value != "" || !strings.Contains(pick.Source.Detail, "公海") {
			t.Errorf("owner history %+v in force %+v", hist, pick)
		}
		audit, _, _ := db.FindAudit(ctx, dossier.AuditFilter{Action: dossier.AuditPool})
		if len(audit) != 1 || !strings.Contains(audit[0].Detail, "张伟") || audit[0].EntityID != ideal {
			t.Errorf("pool audit %+v", audit)
		}
		if ts, _ := db.FindTasks(ctx, dossier.TaskFilter{CustomerID: ideal, Status: "open"}); len(ts) == 0 || ts[0].Owner != "" {
			t.Errorf("pooled customer's open tasks %+v: want freed", ts)
		}
		overdue, _ := db.FindTasks(ctx, dossier.TaskFilter{Overdue: true, AsOf: "2026-08-01"})
		if len(overdue) == 0 {
			t.Error("no overdue tasks")
		}
		done := dossier.TaskDone
		tk, err := db.UpdateTask(ctx, overdue[0].ID, dossier.TaskUpdate{Status: &done}, "张伟")
		if err != nil || tk.Status != "done" || tk.ClosedAt == nil {
			t.Errorf("close task: %+v %v", tk, err)
		}
		bad := "finished"
		if _, err := db.UpdateTask(ctx, overdue[0].ID, dossier.TaskUpdate{Status: &bad}, "x"); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("bad status: %v", err)
		}
		h, _ := db.ScoreHistory(ctx, ideal)
		if len(h) == 0 || !strings.Contains(h[len(h)-1].Cause, "first analysis") || h[len(h)-1].Detail == nil || !h[len(h)-1].Detail.First {
			t.Errorf("history %+v", h)
		}
		results[t.Name()] = got
	})
	if s, p := results["TestRecomputeAll/sqlite"], results["TestRecomputeAll/postgres"]; p != nil {
		if diff := cmp.Diff(s, p); diff != "" {
			t.Errorf("SQLite and PostgreSQL disagree (-sqlite +postgres):\n%s", diff)
		}
	}
}

// TestFollowUpAnsweredByInteraction: an interaction after a follow-up was
// created closes it, and the next one is due a cadence after it.
func TestFollowUpAnsweredByInteraction(t *testing.T) {
	for _, st := range dbtest.Stores(t) {
		t.Run(st.Name, func(t *testing.T) {
			now := day("2026-06-15")
			opt := dbtest.Options()
			opt.Now = func() time.Time { return now }
			db := st.Open(t, opt)
			ideal, _ := loadAnalysisCustomers(t, db)
			recompute(t, db, "2026-06-15")
			first, _ := db.FindTasks(ctx, dossier.TaskFilter{CustomerID: ideal, Status: "open"})
			in := &dossier.Interaction{CustomerID: ideal, Date: "2026-06-16", Channel: "phone", Source: src(dossier.ChannelInternal, "CRM", "2026-06-16")}
			if err := db.CreateInteraction(ctx, in); err != nil {
				t.Fatal(err)
			}
			now = day("2026-06-17")
			recompute(t, db, "2026-06-17")
			done, _ := db.FindTasks(ctx, dossier.TaskFilter{CustomerID: ideal, Status: "done"})
			open, _ := db.FindTasks(ctx, dossier.TaskFilter{CustomerID: ideal, Status: "open"})
			if len(done) != 1 || done[0].Source != "follow_up" || done[0].ID != followID(first) {
				t.Errorf("done %+v, want the first follow-up", done)
			}
			if f := followID(open); f == 0 || f == followID(first) {
				t.Errorf("open %+v: want a new follow-up", open)
			}
			for _, tk := range open {
				if tk.Source == "follow_up" && tk.Due != "2026-06-30" {
					t.Errorf("next follow-up due %s, want 06-16 + 14 days (medium tier: R30 F10 M30 V0)", tk.Due)
				}
			}
		})
	}
}

func followID(ts []dossier.Task) int64 {
	for _, t := range ts {
		if t.Source == "follow_up" {
			return t.ID
		}
	}
	return 0
}

// TestRecomputeAllStopsOnEmitError: a failing consumer stops the walk and
// its error comes back (the stages behind it wind down).
func TestRecomputeAllStopsOnEmitError(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		loadAnalysisCustomers(t, db)
		boom := errors.New("disk full")
		n, err := db.RecomputeAll(ctx, day("2026-06-15"), dossier.DefaultScoreSettings(), defaultEngine(t),
			func(dossier.Score, *dossier.Analysis) error { return boom })
		if !errors.Is(err, boom) || n != 0 {
			t.Errorf("n %d err %v, want 0 and the emit error", n, err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := db.RecomputeAll(cctx, day("2026-06-15"), dossier.DefaultScoreSettings(), defaultEngine(t), nil); err == nil {
			t.Error("a cancelled recompute reported success")
		}
	})
}

func taskSources(ts []dossier.Task) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Source)
	}
	return out
}

func TestManualTagsKept(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ideal, _ := loadAnalysisCustomers(t, db)
		if err := db.SetManualTag(ctx, ideal, "渠道-展会获客", false); err != nil {
			t.Fatal(err)
		}
		got := recompute(t, db, "2026-06-15")
		if !slices.Contains(got[0].Analysis.Tags, "渠道-展会获客") {
			t.Errorf("tags %v lack the manual tag", got[0].Analysis.Tags)
		}
		got = recompute(t, db, "2026-06-15")
		if !slices.Contains(got[0].Analysis.Tags, "渠道-展会获客") {
			t.Errorf("second run lost the manual tag: %v", got[0].Analysis.Tags)
		}
		if err := db.SetManualTag(ctx, ideal, " ", false); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("empty tag: %v", err)
		}
	})
}

// TestTagsWithSeparators: the recompute reads each customer's tags joined
// with control characters; a tag holding one of them is still read as one
// tag (the batch is read again a row per tag), in (tag, source) order, and
// the rule tags beside it are neither duplicated nor removed.
func TestTagsWithSeparators(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ideal, silent := loadAnalysisCustomers(t, db)
		for _, tag := range []string{"z-末尾", "m-中间"} {
			if err := db.SetManualTag(ctx, ideal, tag, false); err != nil {
				t.Fatal(err)
			}
		}
		if got := recompute(t, db, "2026-06-15"); !slices.Equal(got[0].Analysis.Tags[:2], []string{"m-中间", "z-末尾"}) {
			t.Errorf("tags %q, want the manual ones first, in order", got[0].Analysis.Tags)
		}
		if err := db.SetManualTag(ctx, ideal, "a\x1eb\x1fc", false); err != nil {
			t.Fatal(err)
		}
		if err := db.SetManualTag(ctx, silent, "b\x1fsource-like", false); err != nil {
			t.Fatal(err)
		}
		first := recompute(t, db, "2026-06-15")
		before, err := db.TableRows(ctx, "customer_tags")
		if err != nil {
			t.Fatal(err)
		}
		again := recompute(t, db, "2026-06-15")
		for _, got := range [][]line{first, again} {
			if want := []string{"a\x1eb\x1fc", "m-中间", "z-末尾"}; !slices.Equal(got[0].Analysis.Tags[:3], want) {
				t.Errorf("tags %q, want the manual ones first: %q", got[0].Analysis.Tags, want)
			}
			if got[1].Analysis.Tags[0] != "b\x1fsource-like" {
				t.Errorf("tags %q, want the manual one first", got[1].Analysis.Tags)
			}
		}
		if !cmp.Equal(first, again) {
			t.Errorf("a rerun changed the analysis: %s", cmp.Diff(first, again))
		}
		after, err := db.TableRows(ctx, "customer_tags")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(before, after) {
			t.Errorf("a rerun rewrote tags:\n%q\n%q", before, after)
		}
	})
}

func TestRulePartsVersioned(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		for i := 1; i <= 2; i++ {
			v, err := db.SaveRulePart(ctx, "grade", []byte(`"\"ordinary\""`), "admin")
			if err != nil || v != i {
				t.Fatalf("save %d: %d %v", i, v, err)
			}
		}
		parts, err := db.RuleParts(ctx)
		if err != nil || parts["grade"].Version != 2 {
			t.Fatalf("parts %+v %v", parts, err)
		}
	})
}

// A recompute leaves PostgreSQL with current statistics of customers (its
// scores and grades have changed), whether or not autovacuum runs.
func TestRecomputeRefreshesStatistics(t *testing.T) {
	if dbtest.PostgresURL(t) == "" {
		t.Skip("DOSSIER_TEST_POSTGRES not set (SQLite needs no ANALYZE here)")
	}
	db := dbtest.Postgres(t, dbtest.Options())
	mustCreate(t, db, map[string]string{"name": "统计测试有限公司", "grade": "重点"})
	analyzed := func() (n int) {
		t.Helper()
		if err := rawPool(db).QueryRowContext(ctx,
			"SELECT analyze_count FROM pg_stat_user_tables WHERE relname = 'customers'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := analyzed()
	if _, err := db.RecomputeAll(ctx, time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC), dossier.DefaultScoreSettings(), defaultEngine(t), nil); err != nil {
		t.Fatal(err)
	}
	// The statistics collector reports asynchronously; give it a moment.
	for range 50 {
		if analyzed() > before {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("customers analysed %d times after a recompute, as before it", analyzed())
}
