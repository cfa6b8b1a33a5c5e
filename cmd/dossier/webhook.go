package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/webhook"
)

// runWebhook manages webhook subscriptions with the store methods the API's
// handlers call: add, list and remove.
func runWebhook(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("use 'dossier webhook add URL --events E1,E2 [--secret S]', 'dossier webhook list' or 'dossier webhook remove ID'")
	}
	switch args[0] {
	case "add":
		return webhookAdd(ctx, e, args[1:])
	case "list":
		return webhookList(ctx, e, args[1:])
	case "remove":
		return webhookRemove(ctx, e, args[1:])
	}
	return usagef("unknown webhook command %q: use add, list or remove", args[0])
}

func webhookAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlags("webhook add")
	db := dbFlag(fs, e)
	events := fs.String("events", "", "events to send, comma-separated: "+strings.Join(dossier.WebhookEvents, ", "))
	secret := fs.String("secret", "", "signing secret, ≥ 16 characters (default: a generated one, printed once)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("webhook add needs one URL")
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	s := *secret
	if s == "" {
		s = webhook.NewSecret()
	}
	var evs []string
	for _, ev := range strings.Split(*events, ",") {
		if ev = strings.TrimSpace(ev); ev != "" {
			evs = append(evs, ev)
		}
	}
	w, err := store.CreateWebhook(ctx, dossier.NewWebhook{URL: pos[0], Events: evs, Secret: s, By: cliUser(e)})
	if err != nil {
		return err
	}
	if err := store.RecordAudit(ctx, &dossier.AuditEntry{User: cliUser(e), Action: dossier.AuditWebhookCreate,
		Entity: "webhook", EntityID: w.ID, Detail: w.URL}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "webhook %d added: %s (%s)\nsecret: %s\n", w.ID, w.URL, strings.Join(w.Events, ","), s)
	return nil
}

func webhookList(ctx context.Context, e *env, args []string) error {
	fs := newFlags("webhook list")
	db := dbFlag(fs, e)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	hooks, err := store.Webhooks(ctx)
	if err != nil {
		return err
	}
	for _, w := range hooks {
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\n", w.ID, w.URL, strings.Join(w.Events, ","), w.CreatedBy)
	}
	return nil
}

func webhookRemove(ctx context.Context, e *env, args []string) error {
	fs := newFlags("webhook remove")
	db := dbFlag(fs, e)
	id, err := parseOneID(fs, args, "webhook id")
	if err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.DeleteWebhook(ctx, id); err != nil {
		return err
	}
	if err := store.RecordAudit(ctx, &dossier.AuditEntry{User: cliUser(e), Action: dossier.AuditWebhookDelete,
		Entity: "webhook", EntityID: id}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "webhook %d removed\n", id)
	return nil
}

// sendWebhooks runs the outbox sender of this server until ctx ends. Every
// server on one database runs one; the store's claims keep them from
// sending a delivery twice.
func sendWebhooks(ctx context.Context, log *slog.Logger, store *sqldb.DB, every time.Duration) {
	s := &webhook.Sender{Store: store, Holder: jobHolder(), Log: log}
	s.Run(ctx, every)
}
