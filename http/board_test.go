package http

import (
	"context"
	"fmt"
	nethttp "net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/rules"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// boardFixture: two teams, a manager and two reps in east, a rep and a
// manager in west, and customers of each rep plus one in east's pool.
type boardFixture struct {
	*env
	clients                      map[string]*client
	li1, li2, chen, wangC, poolC *dossier.Customer
}

func newBoardFixture(t *testing.T, db *sqldb.DB) *boardFixture {
	e := envOn(t, db)
	f := &boardFixture{env: e, clients: map[string]*client{}}
	for _, u := range []*dossier.User{
		e.user("admin", dossier.RoleAdmin, ""), e.user("zhou", dossier.RoleManager, "east"),
		e.user("li", dossier.RoleSales, "east"), e.user("chen", dossier.RoleSales, "east"),
		e.user("wang", dossier.RoleSales, "west"), e.user("hu", dossier.RoleManager, "west"),
		e.user("sun", dossier.RoleService, ""),
	} {
		f.clients[u.Name] = e.withSession(u)
	}
	mk := func(name, owner, team string) *dossier.Customer {
		return e.customer(map[string]string{"name": name, "industry": "制造业-机械设备", "owner": owner, "team": team,
			"last_contact_date": "2026-01-10", "last_contact_channel": "电话"})
	}
	f.li1, f.li2 = mk("华东一号机械有限公司", "li", "east"), mk("华东二号机械有限公司", "li", "east")
	f.chen, f.wangC = mk("陈氏精工有限公司", "chen", "east"), mk("西部重工集团", "wang", "west")
	f.poolC = mk("公海华东电机有限公司", "", "east")
	return f
}

// bulk posts the bulk form as as, with the list filter query q.
func (f *boardFixture) bulk(as, q string, form url.Values) resp {
	f.t.Helper()
	c := f.clients[as]
	form.Set(csrfField, c.csrf("/settings"))
	return c.post("/customers/bulk?"+q, form)
}

func ids(cs ...*dossier.Customer) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = fmt.Sprint(c.ID)
	}
	return out
}

// tagged lists the names of customers holding tag, straight from the store.
func (f *boardFixture) tagged(t *testing.T, tag string) []string {
	t.Helper()
	cs, _, err := f.db.FindCustomers(context.Background(), dossier.CustomerFilter{Expr: fmt.Sprintf("tag = %q", tag), Sort: "name"})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func (f *boardFixture) owner(t *testing.T, c *dossier.Customer) string {
	t.Helper()
	got, err := f.db.FindCustomerByID(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got.Owner
}

func TestBulkActions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newBoardFixture(t, db)
		ctx := context.Background()

		// A rep tags their own ticked customers.
		r := f.bulk("li", "", url.Values{"op": {"tag"}, "tag": {"渠道-展会获客"}, "id": ids(f.li1, f.li2)})
		if r.StatusCode != 303 || !strings.Contains(r.Header.Get("Location"), "done=2") {
			t.Fatalf("bulk tag: %d %s %s", r.StatusCode, r.Header.Get("Location"), r.body)
		}
		if got := f.tagged(t, "渠道-展会获客"); strings.Join(got, ",") != "华东一号机械有限公司,华东二号机械有限公司" {
			t.Errorf("tagged %v", got)
		}
		// A customer the rep does not see fails the whole request; nothing changes.
		r = f.bulk("li", "", url.Values{"op": {"tag"}, "tag": {"越权"}, "id": ids(f.li1, f.chen)})
		if r.StatusCode != 404 || len(f.tagged(t, "越权")) != 0 {
			t.Errorf("tag of an unseen customer: %d, tagged %v", r.StatusCode, f.tagged(t, "越权"))
		}
		// Reps do not assign owners, not even to themselves.
		if r = f.bulk("li", "", url.Values{"op": {"assign"}, "owner": {"li"}, "id": ids(f.chen)}); r.StatusCode != 403 {
			t.Errorf("rep bulk assign: %d", r.StatusCode)
		}
		if r = f.bulk("li", "", url.Values{"op": {"assign"}, "owner": {"li"}, "all": {"1"}}); r.StatusCode != 403 || f.owner(t, f.chen) != "chen" {
			t.Errorf("rep bulk assign all: %d, chen's customer owned by %s", r.StatusCode, f.owner(t, f.chen))
		}
		// A manager assigns within the team; another team's customer or
		// user is refused.
		if r = f.bulk("zhou", "", url.Values{"op": {"assign"}, "owner": {"chen"}, "id": ids(f.li1, f.wangC)}); r.StatusCode != 404 {
			t.Errorf("manager assigns another team's customer: %d", r.StatusCode)
		}
		if r = f.bulk("zhou", "", url.Values{"op": {"assign"}, "owner": {"wang"}, "id": ids(f.li1)}); r.StatusCode != 403 {
			t.Errorf("manager assigns to another team's rep: %d", r.StatusCode)
		}
		if r = f.bulk("zhou", "", url.Values{"op": {"assign"}, "owner": {"nobody"}, "id": ids(f.li1)}); r.StatusCode != 400 {
			t.Errorf("assign to an unknown user: %d", r.StatusCode)
		}
		if f.owner(t, f.li1) != "li" {
			t.Fatal("a refused bulk assign changed an owner")
		}
		// All matching the filter: every east customer whose name has 华东,
		// and nothing of the west team.
		r = f.bulk("zhou", "q="+url.QueryEscape("华东"), url.Values{"op": {"assign"}, "owner": {"chen"}, "all": {"1"}})
		if r.StatusCode != 303 || !strings.Contains(r.Header.Get("Location"), "done=3") || !strings.Contains(r.Header.Get("Location"), "q=") {
			t.Fatalf("assign all: %d %s %s", r.StatusCode, r.Header.Get("Location"), r.body)
		}
		for _, c := range []*dossier.Customer{f.li1, f.li2, f.poolC} {
			if o := f.owner(t, c); o != "chen" {
				t.Errorf("%s owned by %q, want chen", c.Name, o)
			}
		}
		if f.owner(t, f.wangC) != "wang" {
			t.Error("assign all reached another team")
		}
		// Each change is a fact with its source, and audited.
		facts, winner, err := f.db.FieldHistory(ctx, f.li1.ID, "owner")
		if err != nil || winner == nil || winner.Value != "chen" || winner.Source.Detail != "bulk assign" ||
			winner.Source.CollectedBy != "zhou" || winner.Source.Channel != dossier.ChannelInternal || len(facts) != 2 {
			t.Errorf("owner facts %+v, winner %+v, %v", facts, winner, err)
		}
		audit, _, _ := f.db.FindAudit(ctx, dossier.AuditFilter{Action: dossier.AuditCustomerUpdate})
		var assigns, tags int
		for _, a := range audit {
			assigns += btoi(a.User == "zhou" && strings.Contains(a.Detail, `bulk assign: owner "li" → "chen"`))
			tags += btoi(a.User == "li" && a.Detail == "bulk tag add 渠道-展会获客")
		}
		if assigns != 2 || tags != 2 {
			t.Errorf("audit: %d assigns, %d tags: %+v", assigns, tags, audit)
		}

		// Export of ticked rows: only those, audited; an unseen one is refused.
		r = f.bulk("chen", "", url.Values{"op": {"csv"}, "id": ids(f.li2)})
		if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(r.body, "华东二号机械有限公司") || strings.Contains(r.body, "华东一号") || !strings.Contains(r.body, "客户名称") {
			t.Errorf("csv export: %d %q\n%s", r.StatusCode, r.Header.Get("Content-Type"), r.body)
		}
		if r = f.bulk("wang", "", url.Values{"op": {"xlsx"}, "id": ids(f.li2)}); r.StatusCode != 404 {
			t.Errorf("export of an unseen customer: %d", r.StatusCode)
		}
		r = f.bulk("hu", "", url.Values{"op": {"xlsx"}, "all": {"1"}})
		if r.StatusCode != 200 || !strings.HasPrefix(r.body, "PK") {
			t.Errorf("xlsx export: %d %.100q", r.StatusCode, r.body)
		}
		exports, _, _ := f.db.FindAudit(ctx, dossier.AuditFilter{Action: dossier.AuditExport})
		if len(exports) != 2 || !strings.Contains(exports[0].Detail+exports[1].Detail, "1 customers to customers.csv") {
			t.Errorf("export audit %+v", exports)
		}

		// An admin gives a west customer to an east rep: it moves to east.
		if r = f.bulk("admin", "", url.Values{"op": {"assign"}, "owner": {"chen"}, "id": ids(f.wangC)}); r.StatusCode != 303 {
			t.Fatalf("admin assign: %d %s", r.StatusCode, r.body)
		}
		if moved, _ := f.db.FindCustomerByID(ctx, f.wangC.ID); moved.Owner != "chen" || moved.Team != "east" {
			t.Errorf("moved customer: owner %q team %q", moved.Owner, moved.Team)
		}
		f.clients["zhou"].get(fmt.Sprintf("/customers/%d", f.wangC.ID)).mustContain(t, "西部重工集团")

		// Without the CSRF token nothing happens.
		r = f.clients["zhou"].post("/customers/bulk", url.Values{"op": {"tag"}, "tag": {"无令牌"}, "all": {"1"}})
		if r.StatusCode != 403 || len(f.tagged(t, "无令牌")) != 0 {
			t.Errorf("bulk without CSRF: %d", r.StatusCode)
		}
		// Service staff see customers but do not change them.
		if r = f.bulk("sun", "", url.Values{"op": {"tag"}, "tag": {"x"}, "all": {"1"}}); r.StatusCode != 403 {
			t.Errorf("service bulk tag: %d", r.StatusCode)
		}
	})
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestBulkFormOnList(t *testing.T) {
	f := newBoardFixture(t, dbtest.SQLite(t, dbtest.Options()))
	page := f.clients["zhou"].get("/customers?q=" + url.QueryEscape("华东"))
	page.mustContain(t, `id="bulk-form"`, `action="/customers/bulk?q=%E5%8D%8E%E4%B8%9C"`, `name="id" value="`,
		"分配负责人", "选择筛选结果中的全部 3 个客户")
	rep := f.clients["li"].get("/customers")
	rep.mustContain(t, `id="bulk-form"`, "添加标签")
	rep.mustNotContain(t, "分配负责人")
	f.clients["sun"].get("/customers").mustNotContain(t, `id="bulk-form"`)
}

// recomputeStore runs the analysis as dossier score does, so tasks exist.
func recomputeStore(t *testing.T, db *sqldb.DB) {
	t.Helper()
	e, err := rules.Load(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecomputeAll(context.Background(), time.Now(), dossier.DefaultScoreSettings(), e, nil); err != nil {
		t.Fatal(err)
	}
}

func TestTasksBoard(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newBoardFixture(t, db)
		recomputeStore(t, db)
		ctx := context.Background()
		li := f.clients["li"]
		page := li.get("/tasks")
		if page.StatusCode != 200 {
			t.Fatalf("board: %d %s", page.StatusCode, page.body)
		}
		page.mustContain(t, "任务与跟进节奏", "华东一号机械有限公司", "按节奏跟进", "每周跟进", "每两周跟进", "每月跟进",
			"公海客户", "公海华东电机有限公司", "认领", "跟进逾期超过 30 天")
		page.mustNotContain(t, "陈氏精工有限公司", "西部重工集团")
		// The manager sees the team and may pick an owner; west sees its own.
		zhou := f.clients["zhou"].get("/tasks")
		zhou.mustContain(t, "陈氏精工有限公司", "华东一号机械有限公司", `<option value="chen"`)
		zhou.mustNotContain(t, "西部重工集团", `<option value="wang"`)
		f.clients["zhou"].get("/tasks?owner=chen").mustNotContain(t, "华东一号机械有限公司")
		f.clients["wang"].get("/tasks").mustNotContain(t, "公海华东电机有限公司", "华东一号")
		if r := li.get("/tasks?tier=top"); r.StatusCode != 400 {
			t.Errorf("bad tier: %d", r.StatusCode)
		}
		a, err := f.srv.svc.Analysis.Analyze(ctx, f.li1.ID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		f.clients["zhou"].get("/tasks?tier="+a.Tier).mustContain(t, "华东一号机械有限公司")
		other := map[string]string{"high": "low", "medium": "low", "low": "high"}[a.Tier]
		f.clients["zhou"].get("/tasks?tier="+other).mustNotContain(t, "华东一号机械有限公司")

		// Complete one of li's tasks from the board, postpone another.
		ts, err := db.FindTasks(ctx, dossier.TaskFilter{CustomerID: f.li1.ID, Status: dossier.TaskOpen})
		if err != nil || len(ts) == 0 {
			t.Fatalf("tasks of li1: %v %v", ts, err)
		}
		csrf := li.csrf("/tasks")
		r := li.post(fmt.Sprintf("/tasks/%d", ts[0].ID), url.Values{"csrf": {csrf}, "status": {"done"}, "back": {"/tasks?tier=high"}})
		if r.StatusCode != 303 || r.Header.Get("Location") != "/tasks?tier=high" {
			t.Errorf("complete: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		done, _ := db.FindTasks(ctx, dossier.TaskFilter{ID: ts[0].ID})
		if len(done) != 1 || done[0].Status != dossier.TaskDone {
			t.Errorf("task after complete: %+v", done)
		}
		li.get("/tasks").mustContain(t, fmt.Sprintf(`id="task-%d"`, ts[0].ID))
		ts2, _ := db.FindTasks(ctx, dossier.TaskFilter{CustomerID: f.li2.ID, Status: dossier.TaskOpen})
		if len(ts2) == 0 {
			t.Fatal("li2 has no open task")
		}
		r = li.post(fmt.Sprintf("/tasks/%d", ts2[0].ID), url.Values{"csrf": {csrf}, "postpone": {"7"}, "back": {"https://evil.example/"}})
		if r.StatusCode != 303 || r.Header.Get("Location") != "/customers" {
			t.Errorf("postpone: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		moved, _ := db.FindTasks(ctx, dossier.TaskFilter{ID: ts2[0].ID})
		want := postponeDue(ts2[0].Due, dossier.FormatDate(time.Now().UTC()), 7)
		if len(moved) != 1 || moved[0].Due != want || moved[0].Status != dossier.TaskOpen {
			t.Errorf("postponed task %+v, want due %s", moved, want)
		}
		if r = li.post(fmt.Sprintf("/tasks/%d", ts2[0].ID), url.Values{"csrf": {csrf}, "postpone": {"400"}}); r.StatusCode != 400 {
			t.Errorf("postpone 400 days: %d", r.StatusCode)
		}
		// Another team's rep cannot touch li's task.
		wang := f.clients["wang"]
		if r = wang.post(fmt.Sprintf("/tasks/%d", ts2[0].ID), url.Values{"csrf": {wang.csrf("/tasks")}, "status": {"done"}}); r.StatusCode != 404 {
			t.Errorf("wang completes li's task: %d", r.StatusCode)
		}
		audit, _, _ := f.db.FindAudit(ctx, dossier.AuditFilter{Action: dossier.AuditTaskUpdate})
		if len(audit) != 2 || !strings.Contains(audit[0].Detail+audit[1].Detail, "due "+ts2[0].Due+" → "+want) {
			t.Errorf("task audit %+v", audit)
		}
	})
}

func TestClaimFromPool(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newBoardFixture(t, db)
		recomputeStore(t, db)
		ctx := context.Background()
		claim := func(as string, c *dossier.Customer) resp {
			cl := f.clients[as]
			return cl.post(fmt.Sprintf("/pool/%d/claim", c.ID), url.Values{"csrf": {cl.csrf("/tasks")}})
		}
		// West does not see east's pool; a customer with an owner is no pool's.
		if r := claim("wang", f.poolC); r.StatusCode != 404 {
			t.Errorf("wang claims east's pool customer: %d", r.StatusCode)
		}
		if r := claim("zhou", f.chen); r.StatusCode != 409 {
			t.Errorf("zhou claims chen's customer: %d", r.StatusCode)
		}
		if r := claim("li", f.chen); r.StatusCode != 404 {
			t.Errorf("li claims chen's customer, which li does not see: %d", r.StatusCode)
		}
		if r := claim("wang", f.chen); r.StatusCode != 404 {
			t.Errorf("wang claims chen's customer: %d", r.StatusCode)
		}
		if r := claim("sun", f.poolC); r.StatusCode != 403 {
			t.Errorf("service claims: %d", r.StatusCode)
		}
		r := claim("li", f.poolC)
		if r.StatusCode != 303 || r.Header.Get("Location") != "/tasks" {
			t.Fatalf("claim: %d %s", r.StatusCode, r.body)
		}
		if o := f.owner(t, f.poolC); o != "li" {
			t.Errorf("claimed customer owned by %q", o)
		}
		_, winner, _ := db.FieldHistory(ctx, f.poolC.ID, "owner")
		if winner == nil || winner.Source.Detail != "claimed from the public pool" || winner.Source.CollectedBy != "li" {
			t.Errorf("claim fact %+v", winner)
		}
		ts, _ := db.FindTasks(ctx, dossier.TaskFilter{CustomerID: f.poolC.ID, Status: dossier.TaskOpen})
		for _, tk := range ts {
			if tk.Owner != "li" {
				t.Errorf("open task %+v not li's after the claim", tk)
			}
		}
		if r := claim("chen", f.poolC); r.StatusCode != 404 {
			t.Errorf("claim twice: %d", r.StatusCode)
		}
		page := f.clients["li"].get("/tasks")
		page.mustContain(t, "公海中没有客户")
		audit, _, _ := f.db.FindAudit(ctx, dossier.AuditFilter{Action: dossier.AuditCustomerUpdate})
		if len(audit) != 1 || !strings.Contains(audit[0].Detail, `claimed from the public pool: owner "" → "li"`) {
			t.Errorf("claim audit %+v", audit)
		}
	})
}

func TestDecisionChainDiagram(t *testing.T) {
	f := newBoardFixture(t, dbtest.SQLite(t, dbtest.Options()))
	ctx := context.Background()
	add := func(c *dossier.Customer, name, title, role string) {
		t.Helper()
		if err := f.db.CreateContact(ctx, &dossier.Contact{CustomerID: c.ID, Name: name, Title: title, Role: role,
			Source: dossier.Source{Channel: dossier.ChannelCustomer, Detail: "首次沟通", CollectedAt: time.Now()}}); err != nil {
			t.Fatal(err)
		}
	}
	add(f.li1, "张总", "总经理", "decision_maker")
	add(f.li1, "王工", "技术总监", "technical")
	add(f.li1, "<b>赵</b>采购", "采购经理", "procurement")
	add(f.li1, "刘一线", "车间主任", "user")
	src := dossier.Source{Channel: dossier.ChannelCustomer, Detail: "需求调研", CollectedAt: time.Now(), CollectedBy: "li"}
	c, _ := f.db.FindCustomerByID(ctx, f.li1.ID)
	if _, err := f.db.UpdateCustomer(ctx, c.ID, dossier.CustomerUpdate{Values: map[string]string{
		"decision_process": "业务部门提需求→IT部门评估→总经理审批", "decision_factors": "价格、质量"}, Source: src, Version: c.Version}); err != nil {
		t.Fatal(err)
	}
	page := f.clients["li"].get(fmt.Sprintf("/customers/%d", f.li1.ID))
	page.mustContain(t, `id="decision-chain"`, "<svg", "张总", "决策人", "技术对接人", "业务部门提需求", "IT部门评估", "总经理审批",
		`class="node role-decision_maker"`, `class="edge influence"`, `class="edge flow"`, "&lt;b&gt;赵&lt;/b&gt;采购", "决策因素")
	page.mustNotContain(t, `id="no-decision-maker"`, "<b>赵</b>")

	// Without a decision maker: a dashed placeholder and a warning.
	add(f.li2, "钱工", "工程师", "technical")
	page = f.clients["li"].get(fmt.Sprintf("/customers/%d", f.li2.ID))
	page.mustContain(t, `id="no-decision-maker"`, "决策链中没有决策人", `class="node missing"`, "决策人？")
	// Neither contacts nor a process: no diagram at all.
	f.clients["chen"].get(fmt.Sprintf("/customers/%d", f.chen.ID)).mustNotContain(t, `id="decision-chain"`)
	if r := f.clients["li"].get(fmt.Sprintf("/customers/%d", f.li2.ID)); r.StatusCode != nethttp.StatusOK {
		t.Errorf("status %d", r.StatusCode)
	}
}

func TestChainSteps(t *testing.T) {
	for in, want := range map[string]string{
		"":      "",
		"总经理拍板": "总经理拍板",
		"部门经理提出→分管副总审批 → 总经理拍板": "部门经理提出|分管副总审批|总经理拍板",
		"申请 -> 评估 => 审批 > 签字":   "申请|评估|审批|签字",
		"→→审批→":                 "审批",
	} {
		if got := strings.Join(chainSteps(in), "|"); got != want {
			t.Errorf("chainSteps(%q) = %q, want %q", in, got, want)
		}
	}
}
