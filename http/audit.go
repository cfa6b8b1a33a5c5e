package http

import (
	"maps"
	nethttp "net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/html"
	"github.com/dossier/dossier/i18n"
)

// audit appends an entry for the signed-in user of r. A failure to audit
// fails the request: personal data is not shown without a trace.
func (s *Server) audit(r *nethttp.Request, action, entity string, id int64, detail string) error {
	name := ""
	if u := userOf(r); u != nil {
		name = u.Name
	}
	return s.svc.Audit.RecordAudit(r.Context(), &dossier.AuditEntry{User: name, Action: action,
		Entity: entity, EntityID: id, Detail: detail, RemoteAddr: clientIP(r)})
}

// hasPersonalData reports whether a customer's profile or contacts hold a
// phone number or e-mail address, whose unmasked view is audited.
func hasPersonalData(c *dossier.Customer, reg *dossier.Registry, contacts []dossier.Contact) bool {
	for _, ct := range contacts {
		if ct.Phone != "" || ct.Email != "" {
			return true
		}
	}
	for k, v := range c.Values {
		if f, ok := reg.Field(k); ok && v != "" && (f.Type == dossier.TypePhone || f.Type == dossier.TypeEmail) {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

// auditFilter reads user, action and offset from the query string.
func auditFilter(r *nethttp.Request, limit int) (dossier.AuditFilter, error) {
	q := r.URL.Query()
	f := dossier.AuditFilter{User: strings.TrimSpace(q.Get("user")), Action: strings.TrimSpace(q.Get("action")), Limit: limit}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return f, dossier.FieldError("offset", "offset must be a whole number ≥ 0")
		}
		f.Offset = n
	}
	var err error
	if f.Before, err = parseCursor(r, "audit"); f.Before > 0 {
		f.Offset = 0
	}
	return f, err
}

// auditList is the body of GET /api/v1/audit: offset paging as the page
// does, or keyset paging with next_cursor (newest first), which entries
// added meanwhile cannot upset.
type auditList struct {
	Items      []dossier.AuditEntry `json:"items"`
	Total      int                  `json:"total"`
	Offset     int                  `json:"offset"`
	Limit      int                  `json:"limit"`
	NextCursor string               `json:"next_cursor,omitempty"`
}

// handleAPIAudit searches the audit log (admins only, by the route table).
func (s *Server) handleAPIAudit(w nethttp.ResponseWriter, r *nethttp.Request) {
	limit, err := apiLimit(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, items, total, err := s.findAudit(r, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := auditList{Items: items, Total: total, Offset: f.Offset, Limit: f.Limit}
	if n := len(items); n > 0 {
		out.NextCursor = nextCursor("audit", n, f.Limit, items[n-1].ID)
	}
	writeJSON(w, nethttp.StatusOK, out)
}

// handleAudit is the admin's audit page: searchable by user and action, paged.
func (s *Server) handleAudit(w nethttp.ResponseWriter, r *nethttp.Request) {
	f, items, total, err := s.findAudit(r, pageSize)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := html.AuditPage{Base: s.base(w, r, "audit.title", "audit"), FilterUser: f.User, FilterAction: f.Action, Total: total}
	lang := langOf(r)
	for _, a := range dossier.AuditActions {
		page.Actions = append(page.Actions, html.Choice{Value: a, Label: i18n.T(lang, "audit.action."+a), Selected: a == f.Action})
	}
	for _, e := range items {
		page.Rows = append(page.Rows, html.AuditRow{At: formatTime(e.At), User: e.User, Action: e.Action,
			ActionLabel: i18n.T(lang, "audit.action."+e.Action),
			Entity:      e.Entity, EntityID: e.EntityID, Detail: e.Detail, RemoteAddr: e.RemoteAddr})
	}
	page.From, page.To = f.Offset+1, f.Offset+len(items)
	page.PrevURL, page.NextURL = pagerURLs(r, f.Offset, len(items), total)
	s.render(w, r, nethttp.StatusOK, "audit", page)
}

// findAudit runs the audit search of a page or API request.
func (s *Server) findAudit(r *nethttp.Request, limit int) (dossier.AuditFilter, []dossier.AuditEntry, int, error) {
	f, err := auditFilter(r, limit)
	if err != nil {
		return f, nil, 0, err
	}
	items, total, err := s.svc.Audit.FindAudit(r.Context(), f)
	return f, items, total, err
}
