package sqldb_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
	"github.com/dossier/dossier/sqlite"
)

// Every built-in customer field has a column of its own on both engines.
func TestSchemaHasProfileColumns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		c := mustCreate(t, db, map[string]string{"name": "x", "industry": "制造业"})
		vals := map[string]string{}
		for _, f := range dossier.BuiltinFields() {
			if f.Entity != dossier.EntityCustomer {
				continue
			}
			vals[f.Key] = sampleValue(f)
		}
		got, err := db.UpdateCustomer(ctx, c.ID, dossier.CustomerUpdate{Values: vals, Source: src(dossier.ChannelInternal, "t", "2026-02-01")})
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range vals {
			f, _ := dossier.NewRegistry(nil).Field(k)
			want, _, _ := f.Canonical(v)
			if got.Value(k) != want {
				t.Errorf("%s: stored %q, want %q", k, got.Value(k), want)
			}
		}
	})
}

func sampleValue(f dossier.Field) string {
	switch f.Type {
	case dossier.TypeNumber:
		return "1200"
	case dossier.TypePercent:
		return "78.5%"
	case dossier.TypeMoney:
		return "1.2亿"
	case dossier.TypeRange:
		return "30-50万"
	case dossier.TypeDate:
		return "2015年6月1日"
	case dossier.TypeTimeline:
		return "2027年Q3"
	case dossier.TypeRating:
		return "4"
	case dossier.TypeEnum:
		return f.Options[0].LabelZH
	case dossier.TypeCreditCode:
		return "91350100M000100Y43"
	case dossier.TypeTags:
		return "技术;渠道"
	}
	return "样例" + f.Key
}

func TestRefuseNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	db, err := sqlite.Open(ctx, path, sqldb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite3", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '999_future.sql', 'x')"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err = sqlite.Open(ctx, path, sqldb.Options{})
	if err == nil || !strings.Contains(err.Error(), "schema version 999") || !strings.Contains(err.Error(), "upgrade dossier") {
		t.Fatalf("newer schema: %v", err)
	}
}

func TestOpenBadFiles(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.db")
	if err := writeFile(notDB, "这不是数据库 — this is not a database, just some text that is long enough"); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, want string }{
		{notDB, "not a SQLite database"},
		{filepath.Join(dir, "missing", "d.db"), "does not exist"},
	}
	for _, tt := range tests {
		_, err := sqlite.Open(ctx, tt.path, sqldb.Options{})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Open(%s) = %v, want %q", tt.path, err, tt.want)
		}
	}
}

// A migration that lands after a higher-numbered one (two branches, two
// numbers) is still applied; the others are not applied twice.
func TestMigrateFillsGaps(t *testing.T) {
	raw, err := sql.Open("sqlite3", filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	m := func(v int, sql string) sqldb.Migration {
		return sqldb.Migration{Version: v, Name: fmt.Sprintf("%03d_t.sql", v), SQL: sql}
	}
	one, three := m(1, "CREATE TABLE a (x INTEGER)"), m(3, "CREATE TABLE c (x INTEGER)")
	if err := sqldb.Migrate(ctx, raw, sqlite.Dialect{}, []sqldb.Migration{one, three}); err != nil {
		t.Fatal(err)
	}
	two := m(2, "CREATE TABLE b (x INTEGER)")
	if err := sqldb.Migrate(ctx, raw, sqlite.Dialect{}, []sqldb.Migration{one, two, three}); err != nil {
		t.Fatalf("a gap below the newest version: %v", err)
	}
	var n int
	if err := raw.QueryRow("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b', 'c')").Scan(&n); err != nil || n != 3 {
		t.Fatalf("tables after filling the gap: %d (%v)", n, err)
	}
	if err := raw.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n != 3 {
		t.Fatalf("recorded migrations: %d (%v)", n, err)
	}
}
