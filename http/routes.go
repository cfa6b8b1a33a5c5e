package http

import (
	"fmt"
	nethttp "net/http"
	"slices"

	"github.com/dossier/dossier"
)

// access is the rule a route is guarded by: public, or the roles that may
// use it. The zero value is no rule at all, which NewServer refuses, so a
// route cannot be added without deciding who may use it.
type access struct {
	public bool
	roles  []string
	// scrape also admits a request bearing the metrics token
	// (Config.MetricsToken), for a Prometheus server that has no user.
	scrape bool
}

var (
	public   = access{public: true}
	signedIn = access{roles: dossier.Roles}
)

// Who may read and write individual customers follows the domain's rules
// (analysts see aggregates only, SPEC R30); the audit log, users and PIPL
// requests are the admin's.
var (
	customerReaders = rolesWhere((*dossier.User).CanSeeCustomers)
	customerEditors = rolesWhere((*dossier.User).CanEditCustomers)
	adminOnly       = rolesOnly(dossier.RoleAdmin)
	// metricsReaders: admins, and scrapers with the metrics token. Loopback
	// is not trusted: behind a reverse proxy on the same host every request
	// comes from 127.0.0.1.
	metricsReaders = access{roles: []string{dossier.RoleAdmin}, scrape: true}
)

// rolesWhere is the rule of the roles whose users satisfy ok.
func rolesWhere(ok func(*dossier.User) bool) access {
	var roles []string
	for _, r := range dossier.Roles {
		if ok(&dossier.User{Role: r}) {
			roles = append(roles, r)
		}
	}
	return rolesOnly(roles...)
}

// rolesOnly limits a route to the given roles.
func rolesOnly(roles ...string) access { return access{roles: roles} }

func (a access) valid() bool { return a.public || len(a.roles) > 0 }

// allows reports whether u may use a route with this rule.
func (a access) allows(u *dossier.User) bool {
	return a.public || (u != nil && slices.Contains(a.roles, u.Role))
}

// route is one row of the route table.
type route struct {
	method  string // "" matches any method
	path    string // net/http pattern path, with {wildcards}
	access  access
	handler nethttp.HandlerFunc
}

// pattern is the net/http ServeMux pattern of the route.
func (rt route) pattern() string {
	if rt.method == "" {
		return rt.path
	}
	return rt.method + " " + rt.path
}

// routes is the authorisation matrix of the whole server: every route it
// serves and who may use it. GET patterns also answer HEAD.
func (s *Server) routes() []route {
	return []route{
		{"GET", "/healthz", public, s.handleHealthz},
		{"GET", "/readyz", public, s.handleReadyz},
		{"GET", "/metrics", metricsReaders, s.handleMetrics},
		{"GET", "/assets/{file}", public, s.handleAsset},
		{"GET", "/{$}", public, s.handleRoot},
		{"GET", "/login", public, s.handleLoginForm},
		{"POST", "/login", public, s.handleLogin},
		{"POST", "/logout", signedIn, s.handleLogout},

		{"GET", "/customers", customerReaders, s.handleCustomers},
		{"GET", "/customers/total", customerReaders, s.handleCustomerTotal},
		{"GET", "/customers/{id}", customerReaders, s.handleCustomer},
		{"GET", "/customers/{id}/fields/{key}", customerReaders, s.handleFieldHistory},
		{"GET", "/customers/{id}/report", customerReaders, s.handleReport},
		{"GET", "/customers/{id}/report.xlsx", customerReaders, s.handleReportXLSX},
		{"POST", "/customers/{id}/survey-links", customerEditors, s.handleNewSurveyLink},
		{"POST", "/customers/{id}/edit", customerEditors, s.handleCustomerEdit},
		{"POST", "/customers/{id}/share", customerEditors, s.handleCustomerShare},
		{"GET", "/q/{token}", public, s.handleSurvey},
		{"POST", "/q/{token}", public, s.handleAnswerSurvey},
		{"GET", "/analytics", signedIn, s.handleAnalytics},
		{"GET", "/analytics/pivot.xlsx", signedIn, s.handlePivotXLSX},
		{"GET", "/analytics/trend.xlsx", signedIn, s.handleTrendXLSX},
		{"GET", "/analytics/segment-report", signedIn, s.handleSegmentReport},
		{"GET", "/analytics/segment-report.xlsx", signedIn, s.handleSegmentReportXLSX},
		// Analyses show aggregates, narrowed to the user's scope; each is
		// visible to its owner, admins and the roles it names.
		{"GET", "/analyses", signedIn, s.handleAnalyses},
		{"POST", "/analyses", signedIn, s.handleCreateAnalysis},
		{"POST", "/analyses/{id}/run", signedIn, s.handleRunAnalysis},
		{"GET", "/market", signedIn, s.handleMarket},
		{"GET", "/market/report", signedIn, s.handleMarketReport},
		{"GET", "/market/report.xlsx", signedIn, s.handleMarketReportXLSX},
		{"GET", "/home", customerReaders, s.handleHome},
		{"GET", "/quality", customerReaders, s.handleQuality},
		{"POST", "/quality/pairs/{id}/merge", customerEditors, s.handleQualityMerge},
		{"POST", "/quality/pairs/{id}/reject", customerEditors, s.handleQualityReject},
		{"POST", "/quality/merges/{id}/undo", customerEditors, s.handleQualityUndo},
		{"POST", "/quality/customers/{id}/settle", customerEditors, s.handleQualitySettle},
		{"POST", "/quality/customers/{id}/estimate", customerEditors, s.handleQualityEstimate},
		{"GET", "/admin/audit", adminOnly, s.handleAudit},
		{"GET", "/admin/users", adminOnly, s.handleUsers},
		{"POST", "/admin/users", adminOnly, s.handleAddUser},
		{"POST", "/tasks/{id}", customerEditors, s.handleTaskForm},
		{"GET", "/tasks", customerReaders, s.handleTasks},
		{"POST", "/pool/{id}/claim", customerEditors, s.handleClaim},
		{"POST", "/customers/bulk", customerEditors, s.handleCustomersBulk},
		{"GET", "/admin/rules", adminOnly, s.handleRules},
		{"POST", "/admin/rules", adminOnly, s.handleSaveRules},
		// The import wizard: editors, narrowed by the handlers to those
		// who may edit every customer (User.CanImport).
		{"GET", "/import", customerEditors, s.handleImportForm},
		{"POST", "/import", customerEditors, s.handleImportUpload},
		{"GET", "/import/{id}", customerEditors, s.handleImportPreview},
		{"POST", "/import/{id}", customerEditors, s.handleImportRun},
		{"GET", "/import/{id}/result", customerEditors, s.handleImportResult},
		{"GET", "/import/{id}/errors", customerEditors, s.handleImportErrors},
		{"POST", "/import/{id}/undo", customerEditors, s.handleImportUndo},
		{"GET", "/admin/fields", adminOnly, s.handleFields},
		{"POST", "/admin/fields", adminOnly, s.handleAddField},
		{"GET", "/admin/fields/{key}", adminOnly, s.handleFieldEdit},
		{"POST", "/admin/fields/{key}", adminOnly, s.handleFieldSave},
		{"POST", "/admin/fields/{key}/retire", adminOnly, s.handleFieldRetire},
		{"POST", "/admin/users/{id}", adminOnly, s.handleUserUpdate},
		{"GET", "/settings", signedIn, s.handleSettings},
		{"POST", "/settings/token", signedIn, s.handleNewToken},

		// Public: it describes the API, not data, and client generators
		// fetch it without credentials.
		{"GET", "/api/v1/openapi.json", public, s.handleOpenAPI},
		{"GET", "/api/v1/customers", customerReaders, s.handleAPICustomers},
		{"POST", "/api/v1/customers", customerEditors, s.handleAPICreateCustomer},
		{"GET", "/api/v1/customers/{id}", customerReaders, s.handleAPICustomer},
		{"PATCH", "/api/v1/customers/{id}", customerEditors, s.handleAPIUpdateCustomer},
		{"DELETE", "/api/v1/customers/{id}", customerEditors, s.handleAPIDeleteCustomer},
		{"GET", "/api/v1/customers/{id}/contacts", customerReaders, s.handleAPIContacts},
		// Aggregates only, within the user's scope; analysts included.
		{"GET", "/api/v1/analytics/pivot", signedIn, s.handleAPIPivot},
		{"GET", "/api/v1/analytics/relation", signedIn, s.handleAPIRelation},
		{"GET", "/api/v1/analytics/trend", signedIn, s.handleAPITrend},
		{"GET", "/api/v1/analytics/overview", signedIn, s.handleAPIOverview},
		{"GET", "/api/v1/analytics/clusters", signedIn, s.handleAPIClusters},
		{"GET", "/api/v1/analytics/churn", signedIn, s.handleAPIChurn},
		{"GET", "/api/v1/analytics/winloss", signedIn, s.handleAPIWinLoss},
		// Market facts are no one's personal data: all read, gatherers write.
		{"GET", "/api/v1/market/records", signedIn, s.handleAPIMarketRecords},
		{"POST", "/api/v1/market/records", marketEditors, s.handleAPICreateMarketRecord},
		{"GET", "/api/v1/market/notes", signedIn, s.handleAPIMarketNotes},
		{"POST", "/api/v1/market/notes", marketEditors, s.handleAPICreateMarketNote},
		{"GET", "/api/v1/market/competitors", signedIn, s.handleAPICompetitors},
		{"POST", "/api/v1/market/competitors", marketEditors, s.handleAPICreateCompetitor},
		{"GET", "/api/v1/market/shares", signedIn, s.handleAPIMarketShares},
		{"POST", "/api/v1/market/shares", marketEditors, s.handleAPICreateMarketShare},
		{"GET", "/api/v1/segments", signedIn, s.handleAPISegments},
		{"POST", "/api/v1/segments", signedIn, s.handleAPICreateSegment},
		// One segment: whoever may use it reads it; its owner or an admin
		// changes or removes it.
		{"GET", "/api/v1/segments/{id}", signedIn, s.handleAPISegment},
		{"PATCH", "/api/v1/segments/{id}", signedIn, s.handleAPIUpdateSegment},
		{"DELETE", "/api/v1/segments/{id}", signedIn, s.handleAPIDeleteSegment},
		{"GET", "/api/v1/analyses", signedIn, s.handleAPIStudies},
		{"POST", "/api/v1/analyses", signedIn, s.handleAPICreateStudy},
		{"GET", "/api/v1/analyses/{id}", signedIn, s.handleAPIStudy},
		{"POST", "/api/v1/analyses/{id}/runs", signedIn, s.handleAPIRunStudy},
		{"GET", "/api/v1/analyses/{id}/compare", signedIn, s.handleAPICompareStudy},
		// Its owner or an admin changes or removes an analysis.
		{"PATCH", "/api/v1/analyses/{id}", signedIn, s.handleAPIUpdateStudy},
		{"DELETE", "/api/v1/analyses/{id}", signedIn, s.handleAPIDeleteStudy},
		{"GET", "/api/v1/snapshots", signedIn, s.handleAPISnapshots},
		{"GET", "/api/v1/snapshots/compare", signedIn, s.handleAPICompareSnapshots},
		{"GET", "/api/v1/customers/{id}/analysis", customerReaders, s.handleAPIAnalysis},
		{"POST", "/api/v1/customers/{id}/tags", customerEditors, s.handleAPITag},
		{"GET", "/api/v1/tasks", customerReaders, s.handleAPITasks},
		{"PATCH", "/api/v1/tasks/{id}", customerEditors, s.handleAPIUpdateTask},
		{"POST", "/api/v1/tasks", customerEditors, s.handleAPICreateTask},
		{"GET", "/api/v1/tasks/{id}", customerReaders, s.handleAPITask},
		{"DELETE", "/api/v1/tasks/{id}", customerEditors, s.handleAPIDeleteTask},
		{"GET", "/api/v1/dedupe/pairs", customerReaders, s.handleAPIPairs},
		{"POST", "/api/v1/dedupe/pairs", adminOnly, s.handleAPISavePairs},
		{"POST", "/api/v1/dedupe/pairs/{id}/merge", customerEditors, s.handleAPIMergePair},
		{"POST", "/api/v1/dedupe/pairs/{id}/reject", customerEditors, s.handleAPIRejectPair},
		{"POST", "/api/v1/merges/{id}/undo", customerEditors, s.handleAPIUndoMerge},
		{"GET", "/api/v1/conflicts", customerReaders, s.handleAPIConflicts},
		{"GET", "/api/v1/customers/{id}/verification", customerReaders, s.handleAPIVerification},
		{"POST", "/api/v1/customers/{id}/settle", customerEditors, s.handleAPISettle},
		{"GET", "/api/v1/gaps", customerReaders, s.handleAPIGaps},
		{"GET", "/api/v1/customers/{id}/estimate", customerReaders, s.handleAPIEstimate},
		{"POST", "/api/v1/customers/{id}/estimate", customerEditors, s.handleAPIEstimate},
		{"GET", "/api/v1/invalid", customerReaders, s.handleAPIInvalid},
		{"GET", "/api/v1/audit", adminOnly, s.handleAPIAudit},
		{"GET", "/api/v1/contacts/{id}/export", adminOnly, s.handleAPIContactExport},
		{"POST", "/api/v1/contacts/{id}/erase", adminOnly, s.handleAPIContactErase},
		// Contacts of the customers in the user's scope, masked by role.
		// No delete: a contact leaves through PIPL erasure, which keeps the
		// record of what was held.
		{"GET", "/api/v1/contacts", customerReaders, s.handleAPIContactList},
		{"POST", "/api/v1/contacts", customerEditors, s.handleAPICreateContact},
		{"GET", "/api/v1/contacts/{id}", customerReaders, s.handleAPIContact},
		{"PATCH", "/api/v1/contacts/{id}", customerEditors, s.handleAPIUpdateContact},
		// Facts: append-only, so list and create only.
		{"GET", "/api/v1/customers/{id}/facts", customerReaders, s.handleAPIFacts},
		{"POST", "/api/v1/customers/{id}/facts", customerEditors, s.handleAPICreateFact},
		// Interactions of the customers in the user's scope.
		{"GET", "/api/v1/interactions", customerReaders, s.handleAPIInteractions},
		{"POST", "/api/v1/interactions", customerEditors, s.handleAPICreateInteraction},
		{"GET", "/api/v1/interactions/{id}", customerReaders, s.handleAPIInteraction},
		{"PATCH", "/api/v1/interactions/{id}", customerEditors, s.handleAPIUpdateInteraction},
		{"DELETE", "/api/v1/interactions/{id}", customerEditors, s.handleAPIDeleteInteraction},
		{"GET", "/api/v1/projects", customerReaders, s.handleAPIProjects},
		{"POST", "/api/v1/projects", customerEditors, s.handleAPICreateProject},
		{"GET", "/api/v1/projects/{id}", customerReaders, s.handleAPIProject},
		{"PATCH", "/api/v1/projects/{id}", customerEditors, s.handleAPIUpdateProject},
		{"DELETE", "/api/v1/projects/{id}", customerEditors, s.handleAPIDeleteProject},
		{"GET", "/api/v1/imports", importReaders, s.handleAPIImports},
		{"GET", "/api/v1/imports/{id}", importReaders, s.handleAPIImport},
		// Import a file or undo an import: narrowed by the handlers to
		// User.CanImport.
		{"POST", "/api/v1/imports", importReaders, s.handleAPICreateImport},
		{"DELETE", "/api/v1/imports/{id}", importReaders, s.handleAPIDeleteImport},
		// Webhooks send customer names out of the system: admins decide where.
		{"GET", "/api/v1/webhooks", adminOnly, s.handleAPIWebhooks},
		{"POST", "/api/v1/webhooks", adminOnly, s.handleAPICreateWebhook},
		{"DELETE", "/api/v1/webhooks/{id}", adminOnly, s.handleAPIDeleteWebhook},
		{"GET", "/api/v1/webhooks/{id}/deliveries", adminOnly, s.handleAPIDeliveries},

		// Everything else: a 404 in the right format (page or JSON).
		{"", "/", public, s.handleNotFound},
	}
}

// router registers every route of the table behind its guard.
func (s *Server) router() (*nethttp.ServeMux, error) { return s.buildRouter(s.routes()) }

// buildRouter refuses a route without an access rule, so a forgotten rule
// stops the server at start-up instead of leaving a page open.
func (s *Server) buildRouter(routes []route) (*nethttp.ServeMux, error) {
	mux := nethttp.NewServeMux()
	for _, rt := range routes {
		if !rt.access.valid() {
			return nil, fmt.Errorf("http: route %q has no access rule", rt.pattern())
		}
		mux.Handle(rt.pattern(), s.guard(rt))
	}
	return mux, nil
}
