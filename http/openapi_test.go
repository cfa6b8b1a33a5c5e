package http

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pb33f/libopenapi/datamodel"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

const docURL = "mem://dossier/openapi.json"

// TestOpenAPIRegistry: every API route of the table has an apiDocs entry
// (else NewServer fails), and every entry names a route that exists.
func TestOpenAPIRegistry(t *testing.T) {
	s := &Server{}
	patterns := map[string]bool{}
	for _, rt := range s.routes() {
		if strings.HasPrefix(rt.path, apiPrefix) {
			patterns[rt.pattern()] = true
			if _, ok := apiDocs[rt.pattern()]; !ok {
				t.Errorf("route %s has no entry in apiDocs (openapi.go)", rt.pattern())
			}
		}
	}
	for p, d := range apiDocs {
		if !patterns[p] {
			t.Errorf("apiDocs entry %s names no route of the table", p)
		}
		if d.summary == "" {
			t.Errorf("apiDocs entry %s has no summary", p)
		}
	}
	// The builder refuses an undocumented route, so the server cannot
	// start with one.
	extra := append(s.routes(), route{"DELETE", "/api/v1/audit", adminOnly, nil})
	if _, err := openAPIDocument(extra); err == nil || !strings.Contains(err.Error(), "DELETE /api/v1/audit") {
		t.Errorf("undocumented route accepted: %v", err)
	}
}

// openAPI is the served document, ready to validate with.
type openAPI struct {
	raw  []byte
	doc  map[string]any
	comp *jsonschema.Compiler
	n    int // inline schemas added as resources
}

// loadOpenAPI fetches the document without credentials (it is public) and
// checks it is valid OpenAPI 3.1 and that its schemas are valid JSON Schema
// 2020-12.
func loadOpenAPI(t *testing.T, c *client) *openAPI {
	t.Helper()
	r := c.get("/api/v1/openapi.json")
	if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	return loadOpenAPIBytes(t, []byte(r.body))
}

func loadOpenAPIBytes(t *testing.T, raw []byte) *openAPI {
	t.Helper()
	o := &openAPI{raw: raw, comp: jsonschema.NewCompiler()}
	if err := json.Unmarshal(o.raw, &o.doc); err != nil {
		t.Fatal(err)
	}
	o.comp.DefaultDraft(jsonschema.Draft2020)
	o.comp.AssertFormat()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(o.raw))
	if err != nil {
		t.Fatal(err)
	}
	if err := o.comp.AddResource(docURL, doc); err != nil {
		t.Fatal(err)
	}
	return o
}

// TestOpenAPIDocument validates the document against the OpenAPI 3.1
// schema (as published by the OpenAPI Initiative, embedded in libopenapi)
// and checks what that schema cannot: every component compiles as JSON
// Schema 2020-12, every reference resolves, and operations carry the route
// table's rules.
func TestOpenAPIDocument(t *testing.T) {
	e := newEnv(t)
	o := loadOpenAPI(t, e.client())

	mc := jsonschema.NewCompiler()
	meta, err := jsonschema.UnmarshalJSON(strings.NewReader(datamodel.OpenAPI31SchemaData))
	if err != nil {
		t.Fatal(err)
	}
	if err := mc.AddResource("mem://oas31.json", meta); err != nil {
		t.Fatal(err)
	}
	oas, err := mc.Compile("mem://oas31.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, _ := jsonschema.UnmarshalJSON(bytes.NewReader(o.raw))
	if err := oas.Validate(inst); err != nil {
		t.Fatalf("not a valid OpenAPI 3.1 document: %v", err)
	}
	if o.doc["openapi"] != "3.1.0" {
		t.Errorf("openapi %v", o.doc["openapi"])
	}

	schemas := o.doc["components"].(map[string]any)["schemas"].(map[string]any)
	for name := range schemas {
		if _, err := o.comp.Compile(docURL + "#/components/schemas/" + name); err != nil {
			t.Errorf("component %s: %v", name, err)
		}
	}
	if !bytes.Contains(o.raw, []byte(`"#/components/schemas/dossier.Customer"`)) || bytes.Contains(o.raw, []byte(`$defs`)) {
		t.Error("references are not rewritten to components")
	}

	paths := o.doc["paths"].(map[string]any)
	opIDs := map[string]string{}
	for _, rt := range e.srv.routes() {
		if !strings.HasPrefix(rt.path, apiPrefix) {
			continue
		}
		op, ok := paths[rt.path].(map[string]any)[strings.ToLower(rt.method)].(map[string]any)
		if !ok {
			t.Errorf("%s missing from the document", rt.pattern())
			continue
		}
		if other, dup := opIDs[op["operationId"].(string)]; dup {
			t.Errorf("%s and %s share operationId %s", rt.pattern(), other, op["operationId"])
		}
		opIDs[op["operationId"].(string)] = rt.pattern()
		var roles []string
		for _, r := range op["x-roles"].([]any) {
			roles = append(roles, r.(string))
		}
		if want := roleNames(rt.access); !slices.Equal(roles, want) {
			t.Errorf("%s: x-roles %v, want %v", rt.pattern(), roles, want)
		}
		if sec := op["security"].([]any); rt.access.public != (len(sec) == 0) {
			t.Errorf("%s: security %v for public=%v", rt.pattern(), sec, rt.access.public)
		}
		resps := op["responses"].(map[string]any)
		for _, k := range []string{"4XX", "5XX"} {
			if ref, _ := resps[k].(map[string]any)["$ref"].(string); ref != "#/components/responses/Error" {
				t.Errorf("%s: %s is %v, not the shared error", rt.pattern(), k, resps[k])
			}
		}
		var declared []string
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			if p := p.(map[string]any); p["in"] == "path" {
				declared = append(declared, p["name"].(string))
			}
		}
		for _, m := range pathParamRE.FindAllStringSubmatch(rt.path, -1) {
			if !slices.Contains(declared, m[1]) {
				t.Errorf("%s: path parameter %s not declared", rt.pattern(), m[1])
			}
		}
		o.schema(t, rt.pattern(), resps[successStatus(resps)].(map[string]any))
		if rb, ok := op["requestBody"].(map[string]any); ok {
			if mp, ok := rb["content"].(map[string]any)["multipart/form-data"]; ok { // an upload: its schema compiles too
				rb = map[string]any{"content": map[string]any{"application/json": mp}}
			}
			o.schema(t, rt.pattern(), rb)
		}
	}
}

// successStatus is the one 2xx key of an operation's responses.
func successStatus(resps map[string]any) string {
	for k := range resps {
		if strings.HasPrefix(k, "2") {
			return k
		}
	}
	return ""
}

// schema compiles the JSON schema of a response or request body object.
func (o *openAPI) schema(t *testing.T, what string, obj map[string]any) *jsonschema.Schema {
	t.Helper()
	if ref, ok := obj["$ref"].(string); ok { // a shared response
		name := strings.TrimPrefix(ref, "#/components/responses/")
		obj = o.doc["components"].(map[string]any)["responses"].(map[string]any)[name].(map[string]any)
	}
	s, ok := obj["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
	if !ok {
		t.Fatalf("%s: no application/json schema in %v", what, obj)
	}
	loc := docURL
	if ref, ok := s["$ref"].(string); ok {
		loc += ref
	} else {
		// An inline schema: its own resource (request schemas are
		// reflected without references).
		o.n++
		loc = fmt.Sprintf("mem://dossier/inline-%d.json", o.n)
		b, _ := json.Marshal(s)
		v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err := o.comp.AddResource(loc, v); err != nil {
			t.Fatal(err)
		}
	}
	sch, err := o.comp.Compile(loc)
	if err != nil {
		t.Fatalf("%s: schema %s: %v", what, loc, err)
	}
	return sch
}

// operation finds the operation of a route pattern.
func (o *openAPI) operation(t *testing.T, pattern string) map[string]any {
	t.Helper()
	method, path, _ := strings.Cut(pattern, " ")
	op, ok := o.doc["paths"].(map[string]any)[path].(map[string]any)[strings.ToLower(method)].(map[string]any)
	if !ok {
		t.Fatalf("%s is not in the document", pattern)
	}
	return op
}

// validate checks a real exchange against the document: the request body
// against the request schema, the status against the documented ones, and
// the response body against the schema of its status.
func (o *openAPI) validate(t *testing.T, pattern, reqBody string, r resp) {
	t.Helper()
	op := o.operation(t, pattern)
	if reqBody != "" {
		rb, ok := op["requestBody"].(map[string]any)
		if !ok {
			t.Fatalf("%s: sent a body, but the document has none", pattern)
		}
		o.check(t, pattern+" request", o.schema(t, pattern, rb), reqBody)
	}
	resps := op["responses"].(map[string]any)
	key := fmt.Sprint(r.StatusCode)
	if _, ok := resps[key]; !ok {
		key = key[:1] + "XX"
	}
	obj, ok := resps[key].(map[string]any)
	if !ok {
		t.Fatalf("%s answered %d, which the document does not list (%v)", pattern, r.StatusCode, slices.Sorted(mapKeys(resps)))
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q", pattern, ct)
	}
	o.check(t, fmt.Sprintf("%s %d", pattern, r.StatusCode), o.schema(t, pattern, obj), r.body)
}

// queryDocumented checks that every query parameter of path is one the
// document lists for the operation.
func (o *openAPI) queryDocumented(t *testing.T, pattern, path string) {
	t.Helper()
	u, err := url.Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	params, _ := o.operation(t, pattern)["parameters"].([]any)
	for name := range u.Query() {
		if !slices.ContainsFunc(params, func(p any) bool {
			p0 := p.(map[string]any)
			return p0["in"] == "query" && p0["name"] == name
		}) {
			t.Errorf("%s: query parameter %q is not documented", pattern, name)
		}
	}
}

func mapKeys(m map[string]any) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func (o *openAPI) check(t *testing.T, what string, sch *jsonschema.Schema, body string) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s: body is not JSON: %v\n%s", what, err, body)
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("%s: body does not match the document: %v\n%.2000s", what, err, body)
	}
}

// TestOpenAPIResponses calls every API route on a store with data, as the
// roles that use them, and validates each real request and response
// against the served document: successes, and 400, 401, 403, 404 and 409
// errors. A route added to apiDocs without a call here fails it.
func TestOpenAPIResponses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) { openAPIResponses(t, fixtureOn(envOn(t, db))) })
}

func openAPIResponses(t *testing.T, f *fixture) {
	recomputeFixture(t, f) // scores, analyses and tasks
	o := loadOpenAPI(t, f.clients[""])
	covered := map[string]bool{}
	// call sends a request, checks its status and validates the exchange;
	// pattern is the route, path the concrete URL.
	call := func(pattern, path, as, body string, want int) resp {
		t.Helper()
		method, _, _ := strings.Cut(pattern, " ")
		r := f.call(method, path, as, body)
		if r.StatusCode != want {
			t.Fatalf("%s %s as %q: status %d, want %d\n%s", method, path, as, r.StatusCode, want, r.body)
		}
		o.validate(t, pattern, body, r)
		o.queryDocumented(t, pattern, path)
		covered[pattern] = true
		return r
	}
	decode := func(r resp, v any) {
		t.Helper()
		if err := json.Unmarshal([]byte(r.body), v); err != nil {
			t.Fatal(err)
		}
	}
	east := fmt.Sprint(f.east.ID)
	id := func(pattern string, n int64) string { return strings.Replace(pattern, "{id}", fmt.Sprint(n), 1) }

	// Customers: list (with a filter), one, create, change, contacts; as
	// admin (unmasked) and as marketing (masked).
	for _, as := range []string{"admin", "ma"} {
		call("GET /api/v1/customers", "/api/v1/customers?industry=制造业-机械设备&limit=10", as, "", 200)
		call("GET /api/v1/customers/{id}", "/api/v1/customers/"+east, as, "", 200)
		call("GET /api/v1/customers/{id}/contacts", "/api/v1/customers/"+east+"/contacts", as, "", 200)
	}
	call("GET /api/v1/customers", "/api/v1/customers?q=no-such-customer", "li", "", 200) // empty list
	var c dossier.Customer
	decode(call("POST /api/v1/customers", "/api/v1/customers", "li",
		`{"values": {"name": "苏州开放接口有限公司", "industry": "制造业", "revenue": "3000万"}, "source": {"channel": "customer", "detail": "电话"}}`, 201), &c)
	p := id("/api/v1/customers/{id}", c.ID)
	call("POST /api/v1/customers/{id}/tags", "/api/v1/customers/"+east+"/tags", "li", `{"tag": "渠道-展会获客"}`, 200)
	call("PATCH /api/v1/customers/{id}", p, "li", fmt.Sprintf(`{"version": %d, "values": {"revenue": "1亿"}, "source": {"channel": "public", "detail": "年报"}}`, c.Version), 200)
	// Errors: stale version 409, no version 400, unknown 404, bad limit 400,
	// no token 401, analyst 403, unknown JSON field 400.
	call("PATCH /api/v1/customers/{id}", p, "li", fmt.Sprintf(`{"version": %d, "values": {"stage": "成交"}}`, c.Version), 409)
	call("PATCH /api/v1/customers/{id}", p, "li", `{"values": {"stage": "成交"}}`, 400)
	call("GET /api/v1/customers/{id}", "/api/v1/customers/999999", "admin", "", 404)
	call("GET /api/v1/customers", "/api/v1/customers?limit=0", "admin", "", 400)
	call("GET /api/v1/customers", "/api/v1/customers", "", "", 401)
	call("GET /api/v1/customers", "/api/v1/customers", "qian", "", 403)
	r := f.call("POST", "/api/v1/customers", "li", `{"valuez": {}}`)
	if r.StatusCode != 400 {
		t.Fatalf("unknown field: %d", r.StatusCode)
	}
	o.validate(t, "POST /api/v1/customers", "", r)

	// Analysis and tasks.
	call("GET /api/v1/customers/{id}/analysis", "/api/v1/customers/"+east+"/analysis", "li", "", 200)
	var tasks taskList
	decode(call("GET /api/v1/tasks", "/api/v1/tasks?status=all", "admin", "", 200), &tasks)
	if len(tasks.Items) == 0 {
		t.Fatal("the fixture has no tasks to validate")
	}
	var taskPage taskList
	decode(call("GET /api/v1/tasks", "/api/v1/tasks?status=all&limit=1", "admin", "", 200), &taskPage)
	if taskPage.NextCursor == "" && len(tasks.Items) > 1 {
		t.Fatalf("a full page of tasks has no next_cursor: %+v", taskPage)
	}
	if taskPage.NextCursor != "" {
		call("GET /api/v1/tasks", "/api/v1/tasks?status=all&limit=1&cursor="+taskPage.NextCursor, "admin", "", 200)
	}
	call("GET /api/v1/tasks", "/api/v1/tasks?cursor=bm90LWEtY3Vyc29y", "admin", "", 400)
	call("GET /api/v1/tasks", "/api/v1/tasks?cursor="+encodeCursor("pairs", 1), "admin", "", 400)
	call("PATCH /api/v1/tasks/{id}", id("/api/v1/tasks/{id}", tasks.Items[0].ID), "admin", `{"status": "done"}`, 200)
	call("PATCH /api/v1/tasks/{id}", id("/api/v1/tasks/{id}", tasks.Items[0].ID), "admin", `{"status": "finished"}`, 400)

	// Segments and analytics (aggregates, analysts included).
	call("POST /api/v1/segments", "/api/v1/segments", "qian", `{"name": "重点制造", "expression": "grade = 重点", "shared": true}`, 201)
	call("GET /api/v1/segments", "/api/v1/segments", "qian", "", 200)
	for _, as := range []string{"admin", "qian"} { // qian: small groups suppressed (null cells)
		call("GET /api/v1/analytics/pivot", "/api/v1/analytics/pivot?rows=industry&cols=grade&measure=count", as, "", 200)
		call("GET /api/v1/analytics/pivot", "/api/v1/analytics/pivot?rows=industry&measure=avg:revenue", as, "", 200)
		call("GET /api/v1/analytics/overview", "/api/v1/analytics/overview", as, "", 200)
		call("GET /api/v1/analytics/trend", "/api/v1/analytics/trend", as, "", 200)
		call("GET /api/v1/analytics/clusters", "/api/v1/analytics/clusters?by=industry_top", as, "", 200)
	}
	call("GET /api/v1/analytics/relation", "/api/v1/analytics/relation?rows=industry&cols=grade", "admin", "", 200)
	call("GET /api/v1/analytics/pivot", "/api/v1/analytics/pivot", "admin", "", 400)

	// Analyses (R1) and snapshots (R32).
	var st dossier.Study
	decode(call("POST /api/v1/analyses", "/api/v1/analyses", "zhou",
		`{"name": "华东复盘", "goal": "层级变化", "segment": "重点制造", "roles": ["manager", "analyst"]}`, 201), &st)
	call("POST /api/v1/analyses", "/api/v1/analyses", "zhou", `{"name": "bad", "scope": "grade = = 1"}`, 400)
	sp := id("/api/v1/analyses/{id}", st.ID)
	call("GET /api/v1/analyses/{id}/compare", sp+"/compare", "zhou", "", 404) // no run yet
	call("POST /api/v1/analyses/{id}/runs", sp+"/runs", "zhou", "", 201)
	call("POST /api/v1/analyses/{id}/runs", sp+"/runs", "qian", "", 201)
	call("POST /api/v1/analyses/{id}/runs", sp+"/runs", "li", "", 404) // sales may not see it
	call("GET /api/v1/analyses", "/api/v1/analyses", "qian", "", 200)
	call("GET /api/v1/analyses/{id}", sp, "qian", "", 200)
	call("GET /api/v1/analyses/{id}/compare", sp+"/compare", "qian", "", 200)
	call("GET /api/v1/analyses/{id}/compare", sp+"/compare?from=999999", "admin", "", 404)
	call("GET /api/v1/snapshots/compare", "/api/v1/snapshots/compare", "admin", "", 404) // none yet
	call("GET /api/v1/snapshots", "/api/v1/snapshots", "ma", "", 200)
	if err := f.db.TakeSnapshot(context.Background(), &dossier.Snapshot{Label: "Q4"}); err != nil {
		t.Fatal(err)
	}
	call("GET /api/v1/snapshots/compare", "/api/v1/snapshots/compare?filter=grade%20%3D%20重点", "li", "", 200)
	call("GET /api/v1/snapshots/compare", "/api/v1/snapshots/compare?from=2000-01-01", "li", "", 404)
	// Market facts and churn/win-loss (analysts read; writes by editors).
	call("POST /api/v1/market/competitors", "/api/v1/market/competitors", "ma",
		`{"name": "云启软件", "positioning": "中小企业SaaS", "strengths": "便宜", "weaknesses": "不灵活", "price_level": "low",
		  "source": {"channel": "internal", "detail": "竞品分析会", "collected_at": "2025-06-01"}}`, 201)
	call("POST /api/v1/market/competitors", "/api/v1/market/competitors", "ma", `{"name": "云启软件", "source": {"channel": "internal", "detail": "x"}}`, 409)
	call("POST /api/v1/market/competitors", "/api/v1/market/competitors", "qian", `{"name": "分析师竞品", "source": {"channel": "internal", "detail": "x"}}`, 403)
	call("GET /api/v1/market/competitors", "/api/v1/market/competitors", "qian", "", 200)
	call("POST /api/v1/market/records", "/api/v1/market/records", "ma",
		`{"region": "华东", "industry": "SaaS", "year": 2023, "size": 12000000000, "growth": 15, "source": {"channel": "third-party", "detail": "艾瑞咨询"}}`, 201)
	call("POST /api/v1/market/records", "/api/v1/market/records", "ma", `{"region": "华东", "industry": "SaaS", "year": 23, "source": {"channel": "public", "detail": "x"}}`, 400)
	call("GET /api/v1/market/records", "/api/v1/market/records?region=华东&industry=SaaS&year=2023", "qian", "", 200)
	call("POST /api/v1/market/notes", "/api/v1/market/notes", "li",
		`{"kind": "technology", "region": "全国", "title": "大模型进入客服场景", "body": "…", "source": {"channel": "public", "detail": "IDC"}}`, 201)
	call("GET /api/v1/market/notes", "/api/v1/market/notes?kind=technology&year=2026", "qian", "", 200)
	call("POST /api/v1/market/shares", "/api/v1/market/shares", "ma",
		`{"competitor": "云启软件", "region": "华东", "year": 2025, "share": 30, "source": {"channel": "third-party", "detail": "区域调研"}}`, 201)
	var regions items[dossier.RegionShares]
	decode(call("GET /api/v1/market/shares", "/api/v1/market/shares?region=华东&year=2025", "qian", "", 200), &regions)
	if len(regions.Items) != 1 || regions.Items[0].Others != 70 {
		t.Errorf("shares: %+v", regions)
	}
	for _, as := range []string{"admin", "qian"} {
		call("GET /api/v1/analytics/churn", "/api/v1/analytics/churn?filter=grade+%3D+重点", as, "", 200)
		call("GET /api/v1/analytics/winloss", "/api/v1/analytics/winloss", as, "", 200)
	}

	// Data quality: pairs, merge and undo, reject, conflicts, verification,
	// settle, gaps, estimate, invalid values.
	dup := f.customer(map[string]string{"name": "华东精密机械(苏州)有限公司", "industry": "制造业-机械设备", "owner": "li", "team": "east"})
	call("POST /api/v1/dedupe/pairs", "/api/v1/dedupe/pairs", "admin", fmt.Sprintf(
		`{"pairs": [{"a": %d, "b": %d, "probability": 0.95, "weight": 8, "evidence": [{"field": "name", "level": "similar", "weight": 5}]},
		 {"a": %d, "b": %d, "probability": 0.4, "weight": -1}]}`, f.east.ID, dup.ID, f.east.ID, f.west.ID), 200)
	var pairs pairList
	decode(call("GET /api/v1/dedupe/pairs", "/api/v1/dedupe/pairs", "admin", "", 200), &pairs)
	if len(pairs.Items) != 2 {
		t.Fatalf("pairs %+v", pairs)
	}
	var pairPage pairList
	decode(call("GET /api/v1/dedupe/pairs", "/api/v1/dedupe/pairs?limit=1", "admin", "", 200), &pairPage)
	if pairPage.NextCursor == "" {
		t.Fatalf("a full page of pairs has no next_cursor: %+v", pairPage)
	}
	decode(call("GET /api/v1/dedupe/pairs", "/api/v1/dedupe/pairs?limit=1&cursor="+pairPage.NextCursor, "admin", "", 200), &pairPage)
	if len(pairPage.Items) != 1 || pairPage.Items[0].ID != pairs.Items[1].ID {
		t.Fatalf("second page of pairs %+v, want pair %d", pairPage, pairs.Items[1].ID)
	}
	call("GET /api/v1/dedupe/pairs", "/api/v1/dedupe/pairs?cursor="+encodeCursor("tasks", 1), "admin", "", 400)
	call("GET /api/v1/dedupe/pairs", "/api/v1/dedupe/pairs?cursor=%21%21", "admin", "", 400)
	var m dossier.Merge
	decode(call("POST /api/v1/dedupe/pairs/{id}/merge", id("/api/v1/dedupe/pairs/{id}/merge", pairs.Items[0].ID), "admin", `{"reason": "同一家公司"}`, 200), &m)
	call("POST /api/v1/dedupe/pairs/{id}/reject", id("/api/v1/dedupe/pairs/{id}/reject", pairs.Items[0].ID), "admin", "", 409)
	call("POST /api/v1/merges/{id}/undo", id("/api/v1/merges/{id}/undo", m.ID), "admin", "", 200)
	call("POST /api/v1/dedupe/pairs/{id}/reject", id("/api/v1/dedupe/pairs/{id}/reject", pairs.Items[1].ID), "admin", "", 200)
	call("POST /api/v1/dedupe/pairs/{id}/merge", "/api/v1/dedupe/pairs/999999/merge", "admin", "", 404)
	call("GET /api/v1/conflicts", "/api/v1/conflicts", "li", "", 200) // the revenue conflict above
	call("GET /api/v1/customers/{id}/verification", p+"/verification", "li", "", 200)
	call("POST /api/v1/customers/{id}/settle", p+"/settle", "li", `{"field": "revenue", "value": "1亿"}`, 200)
	call("GET /api/v1/gaps", "/api/v1/gaps", "li", "", 200)
	call("GET /api/v1/invalid", "/api/v1/invalid", "ma", "", 200)
	call("GET /api/v1/customers/{id}/estimate", "/api/v1/customers/"+east+"/estimate?field=nope", "li", "", 400)
	for i := range 5 { // peers to estimate revenue from
		f.customer(map[string]string{"name": fmt.Sprintf("零售同行%d", i), "industry": "零售", "revenue": fmt.Sprintf("%d000万", i+1)})
	}
	lone := f.customer(map[string]string{"name": "零售待估有限公司", "industry": "零售", "owner": "li", "team": "east"})
	est := id("/api/v1/customers/{id}/estimate", lone.ID) + "?field=revenue"
	call("GET /api/v1/customers/{id}/estimate", est, "li", "", 200)
	call("POST /api/v1/customers/{id}/estimate", est, "li", "", 200)

	// Administration: audit log, PIPL export.
	call("GET /api/v1/audit", "/api/v1/audit?limit=5", "admin", "", 200)
	call("GET /api/v1/audit", "/api/v1/audit", "li", "", 403)
	contacts, err := f.db.Contacts(t.Context(), f.east.ID)
	if err != nil || len(contacts) == 0 {
		t.Fatalf("contacts %v %v", contacts, err)
	}
	call("GET /api/v1/contacts/{id}/export", id("/api/v1/contacts/{id}/export", contacts[0].ID), "admin", "", 200)
	erase := id("/api/v1/contacts/{id}/erase", contacts[0].ID)
	call("POST /api/v1/contacts/{id}/erase", erase, "admin", `{"reason": "本人申请删除"}`, 200)
	call("POST /api/v1/contacts/{id}/erase", "/api/v1/contacts/999999/erase", "admin", "", 404)
	call("GET /api/v1/openapi.json", "/api/v1/openapi.json", "", "", 200)
	callWebhookAPI(t, f, call)
	callInteractionAPI(t, f, call)
	callFactAPI(t, f, call)
	callImportAPI(t, f, call)
	callContactAPI(t, f, call)
	callProjectAPI(t, f, call)
	callWriteAPI(t, f, call)
	// The multipart import: the response is validated (the request is a
	// file, not JSON), then the run is read back and undone.
	const uploadPattern = "POST /api/v1/imports"
	for _, tc := range []struct {
		as, query, data string
		want            int
	}{
		{"zhou", "?source=public", "客户名称,行业\n接口导入公司,制造业\n", 403},
		{"admin", "", "客户名称,行业\n接口导入公司,制造业\n", 400}, // no source
		{"admin", "?source=public&source_detail=展会名录", "客户名称,行业\n接口导入公司,制造业\n,制造业\n", 201},
		{"admin", "?kind=shoes&source=public", "客户名称,行业\n接口导入公司,制造业\n", 400},
		{"admin", "?kind=contacts&source=public", "name,contact_name,contact_phone\n接口导入公司,接口联系人,13800138000\n", 201},
	} {
		r := f.upload("/api/v1/imports"+tc.query, tc.as, "名录.csv", tc.data)
		if r.StatusCode != tc.want {
			t.Fatalf("upload as %s%s: %d, want %d: %s", tc.as, tc.query, r.StatusCode, tc.want, r.body)
		}
		o.validate(t, uploadPattern, "", r)
		o.queryDocumented(t, uploadPattern, "/api/v1/imports"+tc.query)
		if tc.want == 201 && strings.Contains(tc.query, "kind=contacts") {
			r.mustContain(t, `"kind":"contacts"`)
			call("GET /api/v1/contacts", "/api/v1/contacts?limit=5", "admin", "", 200).mustContain(t, "接口联系人")
		} else if tc.want == 201 {
			r.mustContain(t, `"imported":1`, `"rejected":1`, "展会名录")
			var v importView
			decode(r, &v)
			call("GET /api/v1/imports/{id}", id("/api/v1/imports/{id}", v.ID), "admin", "", 200).mustContain(t, "名录.csv")
			call("GET /api/v1/customers", "/api/v1/customers?q=接口导入公司", "admin", "", 200).mustContain(t, "接口导入公司")
		}
	}
	if op := o.operation(t, uploadPattern); op["requestBody"] == nil {
		t.Error("the upload's multipart body is not documented")
	}
	covered[uploadPattern] = true

	callPagedLists(t, f, call, decode)

	// Every documented route is exercised: a new one needs a call here.
	for p := range apiDocs {
		if !covered[p] {
			t.Errorf("%s is not validated by this test", p)
		}
	}
}

// TestOpenAPIValidationFails makes sure the validation can fail: a body
// missing a required field, or with one the schema does not know.
func TestOpenAPIValidationFails(t *testing.T) {
	e := newEnv(t)
	o := loadOpenAPI(t, e.client())
	sch := o.schema(t, "customer", map[string]any{"content": map[string]any{"application/json": map[string]any{
		"schema": map[string]any{"$ref": "#/components/schemas/dossier.Customer"}}}})
	good := `{"id":1,"name":"a","industry":"","stage":"","grade":"","owner":"","team":"","values":{},"version":1,
		"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}`
	for _, tc := range []struct {
		body string
		ok   bool
	}{
		{good, true},
		{strings.Replace(good, `"values":{}`, `"values":null`, 1), true}, // a nil map
		{strings.Replace(good, `"name":"a",`, ``, 1), false},
		{strings.Replace(good, `"id":1`, `"id":1,"surprise":true`, 1), false},
		{strings.Replace(good, `"version":1`, `"version":"1"`, 1), false},
		{strings.Replace(good, `"2026-01-01T00:00:00Z"`, `"yesterday"`, 1), false},
	} {
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); (err == nil) != tc.ok {
			t.Errorf("validate %s: %v, want ok=%v", tc.body, err, tc.ok)
		}
	}
	errSchema := o.schema(t, "error", map[string]any{"$ref": "#/components/responses/Error"})
	for body, ok := range map[string]bool{
		`{"error":{"code":"not_found","message":"no customer 9"}}`:                 true,
		`{"error":{"code":"invalid","message":"bad limit","field":"limit"}}`:       true,
		`{"error":{"code":"oops","message":"a code the server does not have"}}`:    false,
		`{"error":{"message":"no code"}}`:                                          false,
		`{"error":{"code":"not_found","message":"m"},"detail":"not in the shape"}`: false,
	} {
		v, _ := jsonschema.UnmarshalJSON(strings.NewReader(body))
		if err := errSchema.Validate(v); (err == nil) != ok {
			t.Errorf("error body %s: %v, want ok=%v", body, err, ok)
		}
	}
}

// callPagedLists validates the first and second page of every list paged
// by cursor since issue #9's second round, and the 400 of a foreign
// cursor: a list with two rows or more pages on with next_cursor.
func callPagedLists(t *testing.T, f *fixture, call func(pattern, path, as, body string, want int) resp, decode func(resp, any)) {
	t.Helper()
	ctx := context.Background()
	hook, err := f.db.CreateWebhook(ctx, dossier.NewWebhook{URL: "https://hooks.example.com/paged",
		Events: []string{dossier.EventCustomerCreated}, Secret: "0123456789abcdef", By: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	f.customer(map[string]string{"name": "分页投递一", "industry": "制造业", "owner": "li", "team": "east"})
	f.customer(map[string]string{"name": "分页投递二", "industry": "制造业", "owner": "li", "team": "east"})
	if err := f.db.CreateMarketRecord(ctx, &dossier.MarketRecord{Region: "华北", Industry: "SaaS", Year: 2024, Size: 1e9,
		Source: dossier.Source{Channel: dossier.ChannelPublic, Detail: "年鉴", CollectedAt: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	if err := f.db.TakeSnapshot(ctx, &dossier.Snapshot{Label: "分页"}); err != nil {
		t.Fatal(err)
	}
	for _, l := range []struct{ pattern, path, as string }{
		{"GET /api/v1/customers/{id}/facts", fmt.Sprintf("/api/v1/customers/%d/facts?", f.east.ID), "li"},
		{"GET /api/v1/market/records", "/api/v1/market/records?", "qian"},
		{"GET /api/v1/market/notes", "/api/v1/market/notes?", "qian"},
		{"GET /api/v1/market/competitors", "/api/v1/market/competitors?", "qian"},
		{"GET /api/v1/segments", "/api/v1/segments?", "qian"},
		{"GET /api/v1/analyses", "/api/v1/analyses?", "admin"},
		{"GET /api/v1/snapshots", "/api/v1/snapshots?", "admin"},
		{"GET /api/v1/conflicts", "/api/v1/conflicts?", "admin"},
		{"GET /api/v1/gaps", "/api/v1/gaps?", "li"},
		{"GET /api/v1/invalid", "/api/v1/invalid?", "ma"},
		{"GET /api/v1/audit", "/api/v1/audit?", "admin"},
		{"GET /api/v1/webhooks", "/api/v1/webhooks?", "admin"},
		{"GET /api/v1/webhooks/{id}/deliveries", fmt.Sprintf("/api/v1/webhooks/%d/deliveries?", hook.ID), "admin"},
	} {
		var all, first struct {
			Items      []json.RawMessage `json:"items"`
			NextCursor string            `json:"next_cursor"`
		}
		decode(call(l.pattern, l.path+"limit=500", l.as, "", 200), &all)
		decode(call(l.pattern, l.path+"limit=1", l.as, "", 200), &first)
		if len(all.Items) >= 2 && first.NextCursor == "" {
			t.Errorf("%s: a full page of %d rows has no next_cursor", l.path, len(all.Items))
		}
		if first.NextCursor != "" {
			call(l.pattern, l.path+"limit=1&cursor="+first.NextCursor, l.as, "", 200)
		}
		call(l.pattern, l.path+"cursor="+encodeCursor("pairs", 1), l.as, "", 400).mustContain(t, `"field":"cursor"`)
	}
}
