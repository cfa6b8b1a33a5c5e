package http

import (
	"fmt"
	nethttp "net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/http/html"
	"github.com/dossier/dossier/i18n"
)

const pageSize = 50

// parseFilter reads the list filters from the query string and narrows them
// to what the user may see. The scope is applied last, so no parameter can
// widen it.
func parseFilter(r *nethttp.Request, u *dossier.User, limit int) (dossier.CustomerFilter, error) {
	q := r.URL.Query()
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	f := dossier.CustomerFilter{
		Query: get("q"), Industry: get("industry"), Province: get("province"), City: get("city"),
		Stage: get("stage"), Grade: get("grade"), Priority: get("priority"), Sort: get("sort"), Limit: limit,
		Expr: get("filter"),
	}
	if f.Sort != "" && !slices.Contains(dossier.SortKeys, f.Sort) {
		return f, dossier.FieldError("sort", "unknown sort %q: use one of %s", f.Sort, strings.Join(dossier.SortKeys, ", "))
	}
	if v := get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return f, dossier.FieldError("offset", "offset must be a whole number ≥ 0")
		}
		f.Offset = n
	}
	if err := parseCustomerCursor(r, &f); err != nil {
		return f, err
	}
	u.CustomerScope(&f)
	return f, nil
}

func (s *Server) handleCustomers(w nethttp.ResponseWriter, r *nethttp.Request) {
	lang := langOf(r)
	// One row more than shown says whether there is a next page, which
	// the total no longer does when it is counted later (customer_total.go).
	f, items, total, reg, err := s.listCustomers(r, pageSize+1, true)
	more := len(items) > pageSize
	if more {
		items = items[:pageSize]
	}
	total = knownTotal(f, len(items), more, total)
	status := nethttp.StatusOK
	var filterErr string
	if e, ok := asDomain(err); ok && e.Field == "filter" {
		// A bad segment filter is shown beside its box, with its position.
		status, filterErr, err = nethttp.StatusBadRequest, e.Message, nil
		reg, err = s.svc.Fields.Registry(r.Context())
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := html.CustomersPage{
		Base:  s.base(w, r, "customers.title", "customers"),
		Query: f.Query, Industry: f.Industry, Sort: f.Sort, Filter: f.Expr, FilterError: filterErr,
		Stages:     choices(reg, "stage", f.Stage, lang),
		Grades:     choices(reg, "grade", f.Grade, lang),
		Priorities: choicesOf(dossier.PriorityOptions, f.Priority, lang),
		Columns:    columns(r, f.Sort, lang),
		Total:      total,
	}
	for _, c := range items {
		page.Rows = append(page.Rows, customerRow(c, reg, lang))
	}
	if page.Segments, err = s.segmentChoices(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if u := userOf(r); u.CanEditCustomers() {
		page.BulkAction = "/customers/bulk?" + listQuery(r, map[string]string{"offset": "", "done": ""})
		page.CanAssign = u.CanAssignOwners()
		page.BulkDone = r.URL.Query().Get("done")
	}
	page.From, page.To = f.Offset+1, f.Offset+len(items)
	seen := page.To
	if more {
		seen++
	}
	page.PrevURL, page.NextURL = pagerURLs(r, f.Offset, len(items), seen)
	if total < 0 {
		page.TotalURL = totalURL(r)
	}
	s.render(w, r, status, "customers", page)
}

func customerRow(c *dossier.Customer, reg *dossier.Registry, lang string) html.CustomerRow {
	row := html.CustomerRow{
		ID:          c.ID,
		URL:         fmt.Sprintf("/customers/%d", c.ID),
		Name:        c.Name,
		Industry:    c.Industry,
		Place:       joinNonEmpty(" ", c.Value("province"), c.Value("city")),
		Stage:       optionLabel(reg, "stage", c.Stage, lang),
		Grade:       optionLabel(reg, "grade", c.Grade, lang),
		Owner:       c.Owner,
		LastContact: c.LastContact,
		Priority:    c.Priority,
	}
	if c.Score != nil {
		row.Score = strconv.Itoa(*c.Score)
	}
	if c.Priority != "" {
		row.PriorityLabel = labelIn(dossier.PriorityOptions, c.Priority, lang)
	}
	return row
}

// choices builds a filter drop-down from a registry enumeration.
func choices(reg *dossier.Registry, key, selected, lang string) []html.Choice {
	f, ok := reg.Field(key)
	if !ok {
		return nil
	}
	return choicesOf(f.Options, selected, lang)
}

func choicesOf(opts []dossier.Option, selected, lang string) []html.Choice {
	out := make([]html.Choice, 0, len(opts))
	for _, o := range opts {
		out = append(out, html.Choice{Value: o.Value, Label: labelIn(opts, o.Value, lang), Selected: o.Value == selected})
	}
	return out
}

// columns are the list's headers; sortable ones link to the list sorted by
// them, toggling direction when already sorted so. The first click sorts
// names A→Z and dates and scores newest or highest first.
func columns(r *nethttp.Request, sort, lang string) []html.Column {
	defs := []struct{ key, sortKey string }{
		{"customers.col.name", "name"}, {"customers.col.industry", ""}, {"customers.col.place", ""},
		{"customers.col.stage", ""}, {"customers.col.grade", ""}, {"customers.col.owner", ""},
		{"customers.col.last_contact", "-last_contact"}, {"customers.col.score", "-score"},
	}
	out := make([]html.Column, 0, len(defs))
	for _, d := range defs {
		col := html.Column{Label: i18n.T(lang, d.key)}
		if d.sortKey != "" {
			plain := strings.TrimPrefix(d.sortKey, "-")
			next := d.sortKey
			switch sort {
			case plain:
				col.Sorted, next = "asc", "-"+plain
			case "-" + plain:
				col.Sorted, next = "desc", plain
			}
			col.SortURL = listURL(r, map[string]string{"sort": next, "offset": ""})
		}
		out = append(out, col)
	}
	return out
}

// pagerURLs links to the previous and next pages, "" at either end.
func pagerURLs(r *nethttp.Request, offset, n, total int) (prev, next string) {
	if offset > 0 {
		prev = listURL(r, map[string]string{"offset": strconv.Itoa(max(offset-pageSize, 0))})
	}
	if offset+n < total {
		next = listURL(r, map[string]string{"offset": strconv.Itoa(offset + n)})
	}
	return prev, next
}

// listURL is the current list with some parameters changed; an empty value
// removes the parameter. The language stays in its cookie, not the URL.
func listURL(r *nethttp.Request, set map[string]string) string {
	q := r.URL.Query()
	q.Del("lang")
	for k, v := range set {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
	return u.RequestURI()
}

// visibleCustomer loads the customer named by the {id} path value. One the
// user may not see is reported as not found, so its existence does not leak.
func (s *Server) visibleCustomer(r *nethttp.Request) (*dossier.Customer, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "no customer %q", r.PathValue("id"))
	}
	c, err := s.svc.Customers.FindCustomerByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if !inScope(userOf(r), c) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "no customer %d", id)
	}
	return c, nil
}

// inScope applies the same rule as User.CustomerScope to one customer.
func inScope(u *dossier.User, c *dossier.Customer) bool { return u.SeesCustomer(c) }

// listCustomers runs the list query of a page or API request: the filter
// from the query string, narrowed to the user's scope, one page of results,
// and the registry to label or mask them. With cheapTotal the total is -1
// unless the store has it at hand (dossier.CustomerFilter.CheapTotal).
func (s *Server) listCustomers(r *nethttp.Request, limit int, cheapTotal bool) (dossier.CustomerFilter, []*dossier.Customer, int, *dossier.Registry, error) {
	f, err := parseFilter(r, userOf(r), limit)
	if err != nil {
		return f, nil, 0, nil, err
	}
	f.CheapTotal = cheapTotal
	if f.Expr, err = s.withSegment(r, f.Expr); err != nil {
		return f, nil, 0, nil, err
	}
	reg, err := s.svc.Fields.Registry(r.Context())
	if err != nil {
		return f, nil, 0, nil, err
	}
	items, total, err := s.svc.Customers.FindCustomers(r.Context(), f)
	return f, items, total, reg, err
}

// visibleCustomerAndRegistry is visibleCustomer with the registry that
// labels and masks its values.
func (s *Server) visibleCustomerAndRegistry(r *nethttp.Request) (*dossier.Customer, *dossier.Registry, error) {
	c, err := s.visibleCustomer(r)
	if err != nil {
		return nil, nil, err
	}
	reg, err := s.svc.Fields.Registry(r.Context())
	return c, reg, err
}
