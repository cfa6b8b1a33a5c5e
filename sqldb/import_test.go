package sqldb_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/csv"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

func runImport(t *testing.T, store dossier.ImportStore, data string, opt dossier.ImportOptions) *dossier.ImportResult {
	t.Helper()
	res, err := tryImport(store, data, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func tryImport(store dossier.ImportStore, data string, opt dossier.ImportOptions) (*dossier.ImportResult, error) {
	r, err := csv.NewReader(strings.NewReader(data))
	if err != nil {
		return nil, err
	}
	im := &dossier.Importer{Store: store, Opt: opt}
	src := dossier.Source{Channel: dossier.ChannelCustomer, Detail: "list.csv", CollectedAt: time.Now(), CollectedBy: "import"}
	return im.Import(ctx, r, dossier.ImportRun{File: "list.csv", Kind: "customers", Source: src})
}

func countCustomers(t *testing.T, db *sqldb.DB) int {
	t.Helper()
	_, n, err := db.FindCustomers(ctx, dossier.CustomerFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportCustomers(t *testing.T) {
	code := validCreditCode("91440300MA5F0001")
	data := "客户名称,统一社会信用代码,预算,联系人,手机,沟通时间,沟通方式,沟通内容,竞品\n" +
		"华信科技," + code + ",30-50万,王先生,13912345678,2024-03-15,面谈,演示,阿里\n" +
		"华信科技有限公司," + code + ",30-50万,李女士,13912345679,2024-03-15,面谈,演示,阿里\n" +
		"华信科技有限公司,,30-50万,王先生,13912345678,,,,阿里\n" +
		",,10万,张三,,,,,\n" +
		"东方机械,,很多钱,赵,,,,,\n"
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		res := runImport(t, db, data, dossier.ImportOptions{})
		if got := res.Run.Summary(); got != "imported 2, updated 1, rejected 1" || res.Run.Same != 1 {
			t.Errorf("first import: %s (same %d), issues %+v", got, res.Run.Same, res.Issues)
		}
		if len(res.Issues) != 2 || len(res.NewFields) != 1 {
			t.Errorf("issues %+v, new fields %+v", res.Issues, res.NewFields)
		}
		if n := countCustomers(t, db); n != 2 {
			t.Fatalf("%d customers, want 2", n)
		}
		cs, _, _ := db.FindCustomers(ctx, dossier.CustomerFilter{Query: "华信", Sort: "id"})
		c := cs[0]
		contacts, _ := db.Contacts(ctx, c.ID)
		ins, _ := db.Interactions(ctx, c.ID)
		if len(contacts) != 2 || len(ins) != 1 {
			t.Errorf("%d contacts, %d interactions; want 2 and 1", len(contacts), len(ins))
		}
		obs, _ := db.Observations(ctx, c.ID)
		s := obs[0].Source
		if s.ImportID != res.Run.ID || s.Detail != "list.csv" || s.CollectedBy != "import" || s.Channel != dossier.ChannelCustomer {
			t.Errorf("source %+v, import %d", s, res.Run.ID)
		}
		if c.Value(res.NewFields[0].Key) != "阿里" {
			t.Errorf("custom column: %v", c.Values)
		}
		run, err := db.ImportRunByID(ctx, res.Run.ID)
		if err != nil || run.Status != "done" || run.Imported != 2 || run.Rejected != 1 {
			t.Errorf("recorded run %+v, %v", run, err)
		}

		again := runImport(t, db, data, dossier.ImportOptions{})
		if got := again.Run.Summary(); got != "imported 0, updated 0, rejected 1" || again.Run.Same != 4 {
			t.Errorf("re-import: %s, same %d", got, again.Run.Same)
		}
		if obs2, _ := db.Observations(ctx, c.ID); len(obs2) != len(obs) {
			t.Errorf("re-import added observations: %d → %d", len(obs), len(obs2))
		}
	})
}

func TestImportDryRun(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		res := runImport(t, db, "客户名称,新列\n甲\n乙\n甲\n", dossier.ImportOptions{DryRun: true, BatchSize: 2})
		if got := res.Run.Summary(); got != "imported 2, updated 1, rejected 0" {
			t.Errorf("dry run: %s", got)
		}
		reg, _ := db.Registry(ctx)
		if n := countCustomers(t, db); n != 0 || len(reg.Fields()) != len(dossier.BuiltinFields()) {
			t.Errorf("dry run wrote: %d customers, %d fields", n, len(reg.Fields()))
		}
	})
}

// crashStore fails the batch after `after` successful ones, as a killed
// process would lose the batch in flight.
type crashStore struct {
	*sqldb.DB
	after int
}

func (c *crashStore) ImportBatch(ctx context.Context, run *dossier.ImportRun, b []dossier.ImportRecord, dry bool) ([]dossier.ImportOutcome, error) {
	if c.after == 0 {
		return nil, errors.New("killed")
	}
	c.after--
	return c.DB.ImportBatch(ctx, run, b, dry)
}

func TestImportResumesAfterCrash(t *testing.T) {
	var b strings.Builder
	b.WriteString("客户名称,联系人\n")
	for i := range 50 {
		b.WriteString("公司" + itoa(int64(i)) + ",联系人" + itoa(int64(i)) + "\n")
	}
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		if _, err := tryImport(&crashStore{DB: db, after: 2}, b.String(), dossier.ImportOptions{BatchSize: 10}); err == nil {
			t.Fatal("crash not reported")
		}
		if n := countCustomers(t, db); n != 20 {
			t.Fatalf("after crash: %d customers, want the 2 committed batches (20)", n)
		}
		res := runImport(t, db, b.String(), dossier.ImportOptions{BatchSize: 10})
		if got := res.Run.Summary(); got != "imported 30, updated 0, rejected 0" || res.Run.Same != 20 {
			t.Errorf("re-run: %s, same %d", got, res.Run.Same)
		}
		if n := countCustomers(t, db); n != 50 {
			t.Errorf("%d customers, want 50", n)
		}
	})
}

func itoa(n int64) string { return strings.TrimSpace(dossier.FormatNumber(float64(n))) }

func TestImportInteractions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		runImport(t, db, "客户名称,联系人\n甲公司,王先生\n乙公司,李女士\n", dossier.ImportOptions{})
		cs, _, _ := db.FindCustomers(ctx, dossier.CustomerFilter{Query: "乙公司"})
		data := "客户,客户ID,日期,沟通方式,摘要,反馈,联系人\n" +
			"甲公司,,2024-03-15,面谈,演示,积极,王先生\n" +
			"," + itoa(cs[0].ID) + ",2024/4/1,电话,报价,,\n" +
			"丙公司,,2024-03-15,面谈,,,\n" +
			"甲公司,,不是日期,面谈,,,\n" +
			"甲公司,,2024-05-01,飞鸽,,,\n"
		imp := func() *dossier.ImportResult {
			r, err := csv.NewReader(strings.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			im := &dossier.Importer{Store: db}
			src := dossier.Source{Channel: dossier.ChannelInternal, Detail: "crm", CollectedAt: time.Now(), CollectedBy: "import"}
			res, err := im.Import(ctx, r, dossier.ImportRun{File: "i.csv", Kind: dossier.KindInteractions, Source: src})
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		res := imp()
		if got := res.Run.Summary(); got != "imported 0, updated 3, rejected 2" {
			t.Errorf("interactions: %s, issues %+v", got, res.Issues)
		}
		a, _, _ := db.FindCustomers(ctx, dossier.CustomerFilter{Query: "甲公司"})
		ins, _ := db.Interactions(ctx, a[0].ID)
		if len(ins) != 2 || ins[1].ContactID == 0 || ins[1].Feedback != "positive" || ins[0].Channel != "" {
			t.Errorf("interactions of 甲: %+v", ins)
		}
		if c, _ := db.FindCustomerByID(ctx, cs[0].ID); c.LastContact != "2024-04-01" {
			t.Errorf("last contact %q", c.LastContact)
		}
		if got := imp().Run.Summary(); got != "imported 0, updated 0, rejected 2" {
			t.Errorf("again: %s", got)
		}
	})
}

func TestImportContacts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		runImport(t, db, "客户名称,联系人,手机\n甲公司,王先生,13912345678\n", dossier.ImportOptions{})
		data := "客户名称,联系人,职务,决策角色,手机,邮箱\n" +
			"甲公司,李女士,采购经理,采购,13912345679,li@example.com\n" +
			"甲公司,王总,,,13912345678,\n" + // same phone as 王先生
			"丙公司,赵,,,,\n" +
			"甲公司,,,,13700000000,\n"
		imp := func() string {
			r, _ := csv.NewReader(strings.NewReader(data))
			im := &dossier.Importer{Store: db}
			src := dossier.Source{Channel: dossier.ChannelInternal, Detail: "crm", CollectedAt: time.Now(), CollectedBy: "import"}
			res, err := im.Import(ctx, r, dossier.ImportRun{File: "c.csv", Kind: dossier.KindContacts, Source: src})
			if err != nil {
				t.Fatal(err)
			}
			return res.Run.Summary()
		}
		if got := imp(); got != "imported 0, updated 1, rejected 2" {
			t.Errorf("contacts: %s", got)
		}
		a, _, _ := db.FindCustomers(ctx, dossier.CustomerFilter{Query: "甲公司"})
		cs, _ := db.Contacts(ctx, a[0].ID)
		if len(cs) != 2 || cs[1].Role != "procurement" || cs[1].Email != "li@example.com" {
			t.Errorf("contacts: %+v", cs)
		}
		if got := imp(); got != "imported 0, updated 0, rejected 2" {
			t.Errorf("again: %s", got)
		}
	})
}

func TestImportRunFailedIsRecorded(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		res, err := tryImport(&crashStore{DB: db, after: 1}, "客户名称\n甲\n乙\n", dossier.ImportOptions{BatchSize: 1})
		if err == nil {
			t.Fatal("crash not reported")
		}
		run, err := db.ImportRunByID(ctx, res.Run.ID)
		if err != nil || run.Status != "failed" || run.Imported != 1 {
			t.Errorf("run %+v, %v", run, err)
		}
	})
}
