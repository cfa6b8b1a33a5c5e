package http

import (
	"encoding/json"
	"fmt"
	"maps"
	nethttp "net/http"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/invopop/jsonschema"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
)

// The OpenAPI 3.1 document of /api/v1 is generated from the code so that it
// cannot drift: paths, methods, path parameters, security and roles come
// from the route table; request and response schemas are reflected from the
// Go types the handlers decode and encode. What reflection cannot know (a
// summary, the query parameters, which type a handler writes) is in
// apiDocs, one entry per API route; NewServer refuses a table with an
// undocumented API route, and TestOpenAPIRegistry an entry without a route.

// apiDoc describes one API route beyond what the route table says.
type apiDoc struct {
	summary string
	query   []queryParam
	body    reflect.Type // the JSON request body; nil when there is none
	// optionalBody: the body may be left out (POST …/merge, …/erase).
	optionalBody bool
	// upload: the body is multipart/form-data with a file in "file".
	upload bool
	status int          // success status; 200 when zero
	resp   reflect.Type // the JSON response body; nil: any object
}

// queryParam is one query-string parameter of a route.
type queryParam struct {
	name, typ, desc string   // typ: string, integer, number or boolean
	enum            []string // the values allowed, when a fixed list
}

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

// items is the body of a list without paging: {"items": […]}.
type items[T any] struct {
	Items []T `json:"items"`
}

// verification is the body of GET /api/v1/customers/{id}/verification.
type verification struct {
	CustomerID int64                       `json:"customer_id"`
	Fields     []dossier.FieldVerification `json:"fields"`
}

// erased is the body of POST /api/v1/contacts/{id}/erase.
type erased struct {
	Erased int64 `json:"erased"`
}

// Query parameters shared by several routes. They mirror what the handlers
// read (parseFilter, analysisFilter, qualityFilter, …); the lists of
// allowed values come from the domain package.
var (
	qLimit  = queryParam{name: "limit", typ: "integer", desc: "page size, 1–500 (default 50)"}
	qOffset = queryParam{name: "offset", typ: "integer", desc: "items to skip, ≥ 0"}
	qOwner  = queryParam{name: "owner", typ: "string", desc: "owner's user name (a sales rep always gets their own)"}
	qField  = queryParam{name: "field", typ: "string", desc: "field key"}
	qLang   = queryParam{name: "lang", typ: "string", desc: "label language", enum: []string{"zh", "en"}}
	// The customer list's filters (parseFilter).
	qCursor    = queryParam{name: "cursor", typ: "string", desc: "next_cursor of the previous page (keyset paging), with the same sort"}
	qCustomers = []queryParam{qLimit, qOffset, qCursor,
		{name: "q", typ: "string", desc: "text search"},
		{name: "industry", typ: "string", desc: "industry, sub-industries included"},
		{name: "province", typ: "string", desc: "province"}, {name: "city", typ: "string", desc: "city"},
		{name: "stage", typ: "string", desc: "stage"}, {name: "grade", typ: "string", desc: "grade"},
		{name: "priority", typ: "string", desc: "high, medium or low"},
		{name: "sort", typ: "string", desc: "sort key; a leading - sorts descending", enum: dossier.SortKeys},
		qFilterExpr,
	}
	qFilterExpr = queryParam{name: "filter", typ: "string", desc: "segment filter, e.g. grade = 重点 AND revenue >= 1亿"}
	// The analytics filter (analysisFilter).
	qAnalytics = []queryParam{qFilterExpr, {name: "segment", typ: "string", desc: "a saved segment's name"}, qLang}
	// Lists paged by cursor without a choice of sort.
	qNext = queryParam{name: "cursor", typ: "string", desc: "next_cursor of the previous page (keyset paging), with the same filters"}
	qPage = []queryParam{qLimit, qNext}
	// The quality lists: offset or cursor paging.
	qQuality = []queryParam{qOwner, qField, qOffset, qLimit, qNext}
	// Market lists (marketFilter).
	qRegion   = queryParam{name: "region", typ: "string", desc: "region, e.g. 华东"}
	qIndustry = queryParam{name: "industry", typ: "string", desc: "industry"}
	qYear     = queryParam{name: "year", typ: "integer", desc: "year"}
)

// apiDocs documents every /api/v1 route of the route table, keyed by its
// pattern.
var apiDocs = map[string]apiDoc{
	"GET /api/v1/openapi.json": {summary: "This OpenAPI 3.1 document"},

	"GET /api/v1/customers": {summary: "List customers (masked for roles that may not see contact details)",
		query: qCustomers, resp: typeOf[customerList]()},
	"POST /api/v1/customers": {summary: "Create a customer from field values", body: typeOf[customerWrite](),
		status: nethttp.StatusCreated, resp: typeOf[dossier.Customer]()},
	"GET /api/v1/customers/{id}": {summary: "One customer with its contacts", resp: typeOf[customerDetail]()},
	"PATCH /api/v1/customers/{id}": {summary: "Change field values; version must be the one read (409 otherwise)",
		body: typeOf[customerWrite](), resp: typeOf[dossier.Customer]()},
	"DELETE /api/v1/customers/{id}": {summary: "Delete (hide) a customer; version (?version= or If-Match) must be the one read (409 otherwise)",
		query: []queryParam{{name: "version", typ: "integer", desc: "the version read"}}, resp: typeOf[deleted]()},
	"GET /api/v1/customers/{id}/contacts": {summary: "All of a customer's contacts (not paged; GET /api/v1/contacts?customer_id= pages them)", resp: typeOf[items[dossier.Contact]]()},

	"GET /api/v1/analytics/pivot": {summary: "Pivot table of customers (aggregates only)",
		query: append([]queryParam{{name: "rows", typ: "string", desc: "row dimension: a field key or label"},
			{name: "cols", typ: "string", desc: "column dimension"}, {name: "measure", typ: "string", desc: "count, share, sum:FIELD or avg:FIELD"},
			{name: "report", typ: "string", desc: "a ready report instead of rows, cols and measure"}}, qAnalytics...),
		resp: typeOf[analytics.PivotTable]()},
	"GET /api/v1/analytics/relation": {summary: "Relation between two dimensions (chi-square, Cramér's V)",
		query: append([]queryParam{{name: "rows", typ: "string", desc: "first dimension"},
			{name: "cols", typ: "string", desc: "second dimension"}}, qAnalytics...),
		resp: typeOf[analytics.Relation]()},
	"GET /api/v1/analytics/trend": {summary: "Time series of interactions or customers",
		query: append([]queryParam{{name: "source", typ: "string", desc: "what is counted"},
			{name: "period", typ: "string", desc: "period length"}, {name: "by", typ: "string", desc: "series dimension"},
			{name: "measure", typ: "string", desc: "measure"}, {name: "window", typ: "integer", desc: "moving-average window, 1–120 (default 3)"},
			{name: "end", typ: "string", desc: "last period"}}, qAnalytics...),
		resp: typeOf[analytics.TrendResult]()},
	"GET /api/v1/analytics/clusters": {summary: "Need clusters: need or interaction texts grouped by their words per group",
		query: append([]queryParam{{name: "source", typ: "string", desc: "needs or interactions"},
			{name: "by", typ: "string", desc: "one clustering per value of this field (default industry_top; empty for one)"},
			{name: "k", typ: "integer", desc: "clusters per group, 1–12; 0 or absent chooses"},
			{name: "since", typ: "string", desc: "interactions on or after this date (default: a year ago)"}}, qAnalytics...),
		resp: typeOf[analytics.TextClusters]()},
	"GET /api/v1/analytics/overview": {summary: "Overview of the customers in scope",
		query: qAnalytics, resp: typeOf[analytics.Overview]()},
	"GET /api/v1/analytics/churn": {summary: "Churned customers per churn reason, with shares",
		query: qAnalytics, resp: typeOf[analytics.ChurnReport]()},
	"GET /api/v1/analytics/winloss": {summary: "Customers lost to and won from each competitor, with shares and reasons",
		query: qAnalytics, resp: typeOf[analytics.WinLossReport]()},
	"GET /api/v1/market/records": {summary: "Market sizes per region, industry and year, with sources",
		query: append([]queryParam{qRegion, qIndustry, qYear}, qPage...), resp: typeOf[page[dossier.MarketRecord]]()},
	"POST /api/v1/market/records": {summary: "Add a market record", body: typeOf[marketRecordWrite](),
		status: nethttp.StatusCreated, resp: typeOf[dossier.MarketRecord]()},
	"GET /api/v1/market/notes": {summary: "Policy and technology notes, with sources",
		query: []queryParam{qRegion, qIndustry, {name: "year", typ: "integer", desc: "year collected"},
			{name: "kind", typ: "string", desc: "note kind", enum: []string{dossier.NotePolicy, dossier.NoteTechnology}}, qLimit, qNext},
		resp: typeOf[page[dossier.MarketNote]]()},
	"POST /api/v1/market/notes": {summary: "Add a policy or technology note", body: typeOf[marketNoteWrite](),
		status: nethttp.StatusCreated, resp: typeOf[dossier.MarketNote]()},
	"GET /api/v1/market/competitors": {summary: "Competitor profiles by name", query: qPage, resp: typeOf[page[dossier.Competitor]]()},
	"POST /api/v1/market/competitors": {summary: "Add a competitor profile (409 for a name in use)", body: typeOf[competitorWrite](),
		status: nethttp.StatusCreated, resp: typeOf[dossier.Competitor]()},
	"GET /api/v1/market/shares": {summary: "Each region's market split between competitors, latest year up to ?year (one item per region, not paged)",
		query: []queryParam{qRegion, {name: "year", typ: "integer", desc: "latest year to use (default: any)"}},
		resp:  typeOf[items[dossier.RegionShares]]()},
	"POST /api/v1/market/shares": {summary: "Add a competitor's market share in a region and year", body: typeOf[marketShareWrite](),
		status: nethttp.StatusCreated, resp: typeOf[dossier.MarketShare]()},
	"GET /api/v1/segments": {summary: "The caller's segments and the shared ones, by name", query: qPage, resp: typeOf[page[dossier.Segment]]()},
	"POST /api/v1/segments": {summary: "Save a segment owned by the caller", body: typeOf[segmentWrite](),
		status: nethttp.StatusCreated, resp: typeOf[dossier.Segment]()},
	"GET /api/v1/segments/{id}": {summary: "One segment the caller may use", resp: typeOf[dossier.Segment]()},
	"PATCH /api/v1/segments/{id}": {summary: "Change a segment (its owner or an admin); version (body or If-Match) must be the one read (409 otherwise)",
		body: typeOf[segmentPatch](), resp: typeOf[dossier.Segment]()},
	"DELETE /api/v1/segments/{id}": {summary: "Delete a segment (its owner or an admin); version (?version= or If-Match) must be the one read",
		query: []queryParam{{name: "version", typ: "integer", desc: "the version read"}}, resp: typeOf[deleted]()},

	"GET /api/v1/analyses": {summary: "Analyses (R1) the caller may see, by name", query: qPage, resp: typeOf[page[dossier.Study]]()},
	"POST /api/v1/analyses": {summary: "Create an analysis owned by the caller: goal, scope (segment or filter), roles",
		body: typeOf[studyWrite](), status: nethttp.StatusCreated, resp: typeOf[dossier.Study]()},
	"GET /api/v1/analyses/{id}":       {summary: "An analysis and its runs, newest first", resp: typeOf[studyRuns]()},
	"POST /api/v1/analyses/{id}/runs": {summary: "Run an analysis: snapshot its scope's key values", status: nethttp.StatusCreated, resp: typeOf[dossier.Snapshot]()},
	"GET /api/v1/analyses/{id}/compare": {summary: "Compare two runs of an analysis (default: its last two, or its only run with now)",
		query: []queryParam{{name: "from", typ: "string", desc: "run (snapshot id)"}, {name: "to", typ: "string", desc: "run (snapshot id) or now"}},
		resp:  typeOf[dossier.Comparison]()},
	"PATCH /api/v1/analyses/{id}": {summary: "Change an analysis's name, goal or roles (its owner or an admin); version (body or If-Match) must be the one read",
		body: typeOf[studyPatch](), resp: typeOf[dossier.Study]()},
	"DELETE /api/v1/analyses/{id}": {summary: "Delete an analysis with its runs (its owner or an admin); version (?version= or If-Match) must be the one read",
		query: []queryParam{{name: "version", typ: "integer", desc: "the version read"}}, resp: typeOf[deleted]()},
	"GET /api/v1/snapshots": {summary: "Snapshots of every customer (R32), newest first", query: qPage, resp: typeOf[page[dossier.Snapshot]]()},
	"GET /api/v1/snapshots/compare": {summary: "Compare the customers in scope between two snapshots or dates (counts, transitions, score bands)",
		query: append([]queryParam{{name: "from", typ: "string", desc: "snapshot id, date (latest snapshot on or before it) or now"},
			{name: "to", typ: "string", desc: "snapshot id, date or now (default now)"}}, qAnalytics...),
		resp: typeOf[dossier.Comparison]()},
	"GET /api/v1/customers/{id}/analysis": {summary: "Scores, risks, potential, strategy and open tasks, with explanations",
		resp: typeOf[customerAnalysis]()},
	"GET /api/v1/tasks": {summary: "Follow-up tasks in the caller's scope",
		query: []queryParam{{name: "status", typ: "string", desc: "default open",
			enum: []string{dossier.TaskOpen, dossier.TaskDone, dossier.TaskCancelled, "all"}}, qOwner,
			{name: "overdue", typ: "boolean", desc: "only overdue tasks"}, {name: "customer_id", typ: "integer", desc: "one customer's tasks"},
			{name: "limit", typ: "integer", desc: "page size, 1–1000 (default 200)"}, qCursor},
		resp: typeOf[taskList]()},
	"POST /api/v1/tasks": {summary: "Make a task by hand, e.g. a follow-up of a customer with a due date and owner",
		body: typeOf[taskCreate](), status: nethttp.StatusCreated, resp: typeOf[dossier.Task]()},
	"GET /api/v1/tasks/{id}": {summary: "One task", resp: typeOf[dossier.Task]()},
	"DELETE /api/v1/tasks/{id}": {summary: "Delete a task; version (?version= or If-Match) must be the one read (409 otherwise)",
		query: []queryParam{{name: "version", typ: "integer", desc: "the version read"}}, resp: typeOf[deleted]()},
	"POST /api/v1/customers/{id}/tags": {summary: "Add or remove a hand-set tag (hierarchical, e.g. 渠道-展会获客)",
		body: typeOf[tagWrite](), resp: typeOf[tagResult]()},
	"PATCH /api/v1/tasks/{id}": {summary: "Change a task's status, title, due date or owner; a version sent (or If-Match) must be the one read", body: typeOf[taskWrite](),
		resp: typeOf[dossier.Task]()},

	"GET /api/v1/dedupe/pairs": {summary: "Duplicate candidate pairs to review",
		query: []queryParam{{name: "status", typ: "string", desc: "review state", enum: []string{dossier.PairOpen, dossier.PairMerged, dossier.PairNotDuplicate}}, qLimit, qOffset, qCursor}, resp: typeOf[pairList]()},
	"POST /api/v1/dedupe/pairs": {summary: "Add a matcher's candidate pairs to the review queue (idempotent)",
		body: typeOf[pairsWrite](), resp: typeOf[dossier.PairSaveResult]()},
	"POST /api/v1/dedupe/pairs/{id}/merge": {summary: "Merge the pair's second customer into its first",
		body: typeOf[mergeBody](), optionalBody: true, resp: typeOf[dossier.Merge]()},
	"POST /api/v1/dedupe/pairs/{id}/reject": {summary: "Mark a pair as not duplicates", resp: typeOf[dossier.CandidatePair]()},
	"POST /api/v1/merges/{id}/undo":         {summary: "Undo a merge", resp: typeOf[dossier.Merge]()},
	"GET /api/v1/conflicts": {summary: "Fields whose sources disagree", query: qQuality,
		resp: typeOf[list[dossier.Conflict]]()},
	"GET /api/v1/customers/{id}/verification": {summary: "How each field of a customer is verified",
		resp: typeOf[verification]()},
	"POST /api/v1/customers/{id}/settle": {summary: "Settle a conflict: the value becomes a confirmed fact",
		body: typeOf[settleBody](), resp: typeOf[dossier.Customer]()},
	"GET /api/v1/gaps": {summary: "Customers with missing fields, most important first", query: qQuality,
		resp: typeOf[list[dossier.Completeness]]()},
	"GET /api/v1/customers/{id}/estimate": {summary: "A peer estimate of a missing field",
		query: []queryParam{qField}, resp: typeOf[dossier.Estimate]()},
	"POST /api/v1/customers/{id}/estimate": {summary: "Accept the peer estimate of a field as an estimated value",
		query: []queryParam{qField}, resp: typeOf[dossier.Customer]()},
	"GET /api/v1/invalid": {summary: "Values that fail their field's check", query: qQuality,
		resp: typeOf[list[dossier.InvalidValue]]()},
	"GET /api/v1/audit": {summary: "Search the audit log",
		query: []queryParam{{name: "user", typ: "string", desc: "user name"}, {name: "action", typ: "string", desc: "action"}, qOffset, qLimit, qNext},
		resp:  typeOf[auditList]()},
	"GET /api/v1/contacts/{id}/export": {summary: "PIPL access request: everything held about a contact, unmasked",
		resp: typeOf[dossier.PersonalData]()},
	"POST /api/v1/contacts/{id}/erase": {summary: "PIPL erasure request: blank a contact's personal data",
		body: typeOf[eraseBody](), optionalBody: true, resp: typeOf[erased]()},

	"GET /api/v1/contacts": {summary: "Contacts of the caller's customers, newest first (masked by role; keyset paging)",
		query: []queryParam{qLimit, qCursor, {name: "customer_id", typ: "integer", desc: "one customer's contacts"},
			{name: "role", typ: "string", desc: "decision role key"}, {name: "sort", typ: "string", desc: "id order", enum: dossier.InteractionSorts}},
		resp: typeOf[page[dossier.Contact]]()},
	"POST /api/v1/contacts": {summary: "Add a contact to a customer", body: typeOf[contactWrite](),
		status: nethttp.StatusCreated, resp: typeOf[dossier.Contact]()},
	"GET /api/v1/contacts/{id}": {summary: "One contact (masked by role)", resp: typeOf[dossier.Contact]()},
	"PATCH /api/v1/contacts/{id}": {summary: "Change a contact; version (body or If-Match) must be the one read (409 otherwise)",
		body: typeOf[contactWrite](), resp: typeOf[dossier.Contact]()},
	"GET /api/v1/customers/{id}/facts": {summary: "A customer's facts with their provenance (contact values masked by role)",
		query: []queryParam{qField, qLimit, qNext}, resp: typeOf[page[dossier.Fact]]()},
	"POST /api/v1/customers/{id}/facts": {summary: "Record one value of a customer field from a source (append-only)",
		body: typeOf[factWrite](), status: nethttp.StatusCreated, resp: typeOf[dossier.Fact]()},
	"GET /api/v1/interactions": {summary: "Interactions of the caller's customers, newest first (keyset paging)",
		query: []queryParam{qLimit, qCursor, {name: "customer_id", typ: "integer", desc: "one customer's interactions"},
			{name: "channel", typ: "string", desc: "channel (电话, 面谈, 邮件, 线上会议 or their keys)"},
			{name: "feedback", typ: "string", desc: "positive, neutral or negative"},
			{name: "from", typ: "string", desc: "earliest date, inclusive"}, {name: "to", typ: "string", desc: "latest date, inclusive"},
			{name: "sort", typ: "string", desc: "id order", enum: dossier.InteractionSorts}},
		resp: typeOf[page[dossier.Interaction]]()},
	"POST /api/v1/interactions": {summary: "Record an interaction with a customer", body: typeOf[interactionWrite](),
		status: nethttp.StatusCreated, resp: typeOf[dossier.Interaction]()},
	"GET /api/v1/interactions/{id}": {summary: "One interaction", resp: typeOf[dossier.Interaction]()},
	"PATCH /api/v1/interactions/{id}": {summary: "Change an interaction; version (body or If-Match) must be the one read (409 otherwise)",
		body: typeOf[interactionWrite](), resp: typeOf[dossier.Interaction]()},
	"DELETE /api/v1/interactions/{id}": {summary: "Delete an interaction; version (?version= or If-Match) must be the one read",
		query: []queryParam{{name: "version", typ: "integer", desc: "the version read"}}, resp: typeOf[deleted]()},
	"GET /api/v1/projects": {summary: "Projects of the caller's customers, newest first (keyset paging)",
		query: []queryParam{qLimit, qCursor, {name: "customer_id", typ: "integer", desc: "one customer's projects"},
			{name: "status", typ: "string", desc: "status (进行中, completed, …)"}, {name: "sort", typ: "string", desc: "id order", enum: dossier.InteractionSorts}},
		resp: typeOf[page[dossier.Project]]()},
	"POST /api/v1/projects": {summary: "Record a project of a customer", body: typeOf[projectWrite](),
		status: nethttp.StatusCreated, resp: typeOf[dossier.Project]()},
	"GET /api/v1/projects/{id}": {summary: "One project", resp: typeOf[dossier.Project]()},
	"PATCH /api/v1/projects/{id}": {summary: "Change a project; version (body or If-Match) must be the one read (409 otherwise)",
		body: typeOf[projectWrite](), resp: typeOf[dossier.Project]()},
	"DELETE /api/v1/projects/{id}": {summary: "Delete a project; version (?version= or If-Match) must be the one read",
		query: []queryParam{{name: "version", typ: "integer", desc: "the version read"}}, resp: typeOf[deleted]()},
	"GET /api/v1/imports": {summary: "Import runs, newest first (keyset paging)", query: []queryParam{qLimit, qCursor},
		resp: typeOf[importList]()},
	"POST /api/v1/imports": {summary: "Import a file (multipart field file) as the wizard does; columns by their headers",
		query: []queryParam{{name: "kind", typ: "string", desc: "what the file holds (default customers)", enum: []string{"customers", "contacts", "interactions", "projects"}},
			{name: "source", typ: "string", desc: "source channel", enum: []string{"public", "customer", "internal", "third-party"}},
			{name: "source_detail", typ: "string", desc: "where the file came from (default: its name)"}},
		upload: true, status: nethttp.StatusCreated, resp: typeOf[importView]()},
	"GET /api/v1/imports/{id}": {summary: "One import run: counts, source, state", resp: typeOf[importView]()},
	"DELETE /api/v1/imports/{id}": {summary: "Undo an import run: it stops counting, customers it alone created are hidden",
		resp: typeOf[importView]()},
	"GET /api/v1/webhooks": {summary: "Webhook subscriptions in id order (secrets left out)", query: qPage, resp: typeOf[page[dossier.Webhook]]()},
	"POST /api/v1/webhooks": {summary: "Subscribe a URL to events; the answer shows the signing secret once",
		body: typeOf[webhookWrite](), status: nethttp.StatusCreated, resp: typeOf[dossier.Webhook]()},
	"DELETE /api/v1/webhooks/{id}": {summary: "Remove a subscription and its pending deliveries", resp: typeOf[deleted]()},
	"GET /api/v1/webhooks/{id}/deliveries": {summary: "A webhook's recent deliveries, newest first",
		query: qPage, resp: typeOf[page[dossier.Delivery]]()},
}

// apiPrefix is the path prefix of the routes the document describes.
const apiPrefix = "/api/v1/"

var pathParamRE = regexp.MustCompile(`\{([^}$]+)\}`)

// openAPIDocument builds the document from the route table and apiDocs.
// It fails on an API route without an entry, so no route goes undocumented.
func openAPIDocument(routes []route) ([]byte, error) {
	g := newSchemaGen()
	paths := map[string]map[string]any{}
	var missing []string
	for _, rt := range routes {
		if !strings.HasPrefix(rt.path, apiPrefix) {
			continue
		}
		d, ok := apiDocs[rt.pattern()]
		if !ok {
			missing = append(missing, rt.pattern())
			continue
		}
		if paths[rt.path] == nil {
			paths[rt.path] = map[string]any{}
		}
		paths[rt.path][strings.ToLower(rt.method)] = g.operation(rt, d)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("http: API routes missing from apiDocs (openapi.go): %s", strings.Join(missing, ", "))
	}
	doc := map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Dossier API", "version": "1",
			"description": "Customer files with provenance. Errors are " +
				`{"error":{"code","message","field"}}. x-roles lists the roles that may use an operation.`},
		// The reflected schemas are plain JSON Schema 2020-12, without the
		// OpenAPI vocabulary (discriminator, xml) of 3.1's default dialect.
		"jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
		"paths":             paths,
		"components": map[string]any{
			"schemas": g.defs,
			"securitySchemes": map[string]any{
				"bearer": map[string]any{"type": "http", "scheme": "bearer",
					"description": "an API token from `dossier token NAME` or the settings page"},
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie},
			},
			"responses": map[string]any{"Error": map[string]any{
				"description": "the request failed",
				"content":     jsonContent(ref("Error")),
			}},
		},
	}
	return json.MarshalIndent(doc, "", "  ")
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }

func jsonContent(schema any) map[string]any {
	return map[string]any{"application/json": map[string]any{"schema": schema}}
}

// operation is the OpenAPI operation object of one route.
func (g *schemaGen) operation(rt route, d apiDoc) map[string]any {
	var params []any
	for _, m := range pathParamRE.FindAllStringSubmatch(rt.path, -1) {
		typ := "string"
		if m[1] == "id" {
			typ = "integer" // every {id} is a positive row id (pathID)
		}
		params = append(params, map[string]any{"name": m[1], "in": "path", "required": true,
			"schema": map[string]any{"type": typ}})
	}
	for _, q := range d.query {
		schema := map[string]any{"type": q.typ}
		if q.enum != nil {
			schema["enum"] = q.enum
		}
		params = append(params, map[string]any{"name": q.name, "in": "query", "description": q.desc, "schema": schema})
	}
	status := d.status
	if status == 0 {
		status = nethttp.StatusOK
	}
	var resp any = map[string]any{"type": "object"}
	if d.resp != nil {
		resp = g.response(d.resp)
	}
	errorRef := map[string]any{"$ref": "#/components/responses/Error"}
	responses := map[string]any{
		fmt.Sprint(status): map[string]any{"description": nethttp.StatusText(status), "content": jsonContent(resp)},
		"4XX":              errorRef,
		"5XX":              errorRef,
	}
	op := map[string]any{
		"operationId": operationID(rt),
		"summary":     d.summary,
		"responses":   responses,
		"x-roles":     roleNames(rt.access),
	}
	if len(params) > 0 {
		op["parameters"] = params
	}
	if rt.access.public {
		op["security"] = []any{} // none needed
	} else {
		op["security"] = []any{map[string]any{"bearer": []any{}}, map[string]any{"session": []any{}}}
	}
	if d.body != nil {
		op["requestBody"] = map[string]any{"required": !d.optionalBody, "content": jsonContent(requestSchema(d.body))}
	}
	if d.upload {
		op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"multipart/form-data": map[string]any{
			"schema": map[string]any{"type": "object", "required": []any{"file"},
				"properties": map[string]any{"file": map[string]any{"type": "string", "contentMediaType": "application/octet-stream",
					"description": "a CSV (UTF-8 or GBK) or XLSX file of customers, columns by Chinese label, key or alias"}}}}}}
	}
	return op
}

// roleNames is the x-roles extension: the roles of the rule, or public.
func roleNames(a access) []string {
	if a.public {
		return []string{"public"}
	}
	return slices.Clone(a.roles)
}

// operationID is the method and path in camel case:
// "PATCH /api/v1/customers/{id}" → patchCustomersId.
func operationID(rt route) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(rt.method))
	for _, part := range strings.FieldsFunc(strings.TrimPrefix(rt.path, apiPrefix), func(r rune) bool {
		return r == '/' || r == '{' || r == '}' || r == '.' || r == '-' || r == '_'
	}) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// schemaGen reflects response types into shared component schemas.
type schemaGen struct {
	r    *jsonschema.Reflector
	defs map[string]*jsonschema.Schema
	done map[reflect.Type]bool // struct types already adjusted for null
}

func newSchemaGen() *schemaGen {
	g := &schemaGen{defs: map[string]*jsonschema.Schema{}, done: map[reflect.Type]bool{}}
	// Responses: every field without omitempty is always present, and no
	// other field is (additionalProperties false), so a field added to a
	// type without the schema knowing is impossible, and one the handler
	// stops sending fails the validation test.
	g.r = &jsonschema.Reflector{Namer: schemaName, Anonymous: true}
	errSchema := g.r.ReflectFromType(typeOf[apiError]())
	g.absorb(errSchema, typeOf[apiError]())
	g.defs["Error"] = g.defs[schemaName(typeOf[apiError]())]
	delete(g.defs, schemaName(typeOf[apiError]()))
	g.defs["Error"].Description = "the body of every error response"
	// The codes are those errorKinds maps to statuses, and too_large.
	if body := g.defs[schemaName(typeOf[apiErrorBody]())]; body != nil {
		if code, ok := body.Properties.Get("code"); ok {
			for _, c := range slices.Sorted(maps.Keys(errorKinds)) {
				code.Enum = append(code.Enum, c)
			}
			code.Enum = append(code.Enum, codeTooLarge)
		}
	}
	return g
}

// response returns the schema of a response type: a reference to its
// component.
func (g *schemaGen) response(t reflect.Type) *jsonschema.Schema {
	s := g.r.ReflectFromType(t)
	g.absorb(s, t)
	return &jsonschema.Schema{Ref: s.Ref}
}

// absorb moves a reflected schema's $defs into the components, fixing
// their references, and marks the fields encoding/json may write as null.
func (g *schemaGen) absorb(s *jsonschema.Schema, t reflect.Type) {
	for name, d := range s.Definitions {
		if _, ok := g.defs[name]; !ok {
			walkSchema(d, fixRef)
			g.defs[name] = d
		}
	}
	s.Definitions = nil
	fixRef(s)
	g.nullable(t)
}

func fixRef(s *jsonschema.Schema) {
	s.Ref = strings.Replace(s.Ref, "#/$defs/", "#/components/schemas/", 1)
	s.Version = ""
}

// nullable adjusts the component of struct type t and of every struct it
// reaches: encoding/json writes a nil pointer, slice or map as null, which
// the reflected schema does not allow. Fields with omitempty are left out
// instead, so they are never null.
func (g *schemaGen) nullable(t reflect.Type) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || g.done[t] {
		return
	}
	g.done[t] = true
	def := g.defs[schemaName(t)]
	for _, f := range jsonFields(t) {
		g.nullable(f.typ)
		if def == nil || f.omitempty {
			continue
		}
		if p, ok := def.Properties.Get(f.name); ok {
			def.Properties.Set(f.name, nullIfNil(p, f.typ))
		}
	}
}

// nullIfNil allows null where a value of type t may encode as null, at the
// top and inside arrays and maps.
func nullIfNil(s *jsonschema.Schema, t reflect.Type) *jsonschema.Schema {
	switch t.Kind() {
	case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface:
	default:
		return s
	}
	switch {
	case t.Kind() == reflect.Slice && s.Items != nil:
		s.Items = nullIfNil(s.Items, t.Elem())
	case t.Kind() == reflect.Map && s.AdditionalProperties != nil:
		s.AdditionalProperties = nullIfNil(s.AdditionalProperties, t.Elem())
	case t.Kind() == reflect.Interface:
		return s // any value, null included
	}
	if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
		return s // []byte is a base64 string
	}
	return &jsonschema.Schema{AnyOf: []*jsonschema.Schema{s, {Type: "null"}}}
}

// jsonField is a field as encoding/json writes it.
type jsonField struct {
	name      string
	typ       reflect.Type
	omitempty bool
}

// jsonFields lists the fields of struct t as encoding/json sees them,
// embedded structs' fields promoted.
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				out = append(out, jsonFields(ft)...)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{name: name, typ: f.Type, omitempty: strings.Contains(","+opts+",", ",omitempty,") ||
			strings.Contains(","+opts+",", ",omitzero,")})
	}
	return out
}

// requestSchema is the inline schema of a request body. Unknown fields are
// refused (decodeJSON), hence additionalProperties false; no field is
// required by the decoder, so the handlers' own checks answer 400.
func requestSchema(t reflect.Type) *jsonschema.Schema {
	r := &jsonschema.Reflector{DoNotReference: true, RequiredFromJSONSchemaTags: true, Anonymous: true}
	s := r.ReflectFromType(t)
	s.Version, s.ID = "", ""
	return s
}

// walkSchema calls fn on s and every schema inside it.
func walkSchema(s *jsonschema.Schema, fn func(*jsonschema.Schema)) {
	if s == nil {
		return
	}
	fn(s)
	subs := slices.Concat(s.AllOf, s.AnyOf, s.OneOf, s.PrefixItems,
		[]*jsonschema.Schema{s.Items, s.AdditionalProperties, s.Not, s.Contains, s.If, s.Then, s.Else})
	for _, sub := range subs {
		walkSchema(sub, fn)
	}
	if s.Properties != nil {
		for p := s.Properties.Oldest(); p != nil; p = p.Next() {
			walkSchema(p.Value, fn)
		}
	}
	keys := make([]string, 0, len(s.PatternProperties))
	for k := range s.PatternProperties {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		walkSchema(s.PatternProperties[k], fn)
	}
}

var typeArgPath = regexp.MustCompile(`[\w.\-]*/`)

// schemaName names a type's component: package and type,
// e.g. dossier.Customer, http.list_dossier.Conflict.
func schemaName(t reflect.Type) string {
	if t.Name() == "" {
		return ""
	}
	pkg := t.PkgPath()
	pkg = pkg[strings.LastIndex(pkg, "/")+1:]
	name := typeArgPath.ReplaceAllString(t.Name(), "")
	name = strings.NewReplacer("[", "_", "]", "", ",", "_", "*", "").Replace(name)
	if pkg == "" {
		return name
	}
	return pkg + "." + name
}

// servedOpenAPI is the document of the route table, built once per
// process (about 15 ms of reflection): the table is the same for every
// server, only its handlers' receiver differs.
var servedOpenAPI = sync.OnceValues(func() ([]byte, error) { return openAPIDocument((&Server{}).routes()) })

// handleOpenAPI serves the document built at start-up.
func (s *Server) handleOpenAPI(w nethttp.ResponseWriter, r *nethttp.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(s.openapi)
}
