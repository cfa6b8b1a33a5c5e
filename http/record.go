package http

import (
	"context"
	"fmt"
	nethttp "net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
)

// What the API's record resources (contacts, interactions, projects, and
// tasks for their customer) share: each belongs to one customer, is seen
// by whoever sees that customer, and lists in id order with a cursor.

// recordPage reads the part of a record list's query string every list
// reads — limit, an id sort, customer_id and the cursor of kind — narrowed
// to the user's customers.
func recordPage(r *nethttp.Request, kind string) (dossier.RecordPage, error) {
	var (
		p   dossier.RecordPage
		err error
	)
	if p.Limit, err = apiLimit(r); err != nil {
		return p, err
	}
	q := r.URL.Query()
	p.Sort = q.Get("sort")
	if p.Sort != "" && !slices.Contains(dossier.InteractionSorts, p.Sort) {
		return p, dossier.FieldError("sort", "unknown sort %q: use one of %s", p.Sort, strings.Join(dossier.InteractionSorts, ", "))
	}
	if v := q.Get("customer_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return p, dossier.FieldError("customer_id", "customer_id must be a customer's id")
		}
		p.CustomerID = id
	}
	if p.After, err = parseCursor(r, kind); err != nil {
		return p, err
	}
	p.Scope(userOf(r))
	return p, nil
}

// findRecords reads one page of the record list of kind: the shared query
// (recordPage), the list's own filter F built on it, and the page found
// with its next cursor.
func findRecords[F, T any](r *nethttp.Request, kind string, filter func(dossier.RecordPage) (F, error),
	find func(context.Context, F) ([]T, error), id func(T) int64) (page[T], error) {
	rp, err := recordPage(r, kind)
	var f F
	if err == nil {
		f, err = filter(rp)
	}
	var items []T
	if err == nil {
		items, err = find(r.Context(), f)
	}
	if err != nil {
		return page[T]{}, err
	}
	return newPage(kind, items, rp.Limit, func(v T) []string { return []string{itoa(id(v))} }), nil
}

// visibleRecord finds the record of the path's id and returns it when its
// customer is in the user's scope; otherwise not found, as for customers.
func visibleRecord[T any](s *Server, r *nethttp.Request, what string, find func(context.Context, int64) (*T, error), customerOf func(*T) int64) (*T, error) {
	id, err := pathID(r, what)
	if err != nil {
		return nil, err
	}
	v, err := find(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if _, err := s.customerInScope(r, customerOf(v)); err != nil {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "%s %d not found", what, id)
	}
	return v, nil
}

// recordCustomer checks the customer a new record names: given, and one
// the user may see (else not found, naming the field).
func (s *Server) recordCustomer(r *nethttp.Request, what string, id int64) error {
	if id <= 0 {
		return dossier.FieldError("customer_id", "name the %s's customer", what)
	}
	if _, err := s.customerInScope(r, id); err != nil {
		return &dossier.Error{Code: dossier.ENOTFOUND, Field: "customer_id", Message: fmt.Sprintf("no customer %d", id)}
	}
	return nil
}
