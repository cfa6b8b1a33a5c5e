package http

import (
	"fmt"
	nethttp "net/http"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/webhook"
)

// webhookWrite is the body of POST /api/v1/webhooks. Without a secret one
// is generated; either way it is shown in the answer and never again.
type webhookWrite struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
	Secret string   `json:"secret,omitempty"`
}

// deleted is the body of a DELETE.
type deleted struct {
	Deleted int64 `json:"deleted"`
}

func (s *Server) webhooks() (dossier.WebhookStore, error) {
	if s.svc.Webhooks == nil {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "webhooks are not available on this server")
	}
	return s.svc.Webhooks, nil
}

// handleAPIWebhooks lists the subscriptions in id order, a page at a time.
func (s *Server) handleAPIWebhooks(w nethttp.ResponseWriter, r *nethttp.Request) {
	ws, err := s.webhooks()
	var (
		hooks []dossier.Webhook
		limit int
		after int64
	)
	if err == nil {
		limit, err = apiLimit(r)
	}
	if err == nil {
		after, err = parseCursor(r, "webhooks")
	}
	if err == nil {
		hooks, err = ws.Webhooks(r.Context())
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hooks = pageAfter(hooks, func(h dossier.Webhook) bool { return h.ID > after }, limit)
	writeJSON(w, nethttp.StatusOK, newPage("webhooks", hooks, limit, func(h dossier.Webhook) []string { return []string{itoa(h.ID)} }))
}

// handleAPICreateWebhook subscribes a URL (admins only: events leave the
// system) and answers 201 with the secret, shown this once.
func (s *Server) handleAPICreateWebhook(w nethttp.ResponseWriter, r *nethttp.Request) {
	ws, err := s.webhooks()
	var in webhookWrite
	if err == nil {
		err = decodeJSON(w, r, &in)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if in.Secret == "" {
		in.Secret = webhook.NewSecret()
	}
	hook, err := ws.CreateWebhook(r.Context(), dossier.NewWebhook{URL: in.URL, Events: in.Events, Secret: in.Secret, By: userOf(r).Name})
	if err == nil {
		err = s.audit(r, dossier.AuditWebhookCreate, "webhook", hook.ID, hook.URL)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/webhooks/%d", hook.ID))
	writeJSON(w, nethttp.StatusCreated, hook)
}

func (s *Server) handleAPIDeleteWebhook(w nethttp.ResponseWriter, r *nethttp.Request) {
	ws, err := s.webhooks()
	var id int64
	if err == nil {
		id, err = pathID(r, "webhook")
	}
	if err == nil {
		err = ws.DeleteWebhook(r.Context(), id)
	}
	if err == nil {
		err = s.audit(r, dossier.AuditWebhookDelete, "webhook", id, "")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, deleted{id})
}

// handleAPIDeliveries lists a webhook's deliveries, newest first, so an
// admin can see why a receiver gets nothing.
func (s *Server) handleAPIDeliveries(w nethttp.ResponseWriter, r *nethttp.Request) {
	ws, err := s.webhooks()
	var (
		id, before int64
		limit      int
		ds         []dossier.Delivery
	)
	if err == nil {
		id, err = pathID(r, "webhook")
	}
	if err == nil {
		limit, err = apiLimit(r)
	}
	if err == nil {
		before, err = parseCursor(r, "deliveries")
	}
	if err == nil {
		ds, err = ws.Deliveries(r.Context(), id, before, limit)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, nethttp.StatusOK, newPage("deliveries", ds, limit, func(d dossier.Delivery) []string { return []string{itoa(d.ID)} }))
}
