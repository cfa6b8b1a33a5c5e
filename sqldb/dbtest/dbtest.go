// Package dbtest opens real stores for tests: SQLite in a temporary folder,
// and PostgreSQL in a fresh database whenever DOSSIER_TEST_POSTGRES holds a
// server URL. In CI (CI set) a missing PostgreSQL fails the test instead of
// skipping it, so the suite can never pass on one store only.
package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/crypto/bcrypt" // database/sql driver "pgx" for admin statements

	"github.com/dossier/dossier/postgres"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqlite"
)

// Store names a store kind and opens a fresh, empty one.
type Store struct {
	Name string
	Open func(t testing.TB, opt sqldb.Options) *sqldb.DB
}

// Stores returns SQLite and, when configured, PostgreSQL.
func Stores(t testing.TB) []Store {
	stores := []Store{{Name: "sqlite", Open: SQLite}}
	if PostgresURL(t) != "" {
		stores = append(stores, Store{Name: "postgres", Open: Postgres})
	}
	return stores
}

// Each runs fn as a subtest on every store.
func Each(t *testing.T, fn func(t *testing.T, db *sqldb.DB)) {
	for _, s := range Stores(t) {
		t.Run(s.Name, func(t *testing.T) { fn(t, s.Open(t, Options())) })
	}
}

// Options are store options for tests: a cheap password hash.
func Options() sqldb.Options { return sqldb.Options{PasswordCost: bcrypt.MinCost} }

// SQLite opens a store in a new file of t's temporary folder.
func SQLite(t testing.TB, opt sqldb.Options) *sqldb.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "dossier.db"), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresURL returns DOSSIER_TEST_POSTGRES; in CI its absence fails t.
func PostgresURL(t testing.TB) string {
	u := os.Getenv("DOSSIER_TEST_POSTGRES")
	if u == "" && os.Getenv("CI") != "" {
		t.Fatal("DOSSIER_TEST_POSTGRES is not set: CI must run the PostgreSQL suite")
	}
	return u
}

// Postgres creates a fresh database on the server of DOSSIER_TEST_POSTGRES,
// opens a store on it and drops it when the test ends.
func Postgres(t testing.TB, opt sqldb.Options) *sqldb.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), FreshPostgresURL(t), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

var seq atomic.Int64

// FreshPostgresURL returns the postgres:// URL of a fresh database for tests that open the
// store themselves (the CLI's end-to-end test); it is dropped at cleanup.
func FreshPostgresURL(t testing.TB) string {
	t.Helper()
	base := PostgresURL(t)
	if base == "" {
		t.Skip("DOSSIER_TEST_POSTGRES not set")
	}
	name := fmt.Sprintf("dossier_test_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6, seq.Add(1))
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	})
	u, _ := url.Parse(base)
	u.Path = "/" + name
	return u.String()
}
