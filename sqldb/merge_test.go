package sqldb_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

var who = dossier.Actor{Name: "lead", RemoteAddr: "127.0.0.1"}

// snapshot is everything a merge may touch, to compare before and after undo.
type snapshot struct {
	A, B         *dossier.Customer
	ContactsA    []dossier.Contact
	ContactsB    []dossier.Contact
	InteractA    []dossier.Interaction
	InteractB    []dossier.Interaction
	ObservationA []dossier.Observation
}

func takeSnapshot(t *testing.T, db *sqldb.DB, a, b int64) snapshot {
	t.Helper()
	var s snapshot
	var err error
	must := func(e error) {
		if e != nil && err == nil {
			err = e
		}
	}
	s.A, err = db.FindCustomerByID(ctx, a)
	var e error
	s.B, e = db.FindCustomerByID(ctx, b)
	must(e)
	s.ContactsA, e = db.Contacts(ctx, a)
	must(e)
	s.ContactsB, e = db.Contacts(ctx, b)
	must(e)
	s.InteractA, e = db.Interactions(ctx, a)
	must(e)
	s.InteractB, e = db.Interactions(ctx, b)
	must(e)
	s.ObservationA, e = db.Observations(ctx, a)
	must(e)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// twoDuplicates makes the same company twice, entered by two people, with
// the same person as contact (written differently) and one contact each.
func twoDuplicates(t *testing.T, db *sqldb.DB) (a, b *dossier.Customer) {
	t.Helper()
	a, err := db.CreateCustomer(ctx, dossier.NewCustomer{Values: map[string]string{
		"name": "华信科技", "industry": "信息技术-软件开发", "revenue": "5000万", "owner": "zhou", "team": "east",
		"contact_name": "王伟", "contact_phone": "139 1234 5678", "contact_role": "决策人",
		"last_contact_date": "2025-01-10", "last_contact_channel": "电话",
	}, Source: src(dossier.ChannelInternal, "CRM", "2025-01-10")})
	if err != nil {
		t.Fatal(err)
	}
	b, err = db.CreateCustomer(ctx, dossier.NewCustomer{Values: map[string]string{
		"name": "深圳市华信科技有限公司", "industry": "信息技术-软件开发", "budget": "30-50万", "credit_code": validCreditCode("91440300MA5F0000"),
		"need_type": "数据分析系统", "owner": "zhou", "team": "east",
		"contact_name": "王伟", "contact_phone": "+86 13912345678", "contact_email": "wang.wei@huaxin.cn",
		"last_contact_date": "2025-06-01", "last_contact_channel": "面谈",
	}, Source: src(dossier.ChannelCustomer, "需求调研", "2025-06-01")})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateContact(ctx, &dossier.Contact{CustomerID: b.ID, Name: "李娜", Role: "procurement", Phone: "13800001111",
		Source: src(dossier.ChannelCustomer, "需求调研", "2025-06-01")}); err != nil {
		t.Fatal(err)
	}
	return a, b
}

var ignoreVolatile = cmpopts.IgnoreFields(dossier.Customer{}, "Version", "UpdatedAt")

func TestMergeKeepsEveryFactAndUndoRestores(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		a, b := twoDuplicates(t, db)
		before := takeSnapshot(t, db, a.ID, b.ID)
		obsB, err := db.Observations(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}

		m, err := db.MergeCustomers(ctx, dossier.MergeRequest{Survivor: a.ID, Absorbed: b.ID, Reason: "same credit code", SurvivorVersion: a.Version, By: who})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.FindCustomerByID(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Every fact of both: B's budget, need and credit code reach the
		// survivor; A's internal revenue stays.
		for k, want := range map[string]string{"budget": b.Value("budget"), "need_type": "数据分析系统",
			"credit_code": b.Value("credit_code"), "revenue": "50000000", "name": "华信科技"} {
			if got.Value(k) != want {
				t.Errorf("survivor %s = %q, want %q", k, got.Value(k), want)
			}
		}
		if got.Version <= a.Version {
			t.Errorf("survivor version %d not bumped from %d", got.Version, a.Version)
		}
		if got.LastContact != "2025-06-01" {
			t.Errorf("last contact %q: the absorbed customer's interaction should count", got.LastContact)
		}
		obs, _ := db.Observations(ctx, a.ID)
		for _, o := range obsB {
			if !slices.ContainsFunc(obs, func(x dossier.Observation) bool { return x.ID == o.ID && x.CustomerID == b.ID }) {
				t.Errorf("observation %d of the absorbed customer lost from the survivor's history", o.ID)
			}
		}
		gone, _ := db.FindCustomerByID(ctx, b.ID)
		if gone.MergedInto != a.ID {
			t.Errorf("absorbed merged_into = %d", gone.MergedInto)
		}
		list, _, _ := db.FindCustomers(ctx, dossier.CustomerFilter{})
		if slices.ContainsFunc(list, func(c *dossier.Customer) bool { return c.ID == b.ID }) {
			t.Error("absorbed customer still listed")
		}
		cs, _ := db.Contacts(ctx, a.ID)
		if len(cs) != 2 {
			t.Fatalf("survivor contacts %+v, want 王伟 once and 李娜", cs)
		}
		if cs[0].Name != "王伟" || cs[0].Email != "wang.wei@huaxin.cn" {
			t.Errorf("duplicate contact not united: %+v", cs[0])
		}
		if len(m.Moves.Hidden) != 1 || len(m.Moves.Filled) != 1 {
			t.Errorf("moves %+v", m.Moves)
		}
		audits, _, _ := db.FindAudit(ctx, dossier.AuditFilter{Action: dossier.AuditCustomerMerge})
		if len(audits) != 1 || audits[0].EntityID != a.ID || audits[0].User != "lead" {
			t.Errorf("merge audit %+v", audits)
		}

		if _, err := db.UndoMerge(ctx, m.ID, who); err != nil {
			t.Fatal(err)
		}
		after := takeSnapshot(t, db, a.ID, b.ID)
		if d := cmp.Diff(before, after, ignoreVolatile); d != "" {
			t.Errorf("undo did not restore (-before +after):\n%s", d)
		}
		if _, err := db.UndoMerge(ctx, m.ID, who); dossier.ErrorCode(err) != dossier.ECONFLICT {
			t.Errorf("second undo: %v", err)
		}
		audits, _, _ = db.FindAudit(ctx, dossier.AuditFilter{Action: dossier.AuditCustomerUnmerge})
		if len(audits) != 1 {
			t.Errorf("unmerge audit %+v", audits)
		}
	})
}

func TestMergeRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		a, b := twoDuplicates(t, db)
		c := mustCreate(t, db, map[string]string{"name": "第三家"})
		for name, tc := range map[string]struct {
			req  dossier.MergeRequest
			code string
		}{
			"itself":        {dossier.MergeRequest{Survivor: a.ID, Absorbed: a.ID}, dossier.EINVALID},
			"stale version": {dossier.MergeRequest{Survivor: a.ID, Absorbed: b.ID, SurvivorVersion: a.Version + 1}, dossier.ECONFLICT},
			"missing":       {dossier.MergeRequest{Survivor: a.ID, Absorbed: 9999}, dossier.ENOTFOUND},
		} {
			if _, err := db.MergeCustomers(ctx, tc.req); dossier.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", name, err, tc.code)
			}
		}
		m1, err := db.MergeCustomers(ctx, dossier.MergeRequest{Survivor: a.ID, Absorbed: b.ID, By: who})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.MergeCustomers(ctx, dossier.MergeRequest{Survivor: b.ID, Absorbed: c.ID, By: who}); dossier.ErrorCode(err) != dossier.ECONFLICT {
			t.Errorf("merge into an absorbed customer: %v", err)
		}
		// Chains: A into C; C's profile holds B's facts; undoing A←B first is refused.
		m2, err := db.MergeCustomers(ctx, dossier.MergeRequest{Survivor: c.ID, Absorbed: a.ID, By: who})
		if err != nil {
			t.Fatal(err)
		}
		cc, _ := db.FindCustomerByID(ctx, c.ID)
		if cc.Value("need_type") != "数据分析系统" {
			t.Errorf("chained merge lost B's need: %v", cc.Values)
		}
		if _, err := db.UndoMerge(ctx, m1.ID, who); dossier.ErrorCode(err) != dossier.ECONFLICT {
			t.Errorf("undo out of order: %v", err)
		}
		if _, err := db.UndoMerge(ctx, m2.ID, who); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UndoMerge(ctx, m1.ID, who); err != nil {
			t.Fatal(err)
		}
		cc, _ = db.FindCustomerByID(ctx, c.ID)
		if cc.Value("need_type") != "" || cc.Name != "第三家" {
			t.Errorf("after undoing both, C = %v", cc.Values)
		}
	})
}

func TestReviewQueue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		a, b := twoDuplicates(t, db)
		c := mustCreate(t, db, map[string]string{"name": "华信电子", "owner": "zhou", "team": "east"})
		pairs := []dossier.CandidatePair{
			{A: b.ID, B: a.ID, Probability: 0.97, Weight: 9.1, Evidence: []dossier.PairEvidence{{Field: "name", Level: "similar", Weight: 4.2}}},
			{A: a.ID, B: c.ID, Probability: 0.41, Weight: -0.5},
			{A: c.ID, B: c.ID, Probability: 1},
		}
		res, err := db.SavePairs(ctx, pairs)
		if err != nil {
			t.Fatal(err)
		}
		if res != (dossier.PairSaveResult{Added: 2, Skipped: 1}) {
			t.Errorf("first save %+v", res)
		}
		open, total, err := db.FindPairs(ctx, dossier.PairFilter{})
		if err != nil || total != 2 {
			t.Fatalf("open pairs %v %d %v", open, total, err)
		}
		if open[0].A != a.ID || open[0].B != b.ID || open[0].Probability != 0.97 || open[0].Evidence[0].Field != "name" {
			t.Errorf("most probable first, A the smaller id: %+v", open[0])
		}
		if _, err := db.RejectPair(ctx, open[1].ID, who); err != nil {
			t.Fatal(err)
		}
		// Re-running dedupe: no duplicate pair, the rejected one stays rejected.
		pairs[0].Probability = 0.98
		res, err = db.SavePairs(ctx, pairs)
		if err != nil {
			t.Fatal(err)
		}
		if res != (dossier.PairSaveResult{Updated: 1, Kept: 1, Skipped: 1}) {
			t.Errorf("second save %+v", res)
		}
		open, total, _ = db.FindPairs(ctx, dossier.PairFilter{})
		if total != 1 || open[0].Probability != 0.98 {
			t.Errorf("after re-save %+v", open)
		}
		if _, total, _ := db.FindPairs(ctx, dossier.PairFilter{Owner: "someone-else"}); total != 0 {
			t.Errorf("scope ignored: %d pairs", total)
		}
		m, err := db.MergePair(ctx, open[0].ID, "", who)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.MergePair(ctx, open[0].ID, "", who); dossier.ErrorCode(err) != dossier.ECONFLICT {
			t.Errorf("merging a decided pair: %v", err)
		}
		p, _ := db.FindPair(ctx, open[0].ID)
		if p.Status != dossier.PairMerged || p.MergeID != m.ID || p.DecidedBy != "lead" {
			t.Errorf("merged pair %+v", p)
		}
		if _, err := db.UndoMerge(ctx, m.ID, who); err != nil {
			t.Fatal(err)
		}
		p, _ = db.FindPair(ctx, open[0].ID)
		if p.Status != dossier.PairOpen {
			t.Errorf("undo should reopen the pair: %+v", p)
		}
	})
}

func TestEachDedupeRecord(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		a, b := twoDuplicates(t, db)
		got := map[int64]map[string]string{}
		if err := db.EachDedupeRecord(ctx, func(id int64, f map[string]string) error { got[id] = f; return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[b.ID]["phone"] != "+8613912345678;+8613800001111" || got[b.ID]["email"] != "wang.wei@huaxin.cn" ||
			got[a.ID]["name"] != "华信科技" || got[b.ID]["credit_code"] == "" || got[a.ID]["contact_names"] != "王伟" {
			t.Errorf("records %v", got)
		}
		if _, err := db.MergeCustomers(ctx, dossier.MergeRequest{Survivor: a.ID, Absorbed: b.ID, By: who}); err != nil {
			t.Fatal(err)
		}
		n := 0
		_ = db.EachDedupeRecord(ctx, func(int64, map[string]string) error { n++; return nil })
		if n != 1 {
			t.Errorf("%d records after a merge, want the survivor only", n)
		}
	})
}

func TestAbsorbedCustomerTakesNoNewFacts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		a, b := twoDuplicates(t, db)
		if _, err := db.MergeCustomers(ctx, dossier.MergeRequest{Survivor: a.ID, Absorbed: b.ID, By: who}); err != nil {
			t.Fatal(err)
		}
		_, err := db.UpdateCustomer(ctx, b.ID, dossier.CustomerUpdate{Values: map[string]string{"city": "深圳"}, Source: src(dossier.ChannelInternal, "x", "2025-07-01")})
		if dossier.ErrorCode(err) != dossier.ECONFLICT {
			t.Errorf("update of a merged customer: %v", err)
		}
		err = db.CreateContact(ctx, &dossier.Contact{CustomerID: b.ID, Name: "赵六", Source: src(dossier.ChannelInternal, "x", "2025-07-01")})
		if dossier.ErrorCode(err) != dossier.ECONFLICT {
			t.Errorf("contact for a merged customer: %v", err)
		}
	})
}

func TestUndoWaitsForALaterMergeThatUsedItsContacts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		a, b := twoDuplicates(t, db)
		c := mustCreate(t, db, map[string]string{"name": "华信科技集团", "contact_name": "李娜", "contact_phone": "13800001111"})
		m1, err := db.MergeCustomers(ctx, dossier.MergeRequest{Survivor: a.ID, Absorbed: b.ID, By: who})
		if err != nil {
			t.Fatal(err)
		}
		m2, err := db.MergeCustomers(ctx, dossier.MergeRequest{Survivor: a.ID, Absorbed: c.ID, By: who})
		if err != nil {
			t.Fatal(err)
		}
		if len(m2.Moves.Hidden) != 1 {
			t.Fatalf("C's 李娜 should join B's: %+v", m2.Moves)
		}
		if _, err := db.UndoMerge(ctx, m1.ID, who); dossier.ErrorCode(err) != dossier.ECONFLICT {
			t.Errorf("undo while a later merge uses its contact: %v", err)
		}
		if _, err := db.UndoMerge(ctx, m2.ID, who); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UndoMerge(ctx, m1.ID, who); err != nil {
			t.Fatal(err)
		}
		for id, want := range map[int64]int{a.ID: 1, b.ID: 2, c.ID: 1} {
			if cs, _ := db.Contacts(ctx, id); len(cs) != want {
				t.Errorf("customer %d has %d contacts, want %d", id, len(cs), want)
			}
		}
	})
}

// A cluster of many copies of one company merges in one transaction, and
// the survivor then holds every copy's facts.
func TestMergeCluster(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := mustCreate(t, db, map[string]string{"name": "华信科技", "contact_name": "王伟", "contact_phone": "13912345678"})
		var copies []int64
		for i := range 300 {
			c := mustCreate(t, db, map[string]string{"name": "华信科技", "city": "城市" + itoa(int64(i)), "contact_name": "王伟", "contact_phone": "13912345678"})
			copies = append(copies, c.ID)
		}
		ms, err := db.MergeCluster(ctx, s.ID, copies, "cluster", who)
		if err != nil || len(ms) != 300 {
			t.Fatalf("%d merges, %v", len(ms), err)
		}
		obs, _ := db.Observations(ctx, s.ID)
		if len(obs) != 301 {
			t.Errorf("survivor holds %d observations, want 301", len(obs))
		}
		if cs, _ := db.Contacts(ctx, s.ID); len(cs) != 1 {
			t.Errorf("300 copies of one contact should be one: %d", len(cs))
		}
		if list, total, _ := db.FindCustomers(ctx, dossier.CustomerFilter{}); total != 1 || list[0].ID != s.ID {
			t.Errorf("%d customers listed", total)
		}
		if _, err := db.UndoMerge(ctx, ms[150].ID, who); err != nil {
			t.Fatal(err)
		}
		if _, total, _ := db.FindCustomers(ctx, dossier.CustomerFilter{}); total != 2 {
			t.Errorf("after undoing one merge: %d customers", total)
		}
	})
}
