package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dossier/dossier/sqldb/dbtest"
)

// A team moves its SQLite store onto PostgreSQL: every table arrives, every
// answer the CLI gives is the same on both stores, and the new store keeps
// working (its id sequences are past the copied ids).
func TestCopySQLiteToPostgres(t *testing.T) {
	if dbtest.PostgresURL(t) == "" {
		t.Skip("DOSSIER_TEST_POSTGRES not set")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "team.db")
	must := func(db string, args ...string) string {
		t.Helper()
		code, out, errOut := runCLI(t, map[string]string{"DOSSIER_DB": db}, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return out
	}
	must(src, "demo", "--customers", "200", "--seed", "5", "--as-of", "2026-11-23")
	// Rows in the tables a demo leaves empty: a merge, an import, a
	// segment, a snapshot, a webhook, a token.
	must(src, "merge", "1", "2", "--reason", "same company")
	csvFile := filepath.Join(dir, "more.csv")
	if err := os.WriteFile(csvFile, []byte("公司名称,行业,手机\n迁移测试科技有限公司,制造业,13800138000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	must(src, "import", csvFile, "--source", "public", "--source-detail", "展会")
	must(src, "segment", "add", "重点客户", "grade = 重点")
	must(src, "snapshot", "take", "--label", "before the move")
	must(src, "webhook", "add", "https://chat.example.com/hook", "--events", "customer.created")
	must(src, "user", "add", "管理员", "--role", "admin", "--password", "a-long-passphrase-1")
	must(src, "token", "管理员")

	dst := dbtest.FreshPostgresURL(t)
	out := must(src, "copy", "--to", dst)
	if !strings.HasPrefix(out, "copied ") {
		t.Errorf("copy said %q", out)
	}
	compareTables(t, src, dst)

	reads := [][]string{
		{"export", "OUT.csv"},
		{"pivot", "--rows", "grade", "--cols", "stage", "--csv"},
		{"facts", "1"},
		{"facts", "150"},
		{"tasks", "--json", "--as-of", "2026-11-23"},
		{"conflicts", "--json"},
		{"gaps", "--json"},
		{"segment", "list", "--json"},
		{"snapshot", "list"},
		{"imports", "--json"},
		{"webhook", "list"},
	}
	for _, args := range reads {
		name := strings.Join(args, " ")
		got := map[string]string{}
		for store, db := range map[string]string{"sqlite": src, "postgres": dst} {
			a := slicesReplace(args, "OUT.csv", filepath.Join(dir, store+".csv"))
			got[store] = must(db, a...)
			if a[0] == "export" {
				b, err := os.ReadFile(a[1])
				if err != nil {
					t.Fatal(err)
				}
				got[store] = string(b)
			}
		}
		if diff := cmp.Diff(got["sqlite"], got["postgres"]); diff != "" {
			t.Errorf("%s differs after the copy (-sqlite +postgres):\n%s", name, diff)
		}
	}

	// The new store takes writes: identity sequences moved past the ids.
	must(dst, "import", csvFile, "--source", "public", "--source-detail", "展会")
	must(dst, "task", "add", "3", "回访", "--due", "2026-12-01")
	if code, _, errOut := runCLI(t, nil, "copy", "--db", src, "--to", dst); code == 0 || !strings.Contains(errOut, "already holds") {
		t.Errorf("a second copy into the same database: exit %d, %s", code, errOut)
	}
}

// A value the destination's column cannot hold stops the copy with the
// table, row and column, and leaves the destination empty.
func TestCopyRefusesBadValueAndLeavesNothing(t *testing.T) {
	if dbtest.PostgresURL(t) == "" {
		t.Skip("DOSSIER_TEST_POSTGRES not set")
	}
	src := filepath.Join(t.TempDir(), "team.db")
	if code, _, errOut := runCLI(t, nil, "demo", "--customers", "50", "--seed", "2", "--db", src); code != 0 {
		t.Fatal(errOut)
	}
	db, err := sql.Open("sqlite3", src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE customers SET employees = '很多' WHERE id = 40`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	dst := dbtest.FreshPostgresURL(t)
	code, _, errOut := runCLI(t, nil, "copy", "--db", src, "--to", dst)
	if code == 0 || !strings.Contains(errOut, "table customers") || !strings.Contains(errOut, "column employees") {
		t.Fatalf("copy of a bad value: exit %d, %s", code, errOut)
	}
	pg, err := sql.Open("pgx", dst)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	var n int
	if err := pg.QueryRow(`SELECT (SELECT COUNT(*) FROM customers) + (SELECT COUNT(*) FROM interactions) + (SELECT COUNT(*) FROM users)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("a failed copy left %d rows behind", n)
	}
}

// compareTables checks that every table has as many rows on both stores.
func compareTables(t *testing.T, src, dst string) {
	t.Helper()
	lite, err := sql.Open("sqlite3", src)
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg, err := sql.Open("pgx", dst)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	rows, err := lite.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, s)
	}
	rows.Close()
	empty := 0
	for _, tb := range tables {
		var a, b int
		if err := lite.QueryRow(`SELECT COUNT(*) FROM "` + tb + `"`).Scan(&a); err != nil {
			t.Fatal(err)
		}
		if err := pg.QueryRow(`SELECT COUNT(*) FROM "` + tb + `"`).Scan(&b); err != nil {
			t.Fatalf("%s: %v", tb, err)
		}
		if a != b {
			t.Errorf("%s: %d rows on SQLite, %d on PostgreSQL", tb, a, b)
		}
		if a == 0 {
			empty++
		}
	}
	if len(tables) < 40 || empty > len(tables)/3 {
		t.Errorf("%d tables, %d of them empty: the scenario should fill most of them", len(tables), empty)
	}
}

func slicesReplace(args []string, old, new string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if a == old {
			out[i] = new
		}
	}
	return out
}
