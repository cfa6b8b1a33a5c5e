package sqldb_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/csv"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// importAs imports data of kind with its own channel and detail.
func importAs(t *testing.T, db *sqldb.DB, kind, file string, ch dossier.Channel, data string) *dossier.ImportResult {
	t.Helper()
	r, err := csv.NewReader(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	im := &dossier.Importer{Store: db}
	src := dossier.Source{Channel: ch, Detail: file, CollectedAt: time.Now(), CollectedBy: "import"}
	res, err := im.Import(ctx, r, dossier.ImportRun{File: file, Kind: kind, Source: src, User: "tester"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func customerNamed(t *testing.T, db *sqldb.DB, name string) *dossier.Customer {
	t.Helper()
	cs, _, err := db.FindCustomers(ctx, dossier.CustomerFilter{Query: name})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 {
		return nil
	}
	return cs[0]
}

func exported(t *testing.T, db *sqldb.DB) string {
	t.Helper()
	cs, err := db.CustomersAfter(ctx, dossier.CustomerFilter{}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cs {
		names = append(names, c.Value("name")+"="+c.Value("budget"))
	}
	return strings.Join(names, ",")
}

func TestImportUndoAndRestore(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		a := importAs(t, db, dossier.KindCustomers, "a.csv", dossier.ChannelCustomer,
			"客户名称,预算,联系人,手机\n华信科技,30-50万,王先生,13912345678\n东方机械,10万,李女士,\n")
		b := importAs(t, db, dossier.KindCustomers, "b.csv", dossier.ChannelInternal,
			"客户名称,预算,竞品\n华信科技,100-200万,阿里\n南方物流,5万,\n")
		in := importAs(t, db, dossier.KindInteractions, "i.csv", dossier.ChannelInternal,
			"客户,日期,沟通方式,摘要\n华信科技,2024-03-15,面谈,演示\n")
		if b.Run.Summary() != "imported 1, updated 1, rejected 0" || in.Run.Summary() != "imported 0, updated 1, rejected 0" {
			t.Fatalf("setup: %s; %s", b.Run.Summary(), in.Run.Summary())
		}
		hx := customerNamed(t, db, "华信")
		budgetA := "300000-500000"
		if hx.Value("budget") == budgetA || hx.LastContact != "2024-03-15" {
			t.Fatalf("setup: budget %q, last contact %q", hx.Value("budget"), hx.LastContact)
		}
		budgetB := hx.Value("budget")
		nanfang := customerNamed(t, db, "南方")
		before := exported(t, db)

		undo, err := db.UndoImport(ctx, b.Run.ID, "admin", false)
		if err != nil {
			t.Fatal(err)
		}
		if undo.Hidden != 1 || undo.Resolved != 1 || undo.Run.State() != "reverted" {
			t.Errorf("undo result %+v", undo)
		}
		hx = customerNamed(t, db, "华信")
		if got := hx.Value("budget"); got == budgetB || got == "" {
			t.Errorf("budget after undo %q: the reverted value %q still shows (or nothing does)", got, budgetB)
		}
		if hx.Value(dossier.CustomFieldKey("竞品")) != "" {
			t.Errorf("custom value of the reverted import still shows: %v", hx.Values)
		}
		hist, won, err := db.FieldHistory(ctx, hx.ID, "budget")
		if err != nil || len(hist) != 1 || won == nil || won.Value == budgetB {
			t.Errorf("history after undo: %+v, in force %+v, %v", hist, won, err)
		}
		if customerNamed(t, db, "南方") != nil || countCustomers(t, db) != 2 {
			t.Errorf("the customer only the reverted import knew still listed (%d customers)", countCustomers(t, db))
		}
		if _, err := db.FindCustomerByID(ctx, nanfang.ID); dossier.ErrorCode(err) != dossier.ENOTFOUND {
			t.Errorf("a customer hidden by the undone import is still reachable by id: %v", err)
		}
		if exp := exported(t, db); strings.Contains(exp, "南方") || strings.Contains(exp, budgetB) {
			t.Errorf("export after undo: %s", exp)
		}
		// The interactions import is separate and still in force.
		if hx.LastContact != "2024-03-15" {
			t.Errorf("last contact %q", hx.LastContact)
		}
		if _, err := db.UndoImport(ctx, b.Run.ID, "admin", false); dossier.ErrorCode(err) != dossier.ECONFLICT {
			t.Errorf("second undo: %v", err)
		}
		if _, err := db.UndoImport(ctx, 999, "admin", false); dossier.ErrorCode(err) != dossier.ENOTFOUND {
			t.Errorf("undo of an unknown import: %v", err)
		}

		if _, err := db.UndoImport(ctx, in.Run.ID, "admin", false); err != nil {
			t.Fatal(err)
		}
		hx = customerNamed(t, db, "华信")
		if ins, _ := db.Interactions(ctx, hx.ID); len(ins) != 0 || hx.LastContact != "" {
			t.Errorf("interactions of a reverted import still show: %+v, last contact %q", ins, hx.LastContact)
		}
		if _, err := db.RestoreImport(ctx, in.Run.ID, "admin"); err != nil {
			t.Fatal(err)
		}

		res, err := db.RestoreImport(ctx, b.Run.ID, "admin")
		if err != nil {
			t.Fatal(err)
		}
		if res.Shown != 1 || res.Run.State() == "reverted" {
			t.Errorf("restore result %+v", res)
		}
		if _, err := db.FindCustomerByID(ctx, nanfang.ID); err != nil {
			t.Errorf("restored customer by id: %v", err)
		}
		if after := exported(t, db); after != before {
			t.Errorf("restore is not the inverse of undo:\n before %s\n after  %s", before, after)
		}
		if _, err := db.RestoreImport(ctx, b.Run.ID, "admin"); dossier.ErrorCode(err) != dossier.ECONFLICT {
			t.Errorf("restore of a run in force: %v", err)
		}

		// Undo the first import: 东方 goes, 华信 stays with import b's facts
		// and loses the contact a added.
		if _, err := db.UndoImport(ctx, a.Run.ID, "admin", false); err != nil {
			t.Fatal(err)
		}
		hx = customerNamed(t, db, "华信")
		if hx == nil || customerNamed(t, db, "东方") != nil {
			t.Fatalf("after undoing a: 华信 %v, 东方 still listed?", hx)
		}
		if cs, _ := db.Contacts(ctx, hx.ID); len(cs) != 0 {
			t.Errorf("contacts of the reverted import: %+v", cs)
		}
		// Importing a again brings 东方 back under its old id.
		again := importAs(t, db, dossier.KindCustomers, "a.csv", dossier.ChannelCustomer,
			"客户名称,预算,联系人,手机\n东方机械,10万,李女士,\n")
		if again.Run.Summary() != "imported 1, updated 0, rejected 0" || customerNamed(t, db, "东方") == nil {
			t.Errorf("re-import after undo: %s", again.Run.Summary())
		}

		runs, err := db.ImportRuns(ctx, 10)
		if err != nil || len(runs) != 4 || runs[3].ID != a.Run.ID || runs[3].State() != "reverted" || runs[3].User != "tester" || runs[3].Imported != 2 {
			t.Errorf("runs %+v, %v", runs, err)
		}
		running := &dossier.ImportRun{File: "killed.csv", Kind: dossier.KindCustomers,
			Source: dossier.Source{Channel: dossier.ChannelInternal, CollectedAt: time.Now()}}
		if err := db.StartImport(ctx, running); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UndoImport(ctx, running.ID, "admin", false); dossier.ErrorCode(err) != dossier.ECONFLICT {
			t.Errorf("undo of a running import: %v", err)
		}
		if _, err := db.UndoImport(ctx, running.ID, "admin", true); err != nil {
			t.Errorf("forced undo: %v", err)
		}
		audit, _, _ := db.FindAudit(ctx, dossier.AuditFilter{Action: dossier.AuditImportUndo})
		if len(audit) != 4 || audit[1].EntityID != a.Run.ID || audit[0].User != "admin" {
			t.Errorf("undo audit %+v", audit)
		}
	})
}

func TestImportProjects(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		importAs(t, db, dossier.KindCustomers, "c.csv", dossier.ChannelInternal, "客户名称\n甲公司\n乙公司\n")
		b := customerNamed(t, db, "乙公司")
		data := "客户名称,客户ID,合作项目名称,状态,金额,开始日期,结束日期,满意度评分\n" +
			"甲公司,,仓储系统一期,已完成,120万,2023-01-10,2023/6/30,4\n" +
			"," + itoa(b.ID) + ",分拣改造,执行中,50万,2024年3月1日,,\n" +
			"甲公司,,二期,,很多,2024-01-01,2023-01-01,9\n" +
			"丙公司,,不存在的客户,,,,,\n" +
			"甲公司,,,,,,,\n"
		res := importAs(t, db, dossier.KindProjects, "p.csv", dossier.ChannelInternal, data)
		if got := res.Run.Summary(); got != "imported 0, updated 3, rejected 2" {
			t.Errorf("projects: %s, issues %+v", got, res.Issues)
		}
		var cols []string
		for _, is := range res.Issues {
			if is.Column != "" {
				cols = append(cols, is.Column)
				if is.Row != 4 {
					t.Errorf("issue on row %d, want 4: %+v", is.Row, is)
				}
			}
		}
		if strings.Join(cols, ",") != "金额,满意度评分,project_end" {
			t.Errorf("value issues %v: %+v", cols, res.Issues)
		}
		a := customerNamed(t, db, "甲公司")
		ps, err := db.Projects(ctx, a.ID)
		if err != nil || len(ps) != 2 {
			t.Fatalf("projects of 甲: %+v, %v", ps, err)
		}
		one := ps[1] // newest first
		if one.Name != "仓储系统一期" || one.Status != "completed" || one.Amount != 1200000 || one.Start != "2023-01-10" ||
			one.End != "2023-06-30" || one.Satisfaction != 4 || one.Source.ImportID != res.Run.ID {
			t.Errorf("project %+v", one)
		}
		if ps[0].Amount != 0 || ps[0].End != "" || ps[0].Satisfaction != 0 {
			t.Errorf("bad values were kept: %+v", ps[0])
		}
		if bp, _ := db.Projects(ctx, b.ID); len(bp) != 1 || bp[0].Status != "ongoing" || bp[0].Start != "2024-03-01" {
			t.Errorf("projects of 乙: %+v", bp)
		}
		if got := importAs(t, db, dossier.KindProjects, "p.csv", dossier.ChannelInternal, data).Run.Summary(); got != "imported 0, updated 0, rejected 2" {
			t.Errorf("re-import: %s", got)
		}
		if _, err := db.UndoImport(ctx, res.Run.ID, "admin", false); err != nil {
			t.Fatal(err)
		}
		if ps, _ := db.Projects(ctx, a.ID); len(ps) != 0 {
			t.Errorf("projects of a reverted import still show: %+v", ps)
		}
	})
}

// The bulk path (new customers in multi-row statements) and the row path
// give the same store: a file with new rows, rows naming each other and rows
// naming stored customers, imported in one batch and row by row.
func TestImportBulkPathMatchesRowPath(t *testing.T) {
	code := validCreditCode("91440300MA5F0002")
	data := "客户名称,统一社会信用代码,预算,联系人,手机,沟通时间,沟通方式,沟通内容\n" +
		"甲公司,,10万,王,13912345678,2024-03-15,面谈,演示\n" +
		"乙公司," + code + ",20万,李,,,,\n" +
		"丙公司,,30万,,,2024-04-01,电话,报价\n" +
		"乙公司分部," + code + ",,赵,,,,\n" + // same code as 乙: one customer
		"甲公司,,,钱,13912340000,,,\n" + // same name as 甲
		"旧客户,,50万,孙,,,,\n" + // a stored customer
		"丁公司,,,,,,,\n"
	state := func(db *sqldb.DB) string {
		cs, err := db.CustomersAfter(ctx, dossier.CustomerFilter{}, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			contacts, _ := db.Contacts(ctx, c.ID)
			ins, _ := db.Interactions(ctx, c.ID)
			obs, _ := db.Observations(ctx, c.ID)
			out = append(out, c.Value("name")+"|"+c.Value("budget")+"|"+c.Value("credit_code")+"|"+c.LastContact+"|"+
				itoa(int64(len(contacts)))+"|"+itoa(int64(len(ins)))+"|"+itoa(int64(len(obs))))
		}
		slices.Sort(out)
		return strings.Join(out, "\n")
	}
	for _, s := range dbtest.Stores(t) {
		t.Run(s.Name, func(t *testing.T) {
			var states, sums []string
			for _, size := range []int{1000, 1} {
				db := s.Open(t, dbtest.Options())
				importAs(t, db, dossier.KindCustomers, "old.csv", dossier.ChannelInternal, "客户名称,预算\n旧客户,40万\n")
				res := runImport(t, db, data, dossier.ImportOptions{BatchSize: size})
				states, sums = append(states, state(db)), append(sums, res.Run.Summary())
				if c, err := db.CreateCustomer(ctx, dossier.NewCustomer{Values: map[string]string{"name": "后来者"},
					Source: dossier.Source{Channel: dossier.ChannelInternal, CollectedAt: time.Now()}}); err != nil || c.ID != 6 {
					t.Errorf("a customer made after the import: %+v, %v", c, err)
				}
			}
			if states[0] != states[1] || sums[0] != sums[1] || sums[0] != "imported 4, updated 3, rejected 0" {
				t.Errorf("one batch (%s):\n%s\nrow by row (%s):\n%s", sums[0], states[0], sums[1], states[1])
			}
		})
	}
}
