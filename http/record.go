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

// recordQuery is the part of a record list's query string every list
// reads: limit, an id sort and customer_id.
type recordQuery struct {
	limit      int
	sort       string
	customerID int64
}

func parseRecordQuery(r *nethttp.Request) (recordQuery, error) {
	var (
		rq  recordQuery
		err error
	)
	if rq.limit, err = apiLimit(r); err != nil {
		return rq, err
	}
	q := r.URL.Query()
	rq.sort = q.Get("sort")
	if rq.sort != "" && !slices.Contains(dossier.InteractionSorts, rq.sort) {
		return rq, dossier.FieldError("sort", "unknown sort %q: use one of %s", rq.sort, strings.Join(dossier.InteractionSorts, ", "))
	}
	if v := q.Get("customer_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return rq, dossier.FieldError("customer_id", "customer_id must be a customer's id")
		}
		rq.customerID = id
	}
	return rq, nil
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
