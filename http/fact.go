package http

import (
	"cmp"
	"fmt"
	nethttp "net/http"
	"strings"

	"github.com/dossier/dossier"
)

// factWrite is the body of POST /api/v1/customers/{id}/facts: one value of
// one field from a source. Facts are append-only observations: there is no
// update or delete, a later fact outweighs an earlier one by the policy.
type factWrite struct {
	Field  string         `json:"field"`
	Value  string         `json:"value"`
	Remark dossier.Remark `json:"remark,omitempty"` // pending or dynamic
	Source *apiSource     `json:"source,omitempty"`
}

// handleAPIFacts lists a customer's facts with their provenance (source
// channel, detail, collected at and by, import), oldest first per field;
// ?field= narrows to one field. Contact-type values are masked as on the
// profile, and an unmasked view of them is audited.
func (s *Server) handleAPIFacts(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, reg, err := s.visibleCustomerAndRegistry(r)
	limit, after := 0, func(dossier.Fact) bool { return true }
	if err == nil {
		limit, err = apiLimit(r)
	}
	if err == nil {
		after, err = factsAfter(r)
	}
	var obs []dossier.Observation
	if err == nil {
		obs, err = s.svc.Customers.Observations(r.Context(), c.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	field := strings.TrimSpace(r.URL.Query().Get("field"))
	sees := userOf(r).SeesContactDetails()
	var all []dossier.Fact
	for _, f := range dossier.Facts(obs) {
		if field == "" || f.Field == field {
			all = append(all, f)
		}
	}
	out, personal := pageAfter(all, after, limit), false
	for i, f := range out {
		if def, ok := reg.Field(f.Field); ok && (def.Type == dossier.TypePhone || def.Type == dossier.TypeEmail) {
			personal = personal || f.Value != ""
			out[i].Value = maskContact(def.Type, f.Value, sees)
		}
	}
	if sees && personal {
		if err := s.audit(r, dossier.AuditContactView, "customer", c.ID, "api facts"); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	writeJSON(w, nethttp.StatusOK, newPage("facts", out, limit, func(f dossier.Fact) []string {
		return []string{itoa(f.ObservationID), f.Field, stamp(f.Source.CollectedAt)}
	}))
}

// factsAfter reads a fact list's cursor: whether a fact comes after it in
// the list's order (dossier.Facts: field, collected at, observation).
func factsAfter(r *nethttp.Request) (func(dossier.Fact) bool, error) {
	k, err := readCursor(r, "facts", 3)
	if k == nil {
		return func(dossier.Fact) bool { return true }, err
	}
	obs, field, at := k.id(0), k.str(1), k.time(2)
	return func(f dossier.Fact) bool {
		return cmp.Or(cmp.Compare(f.Field, field), f.Source.CollectedAt.Compare(at), cmp.Compare(f.ObservationID, obs)) > 0
	}, k.err()
}

// handleAPICreateFact records one value of a customer's field from a
// source: the profile is re-resolved and the new fact answered with 201.
// Owner and team follow the same rules as a customer edit.
func (s *Server) handleAPICreateFact(w nethttp.ResponseWriter, r *nethttp.Request) {
	c, reg, err := s.visibleCustomerAndRegistry(r)
	var in factWrite
	if err == nil {
		err = decodeJSON(w, r, &in)
	}
	if err == nil {
		// Contact and interaction values are records of their own
		// (/contacts, /interactions), not facts of the customer.
		if def, ok := reg.Field(in.Field); !ok || def.Entity != dossier.EntityCustomer {
			err = dossier.FieldError("field", "%q is not a customer field key (see dossier fields)", in.Field)
		}
	}
	if err == nil && in.Remark != dossier.RemarkNone && in.Remark != dossier.RemarkPending && in.Remark != dossier.RemarkDynamic {
		err = dossier.FieldError("remark", "remark must be pending or dynamic (a conflict is settled with POST …/settle)")
	}
	vals := map[string]string{in.Field: in.Value}
	if err == nil {
		err = claimValues(userOf(r), vals, false)
	}
	if err == nil {
		err = keepHolder(userOf(r), c, vals)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	src := s.source(r, in.Source)
	upd := dossier.CustomerUpdate{Values: vals, Source: src, Remarks: map[string]dossier.Remark{in.Field: in.Remark}}
	if _, err = s.svc.Customers.UpdateCustomer(r.Context(), c.ID, upd); err == nil {
		err = s.audit(r, dossier.AuditCustomerUpdate, "customer", c.ID, "fact "+in.Field)
	}
	var obs []dossier.Observation
	if err == nil {
		obs, err = s.svc.Customers.Observations(r.Context(), c.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fact, ok := newestFact(obs, in.Field)
	if !ok {
		s.fail(w, r, dossier.Errorf(dossier.EINTERNAL, "the fact on %s was stored but cannot be read back", in.Field))
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/customers/%d/facts?field=%s", c.ID, in.Field))
	writeJSON(w, nethttp.StatusCreated, fact)
}

// newestFact is the fact of the most recently recorded observation that
// carries field.
func newestFact(obs []dossier.Observation, field string) (dossier.Fact, bool) {
	var best dossier.Fact
	found := false
	for _, f := range dossier.Facts(obs) {
		if f.Field == field && (!found || f.ObservationID > best.ObservationID) {
			best, found = f, true
		}
	}
	return best, found
}
