package http

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	nethttp "net/http"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// callWriteAPI is TestOpenAPIResponses' part for hand-made tasks, segments
// by id, deleting customers and undoing imports: each round trip with its
// errors (stale version 409, missing version 400, another's 404 or 403).
func callWriteAPI(t *testing.T, f *fixture, call func(pattern, path, as, body string, want int) resp) {
	t.Helper()
	east := f.east.ID
	// Tasks.
	var tk dossier.Task
	r := call("POST /api/v1/tasks", "/api/v1/tasks", "li", fmt.Sprintf(`{"customer_id": %d, "title": "回访报价", "due": "2026/12/1"}`, east), 201)
	if err := json.Unmarshal([]byte(r.body), &tk); err != nil || tk.Due != "2026-12-01" || tk.Owner != "li" || tk.Version != 1 ||
		tk.Source != dossier.TaskSourceManual || r.Header.Get("Location") != fmt.Sprintf("/api/v1/tasks/%d", tk.ID) {
		t.Fatalf("created task %s (%v)", r.body, err)
	}
	call("POST /api/v1/tasks", "/api/v1/tasks", "li", fmt.Sprintf(`{"customer_id": %d, "title": "x", "due": "2026-12-01", "owner": "wang"}`, east), 403)
	call("POST /api/v1/tasks", "/api/v1/tasks", "zhou", fmt.Sprintf(`{"customer_id": %d, "title": "交给李", "due": "2026-12-02", "owner": "li"}`, east), 201)
	call("POST /api/v1/tasks", "/api/v1/tasks", "li", fmt.Sprintf(`{"customer_id": %d, "title": "x", "due": "2026-12-01"}`, f.west.ID), 404)
	call("POST /api/v1/tasks", "/api/v1/tasks", "li", fmt.Sprintf(`{"customer_id": %d, "title": "x", "due": "someday"}`, east), 400)
	call("POST /api/v1/tasks", "/api/v1/tasks", "li", fmt.Sprintf(`{"customer_id": %d, "title": " ", "due": "2026-12-01"}`, east), 400)
	tp := fmt.Sprintf("/api/v1/tasks/%d", tk.ID)
	call("GET /api/v1/tasks/{id}", tp, "zhou", "", 200).mustContain(t, "回访报价")
	call("GET /api/v1/tasks/{id}", tp, "wang", "", 404)
	call("PATCH /api/v1/tasks/{id}", tp, "li", `{"version": 1, "title": "回访报价(二)"}`, 200).mustContain(t, `"version":2`)
	call("PATCH /api/v1/tasks/{id}", tp, "li", `{"version": 1, "status": "done"}`, 409)
	call("DELETE /api/v1/tasks/{id}", tp, "li", "", 400)
	call("DELETE /api/v1/tasks/{id}", tp+"?version=1", "li", "", 409)
	call("DELETE /api/v1/tasks/{id}", tp+"?version=2", "wang", "", 404)
	call("DELETE /api/v1/tasks/{id}", tp+"?version=2", "li", "", 200)
	call("GET /api/v1/tasks/{id}", tp, "li", "", 404)

	// Segments: private to li until shared; only li (or an admin) changes it.
	var seg dossier.Segment
	r = call("POST /api/v1/segments", "/api/v1/segments", "li", `{"name": "李的重点", "expression": "grade = 重点"}`, 201)
	if err := json.Unmarshal([]byte(r.body), &seg); err != nil || seg.Version != 1 {
		t.Fatalf("segment %s (%v)", r.body, err)
	}
	sp := fmt.Sprintf("/api/v1/segments/%d", seg.ID)
	call("GET /api/v1/segments/{id}", sp, "li", "", 200)
	call("GET /api/v1/segments/{id}", sp, "wang", "", 404)
	call("GET /api/v1/segments/{id}", sp, "admin", "", 200)
	call("PATCH /api/v1/segments/{id}", sp, "li", `{"version": 1, "expression": "grade = = 1"}`, 400)
	call("PATCH /api/v1/segments/{id}", sp, "li", `{"version": 1, "shared": true, "expression": "grade = 重点 AND industry = 制造业"}`, 200).
		mustContain(t, `"shared":true`, `"version":2`)
	call("GET /api/v1/segments/{id}", sp, "qian", "", 200)
	call("PATCH /api/v1/segments/{id}", sp, "wang", `{"version": 2, "name": "抢来的"}`, 403)
	call("PATCH /api/v1/segments/{id}", sp, "li", `{"version": 1, "name": "旧"}`, 409)
	call("PATCH /api/v1/segments/{id}", sp, "li", `{"version": 2, "name": "重点制造"}`, 409) // a name in use
	call("DELETE /api/v1/segments/{id}", sp+"?version=2", "wang", "", 403)
	call("DELETE /api/v1/segments/{id}", sp+"?version=2", "li", "", 200)
	call("GET /api/v1/segments/{id}", sp, "li", "", 404)

	// Customers: li's own, deleted by li's manager.
	var c dossier.Customer
	r = call("POST /api/v1/customers", "/api/v1/customers", "li", `{"values": {"name": "待删除有限公司", "industry": "零售"}}`, 201)
	if err := json.Unmarshal([]byte(r.body), &c); err != nil {
		t.Fatal(err)
	}
	cp := fmt.Sprintf("/api/v1/customers/%d", c.ID)
	call("DELETE /api/v1/customers/{id}", cp, "li", "", 400)
	call("DELETE /api/v1/customers/{id}", fmt.Sprintf("%s?version=%d", cp, c.Version+1), "li", "", 409)
	call("DELETE /api/v1/customers/{id}", fmt.Sprintf("%s?version=%d", cp, c.Version), "wang", "", 404)
	call("DELETE /api/v1/customers/{id}", fmt.Sprintf("%s?version=%d", cp, c.Version), "zhou", "", 200)
	call("GET /api/v1/customers/{id}", cp, "zhou", "", 404)
	call("DELETE /api/v1/customers/{id}", fmt.Sprintf("%s?version=%d", cp, c.Version), "zhou", "", 404)
	if es, _, err := f.db.FindAudit(t.Context(), dossier.AuditFilter{Action: dossier.AuditCustomerDelete}); err != nil || len(es) != 1 ||
		es[0].EntityID != c.ID || es[0].User != "zhou" || es[0].RemoteAddr == "" {
		t.Errorf("customer.delete audit %+v (%v)", es, err)
	}

	// Analyses: zhou's, seen by managers and analysts; zhou changes it.
	var st dossier.Study
	r = call("POST /api/v1/analyses", "/api/v1/analyses", "zhou", `{"name": "待改分析", "goal": "g", "scope": "grade = 重点", "roles": ["analyst"]}`, 201)
	if err := json.Unmarshal([]byte(r.body), &st); err != nil || st.Version != 1 {
		t.Fatalf("analysis %s (%v)", r.body, err)
	}
	ap := fmt.Sprintf("/api/v1/analyses/%d", st.ID)
	call("POST /api/v1/analyses/{id}/runs", ap+"/runs", "zhou", "", 201)
	call("PATCH /api/v1/analyses/{id}", ap, "qian", `{"version": 1, "goal": "x"}`, 403)
	call("PATCH /api/v1/analyses/{id}", ap, "li", `{"version": 1, "goal": "x"}`, 404)
	call("PATCH /api/v1/analyses/{id}", ap, "zhou", `{"version": 1, "goal": "层级变化复盘", "roles": ["analyst", "manager"]}`, 200).
		mustContain(t, "层级变化复盘", `"version":2`, `"runs":1`)
	call("PATCH /api/v1/analyses/{id}", ap, "zhou", `{"version": 1, "goal": "旧"}`, 409)
	call("PATCH /api/v1/analyses/{id}", ap, "zhou", `{"version": 2, "roles": ["boss"]}`, 400)
	call("DELETE /api/v1/analyses/{id}", ap+"?version=1", "zhou", "", 409)
	call("DELETE /api/v1/analyses/{id}", ap+"?version=2", "zhou", "", 200)
	call("GET /api/v1/analyses/{id}", ap, "zhou", "", 404)

	// Imports: undo one run; a second undo is a conflict.
	run := &dossier.ImportRun{File: "撤销.csv", Kind: "customers", User: "admin",
		Source: dossier.Source{Channel: dossier.ChannelPublic, Detail: "名录", CollectedAt: time.Now()}}
	if err := f.db.StartImport(t.Context(), run); err != nil {
		t.Fatal(err)
	}
	run.Status = "done"
	if err := f.db.FinishImport(t.Context(), run); err != nil {
		t.Fatal(err)
	}
	ip := fmt.Sprintf("/api/v1/imports/%d", run.ID)
	call("DELETE /api/v1/imports/{id}", ip, "zhou", "", 403) // a team's manager sees part of the customers
	call("DELETE /api/v1/imports/{id}", ip, "admin", "", 200).mustContain(t, `"state":"reverted"`)
	call("DELETE /api/v1/imports/{id}", ip, "admin", "", 409)
	call("DELETE /api/v1/imports/{id}", "/api/v1/imports/999999", "admin", "", 404)
}

// TestWriteRoundTrip: on both stores, a task, a segment and a customer are
// created, read, changed with a stale version refused, deleted, and then
// not found; the deleted customer leaves the list, the pivot and its tasks.
func TestWriteRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := envOn(t, db)
		tok := e.token(e.user("admin", dossier.RoleAdmin, ""))
		api := func(method, path, body string, want int, hdr ...string) resp {
			t.Helper()
			r := e.client().do(e.newRequest(method, path, body, append([]string{"Authorization", "Bearer " + tok}, hdr...)...))
			if r.StatusCode != want {
				t.Fatalf("%s %s: %d, want %d: %s", method, path, r.StatusCode, want, r.body)
			}
			return r
		}
		decode := func(r resp, v any) {
			t.Helper()
			if err := json.Unmarshal([]byte(r.body), v); err != nil {
				t.Fatal(err)
			}
		}
		var c dossier.Customer
		decode(api("POST", "/api/v1/customers", `{"values": {"name": "往返有限公司", "industry": "制造业"}}`, 201), &c)

		// Task.
		var tk dossier.Task
		decode(api("POST", "/api/v1/tasks", fmt.Sprintf(`{"customer_id": %d, "title": "电话回访", "due": "2026-12-01", "owner": "li"}`, c.ID), 201), &tk)
		tp := fmt.Sprintf("/api/v1/tasks/%d", tk.ID)
		api("GET", tp, "", 200).mustContain(t, "电话回访", `"owner":"li"`)
		api("PATCH", tp, `{"due": "2026-12-08"}`, 200, "If-Match", `"1"`).mustContain(t, `"due":"2026-12-08"`, `"version":2`)
		api("PATCH", tp, `{"status": "done"}`, 409, "If-Match", `"1"`)
		api("PATCH", tp, `{"status": "done"}`, 200) // the board's way: no version
		api("DELETE", tp, "", 409, "If-Match", `"2"`)
		api("DELETE", tp, "", 200, "If-Match", `"3"`)
		api("GET", tp, "", 404)

		// Segment.
		var seg dossier.Segment
		decode(api("POST", "/api/v1/segments", `{"name": "制造", "expression": "industry = 制造业"}`, 201), &seg)
		sp := fmt.Sprintf("/api/v1/segments/%d", seg.ID)
		api("PATCH", sp, `{"name": "制造业客户"}`, 200, "If-Match", `"1"`).mustContain(t, "制造业客户", `"version":2`)
		api("PATCH", sp, `{"name": "又改"}`, 409, "If-Match", `"1"`)
		api("GET", "/api/v1/analytics/overview?segment="+strings.ReplaceAll("制造业客户", " ", "+"), "", 200)
		api("DELETE", sp+"?version=2", "", 200)
		api("GET", sp, "", 404)
		if ss, err := db.Segments(t.Context(), ""); err != nil || len(ss) != 0 {
			t.Errorf("segments left %v (%v)", ss, err)
		}

		// Analysis with a run: changed, then deleted with its run.
		var st dossier.Study
		decode(api("POST", "/api/v1/analyses", `{"name": "往返分析", "goal": "g", "scope": "industry = 制造业"}`, 201), &st)
		ap := fmt.Sprintf("/api/v1/analyses/%d", st.ID)
		api("POST", ap+"/runs", "", 201)
		api("PATCH", ap, `{"name": "往返分析二"}`, 200, "If-Match", `"1"`).mustContain(t, "往返分析二", `"runs":1`)
		api("PATCH", ap, `{"goal": "x"}`, 409, "If-Match", `"1"`)
		api("DELETE", ap, "", 200, "If-Match", `"2"`)
		api("GET", ap, "", 404)
		if runs, err := db.Snapshots(t.Context(), st.ID); err != nil || len(runs) != 0 {
			t.Errorf("runs left %v (%v)", runs, err)
		}

		// Customer: a task of it, then deleted; it is gone from every reader.
		api("POST", "/api/v1/tasks", fmt.Sprintf(`{"customer_id": %d, "title": "跟进", "due": "2026-12-01"}`, c.ID), 201)
		cp := fmt.Sprintf("/api/v1/customers/%d", c.ID)
		api("DELETE", cp, "", 409, "If-Match", fmt.Sprintf(`"%d"`, c.Version+1))
		api("DELETE", cp, "", 200, "If-Match", fmt.Sprintf(`"%d"`, c.Version))
		api("GET", cp, "", 404)
		api("PATCH", cp, fmt.Sprintf(`{"version": %d, "values": {"city": "苏州"}}`, c.Version+1), 404)
		if list := api("GET", "/api/v1/customers", "", 200); strings.Contains(list.body, "往返有限公司") {
			t.Errorf("a deleted customer is listed: %s", list.body)
		}
		if ts := api("GET", "/api/v1/tasks?status=all", "", 200); strings.Contains(ts.body, "跟进") {
			t.Errorf("a deleted customer's task is listed: %s", ts.body)
		}
		api("POST", "/api/v1/tasks", fmt.Sprintf(`{"customer_id": %d, "title": "x", "due": "2026-12-01"}`, c.ID), 404)
		if _, err := db.FindCustomerByID(t.Context(), c.ID); dossier.ErrorCode(err) != dossier.ENOTFOUND {
			t.Errorf("FindCustomerByID after delete: %v", err)
		}
		var ov struct {
			Customers int64 `json:"customers"`
		}
		decode(api("GET", "/api/v1/analytics/overview", "", 200), &ov)
		if ov.Customers != 0 {
			t.Errorf("overview counts %d customers after the only one was deleted", ov.Customers)
		}
	})
}

// upload posts a file as multipart/form-data (field "file") with a bearer
// token, as a script would: curl -F file=@customers.csv.
func (f *fixture) upload(path, as, name, data string) resp {
	f.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(data))
	_ = mw.Close()
	req, err := nethttp.NewRequest("POST", f.ts.URL+path, &body)
	if err != nil {
		f.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+f.tokens[as])
	return f.clients[""].do(req)
}
