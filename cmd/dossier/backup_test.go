package main

import (
	"context"
	"database/sql"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/dossier/dossier/sqldb/dbtest"
	"github.com/dossier/dossier/sqlite"
)

// TestBackupRestoreSQLite backs up a demo store while another connection
// keeps writing to it, restores the backup into a new file and compares
// every table of the two row by row.
func TestBackupRestoreSQLite(t *testing.T) {
	dir := t.TempDir()
	src, bak, dst := filepath.Join(dir, "src.db"), filepath.Join(dir, "backup.db"), filepath.Join(dir, "dst.db")
	if code, _, errOut := runCLI(t, nil, "demo", "--customers", "200", "--db", src); code != 0 {
		t.Fatal(errOut)
	}
	// A writer as a running server would be: the backup must neither block
	// it nor catch it half-way.
	w, err := sql.Open("sqlite3", "file:"+src+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; !stop.Load(); i++ {
			if _, err := w.Exec("INSERT INTO settings (key, value, version, updated_at) VALUES (?, '1', 1, 'x') ON CONFLICT (key) DO UPDATE SET version = version + 1", "backup-test"); err != nil {
				t.Errorf("write during backup: %v", err)
				return
			}
		}
	})
	time.Sleep(20 * time.Millisecond)
	code, out, errOut := runCLI(t, nil, "backup", bak, "--db", src)
	stop.Store(true)
	wg.Wait()
	if code != 0 || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, nil, "backup", bak, "--db", src); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Errorf("backup over an existing file: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, nil, "restore", bak, "--db", dst); code != 0 {
		t.Fatalf("restore: %s", errOut)
	}
	// The writer has moved on since the backup; compare the backup with
	// its restore, and the restore's customers with the source's.
	if diff := cmp.Diff(dumpSQLite(t, bak), dumpSQLite(t, dst)); diff != "" {
		t.Errorf("restored store differs from the backup (-backup +restored):\n%.3000s", diff)
	}
	a, b := dumpSQLite(t, src), dumpSQLite(t, dst)
	delete(a, "settings")
	delete(b, "settings")
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("restored store differs from the source (-source +restored):\n%.3000s", diff)
	}
	if len(b["customers"]) != 200 || len(b["observations"]) == 0 {
		t.Errorf("restored %d customers, %d observations", len(b["customers"]), len(b["observations"]))
	}

	if code, _, errOut := runCLI(t, nil, "restore", bak, "--db", src); code != 1 || !strings.Contains(errOut, "--force") {
		t.Errorf("restore over a store with data: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, nil, "restore", bak, "--db", src, "--force"); code != 0 {
		t.Errorf("restore --force: %s", errOut)
	}
	if code, _, errOut := runCLI(t, nil, "restore", filepath.Join(dir, "nope.db"), "--db", filepath.Join(dir, "x.db")); code != 1 || strings.Count(errOut, "\n") != 1 {
		t.Errorf("restore of a missing file: %d %q", code, errOut)
	}
	// The restored file is a working store.
	if code, out, errOut := runCLI(t, nil, "score", "--db", dst); code != 0 || !strings.Contains(out, "scored 200") {
		t.Errorf("score on the restored store: %s %s", out, errOut)
	}
}

// dumpSQLite reads every table of sqlite_master, each row as text, in rowid
// order.
func dumpSQLite(t *testing.T, path string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names := queryStrings(t, db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if len(names) < 10 {
		t.Fatalf("only %d tables in %s", len(names), path)
	}
	out := map[string][]string{}
	for _, n := range names {
		out[n] = tableRows(t, db, "SELECT * FROM "+n+" ORDER BY 1")
	}
	return out
}

func queryStrings(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// tableRows renders each row of a query as one line of its values.
func tableRows(t *testing.T, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, v := range vals {
			if i > 0 {
				b.WriteString("|")
			}
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprint(&b, v)
		}
		out = append(out, b.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBackupRestorePostgres runs pg_dump and pg_restore through the CLI and
// compares every table of the public schema.
func TestBackupRestorePostgres(t *testing.T) {
	src := dbtest.FreshPostgresURL(t)
	if _, err := exec.LookPath("pg_dump"); err != nil {
		t.Skip("pg_dump not installed")
	}
	dst := dbtest.FreshPostgresURL(t)
	bak := filepath.Join(t.TempDir(), "dossier.dump")
	if code, _, errOut := runCLI(t, nil, "demo", "--customers", "100", "--db", src); code != 0 {
		t.Fatal(errOut)
	}
	if code, out, errOut := runCLI(t, nil, "backup", bak, "--db", src); code != 0 {
		t.Fatalf("backup: %s %s", out, errOut)
	}
	if code, out, errOut := runCLI(t, nil, "restore", bak, "--db", dst); code != 0 {
		t.Fatalf("restore: %s %s", out, errOut)
	}
	a, b := dumpPostgres(t, src), dumpPostgres(t, dst)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("restored store differs (-source +restored):\n%.3000s", diff)
	}
	if len(b["customers"]) != 100 {
		t.Errorf("restored %d customers", len(b["customers"]))
	}
	if code, _, errOut := runCLI(t, nil, "restore", bak, "--db", src); code != 1 || !strings.Contains(errOut, "--force") {
		t.Errorf("restore over a store with data: %d %s", code, errOut)
	}
}

func dumpPostgres(t *testing.T, url string) map[string][]string {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names := queryStrings(t, db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
	if len(names) < 10 {
		t.Fatalf("only %d tables", len(names))
	}
	out := map[string][]string{}
	for _, n := range names {
		out[n] = tableRows(t, db, "SELECT * FROM "+n+" ORDER BY 1")
	}
	return out
}

// The package's own check: a file that is not a Dossier store is refused.
func TestBackupRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other.db")
	db, _ := sql.Open("sqlite3", other)
	if _, err := db.Exec("CREATE TABLE x (a)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	err := sqlite.Backup(context.Background(), other, filepath.Join(dir, "b.db"))
	if err == nil || !strings.Contains(err.Error(), "not a Dossier database") {
		t.Errorf("backup of a foreign file: %v", err)
	}
}
