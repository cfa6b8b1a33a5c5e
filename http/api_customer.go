package http

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	nethttp "net/http"
	"strings"

	"github.com/dossier/dossier"
)

// maxBody is the largest JSON body the API reads: a customer with all its
// fields is a few KiB, so anything near this is a mistake or an attack.
const maxBody = 1 << 20

// bodyTooLarge is a body over maxBody; fail answers it with 413.
type bodyTooLarge struct{}

func (bodyTooLarge) Error() string { return "request body is larger than 1 MiB" }

// decodeJSON reads one JSON object of at most maxBody bytes into v,
// refusing unknown fields so that a typo is an error, not a silent no-op.
func decodeJSON(w nethttp.ResponseWriter, r *nethttp.Request, v any) error {
	if r.ContentLength > maxBody {
		return bodyTooLarge{}
	}
	dec := json.NewDecoder(nethttp.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var mbe *nethttp.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return bodyTooLarge{}
	case errors.Is(err, io.EOF):
		return dossier.Errorf(dossier.EINVALID, "the request needs a JSON body")
	case err != nil:
		return dossier.Errorf(dossier.EINVALID, "invalid JSON: %v", err)
	}
	return nil
}

// apiSource is the source of API-entered values; without one they are the
// caller's own, internal record.
type apiSource struct {
	Channel string `json:"channel"`
	Detail  string `json:"detail"`
}

type customerWrite struct {
	Values  map[string]string `json:"values"`
	Source  *apiSource        `json:"source"`
	Version int64             `json:"version"`
}

func (s *Server) source(r *nethttp.Request, in *apiSource) dossier.Source {
	src := dossier.Source{Channel: dossier.ChannelInternal, Detail: "API", CollectedAt: s.now(), CollectedBy: userOf(r).Name}
	if in != nil {
		src.Channel, src.Detail = dossier.Channel(in.Channel), in.Detail
	}
	return src
}

// handleAPICreateCustomer creates a customer: 201 with the customer, owned
// by the creating sales user and in their team unless given otherwise by
// someone allowed to.
func (s *Server) handleAPICreateCustomer(w nethttp.ResponseWriter, r *nethttp.Request) {
	var in customerWrite
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	u := userOf(r)
	if in.Values == nil {
		in.Values = map[string]string{}
	}
	if err := claimValues(u, in.Values, true); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.svc.Customers.CreateCustomer(r.Context(), dossier.NewCustomer{Values: in.Values, Source: s.source(r, in.Source)})
	if err == nil {
		err = s.audit(r, dossier.AuditCustomerCreate, "customer", c.ID, c.Name)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/customers/%d", c.ID))
	writeJSON(w, nethttp.StatusCreated, c)
}

// handleAPIUpdateCustomer changes a customer the user may see. The version
// is required: the second of two concurrent edits gets 409, never a silent
// overwrite.
func (s *Server) handleAPIUpdateCustomer(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, err := s.visibleCustomer(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var in customerWrite
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Version <= 0 {
		s.fail(w, r, dossier.FieldError("version", "send the version you read, so that a concurrent change is not overwritten"))
		return
	}
	err = claimValues(userOf(r), in.Values, false)
	if err == nil {
		err = keepHolder(userOf(r), c, in.Values)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	upd := dossier.CustomerUpdate{Values: in.Values, Source: s.source(r, in.Source), Version: in.Version}
	c, err = s.svc.Customers.UpdateCustomer(r.Context(), c.ID, upd)
	if err == nil {
		err = s.audit(r, dossier.AuditCustomerUpdate, "customer", c.ID, strings.Join(sortedKeys(in.Values), ","))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, c)
}

// claimValues keeps a write inside the user's scope: sales own what they
// create and cannot give it away, managers keep it in their team. On create
// the owner and team default to the user's.
func claimValues(u *dossier.User, vals map[string]string, create bool) error {
	var scope dossier.CustomerFilter
	u.CustomerScope(&scope)
	if create && vals["owner"] == "" && u.Role == dossier.RoleSales {
		vals["owner"] = u.Name
	}
	if create && vals["team"] == "" && u.Team != "" && u.Role != dossier.RoleAdmin {
		vals["team"] = u.Team
	}
	if o, ok := vals["owner"]; ok && scope.Owner != "" && o != scope.Owner {
		return &dossier.Error{Code: dossier.EFORBIDDEN, Field: "owner", Message: "you may only hold customers you own yourself"}
	}
	if t, ok := vals["team"]; ok && scope.Team != "" && t != scope.Team {
		return &dossier.Error{Code: dossier.EFORBIDDEN, Field: "team", Message: "you may only hold customers in your own team"}
	}
	return nil
}

// keepHolder keeps a customer shared with the team where its owner left it:
// a teammate edits it but cannot take it over or move it to another team.
func keepHolder(u *dossier.User, c *dossier.Customer, vals map[string]string) error {
	if u.Role != dossier.RoleSales || c.Owner == u.Name {
		return nil
	}
	for _, k := range []string{"owner", "team"} {
		if v, ok := vals[k]; ok && v != c.Value(k) {
			return &dossier.Error{Code: dossier.EFORBIDDEN, Field: k, Message: "a customer shared with your team stays with its owner"}
		}
	}
	return nil
}

// handleAPIContacts lists a customer's contacts, masked for roles that may
// not see personal data; an unmasked view is audited.
func (s *Server) handleAPIContacts(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, err := s.visibleCustomer(r)
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
	if sees && len(cs) > 0 {
		if err := s.audit(r, dossier.AuditContactView, "customer", c.ID, "api contacts"); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	writeJSON(w, nethttp.StatusOK, items[dossier.Contact]{maskContacts(cs, sees)})
}
