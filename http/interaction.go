package http

import (
	"fmt"
	nethttp "net/http"
	"strconv"
	"strings"

	"github.com/dossier/dossier"
)

// interactionWrite is the body of POST and PATCH /api/v1/interactions.
// On PATCH, version is required and absent fields stay as they are.
type interactionWrite struct {
	CustomerID   int64      `json:"customer_id,omitempty"`
	ContactID    int64      `json:"contact_id,omitempty"`
	Date         *string    `json:"date,omitempty"`
	Channel      *string    `json:"channel,omitempty"`
	Summary      *string    `json:"summary,omitempty"`
	Feedback     *string    `json:"feedback,omitempty"`
	FeedbackText *string    `json:"feedback_text,omitempty"`
	Source       *apiSource `json:"source,omitempty"`
	Version      int64      `json:"version,omitempty"`
}

func (s *Server) interactions() (dossier.InteractionStore, error) {
	if s.svc.Interactions == nil {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "interactions are not available on this server")
	}
	return s.svc.Interactions, nil
}

// interactionFilter reads the list's own query parameters onto the shared
// ones.
func interactionFilter(r *nethttp.Request, rp dossier.RecordPage) (dossier.InteractionFilter, error) {
	q := r.URL.Query()
	f := dossier.InteractionFilter{RecordPage: rp, Channel: q.Get("channel"), Feedback: q.Get("feedback"), From: q.Get("from"), To: q.Get("to")}
	for _, d := range []*string{&f.From, &f.To} {
		if *d == "" {
			continue
		}
		t, err := dossier.ParseDate(*d)
		if err != nil {
			return f, dossier.FieldError(map[*string]string{&f.From: "from", &f.To: "to"}[d], "%v", err)
		}
		*d = dossier.FormatDate(t)
	}
	return f, nil
}

// handleAPIInteractions lists interactions of the customers the user may
// see, newest first, one keyset page at a time.
func (s *Server) handleAPIInteractions(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, err := s.interactions()
	var p page[dossier.Interaction]
	if err == nil {
		p, err = findRecords(r, "interactions", func(rp dossier.RecordPage) (dossier.InteractionFilter, error) { return interactionFilter(r, rp) },
			st.FindInteractions, func(in dossier.Interaction) int64 { return in.ID })
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, p)
}

// visibleInteraction is the interaction of the path's id when its customer
// is in the user's scope; otherwise not found, as for customers.
func (s *Server) visibleInteraction(r *nethttp.Request) (dossier.InteractionStore, *dossier.Interaction, error) {
	st, err := s.interactions()
	if err != nil {
		return nil, nil, err
	}
	in, err := visibleRecord(s, r, "interaction", st.FindInteraction, func(in *dossier.Interaction) int64 { return in.CustomerID })
	return st, in, err
}

// customerInScope finds a customer the user may see, or ENOTFOUND.
func (s *Server) customerInScope(r *nethttp.Request, id int64) (*dossier.Customer, error) {
	c, err := s.svc.Customers.FindCustomerByID(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if c.MergedInto != 0 || !inScope(userOf(r), c) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "no customer %d", id)
	}
	return c, nil
}

func (s *Server) handleAPIInteraction(w nethttp.ResponseWriter, r *nethttp.Request) {
	_, in, err := s.visibleInteraction(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, in)
}

// handleAPICreateInteraction records a contact moment with a customer the
// user may see and edit: 201 with the interaction.
func (s *Server) handleAPICreateInteraction(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, err := s.interactions()
	var in interactionWrite
	if err == nil {
		err = decodeJSON(w, r, &in)
	}
	if err == nil {
		err = s.recordCustomer(r, "interaction", in.CustomerID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rec := &dossier.Interaction{CustomerID: in.CustomerID, ContactID: in.ContactID, Date: deref(in.Date), Channel: deref(in.Channel),
		Summary: deref(in.Summary), Feedback: deref(in.Feedback), FeedbackText: deref(in.FeedbackText),
		RecordedBy: userOf(r).Name, Source: s.source(r, in.Source)}
	if err := st.CreateInteraction(r.Context(), rec); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/interactions/%d", rec.ID))
	writeJSON(w, nethttp.StatusCreated, rec)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(*p)
}

// handleAPIUpdateInteraction changes an interaction; the version (body or
// If-Match) is required and a stale one is 409.
func (s *Server) handleAPIUpdateInteraction(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, in, err := s.visibleInteraction(r)
	var body interactionWrite
	if err == nil {
		err = decodeJSON(w, r, &body)
	}
	if err == nil && (body.CustomerID != 0 || body.ContactID != 0 || body.Source != nil) {
		err = dossier.FieldError("customer_id", "an interaction's customer, contact and source cannot be changed")
	}
	var version int64
	if err == nil {
		version, err = versionOf(r, body.Version)
	}
	if err == nil {
		in, err = st.UpdateInteraction(r.Context(), in.ID, dossier.InteractionUpdate{Date: body.Date, Channel: body.Channel,
			Summary: body.Summary, Feedback: body.Feedback, FeedbackText: body.FeedbackText, Version: version})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, in)
}

// handleAPIDeleteInteraction deletes an interaction entered by mistake; the
// version (If-Match or ?version=) is required.
func (s *Server) handleAPIDeleteInteraction(w nethttp.ResponseWriter, r *nethttp.Request) {
	st, in, err := s.visibleInteraction(r)
	var version int64
	if err == nil {
		version, err = deleteVersion(r)
	}
	if err == nil {
		err = st.DeleteInteraction(r.Context(), in.ID, version)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, deleted{in.ID})
}

// versionOf is the version a write names: in its body (or query), or as
// an If-Match entity tag ("3" or 3). Both given must agree.
func versionOf(r *nethttp.Request, body int64) (int64, error) {
	h := strings.Trim(strings.TrimPrefix(r.Header.Get("If-Match"), "W/"), `"`)
	if h == "" {
		if body <= 0 {
			return 0, dossier.FieldError("version", "send the version you read (version or If-Match), so that a concurrent change is not overwritten")
		}
		return body, nil
	}
	v, err := strconv.ParseInt(h, 10, 64)
	if err != nil || v <= 0 || (body != 0 && body != v) {
		return 0, dossier.FieldError("version", "If-Match must be the version you read, and agree with the body's version")
	}
	return v, nil
}
