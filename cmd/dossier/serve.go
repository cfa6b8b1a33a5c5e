package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"

	"github.com/dossier/dossier"
	dhttp "github.com/dossier/dossier/http"
	"github.com/dossier/dossier/sqldb"
)

// secretKey is the setting that holds the key signing CSRF tokens, shared by
// every server process on one database.
const secretKey = "server_secret"

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags("serve")
	db := dbFlag(fs, e)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (host:port; :0 picks a free port)")
	demoFlag := fs.Bool("demo", false, "fill an empty store with demo data first")
	demoN := fs.Int("demo-customers", 1000, "customers to generate with --demo")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := firstAdmin(ctx, e, store); err != nil {
		return err
	}
	if *demoFlag {
		if err := demoIfEmpty(ctx, e, store, *demoN); err != nil {
			return err
		}
	}
	key, err := serverSecret(ctx, store)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	srv, err := dhttp.NewServer(dhttp.Config{
		Addr: *addr, CSRFKey: key, Logger: logger,
		Ready: func(a string) {
			fmt.Fprintf(e.stdout, "Dossier is running at http://%s/ (store: %s)\n", a, store.Dialect())
		},
	}, dhttp.Services{Customers: store, Records: store, Users: store, Scores: store, Fields: store, Audit: store, Personal: store, Dedupe: store, Quality: store, Pinger: store})
	if err != nil {
		return err
	}
	return srv.ListenAndServe(ctx)
}

// firstAdmin creates the admin account on a store without users and prints
// how to sign in: the only time the password is shown.
func firstAdmin(ctx context.Context, e *env, store *sqldb.DB) error {
	n, err := store.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	pw := newPassword()
	if err := store.CreateUser(ctx, &dossier.User{Name: "admin", Role: dossier.RoleAdmin}, pw); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Created the first user. Sign in as: admin  password: %s\n", pw)
	fmt.Fprintln(e.stdout, "(Add more users with 'dossier user add NAME --role ROLE'.)")
	return nil
}

// serverSecret returns the store's CSRF signing key, creating it once.
func serverSecret(ctx context.Context, store *sqldb.DB) ([]byte, error) {
	var hexKey string
	found, err := store.Setting(ctx, secretKey, &hexKey)
	if err != nil {
		return nil, err
	}
	if !found {
		b := make([]byte, 32)
		_, _ = rand.Read(b)
		hexKey = hex.EncodeToString(b)
		if err := store.SaveSetting(ctx, secretKey, hexKey); err != nil {
			return nil, err
		}
	}
	return hex.DecodeString(hexKey)
}
