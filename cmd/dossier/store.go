package main

import (
	"context"
	"flag"
	"strings"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/postgres"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqlite"
)

// dbFlag adds --db to a flag set, defaulting to $DOSSIER_DB, then dossier.db.
func dbFlag(fs *flag.FlagSet, e *env) *string {
	def := e.getenv("DOSSIER_DB")
	if def == "" {
		def = "dossier.db"
	}
	return fs.String("db", def, "SQLite file or postgres:// URL (env DOSSIER_DB)")
}

// openStore opens the store named by db: a postgres:// URL or a file path.
func openStore(ctx context.Context, db string) (*sqldb.DB, error) {
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		return postgres.Open(ctx, db, sqldb.Options{})
	}
	if strings.Contains(db, "://") {
		return nil, usagef("--db %q: use a file path for SQLite or a postgres:// URL", db)
	}
	return sqlite.Open(ctx, db, sqldb.Options{})
}

// parseAsOf reads an --as-of flag: a date, or today when empty.
func parseAsOf(s string) (time.Time, error) {
	if s == "" {
		return time.Now().UTC(), nil
	}
	d, err := dossier.ParseDate(s)
	if err != nil {
		return d, usagef("--as-of: %v", err)
	}
	return d, nil
}

// cliUser names who ran a command in the audit log: the command line has no
// signed-in user, so it is the operating-system account.
func cliUser(e *env) string {
	if u := e.getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}

// openRegistry opens the store and reads its field registry; the caller
// closes the store.
func openRegistry(ctx context.Context, db string) (*sqldb.DB, *dossier.Registry, error) {
	store, err := openStore(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	reg, err := store.Registry(ctx)
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return store, reg, nil
}
