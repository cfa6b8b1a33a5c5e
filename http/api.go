package http

import (
	nethttp "net/http"
	"strconv"

	"github.com/dossier/dossier"
)

const maxAPILimit = 500

// customerList is the body of GET /api/v1/customers.
type customerList struct {
	Items  []*dossier.Customer `json:"items"`
	Total  int                 `json:"total"`
	Offset int                 `json:"offset"`
	Limit  int                 `json:"limit"`
	// NextCursor pages on (cursor=…, with the same sort); empty on the
	// last page. Unlike offset, it neither repeats nor skips rows when
	// customers are added while a client pages (keyset on the sort key and
	// the id).
	NextCursor string `json:"next_cursor,omitempty"`
}

// handleAPICustomers lists customers with the same filters as the page, plus
// limit (1–500, default 50).
func (s *Server) handleAPICustomers(w nethttp.ResponseWriter, r *nethttp.Request) {
	limit, err := apiLimit(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := userOf(r)
	f, items, total, reg, err := s.listCustomers(r, limit, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := customerList{Items: make([]*dossier.Customer, 0, len(items)), Total: total, Offset: f.Offset, Limit: f.Limit}
	for _, c := range items {
		out.Items = append(out.Items, maskValues(c, reg, u.SeesContactDetails()))
	}
	if n := len(items); n > 0 {
		out.NextCursor = customerCursor(f.Sort, n, f.Limit, items[n-1])
	}
	writeJSON(w, nethttp.StatusOK, out)
}

func apiLimit(r *nethttp.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return pageSize, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxAPILimit {
		return 0, dossier.FieldError("limit", "limit must be a whole number from 1 to %d", maxAPILimit)
	}
	return n, nil
}

// customerDetail is the body of GET /api/v1/customers/{id}: the profile
// with its contacts, both masked as the role requires.
type customerDetail struct {
	*dossier.Customer
	Contacts []dossier.Contact `json:"contacts"`
}

// handleAPICustomer returns one customer with its contacts; one outside the
// user's scope is not found. An unmasked view of personal data is audited.
func (s *Server) handleAPICustomer(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, reg, err := s.visibleCustomerAndRegistry(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cs, err := s.svc.Records.Contacts(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sees := userOf(r).SeesContactDetails()
	if sees && hasPersonalData(c, reg, cs) {
		if err := s.audit(r, dossier.AuditContactView, "customer", c.ID, "api"); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	writeJSON(w, nethttp.StatusOK, customerDetail{Customer: maskValues(c, reg, sees), Contacts: maskContacts(cs, sees)})
}

// maskContacts hides contacts' phone numbers and e-mail addresses unless sees.
func maskContacts(cs []dossier.Contact, sees bool) []dossier.Contact {
	out := make([]dossier.Contact, 0, len(cs))
	for _, ct := range cs {
		ct.Phone, ct.Email = maskContact(dossier.TypePhone, ct.Phone, sees), maskContact(dossier.TypeEmail, ct.Email, sees)
		out = append(out, ct)
	}
	return out
}
