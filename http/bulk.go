package http

import (
	"context"
	"fmt"
	nethttp "net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/csv"
	"github.com/dossier/dossier/xlsx"
)

// Bulk actions on the customer list (issue #7, screen 2): the selected rows,
// or every customer matching the list's filter, get a new owner, a tag, or
// are exported. Each customer is changed through the same services as one
// edit (an observation with its source, an audit entry), so a bulk change
// is as traceable as a hand edit.

const (
	// maxBulkChange caps the customers one bulk change may touch: each is
	// an update and an audit entry of its own, about 3 ms on SQLite and 22
	// ms on PostgreSQL on the shared test machine (BenchmarkBulk), so 2,000
	// stays well inside the server's write timeout. Beyond it, narrowing the
	// filter is clearer than a long request. Exports stream, uncapped.
	maxBulkChange = 2000
	// maxBulkIDs caps the ticked rows of one request (a page is 50).
	maxBulkIDs = 500
	// bulkBatch is how many customers are read at a time.
	bulkBatch = 200
)

// customerPager reads customers in id order; the SQL store is one (it is
// what exports read). Bulk actions over "all matching" page with it, so
// customers that stop matching as they change are neither skipped nor
// visited twice.
type customerPager interface {
	dossier.ExportStore
}

func (s *Server) pager() (customerPager, error) {
	p, ok := s.svc.Customers.(customerPager)
	if !ok {
		return nil, dossier.Errorf(dossier.EINTERNAL, "the customer store cannot page customers for bulk actions")
	}
	return p, nil
}

// bulkSelection is what a bulk request applies to: the ticked ids, or all
// customers matching the filter (in the user's scope).
type bulkSelection struct {
	all    bool
	ids    []int64
	filter dossier.CustomerFilter
}

// readSelection reads the selection of a bulk form. The filter comes from
// the action's query string, as on the list, narrowed to the user's scope.
func (s *Server) readSelection(r *nethttp.Request) (bulkSelection, error) {
	var sel bulkSelection
	f, err := parseFilter(r, userOf(r), bulkBatch)
	if err != nil {
		return sel, err
	}
	if f.Expr, err = s.withSegment(r, f.Expr); err != nil {
		return sel, err
	}
	f.Offset, f.Sort = 0, ""
	sel.filter, sel.all = f, r.PostFormValue("all") == "1"
	if sel.all {
		return sel, nil
	}
	for _, v := range r.PostForm["id"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return sel, dossier.FieldError("id", "customer id %q is not a number", v)
		}
		if !slices.Contains(sel.ids, id) {
			sel.ids = append(sel.ids, id)
		}
	}
	switch {
	case len(sel.ids) == 0:
		return sel, dossier.FieldError("id", "select at least one customer, or all matching the filter")
	case len(sel.ids) > maxBulkIDs:
		return sel, dossier.FieldError("id", "at most %d customers may be ticked; use \"all matching the filter\"", maxBulkIDs)
	}
	slices.Sort(sel.ids)
	return sel, nil
}

// each calls fn for every selected customer, in id order, a batch at a
// time. A ticked customer the user may not see (or that is merged or
// hidden) fails the whole request before anything changes, reported as not
// found so its existence does not leak.
func (s *Server) eachSelected(r *nethttp.Request, sel bulkSelection, fn func(*dossier.Customer) error) error {
	p, err := s.pager()
	if err != nil {
		return err
	}
	if !sel.all {
		cs, err := s.ticked(r, sel.ids)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if err := fn(c); err != nil {
				return err
			}
		}
		return nil
	}
	for after := int64(0); ; {
		page, err := p.CustomersAfter(r.Context(), sel.filter, after, bulkBatch)
		if err != nil || len(page) == 0 {
			return err
		}
		for _, c := range page {
			if err := fn(c); err != nil {
				return err
			}
			after = c.ID
		}
	}
}

// ticked loads the ticked customers, all or none.
func (s *Server) ticked(r *nethttp.Request, ids []int64) ([]*dossier.Customer, error) {
	out := make([]*dossier.Customer, 0, len(ids))
	for _, id := range ids {
		c, err := s.svc.Customers.FindCustomerByID(r.Context(), id)
		if dossier.ErrorCode(err) == dossier.ENOTFOUND || (err == nil && (!inScope(userOf(r), c) || c.MergedInto != 0)) {
			return nil, dossier.Errorf(dossier.ENOTFOUND, "no customer %d", id)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// checkSize refuses a change of all matching customers beyond maxBulkChange.
func (s *Server) checkSize(r *nethttp.Request, sel bulkSelection) error {
	if !sel.all {
		return nil
	}
	// Counting past the cap would read every matching customer for a
	// number only the refusal shows.
	c, err := s.svc.Customers.CountMatching(r.Context(), sel.filter, maxBulkChange)
	if err != nil {
		return err
	}
	if c.More {
		return dossier.FieldError("all", "more than %d customers match; a bulk change takes at most %d, narrow the filter", c.N, maxBulkChange)
	}
	if c.N == 0 {
		return dossier.FieldError("all", "no customer matches the filter")
	}
	return nil
}

// handleCustomersBulk applies the bulk form's operation (op): assign, tag,
// csv or xlsx. It answers with the list again (303) and the number done.
func (s *Server) handleCustomersBulk(w nethttp.ResponseWriter, r *nethttp.Request) {
	sel, err := s.readSelection(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var n int
	switch op := r.PostFormValue("op"); op {
	case "assign":
		n, err = s.bulkAssign(r, sel, strings.TrimSpace(r.PostFormValue("owner")))
	case "tag":
		n, err = s.bulkTag(r, sel, strings.TrimSpace(r.PostFormValue("tag")))
	case "csv", "xlsx":
		s.bulkExport(w, r, sel, op)
		return
	default:
		err = dossier.FieldError("op", "unknown bulk action %q: use assign, tag, csv or xlsx", op)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	nethttp.Redirect(w, r, "/customers?"+listQuery(r, map[string]string{"done": strconv.Itoa(n)}), nethttp.StatusSeeOther)
}

// listQuery is the list's query string of the request (its filter), with
// some parameters set; an empty value removes the parameter.
func listQuery(r *nethttp.Request, set map[string]string) string {
	q := r.URL.Query()
	q.Del("lang")
	for k, v := range set {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	return q.Encode()
}

// bulkAssign gives the selected customers to owner: a manager within their
// team (the owner must be a user of it), an admin to anyone. Each change is
// an internal observation naming the bulk action, and audited.
func (s *Server) bulkAssign(r *nethttp.Request, sel bulkSelection, owner string) (int, error) {
	u := userOf(r)
	if !u.CanAssignOwners() {
		return 0, dossier.Errorf(dossier.EFORBIDDEN, "only managers and admins assign owners")
	}
	if owner == "" {
		return 0, dossier.FieldError("owner", "name the new owner")
	}
	to, err := s.svc.Users.FindUserByName(r.Context(), owner)
	if dossier.ErrorCode(err) == dossier.ENOTFOUND {
		return 0, dossier.FieldError("owner", "no user %q", owner)
	} else if err != nil {
		return 0, err
	}
	if to.Deactivated {
		return 0, dossier.InvalidReason("owner", "owner_deactivated", "%s is deactivated: choose an active user", owner)
	}
	if u.Role == dossier.RoleManager && u.Team != "" && to.Team != u.Team {
		return 0, &dossier.Error{Code: dossier.EFORBIDDEN, Field: "owner", Message: fmt.Sprintf("%s is not in your team %s", owner, u.Team)}
	}
	if err := s.checkSize(r, sel); err != nil {
		return 0, err
	}
	n := 0
	err = s.eachSelected(r, sel, func(c *dossier.Customer) error {
		if c.Owner == owner && (to.Team == "" || c.Team == to.Team) {
			return nil
		}
		if err := s.setOwner(r, c, to, "bulk assign"); err != nil {
			return err
		}
		n++
		return nil
	})
	return n, err
}

// setOwner records a new owner of c, and the owner's team when they have
// one (a customer moves with its owner, so the new team's manager sees it),
// as an internal observation by the signed-in user, and audits it with the
// previous holder.
func (s *Server) setOwner(r *nethttp.Request, c *dossier.Customer, to *dossier.User, why string) error {
	vals := map[string]string{"owner": to.Name}
	detail := fmt.Sprintf("%s: owner %q → %q", why, c.Owner, to.Name)
	if to.Team != "" && to.Team != c.Team {
		vals["team"] = to.Team
		detail += fmt.Sprintf(", team %q → %q", c.Team, to.Team)
	}
	src := dossier.Source{Channel: dossier.ChannelInternal, Detail: why, CollectedAt: s.now(), CollectedBy: userOf(r).Name}
	upd := dossier.CustomerUpdate{Values: vals, Source: src, Version: c.Version}
	if _, err := s.svc.Customers.UpdateCustomer(r.Context(), c.ID, upd); err != nil {
		return fmt.Errorf("customer %d: %w", c.ID, err)
	}
	return s.audit(r, dossier.AuditCustomerUpdate, "customer", c.ID, detail)
}

// bulkTag adds a hand-set tag to the selected customers, audited one by one.
func (s *Server) bulkTag(r *nethttp.Request, sel bulkSelection, tag string) (int, error) {
	if tag == "" || len(tag) > 200 {
		return 0, dossier.FieldError("tag", "a tag is 1–200 characters")
	}
	if err := s.checkSize(r, sel); err != nil {
		return 0, err
	}
	n := 0
	err := s.eachSelected(r, sel, func(c *dossier.Customer) error {
		if err := s.svc.Analysis.SetManualTag(r.Context(), c.ID, tag, false); err != nil {
			return fmt.Errorf("customer %d: %w", c.ID, err)
		}
		n++
		return s.audit(r, dossier.AuditCustomerUpdate, "customer", c.ID, "bulk tag add "+tag)
	})
	return n, err
}

// bulkExport streams the selection as CSV or XLSX through the export that
// the command line uses, and audits it. Ticked rows are checked before the
// first byte is sent, so a refused selection is a clean error page.
func (s *Server) bulkExport(w nethttp.ResponseWriter, r *nethttp.Request, sel bulkSelection, kind string) {
	p, err := s.pager()
	if err == nil && !sel.all {
		var cs []*dossier.Customer
		if cs, err = s.ticked(r, sel.ids); err == nil {
			p = pickedStore{ExportStore: p, picked: cs}
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := "customers." + kind
	var tw interface {
		dossier.RowWriter
		Close() error
	}
	if kind == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		tw, err = csv.NewWriter(w)
	} else {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		tw, err = xlsx.NewWriter(w, "客户")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	n, err := dossier.Export(r.Context(), p, tw, sel.filter)
	if err == nil {
		err = tw.Close()
	}
	if err == nil {
		err = s.audit(r, dossier.AuditExport, "customer", 0, fmt.Sprintf("%d customers to %s (web, bulk)", n, name))
	}
	if err != nil {
		// Part of the file may be sent: log it; the download is cut short.
		s.log.Error("bulk export failed", "user", userOf(r).Name, "err", err)
	}
}

// pickedStore is an export store whose customers are the ticked ones.
type pickedStore struct {
	dossier.ExportStore
	picked []*dossier.Customer // in id order
}

func (p pickedStore) CustomersAfter(_ context.Context, _ dossier.CustomerFilter, afterID int64, limit int) ([]*dossier.Customer, error) {
	i, _ := slices.BinarySearchFunc(p.picked, afterID+1, func(c *dossier.Customer, id int64) int {
		switch {
		case c.ID < id:
			return -1
		case c.ID > id:
			return 1
		}
		return 0
	})
	return p.picked[i:min(len(p.picked), i+limit)], nil
}
