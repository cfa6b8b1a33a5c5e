package http

import (
	"bytes"
	"context"
	"mime/multipart"
	nethttp "net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/i18n"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// uploadKind posts a file as the wizard's form does: the CSRF field first,
// then its kind (when given), then the file.
func (c *client) uploadKind(name, kind string, data []byte, csrf string) resp {
	c.e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if csrf != "" {
		_ = mw.WriteField("csrf", csrf)
	}
	if kind != "" {
		_ = mw.WriteField("kind", kind)
	}
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, err := nethttp.NewRequest("POST", c.e.ts.URL+"/import", &body)
	if err != nil {
		c.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// uploadID uploads a file of kind and returns its upload id.
func (c *client) uploadID(name, kind, data, csrf string) string {
	c.e.t.Helper()
	r := c.uploadKind(name, kind, []byte(data), csrf)
	m := uploadPathRE.FindStringSubmatch(r.Header.Get("Location"))
	if r.StatusCode != nethttp.StatusSeeOther || m == nil {
		c.e.t.Fatalf("upload %s as %s: status %d\n%.2000s", name, kind, r.StatusCode, r.body)
	}
	return m[1]
}

var issueReasonRE = regexp.MustCompile(`<tr(?: class="rejected")?><td>\d+</td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td></tr>`)
var englishWordRE = regexp.MustCompile(`[A-Za-z]{4,}`)
var quotedRE = regexp.MustCompile(`“[^”]*”`)

// chineseReasons returns the reason cells of a preview's problem list and
// fails the test on any that is not Chinese: without a Han character, or
// with an English word in it (the importer's English text leaking).
func chineseReasons(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	for _, m := range issueReasonRE.FindAllStringSubmatch(body, -1) {
		reason := m[1]
		out = append(out, reason)
		// The values quoted from the file may be anything.
		bare := quotedRE.ReplaceAllString(reason, "")
		hasHan := strings.IndexFunc(bare, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
		if !hasHan || englishWordRE.MatchString(bare) {
			t.Errorf("an English reason on the Chinese preview: %q", reason)
		}
	}
	if len(out) == 0 {
		t.Errorf("no problems listed on the preview:\n%.3000s", body)
	}
	return out
}

// TestImportWizardKinds walks the wizard with a contacts, an interactions
// and a projects file on both stores: the kind chosen on upload, its own
// mapping (changed by the user), the dry run's problems in Chinese,
// confirm, the records stored, the errors file in Chinese.
func TestImportWizardKinds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := envOn(t, db)
		c := e.withSession(e.user("admin", dossier.RoleAdmin, ""))
		jia := e.customer(map[string]string{"name": "甲公司", "industry": "制造业"})
		tok := c.csrf("/import")

		// Contacts: row 3 has no name, row 4 a bad phone and an unknown
		// customer; the 职务 column is switched off by the user.
		id := c.uploadID("联系人.csv", dossier.KindContacts,
			"客户,姓名,职务,电话\n甲公司,张三,采购经理,13800138000\n甲公司,,经理,13900000000\n乙公司,李四,,12\n", tok)
		p := c.get("/import/" + id)
		p.mustContain(t, `<option value="contacts" selected>`, `<option value="contact_name" selected>`,
			`<option value="contact_title" selected>`, "将新增 0，更新 1，拒绝 2", "缺少联系人姓名（整行未导入）", "找不到对应的客户", "不是有效的电话号码")
		p.mustNotContain(t, "row rejected", "no contact name", "no such customer", `<option value="revenue"`)
		chineseReasons(t, p.body)
		// The same problems in English on the English page.
		c.get("/import/"+id+"?lang=en").mustContain(t, "no contact name (row not imported)", "no such customer")
		c.get("/import/"+id+"?lang=zh").mustContain(t, "缺少联系人姓名")
		// A column mapped to what a contacts file does not have is refused.
		c.get("/import/"+id+"?kind=contacts&col2=project_name").mustContain(t, "字段对应有误", "没有“project_name”这一列")
		form := url.Values{"csrf": {tok}, "kind": {"contacts"}, "col2": {"-"}, "source": {"customer"}}
		if r := c.post("/import/"+id, form); r.StatusCode != nethttp.StatusSeeOther {
			t.Fatalf("confirm contacts: %d\n%.2000s", r.StatusCode, r.body)
		}
		c.get("/import/"+id+"/result").mustContain(t, "文件内容: 联系人", "已导入 0，更新 1，拒绝 2")
		cts, err := db.Contacts(ctx, jia.ID)
		if err != nil || len(cts) != 1 || cts[0].Name != "张三" || cts[0].Title != "" || cts[0].Phone == "" {
			t.Fatalf("imported contacts: %v %+v", err, cts)
		}
		errs := c.get("/import/" + id + "/errors?format=csv")
		if !strings.Contains(errs.body, "缺少联系人姓名") || strings.Contains(errs.body, "row rejected") {
			t.Errorf("errors file in Chinese:\n%s", errs.body)
		}
		runs, err := db.ImportRuns(ctx, 10)
		if err != nil || len(runs) != 1 || runs[0].Kind != dossier.KindContacts {
			t.Fatalf("run: %v %+v", err, runs)
		}

		// Interactions: a bad date rejects its row.
		id = c.uploadID("沟通.csv", dossier.KindInteractions, "客户,日期,方式,摘要\n甲公司,2024-03-01,电话,谈预算\n甲公司,明天,电话,再谈\n", tok)
		p = c.get("/import/" + id)
		p.mustContain(t, `<option value="last_contact_date" selected>`, "“明天”不是日期", "（整行未导入）")
		chineseReasons(t, p.body)
		if r := c.post("/import/"+id, url.Values{"csrf": {tok}, "kind": {"interactions"}, "source": {"internal"}}); r.StatusCode != nethttp.StatusSeeOther {
			t.Fatalf("confirm interactions: %d\n%.2000s", r.StatusCode, r.body)
		}
		if its, err := db.Interactions(ctx, jia.ID); err != nil || len(its) != 1 {
			t.Fatalf("imported interactions: %v %+v", err, its)
		}

		// Projects, uploaded as customers by mistake and switched on the
		// preview: the end before the start is left out, in Chinese.
		id = c.uploadID("项目.csv", dossier.KindCustomers, "客户,项目名称,金额,开始日期,结束日期\n甲公司,仓储一期,120万,2024-01-01,2023-12-01\n", tok)
		p = c.get("/import/" + id + "?kind=projects")
		p.mustContain(t, `<option value="projects" selected>`, `<option value="project_name" selected>`, `<option value="project_amount" selected>`,
			"结束日期早于开始日期")
		chineseReasons(t, p.body)
		if r := c.post("/import/"+id, url.Values{"csrf": {tok}, "kind": {"projects"}, "source": {"internal"}}); r.StatusCode != nethttp.StatusSeeOther {
			t.Fatalf("confirm projects: %d\n%.2000s", r.StatusCode, r.body)
		}
		if ps, err := db.Projects(ctx, jia.ID); err != nil || len(ps) != 1 || ps[0].Amount != 1200000 || ps[0].End != "" {
			t.Fatalf("imported projects: %v %+v", err, ps)
		}

		// An unknown kind is refused on upload and on confirm.
		if r := c.uploadKind("x.csv", "orders", []byte("a\n1\n"), tok); r.StatusCode != nethttp.StatusBadRequest || !strings.Contains(r.body, "未知的文件类型") {
			t.Errorf("unknown kind: %d", r.StatusCode)
		}
	})
}

// TestImportReasonsCustomersChinese: a customers file with bad values of
// every kind of parser gives only Chinese reasons on the Chinese preview.
func TestImportReasonsCustomersChinese(t *testing.T) {
	e := envOn(t, dbtest.SQLite(t, dbtest.Options()))
	c := e.withSession(e.user("admin", dossier.RoleAdmin, ""))
	id := c.uploadID("客户.csv", dossier.KindCustomers,
		"客户名称,年营收,预算范围,成立日期,采购时间,统一社会信用代码,联系电话,邮箱,满意度,负债率\n"+
			"甲公司,很多,abc,2024-13-45,明年吧,12345,12,not-mail,9,高\n"+
			"乙公司,1,5-1万,2024-02-30,2024年13月,91110000600037341X,,a@,0,\n,1,,,,,,,,\n", c.csrf("/import"))
	p := c.get("/import/" + id)
	if n := len(chineseReasons(t, p.body)); n < 10 {
		t.Errorf("%d reasons listed, want at least 10:\n%.4000s", n, p.body)
	}
}

// TestReasonCatalogue: every reason the domain gives has a message in both
// catalogues, and the Chinese one is Chinese.
func TestReasonCatalogue(t *testing.T) {
	for _, id := range dossier.ReasonIDs {
		for _, lang := range i18n.Langs {
			if !i18n.Has(lang, "uiwiz2.reason."+id) {
				t.Errorf("reason %s has no %s message", id, lang)
			}
		}
		zh := i18n.T(i18n.Chinese, "uiwiz2.reason."+id)
		if strings.IndexFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) < 0 {
			t.Errorf("reason %s: %q is not Chinese", id, zh)
		}
	}
}

// TestFieldEdit: an admin changes a custom field's labels, help, options
// and flags, each save a version with its author and an audit entry; a
// stale form, a bad option list and a built-in field are refused with a
// Chinese message; retiring hides the field and keeps its facts,
// restoring brings them back. On both stores.
func TestFieldEdit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := envOn(t, db)
		c := e.withSession(e.user("admin", dossier.RoleAdmin, ""))
		tok := c.csrf("/admin/fields")
		if r := c.post("/admin/fields", url.Values{"csrf": {tok}, "key": {"competitor_level"}, "label_zh": {"竞争强度"},
			"category": {"background"}, "type": {"enum"}, "options": {"high=高, low=低"}}); r.StatusCode != nethttp.StatusSeeOther {
			t.Fatalf("add: %d\n%s", r.StatusCode, r.body)
		}
		cust := e.customer(map[string]string{"name": "丙公司", "competitor_level": "高"})
		c.get("/admin/fields").mustContain(t, `href="/admin/fields/competitor_level"`, `href="/admin/fields/name"`)
		page := c.get("/admin/fields/competitor_level")
		page.mustContain(t, `id="field-edit-form"`, `name="version" value="1"`, `value="high=高, low=低"`, "v1")

		save := func(vals url.Values) resp {
			vals.Set("csrf", tok)
			return c.post("/admin/fields/competitor_level", vals)
		}
		r := save(url.Values{"version": {"1"}, "label_zh": {"竞争激烈程度"}, "label_en": {"Competition"}, "help_zh": {"按销售判断填写"},
			"help_en": {"As sales judge it"}, "options": {"high=高=High, mid=中=Medium, low=低=Low"}, "required": {"1"}, "position": {"15"}})
		if r.StatusCode != nethttp.StatusSeeOther || r.Header.Get("Location") != "/admin/fields/competitor_level?saved=1" {
			t.Fatalf("save: %d %q\n%.2000s", r.StatusCode, r.Header.Get("Location"), r.body)
		}
		reg, err := db.Registry(ctx)
		if err != nil {
			t.Fatal(err)
		}
		f, _ := reg.Field("competitor_level")
		if f.LabelZH != "竞争激烈程度" || f.LabelEN != "Competition" || f.HelpZH != "按销售判断填写" || f.HelpEN != "As sales judge it" ||
			!f.Required || f.KeyFact || len(f.Options) != 3 || f.Options[1].LabelEN != "Medium" || f.Position != 15 || f.Type != dossier.TypeEnum {
			t.Fatalf("saved field: %+v", f)
		}
		c.get("/admin/fields/competitor_level?saved=1").mustContain(t, "已保存", `name="version" value="2"`, "v2", "v1")
		c.get("/admin/fields").mustContain(t, "按销售判断填写")
		if vs, err := db.FieldVersions(ctx, "competitor_level"); err != nil || len(vs) != 2 || vs[0].SavedBy != "admin" || vs[0].Field.HelpZH != "按销售判断填写" || vs[1].Field.LabelZH != "竞争强度" {
			t.Errorf("versions: %v %+v", err, vs)
		}
		if items, _, _ := db.FindAudit(ctx, dossier.AuditFilter{Action: dossier.AuditFieldSave}); len(items) != 2 ||
			!strings.Contains(items[0].Detail, "competitor_level v2") || !strings.Contains(items[0].Detail, "竞争激烈程度") {
			t.Errorf("audit: %+v", items)
		}

		for _, tt := range []struct {
			vals   url.Values
			status int
			msg    string
		}{
			{url.Values{"version": {"1"}, "label_zh": {"x"}, "options": {"high=高"}}, 409, "已被他人修改"},
			{url.Values{"version": {"2"}, "label_zh": {"x"}, "options": {"high=高, high=很高"}}, 400, "可选值“high”重复"},
			{url.Values{"version": {"2"}, "label_zh": {"x"}, "options": {""}}, 400, "至少需要一个可选值"},
			{url.Values{"version": {"2"}, "label_zh": {""}, "label_en": {""}, "options": {"high=高"}}, 400, "字段需要名称"},
			{url.Values{"version": {"2"}, "label_zh": {"x"}, "options": {"high=高"}, "position": {"abc"}}, 400, "请填写 1 到 1000000 之间的整数"},
		} {
			r := save(tt.vals)
			if r.StatusCode != tt.status || !strings.Contains(r.body, tt.msg) {
				t.Errorf("%v: status %d, want %d with %q\n%.300s", tt.vals, r.StatusCode, tt.status, tt.msg, r.body)
			}
		}
		// Built-in fields are read-only.
		c.get("/admin/fields/name").mustContain(t, `id="builtin-readonly"`)
		c.get("/admin/fields/name").mustNotContain(t, `id="field-edit-form"`)
		if r := c.post("/admin/fields/name", url.Values{"csrf": {tok}, "version": {"0"}, "label_zh": {"名字"}}); r.StatusCode != 400 || !strings.Contains(r.body, "内置字段") {
			t.Errorf("built-in: %d", r.StatusCode)
		}
		if r := c.post("/admin/fields/nope", url.Values{"csrf": {tok}, "version": {"0"}}); r.StatusCode != 404 {
			t.Errorf("unknown field: %d", r.StatusCode)
		}
		// Without the CSRF token nothing is saved.
		if r := c.post("/admin/fields/competitor_level/retire", url.Values{"version": {"2"}}); r.StatusCode != nethttp.StatusForbidden {
			t.Errorf("retire without CSRF: %d", r.StatusCode)
		}

		// Retire: gone from the profile form and the import mapping, the
		// value kept; restore brings it back.
		if r := c.post("/admin/fields/competitor_level/retire", url.Values{"csrf": {tok}, "version": {"2"}}); r.StatusCode != nethttp.StatusSeeOther {
			t.Fatalf("retire: %d\n%.1000s", r.StatusCode, r.body)
		}
		c.get("/admin/fields/competitor_level").mustContain(t, `id="field-retired"`, `id="restore-field"`)
		c.get(customerURL(cust.ID)).mustNotContain(t, `name="competitor_level"`)
		up := c.uploadID("c.csv", dossier.KindCustomers, "客户名称\n丁公司\n", c.csrf("/import"))
		c.get("/import/"+up).mustNotContain(t, `value="competitor_level"`)
		got, err := db.FindCustomerByID(ctx, cust.ID)
		if err != nil || got.Value("competitor_level") != "high" {
			t.Fatalf("value after retiring: %v %q", err, got.Value("competitor_level"))
		}
		if r := c.post("/admin/fields/competitor_level/retire", url.Values{"csrf": {tok}, "version": {"3"}, "restore": {"1"}}); r.StatusCode != nethttp.StatusSeeOther {
			t.Fatalf("restore: %d\n%.1000s", r.StatusCode, r.body)
		}
		c.get(customerURL(cust.ID)).mustContain(t, `name="competitor_level"`, "竞争激烈程度", `<span class="muted field-help">按销售判断填写</span>`)
		if vs, _ := db.FieldVersions(ctx, "competitor_level"); len(vs) != 4 || !vs[1].Field.Retired || vs[0].Field.Retired {
			t.Errorf("versions after retire and restore: %+v", vs)
		}
	})
}

// TestUserUpdate: an admin changes a user's role and team and deactivates
// them: their session stops working and they cannot sign in; reactivated,
// they can. The last admin keeps the role; an admin cannot deactivate
// themselves. On both stores.
func TestUserUpdate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		e := envOn(t, db)
		admin := e.user("admin", dossier.RoleAdmin, "")
		li := e.user("li", dossier.RoleSales, "east")
		c := e.withSession(admin)
		liC := e.withSession(li)
		if r := liC.get("/customers"); r.StatusCode != 200 {
			t.Fatalf("li before: %d", r.StatusCode)
		}
		tok := c.csrf("/admin/users")
		page := c.get("/admin/users")
		page.mustContain(t, `for="role-`, `for="team-`, `id="deactivate-`, `<label for="new-name">`)
		post := func(u *dossier.User, vals url.Values) resp {
			vals.Set("csrf", tok)
			return c.post("/admin/users/"+itoa(u.ID), vals)
		}
		if r := post(li, url.Values{"role": {"manager"}, "team": {"west"}}); r.StatusCode != nethttp.StatusSeeOther {
			t.Fatalf("update: %d\n%.1000s", r.StatusCode, r.body)
		}
		if u, err := db.FindUserByName(ctx, "li"); err != nil || u.Role != dossier.RoleManager || u.Team != "west" || u.Deactivated {
			t.Fatalf("updated: %v %+v", err, u)
		}
		c.get("/admin/users?updated=li").mustContain(t, "已更新用户 li", `<option value="manager" selected>`)
		if r := post(li, url.Values{"role": {"manager"}, "team": {"west"}, "active": {"0"}}); r.StatusCode != nethttp.StatusSeeOther {
			t.Fatalf("deactivate: %d\n%.1000s", r.StatusCode, r.body)
		}
		if r := liC.get("/customers"); r.StatusCode != nethttp.StatusSeeOther {
			t.Errorf("deactivated user's session: %d", r.StatusCode)
		}
		if r := e.client().login("li", testPassword); r.StatusCode == nethttp.StatusSeeOther {
			t.Errorf("deactivated user signed in")
		}
		c.get("/admin/users").mustContain(t, "已停用", `id="activate-`+itoa(li.ID)+`"`)
		// A deactivated user is given no customers.
		cust := e.customer(map[string]string{"name": "戊公司"})
		if r := c.post("/customers/bulk", url.Values{"csrf": {tok}, "op": {"assign"}, "owner": {"li"}, "id": {itoa(cust.ID)}}); r.StatusCode != 400 {
			t.Errorf("assign to a deactivated user: %d\n%.500s", r.StatusCode, r.body)
		}
		if r := post(li, url.Values{"role": {"manager"}, "team": {"west"}, "active": {"1"}}); r.StatusCode != nethttp.StatusSeeOther {
			t.Fatalf("reactivate: %d", r.StatusCode)
		}
		if r := e.client().login("li", testPassword); r.StatusCode != nethttp.StatusSeeOther {
			t.Errorf("reactivated user cannot sign in: %d", r.StatusCode)
		}
		// The only admin: not demoted, not self-deactivated.
		if r := post(admin, url.Values{"role": {"sales"}}); r.StatusCode != 400 || !strings.Contains(r.body, "最后一个启用的管理员") {
			t.Errorf("last admin demoted: %d", r.StatusCode)
		}
		if r := post(admin, url.Values{"role": {"admin"}, "active": {"0"}}); r.StatusCode != 400 || !strings.Contains(r.body, "不能停用自己的账号") {
			t.Errorf("self deactivated: %d", r.StatusCode)
		}
		if r := c.post("/admin/users/"+itoa(li.ID), url.Values{"role": {"admin"}}); r.StatusCode != nethttp.StatusForbidden {
			t.Errorf("without CSRF: %d", r.StatusCode)
		}
		liC = e.withSession(li)
		if r := liC.post("/admin/users/"+itoa(li.ID), url.Values{"csrf": {liC.csrf("/settings")}, "role": {"admin"}}); r.StatusCode != nethttp.StatusForbidden {
			t.Errorf("a manager changing roles: %d", r.StatusCode)
		}
		if items, _, _ := db.FindAudit(ctx, dossier.AuditFilter{Action: dossier.AuditUserUpdate}); len(items) != 3 || items[0].User != "admin" {
			t.Errorf("audit: %+v", items)
		}
	})
}
