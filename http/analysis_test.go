package http

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/rules"
)

// recomputeFixture runs the analysis over the fixture's customers, as
// dossier score does, so that tasks and risk records exist.
func recomputeFixture(t *testing.T, f *fixture) {
	t.Helper()
	e, err := rules.Load(context.Background(), f.db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.RecomputeAll(context.Background(), time.Now(), dossier.DefaultScoreSettings(), e, nil); err != nil {
		t.Fatal(err)
	}
}

func TestAnalysisAPIAndPage(t *testing.T) {
	f := newFixture(t)
	recomputeFixture(t, f)
	r := f.call("GET", fmt.Sprintf("/api/v1/customers/%d/analysis", f.east.ID), "li", "")
	f.mustStatus(t, r, 200)
	var a struct {
		Value, Tier  string
		NextFollowUp string `json:"next_follow_up"`
		Tags         []string
		ICP          []dossier.ICPFit
		ValueParts   []dossier.ValuePart `json:"value_parts"`
		Tasks        []dossier.Task
		History      []dossier.HistoryEntry
	}
	if err := json.Unmarshal([]byte(r.body), &a); err != nil {
		t.Fatal(err)
	}
	if len(a.ValueParts) != 4 || len(a.ICP) != 1 || len(a.Tasks) == 0 || len(a.History) == 0 || !slices.Contains(a.Tags, "行业-制造业-细分领域-机械设备") || a.Value == "" || a.NextFollowUp == "" {
		t.Errorf("analysis %s", r.body)
	}
	// A hand-set tag shows in the analysis and survives a recompute.
	f.mustStatus(t, f.call("POST", fmt.Sprintf("/api/v1/customers/%d/tags", f.east.ID), "li", `{"tag": "渠道-展会获客"}`), 200)
	recomputeFixture(t, f)
	f.call("GET", fmt.Sprintf("/api/v1/customers/%d/analysis", f.east.ID), "li", "").mustContain(t, "渠道-展会获客")
	f.mustStatus(t, f.call("POST", fmt.Sprintf("/api/v1/customers/%d/tags", f.west.ID), "li", `{"tag": "x"}`), 404)

	// Another team's customer is not found, as for the customer itself.
	f.mustStatus(t, f.call("GET", fmt.Sprintf("/api/v1/customers/%d/analysis", f.east.ID), "wang", ""), 404)

	page := f.clients["li"].get(fmt.Sprintf("/customers/%d", f.east.ID))
	page.mustContain(t, "客户分析", "行业-制造业-细分领域-机械设备", "理想客户画像匹配", "按节奏跟进", "评分与分层变化")
	// The history's cause and the value grades' inputs read in the page's
	// language: labels and formatted values, not the engine's variables.
	page.mustContain(t, "首次分析", "（依据：R ", "战略价值 ", "合作阶段 ")
	page.mustNotContain(t, "first analysis", "strategic_value=", "stage=")
	en := f.clients["li"].get(fmt.Sprintf("/customers/%d?lang=en", f.east.ID))
	en.mustContain(t, "first analysis", " (because: R ", "Strategic value ")
	en.mustNotContain(t, "strategic_value=")

	// Tasks: li sees the east customer's, wang does not, and li closes one.
	var list struct{ Items []dossier.Task }
	r = f.call("GET", "/api/v1/tasks", "wang", "")
	f.mustStatus(t, r, 200)
	_ = json.Unmarshal([]byte(r.body), &list)
	for _, tk := range list.Items {
		if tk.CustomerID == f.east.ID {
			t.Errorf("wang sees task %+v of li's customer", tk)
		}
	}
	r = f.call("GET", "/api/v1/tasks?customer_id="+fmt.Sprint(f.east.ID), "li", "")
	f.mustStatus(t, r, 200)
	_ = json.Unmarshal([]byte(r.body), &list)
	if len(list.Items) == 0 {
		t.Fatal("li sees no tasks")
	}
	id := list.Items[0].ID
	f.mustStatus(t, f.call("PATCH", fmt.Sprintf("/api/v1/tasks/%d", id), "wang", `{"status": "done"}`), 404)
	r = f.call("PATCH", fmt.Sprintf("/api/v1/tasks/%d", id), "li", `{"status": "done", "title": "已电话回访"}`)
	f.mustStatus(t, r, 200)
	r.mustContain(t, `"status":"done"`, "已电话回访", `"closed_at"`)
	f.mustStatus(t, f.call("PATCH", fmt.Sprintf("/api/v1/tasks/%d", id), "li", `{"due": "not a date"}`), 400)
	audit, _, _ := f.db.FindAudit(context.Background(), dossier.AuditFilter{Action: dossier.AuditTaskUpdate})
	if len(audit) != 1 || audit[0].User != "li" {
		t.Errorf("task audit %+v", audit)
	}
}

func TestRulesPageRefusesBadRule(t *testing.T) {
	f := newFixture(t)
	admin := f.clients["admin"]
	admin.get("/admin/rules").mustContain(t, "分析规则", "行为-近3个月无沟通-需重点跟进", "默认规则")
	bad := `[{"id": "x", "tag": "t", "when": "contacts > 0 &&\n  debt_ratoi > 1"}]`
	r := admin.post("/admin/rules", url.Values{"kind": {"tags"}, "body": {bad}, "csrf": {admin.csrf("/admin/rules")}})
	if r.StatusCode != 400 {
		t.Fatalf("status %d", r.StatusCode)
	}
	r.mustContain(t, "line 2, column 3", "debt_ratoi")
	parts, _ := f.db.RuleParts(context.Background())
	if len(parts) != 0 {
		t.Errorf("a refused rule was saved: %v", parts)
	}
	analysis := fmt.Sprintf("/api/v1/customers/%d/analysis", f.east.ID)
	f.call("GET", analysis, "admin", "").mustNotContain(t, "测试-有联系人") // compiles and caches the defaults
	good := `[{"id": "x", "tag": "测试-有联系人", "when": "contacts > 0"}]`
	r = admin.post("/admin/rules", url.Values{"kind": {"tags"}, "body": {good}, "csrf": {admin.csrf("/admin/rules")}})
	if r.StatusCode != 303 || !strings.Contains(r.Header.Get("Location"), "saved=") {
		t.Fatalf("save: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	admin.get("/admin/rules").mustContain(t, "测试-有联系人", "第 1 版")
	// The new version applies at once: the cached engine is rebuilt.
	f.call("GET", analysis, "admin", "").mustContain(t, "测试-有联系人")
}
