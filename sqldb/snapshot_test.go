package sqldb_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// snapshotFixture makes three live customers with scores and analysis
// summaries, one hidden and one merged into the first. Returns ids by name.
func snapshotFixture(t *testing.T, db *sqldb.DB) map[string]int64 {
	t.Helper()
	ids := map[string]int64{}
	for _, r := range []map[string]string{
		{"name": "甲", "grade": "重点", "stage": "成交"},
		{"name": "乙", "grade": "潜在", "stage": "潜在"},
		{"name": "丙", "grade": "普通"},
		{"name": "隐藏", "grade": "重点"},
		{"name": "并入", "grade": "重点"},
	} {
		ids[r["name"]] = mustCreate(t, db, r).ID
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if err := db.ExecForTest(ctx, fmt.Sprintf(q, args...)); err != nil {
			t.Fatal(err)
		}
	}
	for name, v := range map[string]struct {
		score      int
		tier, vlue string
	}{"甲": {80, "high", "high"}, "乙": {50, "medium", "medium"}, "丙": {30, "low", "low"}, "隐藏": {90, "high", "high"}, "并入": {90, "high", "high"}} {
		exec(`UPDATE customers SET score = %d WHERE id = %d`, v.score, ids[name])
		setTier(t, db, ids[name], v.tier, v.vlue)
	}
	exec(`UPDATE customers SET hidden = 1 WHERE id = %d`, ids["隐藏"])
	exec(`UPDATE customers SET merged_into = %d WHERE id = %d`, ids["甲"], ids["并入"])
	return ids
}

func setTier(t *testing.T, db *sqldb.DB, id int64, tier, value string) {
	t.Helper()
	q := fmt.Sprintf(`INSERT INTO analyses (customer_id, value, grade, tier, cadence, next_follow_up, risk_level, rules_version, computed_at)
		VALUES (%d, '%s', 'key', '%s', 'weekly', '2026-12-01', 'low', '1', '2026-11-01')
		ON CONFLICT (customer_id) DO UPDATE SET tier = excluded.tier, value = excluded.value`, id, value, tier)
	if err := db.ExecForTest(ctx, q); err != nil {
		t.Fatal(err)
	}
}

func take(t *testing.T, db *sqldb.DB, label, scope string) *dossier.Snapshot {
	t.Helper()
	s := &dossier.Snapshot{Label: label, Scope: scope, TakenBy: "test"}
	if err := db.TakeSnapshot(ctx, s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSnapshotCompare checks comparisons against transitions worked out by
// hand: 甲 high→medium, 乙 medium→high and potential→key, 丙 unchanged,
// 丁 new (no analysis yet: tier unknown), hidden and merged never counted.
func TestSnapshotCompare(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ids := snapshotFixture(t, db)
		s1 := take(t, db, "Q3", "")
		if s1.Customers != 3 {
			t.Fatalf("first snapshot has %d customers, want 3 (hidden and merged left out)", s1.Customers)
		}
		setTier(t, db, ids["甲"], "medium", "high")
		setTier(t, db, ids["乙"], "high", "medium")
		if err := db.ExecForTest(ctx, fmt.Sprintf(`UPDATE customers SET grade = 'key' WHERE id = %d`, ids["乙"])); err != nil {
			t.Fatal(err)
		}
		ids["丁"] = mustCreate(t, db, map[string]string{"name": "丁", "grade": "普通"}).ID
		s2 := take(t, db, "Q4", "")

		c, err := db.CompareSnapshots(ctx, s1, s2, dossier.CustomerFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if c.Customers != 4 || c.New != 1 || c.Gone != 0 {
			t.Errorf("customers %d new %d gone %d, want 4 1 0", c.Customers, c.New, c.Gone)
		}
		wantTier := []dossier.Transition{tr("high", "medium", 1), tr("medium", "high", 1), tr("low", "low", 1), tr("-", "", 1)}
		if diff := cmp.Diff(wantTier, c.Dimension("tier").Transitions); diff != "" {
			t.Errorf("tier transitions: %s", diff)
		}
		wantGrade := []dossier.LevelCount{lc("key", 1, 2), lc("potential", 1, 0), lc("ordinary", 1, 2)}
		if diff := cmp.Diff(wantGrade, c.Dimension("grade").Counts); diff != "" {
			t.Errorf("grade counts: %s", diff)
		}
		if c.ScoreFrom != float64(80+50+30)/3 || c.ScoreTo != float64(80+50+30)/4 {
			t.Errorf("mean scores %v %v", c.ScoreFrom, c.ScoreTo)
		}
		wantBands := []dossier.ScoreBandCount{band(0, 0, 1), band(20, 1, 1), band(40, 1, 1), band(80, 1, 1)}
		if diff := cmp.Diff(wantBands, c.Bands); diff != "" {
			t.Errorf("bands: %s", diff)
		}

		// A segment against now: ordinary customers are 丙 (score 30 → 45) and 丁.
		if err := db.ExecForTest(ctx, fmt.Sprintf(`UPDATE customers SET score = 45 WHERE id = %d`, ids["丙"])); err != nil {
			t.Fatal(err)
		}
		now, err := db.ResolveSnapshot(ctx, "now")
		if err != nil || now.ID != 0 {
			t.Fatalf("now: %+v %v", now, err)
		}
		c, err = db.CompareSnapshots(ctx, s1, now, dossier.CustomerFilter{Expr: "grade = 普通"})
		if err != nil {
			t.Fatal(err)
		}
		if c.Customers != 2 || c.New != 1 {
			t.Errorf("segment: customers %d new %d", c.Customers, c.New)
		}
		wantBands = []dossier.ScoreBandCount{band(0, 0, 1), band(20, 1, 0), band(40, 0, 1)}
		if diff := cmp.Diff(wantBands, c.Bands); diff != "" {
			t.Errorf("segment bands: %s", diff)
		}

		// An empty segment is an empty comparison, not an error.
		c, err = db.CompareSnapshots(ctx, s1, s2, dossier.CustomerFilter{Expr: "grade = 重点 AND stage = 流失"})
		if err != nil || c.Customers != 0 || len(c.Dimension("tier").Transitions) != 0 || len(c.Bands) != 0 {
			t.Errorf("empty segment: %+v %v", c, err)
		}

		// Hidden since: 乙 leaves every comparison, even of old snapshots.
		if err := db.ExecForTest(ctx, fmt.Sprintf(`UPDATE customers SET hidden = 1 WHERE id = %d`, ids["乙"])); err != nil {
			t.Fatal(err)
		}
		c, err = db.CompareSnapshots(ctx, s1, s2, dossier.CustomerFilter{})
		if err != nil || c.Customers != 3 {
			t.Errorf("after hiding: %d %v", c.Customers, err)
		}
		if _, err := db.CompareSnapshots(ctx, s1, s2, dossier.CustomerFilter{Expr: "grade = = 1"}); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("bad scope: %v", err)
		}
	})
}

func TestSnapshotCustomerAndResolve(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ids := snapshotFixture(t, db)
		s1 := take(t, db, "", "")
		setTier(t, db, ids["甲"], "medium", "high")
		ids["丁"] = mustCreate(t, db, map[string]string{"name": "丁"}).ID
		now := &dossier.Snapshot{}

		ch, err := db.CompareCustomer(ctx, s1, now, ids["甲"])
		if err != nil || ch.From.Tier != "high" || ch.To.Tier != "medium" || !cmp.Equal(ch.Changed, []string{"tier"}) {
			t.Errorf("甲: %+v %v", ch, err)
		}
		ch, err = db.CompareCustomer(ctx, s1, now, ids["丁"])
		if err != nil || ch.From != nil || ch.To == nil || !cmp.Equal(ch.Changed, []string{"present"}) {
			t.Errorf("丁, new since: %+v %v", ch, err)
		}
		for _, name := range []string{"隐藏", "并入"} {
			if _, err := db.CompareCustomer(ctx, s1, now, ids[name]); dossier.ErrorCode(err) != dossier.ENOTFOUND {
				t.Errorf("%s: %v", name, err)
			}
		}

		s2 := take(t, db, "scoped", "grade = 重点")
		if s2.Customers != 1 {
			t.Errorf("scoped snapshot: %d customers, want 1 (甲)", s2.Customers)
		}
		if s, err := db.ResolveSnapshot(ctx, itoa(s1.ID)); err != nil || s.ID != s1.ID || s.Customers != 3 {
			t.Errorf("by id: %+v %v", s, err)
		}
		today := s2.TakenAt.Format(dossier.DateLayout)
		if s, err := db.ResolveSnapshot(ctx, today); err != nil || s.ID != s2.ID {
			t.Errorf("by date: %+v %v", s, err)
		}
		if _, err := db.ResolveSnapshot(ctx, "2000-01-01"); dossier.ErrorCode(err) != dossier.ENOTFOUND {
			t.Errorf("before any: %v", err)
		}
		if _, err := db.ResolveSnapshot(ctx, "last year"); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("junk: %v", err)
		}
		if ok, err := db.HasSnapshotSince(ctx, s1.TakenAt); err != nil || !ok {
			t.Errorf("has since: %v %v", ok, err)
		}
		if err := db.TakeSnapshot(ctx, &dossier.Snapshot{Scope: "grade ="}); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("bad scope: %v", err)
		}
	})
}

func TestStudies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ids := snapshotFixture(t, db)
		if err := db.CreateSegment(ctx, &dossier.Segment{Name: "重点", Expression: "grade = 重点", Owner: "li"}); err != nil {
			t.Fatal(err)
		}
		st := &dossier.Study{Name: "重点客户季度复盘", Goal: "跟踪重点客户层级变化", Segment: "重点", Owner: "li", Roles: []string{"manager"}}
		if err := db.CreateStudy(ctx, st); err != nil {
			t.Fatal(err)
		}
		if st.Scope != "grade = 重点" {
			t.Errorf("scope from segment: %q", st.Scope)
		}
		for _, bad := range []struct {
			s     dossier.Study
			code  string
			field string
		}{
			{dossier.Study{Name: "重点客户季度复盘"}, dossier.ECONFLICT, "name"},
			{dossier.Study{Name: "x", Scope: "grade = = 1"}, dossier.EINVALID, "scope"},
			{dossier.Study{Name: "y", Segment: "nope"}, dossier.EINVALID, "segment"},
			{dossier.Study{Name: "z", Roles: []string{"boss"}}, dossier.EINVALID, "roles"},
			{dossier.Study{Name: " "}, dossier.EINVALID, "name"},
		} {
			err := db.CreateStudy(ctx, &bad.s)
			if e, ok := err.(*dossier.Error); !ok || e.Code != bad.code || e.Field != bad.field {
				t.Errorf("%+v: %v", bad.s, err)
			}
		}
		r1, err := db.RunStudy(ctx, st.ID, "li")
		if err != nil || r1.Customers != 1 || r1.StudyID != st.ID {
			t.Fatalf("run 1: %+v %v", r1, err)
		}
		if err := db.ExecForTest(ctx, fmt.Sprintf(`UPDATE customers SET grade = 'key' WHERE id = %d`, ids["乙"])); err != nil {
			t.Fatal(err)
		}
		r2, err := db.RunStudy(ctx, st.ID, "li")
		if err != nil || r2.Customers != 2 || r2.Label != "重点客户季度复盘 #2" {
			t.Fatalf("run 2: %+v %v", r2, err)
		}
		runs, err := db.Snapshots(ctx, st.ID)
		if err != nil || len(runs) != 2 || runs[0].ID != r2.ID {
			t.Errorf("runs: %+v %v", runs, err)
		}
		if plain, err := db.Snapshots(ctx, -1); err != nil || len(plain) != 0 {
			t.Errorf("snapshots of no study: %+v %v", plain, err)
		}
		c, err := db.CompareSnapshots(ctx, r1, r2, dossier.CustomerFilter{})
		if err != nil || c.Customers != 2 || c.New != 1 {
			t.Errorf("compare runs: %+v %v", c, err)
		}
		// The last run against now within the scope: 甲 leaves it (gone),
		// 丙 joins it (new), 乙 stays.
		for _, q := range []string{`UPDATE customers SET grade = 'ordinary' WHERE id = %d`, `UPDATE customers SET grade = 'key' WHERE id = %d`} {
			name := map[bool]string{true: "甲", false: "丙"}[strings.Contains(q, "ordinary")]
			if err := db.ExecForTest(ctx, fmt.Sprintf(q, ids[name])); err != nil {
				t.Fatal(err)
			}
		}
		c, err = db.CompareSnapshots(ctx, r2, &dossier.Snapshot{Scope: st.Scope}, dossier.CustomerFilter{})
		if err != nil || c.Customers != 3 || c.New != 1 || c.Gone != 1 {
			t.Errorf("run against now in scope: %+v %v", c, err)
		}
		wantGrade := []dossier.LevelCount{lc("key", 2, 2)}
		if diff := cmp.Diff(wantGrade, c.Dimension("grade").Counts); diff != "" {
			t.Errorf("grade then and now in scope: %s", diff)
		}
		got, err := db.FindStudy(ctx, "重点客户季度复盘")
		if err != nil || got.Runs != 2 || !cmp.Equal(got.Roles, []string{"manager"}) {
			t.Errorf("find: %+v %v", got, err)
		}
		if !got.VisibleTo(&dossier.User{Name: "wang", Role: "manager"}) || got.VisibleTo(&dossier.User{Name: "zhao", Role: "sales"}) ||
			!got.VisibleTo(&dossier.User{Name: "li", Role: "sales"}) {
			t.Error("roles")
		}
		if list, err := db.Studies(ctx); err != nil || len(list) != 1 {
			t.Errorf("list: %+v %v", list, err)
		}
		if _, err := db.FindStudy(ctx, "nope"); dossier.ErrorCode(err) != dossier.ENOTFOUND {
			t.Errorf("missing: %v", err)
		}
	})
}

func tr(from, to string, n int) dossier.Transition {
	return dossier.Transition{From: from, To: to, Count: n}
}
func lc(l string, from, to int) dossier.LevelCount {
	return dossier.LevelCount{Level: l, From: from, To: to}
}
func band(low, from, to int) dossier.ScoreBandCount {
	return dossier.ScoreBandCount{Low: low, From: from, To: to}
}
