package http

import (
	"fmt"
	nethttp "net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
)

// contactWrite is the body of POST and PATCH /api/v1/contacts. On PATCH,
// version is required and absent fields stay as they are.
type contactWrite struct {
	CustomerID  int64      `json:"customer_id,omitempty"`
	Name        *string    `json:"name,omitempty"`
	Title       *string    `json:"title,omitempty"`
	Role        *string    `json:"role,omitempty"`
	Phone       *string    `json:"phone,omitempty"`
	Email       *string    `json:"email,omitempty"`
	Preferences *string    `json:"preferences,omitempty"`
	Source      *apiSource `json:"source,omitempty"`
	Version     int64      `json:"version,omitempty"`
}

func (s *Server) contacts() (dossier.ContactStore, error) {
	if s.svc.Contacts == nil {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "contacts are not available on this server")
	}
	return s.svc.Contacts, nil
}

// writeContacts answers contacts masked for the user's role; an unmasked
// answer holding personal data is audited first.
func (s *Server) writeContacts(w nethttp.ResponseWriter, r *nethttp.Request, status int, cs []dossier.Contact, body func([]dossier.Contact) any) {
	sees := userOf(r).SeesContactDetails()
	if sees && slices.ContainsFunc(cs, func(c dossier.Contact) bool { return c.Phone != "" || c.Email != "" }) {
		ids := make([]string, 0, len(cs))
		for _, c := range cs {
			ids = append(ids, strconv.FormatInt(c.ID, 10))
		}
		if err := s.audit(r, dossier.AuditContactView, "contact", cs[0].ID, "api contacts "+strings.Join(ids, ",")); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	writeJSON(w, status, body(maskContacts(cs, sees)))
}

// handleAPIContactList lists the contacts of the user's customers.
func (s *Server) handleAPIContactList(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, err := s.contacts()
	var p page[dossier.Contact]
	if err == nil {
		p, err = findRecords(r, "contacts", func(rp dossier.RecordPage) (dossier.ContactFilter, error) {
			return dossier.ContactFilter{RecordPage: rp, Role: r.URL.Query().Get("role")}, nil
		}, st.FindContacts, func(c dossier.Contact) int64 { return c.ID })
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeContacts(w, r, nethttp.StatusOK, p.Items, func(m []dossier.Contact) any { p.Items = m; return p })
}

// visibleContact is the contact of the path's id when its customer is in
// the user's scope; otherwise not found.
func (s *Server) visibleContact(r *nethttp.Request) (dossier.ContactStore, *dossier.Contact, error) {
	st, err := s.contacts()
	if err != nil {
		return nil, nil, err
	}
	c, err := visibleRecord(s, r, "contact", st.FindContact, func(c *dossier.Contact) int64 { return c.CustomerID })
	return st, c, err
}

func one(cs []dossier.Contact) any { return cs[0] }

func (s *Server) handleAPIContact(w nethttp.ResponseWriter, r *nethttp.Request) {
	_, c, err := s.visibleContact(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeContacts(w, r, nethttp.StatusOK, []dossier.Contact{*c}, one)
}

// normalizeContact checks the written values as the collection form does
// (phone and e-mail formats, decision roles), naming the API's field on
// error.
func (s *Server) normalizeContact(r *nethttp.Request, in *contactWrite) error {
	reg, err := s.svc.Fields.Registry(r.Context())
	if err != nil {
		return err
	}
	raw := map[string]string{}
	for k, p := range map[string]*string{"contact_name": in.Name, "contact_title": in.Title, "contact_role": in.Role,
		"contact_phone": in.Phone, "contact_email": in.Email} {
		if p != nil && strings.TrimSpace(*p) != "" {
			raw[k] = *p
		}
	}
	e, err := reg.Normalize(raw, nil)
	if de, ok := asDomain(err); ok {
		return &dossier.Error{Code: de.Code, Field: strings.TrimPrefix(de.Field, "contact_"), Message: de.Message}
	}
	if err != nil {
		return err
	}
	for k, p := range map[string]**string{"contact_name": &in.Name, "contact_title": &in.Title, "contact_role": &in.Role,
		"contact_phone": &in.Phone, "contact_email": &in.Email} {
		if v, ok := e.Contact[k]; ok {
			*p = &v
		}
	}
	return nil
}

// handleAPICreateContact adds a contact to a customer the user may see and
// edit: 201 with the contact.
func (s *Server) handleAPICreateContact(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, err := s.contacts()
	var in contactWrite
	if err == nil {
		err = decodeJSON(w, r, &in)
	}
	if err == nil {
		err = s.recordCustomer(r, "contact", in.CustomerID)
	}
	if err == nil {
		err = s.normalizeContact(r, &in)
	}
	c := &dossier.Contact{CustomerID: in.CustomerID, Name: deref(in.Name), Title: deref(in.Title), Role: deref(in.Role),
		Phone: deref(in.Phone), Email: deref(in.Email), Preferences: deref(in.Preferences), Source: s.source(r, in.Source)}
	if err == nil {
		err = st.CreateContact(r.Context(), c)
	}
	if de, ok := asDomain(err); ok && de.Field == "contact_name" {
		err = &dossier.Error{Code: de.Code, Field: "name", Message: de.Message}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/contacts/%d", c.ID))
	s.writeContacts(w, r, nethttp.StatusCreated, []dossier.Contact{*c}, one)
}

// handleAPIUpdateContact changes a contact; the version (body or If-Match)
// is required and a stale one is 409.
func (s *Server) handleAPIUpdateContact(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, c, err := s.visibleContact(r)
	var in contactWrite
	if err == nil {
		err = decodeJSON(w, r, &in)
	}
	if err == nil && (in.CustomerID != 0 || in.Source != nil) {
		err = dossier.FieldError("customer_id", "a contact's customer and source cannot be changed")
	}
	var version int64
	if err == nil {
		version, err = versionOf(r, in.Version)
	}
	if err == nil {
		err = s.normalizeContact(r, &in)
	}
	if err == nil {
		c, err = st.UpdateContact(r.Context(), c.ID, dossier.ContactUpdate{Name: in.Name, Title: in.Title, Role: in.Role,
			Phone: in.Phone, Email: in.Email, Preferences: in.Preferences, Version: version})
	}
	if err == nil {
		err = s.audit(r, dossier.AuditCustomerUpdate, "customer", c.CustomerID, fmt.Sprintf("contact %d", c.ID))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeContacts(w, r, nethttp.StatusOK, []dossier.Contact{*c}, one)
}
