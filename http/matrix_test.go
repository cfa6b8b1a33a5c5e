package http

import (
	"fmt"
	nethttp "net/http"
	"net/url"
	"strings"
	"testing"
)

// matrixRoles are the columns of the authorisation matrix: one user of each
// role (sales and manager in the team of the customer used), then signed out.
var matrixRoles = [7]string{"admin", "zhou", "li", "sun", "ma", "qian", ""}

// matrixRow is what one route answers each column: a request and the status
// each role gets.
type matrixRow struct {
	// body is the request body: JSON sent with the user's bearer token for
	// the API, a form sent with a fresh session and a valid CSRF token for
	// pages. "{as}" in it stands for the user's name.
	body string
	want [7]int // admin, manager, sales, service, marketing, analyst, signed out
}

// authMatrix has one row per route of s.routes(), keyed by its pattern. A
// route added without a row here fails TestAuthorisationMatrix, so nobody
// adds a route without deciding who may use it.
var authMatrix = map[string]matrixRow{
	"GET /healthz": {want: [7]int{200, 200, 200, 200, 200, 200, 200}},
	"GET /readyz":  {want: [7]int{200, 200, 200, 200, 200, 200, 200}},
	// Scrapers use the metrics token instead (TestMetricsToken).
	"GET /metrics":       {want: [7]int{200, 403, 403, 403, 403, 403, 401}},
	"GET /assets/{file}": {want: [7]int{404, 404, 404, 404, 404, 404, 404}},
	"GET /{$}":           {want: [7]int{303, 303, 303, 303, 303, 303, 303}},
	"GET /login":         {want: [7]int{303, 303, 303, 303, 303, 303, 200}},
	"POST /login":        {body: "name=nobody-{as}&password=wrong-password", want: [7]int{401, 401, 401, 401, 401, 401, 401}},
	"POST /logout":       {want: [7]int{303, 303, 303, 303, 303, 303, 401}},

	"GET /customers":                   {want: [7]int{200, 200, 200, 200, 200, 403, 303}},
	"GET /customers/total":             {want: [7]int{200, 200, 200, 200, 200, 403, 303}},
	"GET /customers/{id}":              {want: [7]int{200, 200, 200, 200, 200, 403, 303}},
	"GET /customers/{id}/fields/{key}": {want: [7]int{200, 200, 200, 200, 200, 403, 303}},
	"GET /customers/{id}/report":       {want: [7]int{200, 200, 200, 200, 200, 403, 303}},
	"GET /customers/{id}/report.xlsx":  {want: [7]int{200, 200, 200, 200, 200, 403, 303}},
	// Survey links: the editors make them; the public pages answer an
	// unknown token with 404 whoever asks.
	"POST /customers/{id}/survey-links": {body: "days=3", want: [7]int{200, 200, 200, 403, 403, 403, 401}},
	// Version 0 is refused by the edit handler (400): the role got past the guard.
	"POST /customers/{id}/edit": {body: "version=0&city=苏州", want: [7]int{400, 400, 400, 403, 403, 403, 401}},
	// The owner (li), the team's manager and an admin may share.
	"POST /customers/{id}/share": {body: "shared=0", want: [7]int{303, 303, 303, 403, 403, 403, 401}},
	"GET /q/{token}":             {want: [7]int{404, 404, 404, 404, 404, 404, 404}},
	"POST /q/{token}":            {body: "budget=10万", want: [7]int{404, 404, 404, 404, 404, 404, 404}},
	"GET /admin/audit":           {want: [7]int{200, 403, 403, 403, 403, 403, 303}},
	"GET /admin/users":           {want: [7]int{200, 403, 403, 403, 403, 403, 303}},
	// The import wizard: editors pass the guard; the handlers then refuse
	// those who see part of the customers only (zhou manages team east, li
	// is a sales rep): User.CanImport. For the admin, a form that is not
	// multipart is refused (400) and {id} names no upload (404).
	"GET /import":             {want: [7]int{200, 403, 403, 403, 403, 403, 303}},
	"POST /import":            {body: "file=x", want: [7]int{400, 403, 403, 403, 403, 403, 401}},
	"GET /import/{id}":        {want: [7]int{404, 403, 403, 403, 403, 403, 303}},
	"POST /import/{id}":       {body: "source=internal", want: [7]int{404, 403, 403, 403, 403, 403, 401}},
	"GET /import/{id}/result": {want: [7]int{404, 403, 403, 403, 403, 403, 303}},
	"GET /import/{id}/errors": {want: [7]int{404, 403, 403, 403, 403, 403, 303}},
	"POST /import/{id}/undo":  {want: [7]int{404, 403, 403, 403, 403, 403, 401}},
	"GET /admin/fields":       {want: [7]int{200, 403, 403, 403, 403, 403, 303}},
	// A bad type is refused (400) once past the guard.
	"POST /admin/fields": {body: "key=matrix_x&label_zh=x&category=basic&type=bogus", want: [7]int{400, 403, 403, 403, 403, 403, 401}},
	"GET /home":          {want: [7]int{200, 200, 200, 200, 200, 403, 303}},
	"GET /quality":       {want: [7]int{200, 200, 200, 200, 200, 403, 303}},
	// {id} names no pair or merge: editors get past the guard to a 404.
	"POST /quality/pairs/{id}/merge":  {want: [7]int{404, 404, 404, 403, 403, 403, 401}},
	"POST /quality/pairs/{id}/reject": {want: [7]int{404, 404, 404, 403, 403, 403, 401}},
	"POST /quality/merges/{id}/undo":  {want: [7]int{404, 404, 404, 403, 403, 403, 401}},
	"POST /quality/customers/{id}/settle": {body: "field=revenue&value=100万",
		want: [7]int{303, 303, 303, 403, 403, 403, 401}},
	// The one customer of its industry has no peers to estimate from.
	"POST /quality/customers/{id}/estimate": {body: "field=revenue", want: [7]int{404, 404, 404, 403, 403, 403, 401}},
	"POST /admin/users": {body: "name=new-{as}&role=sales&team=east&password=long-enough-pw",
		want: [7]int{303, 403, 403, 403, 403, 403, 401}},
	// The field editor: {key} is "name", a built-in field, shown
	// read-only and refused on save (400) once past the guard.
	"GET /admin/fields/{key}":         {want: [7]int{200, 403, 403, 403, 403, 403, 303}},
	"POST /admin/fields/{key}":        {body: "version=0&label_zh=x", want: [7]int{400, 403, 403, 403, 403, 403, 401}},
	"POST /admin/fields/{key}/retire": {body: "version=0", want: [7]int{400, 403, 403, 403, 403, 403, 401}},
	// An unknown role is refused (400) once past the guard.
	"POST /admin/users/{id}": {body: "role=bogus&team=x", want: [7]int{400, 403, 403, 403, 403, 403, 401}},
	"GET /settings":          {want: [7]int{200, 200, 200, 200, 200, 200, 303}},
	"POST /settings/token":   {want: [7]int{200, 200, 200, 200, 200, 200, 401}},

	"GET /api/v1/openapi.json":   {want: [7]int{200, 200, 200, 200, 200, 200, 200}},
	"GET /api/v1/customers":      {want: [7]int{200, 200, 200, 200, 200, 403, 401}},
	"POST /api/v1/customers":     {body: `{"values": {"name": "矩阵客户"}}`, want: [7]int{201, 201, 201, 403, 403, 403, 401}},
	"GET /api/v1/customers/{id}": {want: [7]int{200, 200, 200, 200, 200, 403, 401}},
	// Version 0 is refused by the handler (400), which shows the role got past the guard.
	"PATCH /api/v1/customers/{id}": {body: `{"version": 0, "values": {}}`, want: [7]int{400, 400, 400, 403, 403, 403, 401}},
	// No version: refused (400) past the guard and the scope check.
	"DELETE /api/v1/customers/{id}":       {want: [7]int{400, 400, 400, 403, 403, 403, 401}},
	"GET /api/v1/customers/{id}/contacts": {want: [7]int{200, 200, 200, 200, 200, 403, 401}},
	// Aggregates: every role, narrowed to its scope; segments are per user.
	"GET /analytics": {want: [7]int{200, 200, 200, 200, 200, 200, 303}},
	// Without rows the pivot is refused; the signed-out user is sent to sign in.
	"GET /analytics/pivot.xlsx":          {want: [7]int{400, 400, 400, 400, 400, 400, 303}},
	"GET /analytics/trend.xlsx":          {want: [7]int{200, 200, 200, 200, 200, 200, 303}},
	"GET /analytics/segment-report":      {want: [7]int{200, 200, 200, 200, 200, 200, 303}},
	"GET /analytics/segment-report.xlsx": {want: [7]int{200, 200, 200, 200, 200, 200, 303}},
	"GET /api/v1/analytics/pivot":        {want: [7]int{400, 400, 400, 400, 400, 400, 401}},
	"GET /api/v1/analytics/relation":     {want: [7]int{400, 400, 400, 400, 400, 400, 401}},
	"GET /api/v1/analytics/trend":        {want: [7]int{200, 200, 200, 200, 200, 200, 401}},
	"GET /api/v1/analytics/clusters":     {want: [7]int{200, 200, 200, 200, 200, 200, 401}},
	"GET /api/v1/analytics/overview":     {want: [7]int{200, 200, 200, 200, 200, 200, 401}},
	// Analyses: anyone signed in may make one. {id} (1) is the analysis
	// "m-admin" the POST row made first, visible to its owner (admin) and the
	// role it names (manager); to the others it does not exist. Snapshots:
	// none of every customer taken, so comparing is a 404.
	"GET /analyses":                     {want: [7]int{200, 200, 200, 200, 200, 200, 303}},
	"POST /analyses":                    {body: "name=m-{as}&goal=g&roles=manager", want: [7]int{303, 303, 303, 303, 303, 303, 401}},
	"POST /analyses/{id}/run":           {want: [7]int{303, 303, 404, 404, 404, 404, 401}},
	"GET /api/v1/analyses":              {want: [7]int{200, 200, 200, 200, 200, 200, 401}},
	"POST /api/v1/analyses":             {body: `{"name": "a-{as}", "goal": "g"}`, want: [7]int{201, 201, 201, 201, 201, 201, 401}},
	"GET /api/v1/analyses/{id}":         {want: [7]int{200, 200, 404, 404, 404, 404, 401}},
	"POST /api/v1/analyses/{id}/runs":   {want: [7]int{201, 201, 404, 404, 404, 404, 401}},
	"GET /api/v1/analyses/{id}/compare": {want: [7]int{200, 200, 404, 404, 404, 404, 401}},
	// Without a version its owner (admin) is refused (400); the manager
	// sees it but may not change it (403).
	"PATCH /api/v1/analyses/{id}":   {body: `{"goal": "x"}`, want: [7]int{400, 403, 404, 404, 404, 404, 401}},
	"DELETE /api/v1/analyses/{id}":  {want: [7]int{400, 403, 404, 404, 404, 404, 401}},
	"GET /api/v1/snapshots":         {want: [7]int{200, 200, 200, 200, 200, 200, 401}},
	"GET /api/v1/snapshots/compare": {want: [7]int{404, 404, 404, 404, 404, 404, 401}},
	"GET /api/v1/segments":          {want: [7]int{200, 200, 200, 200, 200, 200, 401}},
	// Market facts: everyone signed in reads; sales, marketing, managers and
	// admins write. A share of an unknown competitor is refused (400) past the guard.
	"GET /market":                     {want: [7]int{200, 200, 200, 200, 200, 200, 303}},
	"GET /market/report":              {want: [7]int{200, 200, 200, 200, 200, 200, 303}},
	"GET /market/report.xlsx":         {want: [7]int{200, 200, 200, 200, 200, 200, 303}},
	"GET /api/v1/analytics/churn":     {want: [7]int{200, 200, 200, 200, 200, 200, 401}},
	"GET /api/v1/analytics/winloss":   {want: [7]int{200, 200, 200, 200, 200, 200, 401}},
	"GET /api/v1/market/records":      {want: [7]int{200, 200, 200, 200, 200, 200, 401}},
	"GET /api/v1/market/notes":        {want: [7]int{200, 200, 200, 200, 200, 200, 401}},
	"GET /api/v1/market/competitors":  {want: [7]int{200, 200, 200, 200, 200, 200, 401}},
	"GET /api/v1/market/shares":       {want: [7]int{200, 200, 200, 200, 200, 200, 401}},
	"POST /api/v1/market/competitors": {body: `{"name": "竞品-{as}", "price_level": "low", "source": {"channel": "internal", "detail": "会议"}}`, want: [7]int{201, 201, 201, 403, 201, 403, 401}},
	"POST /api/v1/market/records": {body: `{"region": "华东", "industry": "SaaS", "year": 2024, "size": 12000000000, "source": {"channel": "third-party", "detail": "艾瑞"}}`,
		want: [7]int{201, 201, 201, 403, 201, 403, 401}},
	"POST /api/v1/market/notes": {body: `{"kind": "policy", "title": "数字化补贴-{as}", "source": {"channel": "public", "detail": "工信部"}}`,
		want: [7]int{201, 201, 201, 403, 201, 403, 401}},
	"POST /api/v1/market/shares": {body: `{"competitor": "无此竞品", "region": "华东", "year": 2024, "share": 10, "source": {"channel": "public", "detail": "x"}}`,
		want: [7]int{400, 400, 400, 403, 400, 403, 401}},
	"POST /api/v1/segments": {body: `{"name": "seg-{as}", "expression": "grade = 重点"}`, want: [7]int{201, 201, 201, 201, 201, 201, 401}},
	// {id} (1) is "seg-admin", the admin's private segment made by the
	// POST row above: the admin reads it and, without a version, is refused
	// a change (400); to the others it does not exist.
	"GET /api/v1/segments/{id}":           {want: [7]int{200, 404, 404, 404, 404, 404, 401}},
	"PATCH /api/v1/segments/{id}":         {body: `{"name": "x"}`, want: [7]int{400, 404, 404, 404, 404, 404, 401}},
	"DELETE /api/v1/segments/{id}":        {want: [7]int{400, 404, 404, 404, 404, 404, 401}},
	"GET /api/v1/audit":                   {want: [7]int{200, 403, 403, 403, 403, 403, 401}},
	"GET /api/v1/customers/{id}/analysis": {want: [7]int{200, 200, 200, 200, 200, 403, 401}},
	// An empty tag is refused (400) after the guard and the customer check.
	"POST /api/v1/customers/{id}/tags": {body: `{"tag": ""}`, want: [7]int{400, 400, 400, 403, 403, 403, 401}},
	"GET /api/v1/tasks":                {want: [7]int{200, 200, 200, 200, 200, 403, 401}},
	// A bad status is refused (400) before the task is looked up.
	"PATCH /api/v1/tasks/{id}": {body: `{"status": "finished"}`, want: [7]int{400, 400, 400, 403, 403, 403, 401}},
	// No customer: refused (400) past the guard. {id} names no task (the
	// fixture has none before a recompute).
	"POST /api/v1/tasks":        {body: `{"title": "x", "due": "2026-12-01"}`, want: [7]int{400, 400, 400, 403, 403, 403, 401}},
	"GET /api/v1/tasks/{id}":    {want: [7]int{404, 404, 404, 404, 404, 403, 401}},
	"DELETE /api/v1/tasks/{id}": {want: [7]int{404, 404, 404, 403, 403, 403, 401}},
	"POST /tasks/{id}":          {body: "status=finished", want: [7]int{400, 400, 400, 403, 403, 403, 401}},
	"GET /tasks":                {want: [7]int{200, 200, 200, 200, 200, 403, 303}},
	// The east customer has an owner: those who see it are told (409).
	"POST /pool/{id}/claim": {want: [7]int{409, 409, 409, 403, 403, 403, 401}},
	// An unknown operation is refused (400) once past the guard.
	"POST /customers/bulk": {body: "op=nope&all=1", want: [7]int{400, 400, 400, 403, 403, 403, 401}},
	"GET /admin/rules":     {want: [7]int{200, 403, 403, 403, 403, 403, 303}},
	// Not JSON: refused (400) without saving, which shows the admin got past the guard.
	"POST /admin/rules": {body: "kind=grade&body=nope", want: [7]int{400, 403, 403, 403, 403, 403, 401}},

	"GET /api/v1/dedupe/pairs": {want: [7]int{200, 200, 200, 200, 200, 403, 401}},
	// Unknown customers: the pair is skipped, so the queue stays empty.
	"POST /api/v1/dedupe/pairs": {body: `{"pairs": [{"a": 9998, "b": 9999, "probability": 0.5, "weight": 0}]}`,
		want: [7]int{200, 403, 403, 403, 403, 403, 401}},
	"POST /api/v1/dedupe/pairs/{id}/merge":    {want: [7]int{404, 404, 404, 403, 403, 403, 401}},
	"POST /api/v1/dedupe/pairs/{id}/reject":   {want: [7]int{404, 404, 404, 403, 403, 403, 401}},
	"POST /api/v1/merges/{id}/undo":           {want: [7]int{404, 404, 404, 403, 403, 403, 401}},
	"GET /api/v1/conflicts":                   {want: [7]int{200, 200, 200, 200, 200, 403, 401}},
	"GET /api/v1/customers/{id}/verification": {want: [7]int{200, 200, 200, 200, 200, 403, 401}},
	"POST /api/v1/customers/{id}/settle": {body: `{"field": "revenue", "value": "100万"}`,
		want: [7]int{200, 200, 200, 403, 403, 403, 401}},
	"GET /api/v1/gaps": {want: [7]int{200, 200, 200, 200, 200, 403, 401}},
	// Without ?field= the estimate is refused (400) once past the guard.
	"GET /api/v1/customers/{id}/estimate":  {want: [7]int{400, 400, 400, 400, 400, 403, 401}},
	"POST /api/v1/customers/{id}/estimate": {want: [7]int{400, 400, 400, 403, 403, 403, 401}},
	"GET /api/v1/invalid":                  {want: [7]int{200, 200, 200, 200, 200, 403, 401}},
	// {id} is the east customer's id, which is also its contact's.
	"GET /api/v1/contacts/{id}/export": {want: [7]int{200, 403, 403, 403, 403, 403, 401}},
	"POST /api/v1/contacts/{id}/erase": {want: [7]int{200, 403, 403, 403, 403, 403, 401}},
	// Contacts: {id} is the east customer's contact; writes without a
	// customer or a version are refused (400) past the guard.
	"GET /api/v1/contacts":             {want: [7]int{200, 200, 200, 200, 200, 403, 401}},
	"POST /api/v1/contacts":            {body: `{"name": "x"}`, want: [7]int{400, 400, 400, 403, 403, 403, 401}},
	"GET /api/v1/contacts/{id}":        {want: [7]int{200, 200, 200, 200, 200, 403, 401}},
	"PATCH /api/v1/contacts/{id}":      {body: `{"title": "x"}`, want: [7]int{400, 400, 400, 403, 403, 403, 401}},
	"GET /api/v1/customers/{id}/facts": {want: [7]int{200, 200, 200, 200, 200, 403, 401}},
	// An unknown field is refused (400) past the guard.
	"POST /api/v1/customers/{id}/facts": {body: `{"field": "nope", "value": "1"}`, want: [7]int{400, 400, 400, 403, 403, 403, 401}},
	// Interactions: {id} is the east customer's first interaction. Writes
	// without a customer or a version are refused (400) past the guard.
	"GET /api/v1/interactions":         {want: [7]int{200, 200, 200, 200, 200, 403, 401}},
	"POST /api/v1/interactions":        {body: `{"summary": "x"}`, want: [7]int{400, 400, 400, 403, 403, 403, 401}},
	"GET /api/v1/interactions/{id}":    {want: [7]int{200, 200, 200, 200, 200, 403, 401}},
	"PATCH /api/v1/interactions/{id}":  {body: `{"summary": "x"}`, want: [7]int{400, 400, 400, 403, 403, 403, 401}},
	"DELETE /api/v1/interactions/{id}": {want: [7]int{400, 400, 400, 403, 403, 403, 401}},
	// Projects: {id} names no project (404 past the guard); writes without
	// a customer are refused (400).
	"GET /api/v1/projects":         {want: [7]int{200, 200, 200, 200, 200, 403, 401}},
	"POST /api/v1/projects":        {body: `{"name": "x"}`, want: [7]int{400, 400, 400, 403, 403, 403, 401}},
	"GET /api/v1/projects/{id}":    {want: [7]int{404, 404, 404, 404, 404, 403, 401}},
	"PATCH /api/v1/projects/{id}":  {body: `{"name": "x"}`, want: [7]int{404, 404, 404, 403, 403, 403, 401}},
	"DELETE /api/v1/projects/{id}": {want: [7]int{404, 404, 404, 403, 403, 403, 401}},
	// Import runs: admins and managers; {id} names no import.
	"GET /api/v1/imports":      {want: [7]int{200, 200, 403, 403, 403, 403, 401}},
	"GET /api/v1/imports/{id}": {want: [7]int{404, 404, 403, 403, 403, 403, 401}},
	// Importing or undoing: a team's manager sees part of the customers
	// (403); the admin's JSON body is not multipart (400).
	"POST /api/v1/imports":        {body: `{}`, want: [7]int{400, 403, 403, 403, 403, 403, 401}},
	"DELETE /api/v1/imports/{id}": {want: [7]int{404, 403, 403, 403, 403, 403, 401}},
	// Webhooks are the admin's. {id} is 1, the webhook the admin's POST row
	// (earlier in the route table) created, so the admin's delete is 200.
	"GET /api/v1/webhooks": {want: [7]int{200, 403, 403, 403, 403, 403, 401}},
	"POST /api/v1/webhooks": {body: `{"url": "https://hooks.example.com/{as}", "events": ["customer.created"]}`,
		want: [7]int{201, 403, 403, 403, 403, 403, 401}},
	"DELETE /api/v1/webhooks/{id}":         {want: [7]int{200, 403, 403, 403, 403, 403, 401}},
	"GET /api/v1/webhooks/{id}/deliveries": {want: [7]int{200, 403, 403, 403, 403, 403, 401}},

	"/": {want: [7]int{404, 404, 404, 404, 404, 404, 404}},
}

// TestAuthorisationMatrix sends every route of the router as every role and
// checks the status against authMatrix, in both directions: no route
// without a row, no row without a route.
func TestAuthorisationMatrix(t *testing.T) {
	f := newFixture(t)
	routes := map[string]bool{}
	for _, rt := range f.srv.routes() {
		routes[rt.pattern()] = true
		row, ok := authMatrix[rt.pattern()]
		if !ok {
			t.Errorf("route %q has no row in authMatrix: decide who may use it", rt.pattern())
			continue
		}
		for i, as := range matrixRoles {
			t.Run(fmt.Sprintf("%s as %q", rt.pattern(), as), func(t *testing.T) {
				r := f.matrixRequest(rt, as, row.body)
				if r.StatusCode != row.want[i] {
					t.Errorf("status %d, want %d\n%.300s", r.StatusCode, row.want[i], r.body)
				}
			})
		}
	}
	for p := range authMatrix {
		if !routes[p] {
			t.Errorf("authMatrix row %q matches no route", p)
		}
	}
}

// matrixRequest makes a concrete request for a route pattern: the API with
// the user's bearer token, pages with the user's session cookie.
func (f *fixture) matrixRequest(rt route, as, body string) resp {
	f.t.Helper()
	method := rt.method
	if method == "" {
		method = "GET"
	}
	path := strings.NewReplacer("{id}", fmt.Sprint(f.east.ID), "{key}", "name", "{file}", "nope.css", "{token}", "no-such-token", "{$}", "").Replace(rt.path)
	if rt.path == "/" {
		path = "/no-such-page"
	}
	body = strings.ReplaceAll(body, "{as}", as)
	if isAPIPath(path) {
		return f.call(method, path, as, body)
	}
	if unsafeMethod(method) {
		return f.formPost(path, as, body)
	}
	req, err := nethttp.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	return f.clients[as].do(req)
}

// formPost posts a form as a browser would: a session of its own (so that
// signing out does not end the shared one) and the CSRF token of a page.
func (f *fixture) formPost(path, as, body string) resp {
	f.t.Helper()
	c, page := f.client(), "/login"
	if as != "" {
		c, page = f.withSession(f.users[as]), "/settings"
	}
	form, err := url.ParseQuery(body)
	if err != nil {
		f.t.Fatal(err)
	}
	form.Set(csrfField, c.csrf(page))
	return c.post(path, form)
}

func isAPIPath(p string) bool { return strings.HasPrefix(p, "/api/") }
