package http

import (
	"bytes"
	"context"
	nethttp "net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
	"github.com/dossier/dossier/xlsx"
)

// upload posts a file as the wizard's form does, with no kind (customers).
func (c *client) upload(name string, data []byte, csrf string) resp {
	c.e.t.Helper()
	return c.uploadKind(name, "", data, csrf)
}

const wizardCSV = "客户名称,所属行业,备注,预算\n甲公司,制造业,华东,10万\n乙公司,服务业,华南,很多\n,制造业,华北,1万\n"

var uploadPathRE = regexp.MustCompile(`^/import/([0-9a-f]{32})$`)

// TestImportWizard walks the wizard on both stores: upload, preview with a
// changed mapping and the dry run's problems, confirm, result, errors file,
// and the run recorded as `dossier imports` lists it.
func TestImportWizard(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := envOn(t, db)
		admin, other := e.user("admin", dossier.RoleAdmin, ""), e.user("wang", dossier.RoleManager, "")
		c := e.withSession(admin)
		tok := c.csrf("/import")
		if r := c.upload("客户.csv", []byte(wizardCSV), ""); r.StatusCode != nethttp.StatusForbidden {
			t.Fatalf("upload without CSRF: status %d", r.StatusCode)
		}
		r := c.upload("客户.csv", []byte(wizardCSV), tok)
		m := uploadPathRE.FindStringSubmatch(r.Header.Get("Location"))
		if r.StatusCode != nethttp.StatusSeeOther || m == nil {
			t.Fatalf("upload: status %d, location %q\n%s", r.StatusCode, r.Header.Get("Location"), r.body)
		}
		id := m[1]

		p := c.get("/import/" + id)
		if p.StatusCode != 200 {
			t.Fatalf("preview: %d\n%s", p.StatusCode, p.body)
		}
		// Detected: name, industry, 备注 a custom field, budget; the dry run
		// finds the bad budget and the row without a name.
		p.mustContain(t, `<option value="name" selected>`, `<option value="&#43;custom" selected>`, "甲公司",
			"将新增 2，更新 0，拒绝 1", "<td>3</td><td>预算</td><td>很多</td>", "<td>4</td>", "缺少客户名称（整行未导入）")
		// A manager without a team may import, but not use someone else's upload.
		if r := e.withSession(other).get("/import/" + id); r.StatusCode != nethttp.StatusNotFound {
			t.Errorf("another user's upload: status %d", r.StatusCode)
		}
		// A sales rep sees part of the customers only: no wizard at all.
		if r := e.withSession(e.user("li", dossier.RoleSales, "east")).get("/import/" + id); r.StatusCode != nethttp.StatusForbidden {
			t.Errorf("sales rep: status %d", r.StatusCode)
		}
		p = c.get("/import/" + id + "?col0=name&col1=industry&col2=province&col3=budget")
		p.mustContain(t, `<option value="province" selected>`, `name="col2" value="province"`)
		c.get("/import/"+id+"?col2=name").mustContain(t, "字段对应有误", "第 1 列和第 3 列都对应到了")

		form := url.Values{"csrf": {tok}, "col0": {"name"}, "col1": {"industry"}, "col2": {"province"}, "col3": {"budget"},
			"source": {"public"}, "source_detail": {"2025 展会名单"}}
		if r := c.post("/import/"+id, form); r.StatusCode != nethttp.StatusSeeOther || r.Header.Get("Location") != "/import/"+id+"/result" {
			t.Fatalf("confirm: status %d %q\n%s", r.StatusCode, r.Header.Get("Location"), r.body)
		}
		res := c.get("/import/" + id + "/result")
		res.mustContain(t, "已导入 2，更新 0，拒绝 1", "imported 2, updated 0, rejected 1", "errors?format=xlsx")

		ctx := context.Background()
		got, _, err := db.FindCustomers(ctx, dossier.CustomerFilter{Query: "甲公司", Limit: 10})
		if err != nil || len(got) != 1 || got[0].Value("province") != "华东" || got[0].Value("budget") == "" {
			t.Fatalf("imported customer: %v %+v", err, got)
		}
		if _, won, err := db.FieldHistory(ctx, got[0].ID, "province"); err != nil || won == nil ||
			won.Source.Channel != dossier.ChannelPublic || won.Source.Detail != "2025 展会名单" {
			t.Errorf("source of the imported value: %v %+v", err, won)
		}
		runs, err := db.ImportRuns(ctx, 10)
		if err != nil || len(runs) != 1 || runs[0].File != "客户.csv" || runs[0].User != "admin" || runs[0].Imported != 2 {
			t.Fatalf("recorded runs: %v %+v", err, runs)
		}

		csv := c.get("/import/" + id + "/errors?format=csv")
		if csv.StatusCode != 200 || !strings.Contains(csv.body, "错误原因") || !strings.Contains(csv.body, "第3行: 预算") || !strings.Contains(csv.body, "第4行") {
			t.Errorf("errors CSV: %d\n%s", csv.StatusCode, csv.body)
		}
		if x := c.get("/import/" + id + "/errors?format=xlsx"); x.StatusCode != 200 || !strings.HasPrefix(x.body, "PK") {
			t.Errorf("errors XLSX: %d", x.StatusCode)
		}
		// The file is gone: the preview sends to the result, a second run is refused.
		if r := c.get("/import/" + id); r.StatusCode != nethttp.StatusSeeOther {
			t.Errorf("preview after import: %d", r.StatusCode)
		}
		if r := c.post("/import/"+id, form); r.StatusCode != nethttp.StatusConflict {
			t.Errorf("second run: %d", r.StatusCode)
		}
		// A value typed in after the import does not keep the customer
		// alive once the import that named it is undone.
		if _, err := db.UpdateCustomer(ctx, got[0].ID, dossier.CustomerUpdate{Values: map[string]string{"city": "上海"}, Version: got[0].Version,
			Source: dossier.Source{Channel: dossier.ChannelInternal, Detail: "web form", CollectedAt: time.Now(), CollectedBy: "admin"}}); err != nil {
			t.Fatal(err)
		}
		// Undo from the result page, as `dossier import undo` does: the
		// customers only this run created leave the list.
		if r := c.post("/import/"+id+"/undo", url.Values{"csrf": {tok}}); r.StatusCode != nethttp.StatusSeeOther {
			t.Fatalf("undo: %d\n%s", r.StatusCode, r.body)
		}
		c.get("/import/"+id+"/result").mustContain(t, `id="reverted"`)
		if got, n, err := db.FindCustomers(ctx, dossier.CustomerFilter{Query: "甲公司", Limit: 10}); err != nil || n != 0 {
			t.Errorf("after undo: %v %d %+v", err, n, got)
		}
		if r := c.post("/import/"+id+"/undo", url.Values{"csrf": {tok}}); r.StatusCode < 400 {
			t.Errorf("second undo: %d", r.StatusCode)
		}
	})
}

// TestImportUploadRefused: wrong roles, empty and oversized files, and a
// file without a header.
func TestImportUploadRefused(t *testing.T) {
	e := envOn(t, dbtest.SQLite(t, dbtest.Options()))
	c := e.withSession(e.user("admin", dossier.RoleAdmin, ""))
	tok := c.csrf("/import")
	if r := c.upload("a.csv", nil, tok); r.StatusCode != nethttp.StatusBadRequest || !strings.Contains(r.body, "文件是空的") {
		t.Errorf("empty file: %d", r.StatusCode)
	}
	big := bytes.Repeat([]byte("客户名称\n甲\n"), maxUpload/10)
	if r := c.upload("a.csv", big, tok); r.StatusCode != nethttp.StatusRequestEntityTooLarge || !strings.Contains(r.body, "20 MB") {
		t.Errorf("large file: %d", r.StatusCode)
	}
	r := c.upload("blank.csv", []byte("\n\n"), tok)
	if r.StatusCode != nethttp.StatusSeeOther {
		t.Fatalf("blank file: %d", r.StatusCode)
	}
	if p := c.get(r.Header.Get("Location")); p.StatusCode != nethttp.StatusBadRequest || !strings.Contains(p.body, "文件没有表头行") {
		t.Errorf("blank file preview: %d\n%s", p.StatusCode, p.body)
	}
	svc := e.withSession(e.user("sun", dossier.RoleService, ""))
	if r := svc.upload("a.csv", []byte(wizardCSV), svc.csrf("/settings")); r.StatusCode != nethttp.StatusForbidden {
		t.Errorf("service role: %d", r.StatusCode)
	}
}

// TestFieldRegistryEditor: an admin adds a custom field, which then shows
// in the registry, the profile's edit form and the import mapping; a
// duplicate key, a bad type and an enumeration without options are refused
// with a clear message. On both stores.
func TestFieldRegistryEditor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := envOn(t, db)
		c := e.withSession(e.user("admin", dossier.RoleAdmin, ""))
		tok := c.csrf("/admin/fields")
		add := func(vals url.Values) resp {
			vals.Set("csrf", tok)
			return c.post("/admin/fields", vals)
		}
		r := add(url.Values{"key": {"competitor_info"}, "label_zh": {"竞争对手信息"}, "label_en": {"Competitor info"},
			"category": {"background"}, "type": {"text"}, "key_fact": {"1"}})
		if r.StatusCode != nethttp.StatusSeeOther {
			t.Fatalf("add: %d\n%s", r.StatusCode, r.body)
		}
		reg, err := db.Registry(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if f, ok := reg.Field("competitor_info"); !ok || f.Builtin || !f.KeyFact || f.Required || f.Category != dossier.CatBackground {
			t.Fatalf("saved field: %+v %v", f, ok)
		}
		c.get("/admin/fields?added=competitor_info").mustContain(t, `id="field-competitor_info"`, "竞争对手信息", "已新增字段 competitor_info", `id="field-name"`)
		for _, tt := range []struct {
			vals   url.Values
			status int
			msg    string
		}{
			{url.Values{"key": {"competitor_info"}, "label_zh": {"x"}, "category": {"basic"}, "type": {"text"}}, 409, "已存在"},
			{url.Values{"key": {"industry"}, "label_zh": {"x"}, "category": {"basic"}, "type": {"text"}}, 409, "已存在"},
			{url.Values{"key": {"size_x"}, "label_zh": {"x"}, "category": {"basic"}, "type": {"colour"}}, 400, "未知的字段类型“colour”"},
			{url.Values{"key": {"Bad Key"}, "label_zh": {"x"}, "category": {"basic"}, "type": {"text"}}, 400, "小写字母"},
			{url.Values{"key": {"level_x"}, "label_zh": {"x"}, "category": {"basic"}, "type": {"enum"}}, 400, "至少需要一个可选值"},
		} {
			r := add(tt.vals)
			if r.StatusCode != tt.status || !strings.Contains(r.body, tt.msg) {
				t.Errorf("%v: status %d, want %d with %q", tt.vals, r.StatusCode, tt.status, tt.msg)
			}
		}
		if r := add(url.Values{"key": {"level_x"}, "label_zh": {"等级X"}, "category": {"analysis"}, "type": {"enum"},
			"options": {"a=甲, b=乙"}, "required": {"1"}}); r.StatusCode != nethttp.StatusSeeOther {
			t.Errorf("enum field: %d\n%s", r.StatusCode, r.body)
		}

		cust := e.customer(map[string]string{"name": "丙公司", "industry": "制造业"})
		prof := c.get(customerURL(cust.ID))
		prof.mustContain(t, `name="competitor_info"`, "竞争对手信息", `<option value="a">甲</option>`)
		m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(prof.body)
		if m == nil {
			t.Fatal("no version on the edit form")
		}
		if r := c.post(customerURL(cust.ID)+"/edit", url.Values{"csrf": {tok}, "version": {m[1]}, "competitor_info": {"阿里云"}}); r.StatusCode != nethttp.StatusSeeOther {
			t.Fatalf("edit custom field: %d\n%.500s", r.StatusCode, r.body)
		}
		c.get(customerURL(cust.ID)).mustContain(t, "阿里云")

		up := c.upload("c.csv", []byte("客户名称,竞争对手信息\n丁公司,华为\n"), c.csrf("/import"))
		c.get(up.Header.Get("Location")).mustContain(t, `<option value="competitor_info" selected>`)
	})
}

// TestImportWizardXLSX: an XLSX file goes through the same steps.
func TestImportWizardXLSX(t *testing.T) {
	e := envOn(t, dbtest.SQLite(t, dbtest.Options()))
	c := e.withSession(e.user("admin", dossier.RoleAdmin, ""))
	var buf bytes.Buffer
	w, err := xlsx.NewWriter(&buf, "客户")
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range [][]string{{"客户名称", "所属行业", "手机"}, {"戊公司", "制造业", "abc"}} {
		if err := w.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	tok := c.csrf("/import")
	// No extension: the ZIP signature says XLSX, as for `dossier import`.
	r := c.upload("export", buf.Bytes(), tok)
	m := uploadPathRE.FindStringSubmatch(r.Header.Get("Location"))
	if m == nil {
		t.Fatalf("upload: %d\n%s", r.StatusCode, r.body)
	}
	c.get("/import/"+m[1]).mustContain(t, "戊公司", `<option value="contact_phone" selected>`, "将新增 1", "<td>2</td><td>手机</td><td>abc</td>")
	if r := c.post("/import/"+m[1], url.Values{"csrf": {tok}, "source": {"internal"}}); r.StatusCode != nethttp.StatusSeeOther {
		t.Fatalf("confirm: %d\n%s", r.StatusCode, r.body)
	}
	c.get("/import/"+m[1]+"/result").mustContain(t, "已导入 1，更新 0，拒绝 0")
}
