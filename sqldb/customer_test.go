package sqldb_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

var ctx = context.Background()

func src(ch dossier.Channel, detail string, at string) dossier.Source {
	t, _ := time.Parse(dossier.DateLayout, at)
	return dossier.Source{Channel: ch, Detail: detail, CollectedAt: t, CollectedBy: "tester"}
}

func mustCreate(t *testing.T, db *sqldb.DB, vals map[string]string) *dossier.Customer {
	t.Helper()
	c, err := db.CreateCustomer(ctx, dossier.NewCustomer{Values: vals, Source: src(dossier.ChannelInternal, "test", "2026-01-05")})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestCreateAndFindCustomer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		c, err := db.CreateCustomer(ctx, dossier.NewCustomer{
			Values: map[string]string{
				"name": "深圳市华信科技有限公司", "industry": "信息技术-软件开发", "stage": "潜在", "budget": "30-50万",
				"revenue": "大概5000万", "employees": "300", "credit_code": "91440300MA5F00000X",
				"contact_name": "王先生", "contact_role": "决策人", "contact_phone": "139 1234 5678",
				"last_contact_date": "2024/3/15", "last_contact_channel": "面谈", "feedback": "积极",
			},
			Source: src(dossier.ChannelCustomer, "需求调研", "2024-03-15"),
		})
		if err == nil {
			t.Fatalf("bad credit code accepted: %+v", c)
		}
		if dossier.ErrorCode(err) != dossier.EINVALID {
			t.Fatalf("code = %s, want invalid: %v", dossier.ErrorCode(err), err)
		}
		code := validCreditCode("91440300MA5F0000")
		c, err = db.CreateCustomer(ctx, dossier.NewCustomer{
			Values: map[string]string{
				"name": "深圳市华信科技有限公司", "industry": "信息技术-软件开发", "stage": "潜在", "budget": "30-50万",
				"revenue": "大概5000万", "employees": "300", "credit_code": code,
				"contact_name": "王先生", "contact_role": "决策人", "contact_phone": "139 1234 5678",
				"last_contact_date": "2024/3/15", "last_contact_channel": "面谈", "feedback": "积极",
			},
			Source: src(dossier.ChannelCustomer, "需求调研", "2024-03-15"),
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.FindCustomerByID(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"name": "深圳市华信科技有限公司", "industry": "信息技术-软件开发", "stage": "prospect", "budget": "300000-500000",
			"revenue": "50000000", "employees": "300", "credit_code": code,
		}
		if diff := cmp.Diff(want, got.Values); diff != "" {
			t.Errorf("values (-want +got):\n%s", diff)
		}
		if got.Name != want["name"] || got.Stage != "prospect" || got.LastContact != "2024-03-15" || got.Version != 1 {
			t.Errorf("typed fields: %+v", got)
		}
		contacts, err := db.Contacts(ctx, c.ID)
		if err != nil || len(contacts) != 1 || contacts[0].Phone != "+8613912345678" || contacts[0].Role != "decision_maker" {
			t.Errorf("contacts = %+v, %v", contacts, err)
		}
		ins, err := db.Interactions(ctx, c.ID)
		if err != nil || len(ins) != 1 || ins[0].Channel != "meeting" || ins[0].Feedback != "positive" {
			t.Errorf("interactions = %+v, %v", ins, err)
		}
		_, win, err := db.FieldHistory(ctx, c.ID, "revenue")
		if err != nil || win == nil || win.Remark != dossier.RemarkPending {
			t.Errorf("vague revenue should be pending verification: %+v %v", win, err)
		}
		if _, err := db.FindCustomerByID(ctx, c.ID+1000); dossier.ErrorCode(err) != dossier.ENOTFOUND {
			t.Errorf("missing customer: %v", err)
		}
	})
}

func validCreditCode(first16 string) string {
	first17 := first16 + "1"
	c, _ := dossier.CreditCodeCheck(first17)
	return first17 + string(c)
}

func TestFactsAreAppendOnlyAndResolved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		c := mustCreate(t, db, map[string]string{"name": "华信科技", "industry": "制造业", "revenue": "1亿"})
		steps := []struct {
			src  dossier.Source
			vals map[string]string
			rem  map[string]dossier.Remark
			want string
		}{
			// A public annual report: less trusted than our own record.
			{src(dossier.ChannelPublic, "2023年年报", "2026-02-01"), map[string]string{"revenue": "1.2亿"}, nil, "100000000"},
			// The customer's own figure, unconfirmed: pending loses.
			{src(dossier.ChannelInternal, "销售估计", "2026-03-01"), map[string]string{"revenue": "9000万"}, map[string]dossier.Remark{"revenue": dossier.RemarkPending}, "100000000"},
			// A newer internal record wins.
			{src(dossier.ChannelInternal, "订单系统", "2026-04-01"), map[string]string{"revenue": "1.5亿"}, nil, "150000000"},
			// An older internal record recorded later loses to the newer collection.
			{src(dossier.ChannelInternal, "旧台账", "2025-01-01"), map[string]string{"revenue": "8000万"}, nil, "150000000"},
		}
		for i, s := range steps {
			cur, err := db.FindCustomerByID(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.UpdateCustomer(ctx, c.ID, dossier.CustomerUpdate{Values: s.vals, Remarks: s.rem, Source: s.src, Version: cur.Version})
			if err != nil {
				t.Fatal(err)
			}
			if got.Value("revenue") != s.want {
				t.Errorf("step %d: revenue = %s, want %s", i, got.Value("revenue"), s.want)
			}
		}
		hist, win, err := db.FieldHistory(ctx, c.ID, "revenue")
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 5 {
			t.Fatalf("history has %d facts, want 5 (nothing overwritten)", len(hist))
		}
		if win.Source.Detail != "订单系统" || hist[0].Source.Detail != "旧台账" {
			t.Errorf("winner %q, oldest %q", win.Source.Detail, hist[0].Source.Detail)
		}
		// Registry fields trust the business registry over our own notes.
		code := validCreditCode("91310000MA1K0000")
		cur, _ := db.FindCustomerByID(ctx, c.ID)
		upd := dossier.CustomerUpdate{Values: map[string]string{"credit_code": code}, Source: src(dossier.ChannelPublic, "企查查", "2025-06-01"), Version: cur.Version}
		if _, err := db.UpdateCustomer(ctx, c.ID, upd); err != nil {
			t.Fatal(err)
		}
		other := validCreditCode("91310000MA1K0001")
		cur, _ = db.FindCustomerByID(ctx, c.ID)
		got, err := db.UpdateCustomer(ctx, c.ID, dossier.CustomerUpdate{Values: map[string]string{"credit_code": other},
			Source: src(dossier.ChannelInternal, "销售录入", "2026-06-01"), Version: cur.Version})
		if err != nil {
			t.Fatal(err)
		}
		if got.Value("credit_code") != code {
			t.Errorf("credit code = %s, want the registry's %s", got.Value("credit_code"), code)
		}
	})
}

func TestUpdateConflict(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		c := mustCreate(t, db, map[string]string{"name": "恒泰机械", "industry": "制造业-机械设备"})
		s := src(dossier.ChannelInternal, "编辑", "2026-02-01")
		if _, err := db.UpdateCustomer(ctx, c.ID, dossier.CustomerUpdate{Values: map[string]string{"city": "苏州"}, Source: s, Version: c.Version}); err != nil {
			t.Fatal(err)
		}
		_, err := db.UpdateCustomer(ctx, c.ID, dossier.CustomerUpdate{Values: map[string]string{"city": "无锡"}, Source: s, Version: c.Version})
		if dossier.ErrorCode(err) != dossier.ECONFLICT {
			t.Fatalf("stale save: %v, want conflict", err)
		}
		got, _ := db.FindCustomerByID(ctx, c.ID)
		if got.Value("city") != "苏州" {
			t.Errorf("city = %q: the stale save must not land", got.Value("city"))
		}
		if _, err := db.UpdateCustomer(ctx, c.ID, dossier.CustomerUpdate{Values: map[string]string{"grade": "非常重要"}, Source: s}); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("bad enum: %v", err)
		}
		if _, err := db.UpdateCustomer(ctx, c.ID, dossier.CustomerUpdate{Values: map[string]string{"nope": "x"}, Source: s}); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("unknown field: %v", err)
		}
		obs, _ := db.Observations(ctx, c.ID)
		if len(obs) != 2 {
			t.Errorf("%d observations, want 2: refused updates must write nothing", len(obs))
		}
	})
}

func TestFindCustomers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rows := []map[string]string{
			{"name": "苏州恒泰机械有限公司", "industry": "制造业-机械设备", "province": "江苏", "city": "苏州", "grade": "重点", "owner": "张伟"},
			{"name": "上海华信软件有限公司", "industry": "信息技术-软件开发", "province": "上海", "city": "上海", "grade": "潜在", "owner": "李娜"},
			{"name": "无锡恒达汽车零部件有限公司", "industry": "制造业-汽车零部件", "province": "江苏", "city": "无锡", "grade": "普通", "owner": "张伟"},
			{"name": "100%_纯净水有限公司", "industry": "制造业-食品饮料", "province": "广东", "city": "广州", "owner": "李娜"},
		}
		for _, r := range rows {
			mustCreate(t, db, r)
		}
		tests := []struct {
			name string
			f    dossier.CustomerFilter
			want []string
			tot  int
		}{
			{"industry prefix", dossier.CustomerFilter{Industry: "制造业", Sort: "name"}, []string{"100%_纯净水有限公司", "无锡恒达汽车零部件有限公司", "苏州恒泰机械有限公司"}, 3},
			{"leaf industry", dossier.CustomerFilter{Industry: "制造业-机械设备"}, []string{"苏州恒泰机械有限公司"}, 1},
			{"province and owner", dossier.CustomerFilter{Province: "江苏", Owner: "张伟", Sort: "id"}, []string{"苏州恒泰机械有限公司", "无锡恒达汽车零部件有限公司"}, 2},
			{"query", dossier.CustomerFilter{Query: "恒"}, []string{"无锡恒达汽车零部件有限公司", "苏州恒泰机械有限公司"}, 2},
			{"like metacharacters are literal", dossier.CustomerFilter{Query: "%_"}, []string{"100%_纯净水有限公司"}, 1},
			{"grade", dossier.CustomerFilter{Grade: "key"}, []string{"苏州恒泰机械有限公司"}, 1},
			{"paging", dossier.CustomerFilter{Sort: "id", Limit: 2, Offset: 1}, []string{"上海华信软件有限公司", "无锡恒达汽车零部件有限公司"}, 4},
			{"injection is data", dossier.CustomerFilter{Query: "' OR 1=1 --"}, nil, 0},
		}
		for _, tt := range tests {
			got, total, err := db.FindCustomers(ctx, tt.f)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			var names []string
			for _, c := range got {
				names = append(names, c.Name)
			}
			if diff := cmp.Diff(tt.want, names); diff != "" || total != tt.tot {
				t.Errorf("%s: total %d (want %d), names (-want +got):\n%s", tt.name, total, tt.tot, diff)
			}
		}
		if _, _, err := db.FindCustomers(ctx, dossier.CustomerFilter{Sort: "name; DROP TABLE customers"}); dossier.ErrorCode(err) != dossier.EINVALID {
			t.Errorf("bad sort: %v", err)
		}
	})
}

func day(s string) time.Time {
	t, err := time.Parse(dossier.DateLayout, s)
	if err != nil {
		panic(err)
	}
	return t
}

// The store itself refuses to change or delete an observation.
func TestObservationsAreAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		c := mustCreate(t, db, map[string]string{"name": "华信科技", "industry": "制造业"})
		for _, q := range []string{"UPDATE observations SET vals = '{}'", "DELETE FROM observations"} {
			if err := db.ExecForTest(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v", q, err)
			}
		}
		if obs, _ := db.Observations(ctx, c.ID); len(obs) != 1 || obs[0].Values["name"] != "华信科技" {
			t.Errorf("observation changed: %+v", obs)
		}
	})
}
