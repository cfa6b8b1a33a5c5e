package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dossier/dossier/sqldb/dbtest"
)

// The test binary doubles as the dossier program: started with
// DOSSIER_TEST_RUN_MAIN=1 it runs main with its arguments, so crash tests can
// SIGKILL a real process without building another binary. (An init, not a
// TestMain, so it cannot clash with another file's TestMain.)
func init() {
	if os.Getenv("DOSSIER_TEST_RUN_MAIN") == "1" {
		main()
	}
}

// dossierProcess starts the program with args in its own process.
func dossierProcess(t *testing.T, args ...string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "DOSSIER_TEST_RUN_MAIN=1")
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return cmd, out
}

// killWhen polls q on db until it returns at least n, then SIGKILLs cmd.
// It fails if the process ends first: the crash must come mid-work.
func killWhen(t *testing.T, cmd *exec.Cmd, out *syncBuffer, db *sql.DB, q string, n int64) {
	t.Helper()
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("the process ended (%v) before it could be killed mid-work; make the work larger:\n%s", err, out)
		default:
		}
		var got int64
		if err := db.QueryRow(q).Scan(&got); err == nil && got >= n {
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			<-exited
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no progress within 3 minutes:\n%s", out)
}

// crashStore is one store kind for the crash tests: its --db value and a
// database/sql handle the test inspects it through.
type crashStore struct {
	name, db string
	open     func() *sql.DB
}

func crashStores(t *testing.T) []crashStore {
	path := filepath.Join(t.TempDir(), "crash.db")
	out := []crashStore{{"sqlite", path, func() *sql.DB {
		d, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000&_foreign_keys=on")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}}}
	if dbtest.PostgresURL(t) != "" {
		url := dbtest.FreshPostgresURL(t)
		out = append(out, crashStore{"postgres", url, func() *sql.DB {
			d, err := sql.Open("pgx", url)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}})
	}
	return out
}

// checkConsistent runs the engine's own checks (SQLite: integrity_check and
// foreign_key_check; PostgreSQL enforces foreign keys itself) and looks for
// rows whose customer is missing.
func checkConsistent(t *testing.T, name string, db *sql.DB) {
	t.Helper()
	if name == "sqlite" {
		var s string
		if err := db.QueryRow("PRAGMA integrity_check").Scan(&s); err != nil || s != "ok" {
			t.Errorf("integrity_check: %q %v", s, err)
		}
		if bad := tableRows(t, db, "PRAGMA foreign_key_check"); len(bad) > 0 {
			t.Errorf("foreign_key_check: %v", bad)
		}
	}
	for _, table := range []string{"observations", "scores", "contacts", "interactions"} {
		if n := count(t, db, "SELECT COUNT(*) FROM "+table+" x WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = x.customer_id)"); n > 0 {
			t.Errorf("%d %s rows without their customer", n, table)
		}
	}
}

func count(t *testing.T, db *sql.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// bigCSV writes n customers, each with a unique name and credit code.
func bigCSV(t *testing.T, n int) string {
	var b bytes.Buffer
	b.WriteString("客户名称,所属行业,员工人数,省份,城市\n")
	for i := range n {
		fmt.Fprintf(&b, "崩溃测试%06d科技有限公司,制造业,%d,江苏省,苏州市\n", i, 10+i%900)
	}
	path := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const importBatch = 500 // dossier.ImportOptions' default batch size for an import's first 10,000 rows

// TestCrashDuringImport kills `dossier import` after some batches have
// committed, and shows that every batch is all there or not at all (as the
// run's row says), that the store is consistent, and that running the
// import again completes it without doubling anything.
func TestCrashDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("imports thousands of rows twice per store")
	}
	const rows = 8000
	file := bigCSV(t, rows)
	for _, s := range crashStores(t) {
		t.Run(s.name, func(t *testing.T) {
			// Create the schema first, so the poll below has tables to read.
			if code, _, errOut := runCLI(t, nil, "fields", "--db", s.db); code != 0 {
				t.Fatal(errOut)
			}
			db := s.open()
			defer db.Close()
			cmd, out := dossierProcess(t, "import", file, "--db", s.db)
			killWhen(t, cmd, out, db, "SELECT COALESCE(MAX(batches), 0) FROM imports", 2)

			checkConsistent(t, s.name, db)
			var id, batches, lastRow, imported int64
			var status string
			if err := db.QueryRow("SELECT id, batches, last_row, imported, status FROM imports").Scan(&id, &batches, &lastRow, &imported, &status); err != nil {
				t.Fatal(err)
			}
			customers := count(t, db, "SELECT COUNT(*) FROM customers")
			t.Logf("killed after %d batches: %d customers, last row %d", batches, customers, lastRow)
			if customers != batches*importBatch || imported != customers || lastRow != batches*importBatch+1 {
				t.Errorf("run says %d batches, %d imported, last row %d; the store has %d customers", batches, imported, lastRow, customers)
			}
			if customers >= rows {
				t.Fatalf("the import finished before the kill")
			}
			obs := count(t, db, sqlRebind(s.name, "SELECT COUNT(*) FROM observations WHERE import_id = ?"), id)
			if obs != customers {
				t.Errorf("%d observations of the run for %d customers", obs, customers)
			}
			if status != "running" {
				t.Errorf("status %q right after the kill", status)
			}

			code, outText, errOut := runCLI(t, nil, "import", file, "--db", s.db)
			if code != 0 {
				t.Fatalf("re-run: %s", errOut)
			}
			want := fmt.Sprintf("imported %d, updated 0, rejected 0", rows-customers)
			if !strings.Contains(outText, want) || !strings.Contains(outText, fmt.Sprintf("unchanged %d", customers)) {
				t.Errorf("re-run printed %q, want %q and unchanged %d", outText, want, customers)
			}
			checkConsistent(t, s.name, db)
			if n := count(t, db, "SELECT COUNT(*) FROM customers"); n != rows {
				t.Errorf("%d customers after the re-run, want %d", n, rows)
			}
			if n := count(t, db, "SELECT COUNT(DISTINCT name) FROM customers"); n != rows {
				t.Errorf("%d distinct names, want %d", n, rows)
			}
			if n := count(t, db, "SELECT COUNT(*) FROM imports WHERE status = 'done'"); n != 1 {
				t.Errorf("%d finished runs, want 1", n)
			}
			// The next import, once the dead run has been idle long enough,
			// marks it interrupted; here "long enough" is now.
			store, err := openStore(context.Background(), s.db)
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			if n, err := store.MarkInterruptedImports(context.Background(), 0); err != nil || n != 1 {
				t.Errorf("marked %d runs interrupted (%v), want the killed one", n, err)
			}
			if got := count(t, db, sqlRebind(s.name, "SELECT COUNT(*) FROM imports WHERE id = ? AND status = 'interrupted'"), id); got != 1 {
				t.Error("the killed run is not marked interrupted")
			}
		})
	}
}

// TestCrashDuringScore kills `dossier score` mid-recompute: each batch of
// scores is written with its customers' columns and the derived records in
// one transaction, and a second run completes them all, with every stored
// score equal to the one computed and no history entry or follow-up twice.
func TestCrashDuringScore(t *testing.T) {
	if testing.Short() {
		t.Skip("generates thousands of customers per store")
	}
	const customers = 6000
	const asOf = "2026-09-30"
	for _, s := range crashStores(t) {
		t.Run(s.name, func(t *testing.T) {
			if code, _, errOut := runCLI(t, nil, "demo", "--customers", fmt.Sprint(customers), "--as-of", "2026-06-30", "--db", s.db); code != 0 {
				t.Fatal(errOut)
			}
			db := s.open()
			defer db.Close()
			// Only scores that change are rewritten; three months on, most do.
			done := "SELECT COUNT(*) FROM scores WHERE as_of = '" + asOf + "'"
			cmd, out := dossierProcess(t, "score", "--as-of", asOf, "--db", s.db)
			killWhen(t, cmd, out, db, done, 1)

			checkConsistent(t, s.name, db)
			n := count(t, db, done)
			t.Logf("killed with %d of %d scores rewritten", n, customers)
			if n == 0 || n >= customers {
				t.Errorf("%d scores as of %s after the kill: want some, fewer than %d", n, asOf, customers)
			}
			if count(t, db, "SELECT COUNT(*) FROM settings WHERE key = 'scores.as_of' AND value = '"+asOf+"'") != 0 {
				t.Error("the killed run is recorded as complete")
			}
			checkScoreRecords(t, db)
			code, outText, errOut := runCLI(t, nil, "score", "--json", "--as-of", asOf, "--db", s.db)
			if code != 0 {
				t.Fatal(errOut)
			}
			checkConsistent(t, s.name, db)
			checkScoreRecords(t, db)
			if count(t, db, "SELECT COUNT(*) FROM settings WHERE key = 'scores.as_of' AND value = '"+asOf+"'") != 1 {
				t.Error("the completed run is not recorded")
			}
			if n := count(t, db, "SELECT COUNT(*) FROM scores"); n != customers {
				t.Errorf("%d score rows, want one per customer (%d)", n, customers)
			}
			// Every stored score is the one the completed run computed.
			stored := storedScores(t, db)
			lines := 0
			for l := range strings.Lines(outText) {
				var sc struct {
					ID                int64 `json:"id"`
					R, F, M, V, Total int64
					Priority          string
				}
				if err := json.Unmarshal([]byte(l), &sc); err != nil {
					t.Fatalf("%q: %v", l, err)
				}
				if want := fmt.Sprint(sc.R, sc.F, sc.M, sc.V, sc.Total, sc.Priority); stored[sc.ID] != want {
					t.Fatalf("customer %d: stored %s, computed %s", sc.ID, stored[sc.ID], want)
				}
				lines++
			}
			if lines != customers {
				t.Errorf("%d customers scored, want %d", lines, customers)
			}
		})
	}
}

// checkScoreRecords: a customer's score and priority columns agree with its
// score row, and nothing a batch writes exists twice.
func checkScoreRecords(t *testing.T, db *sql.DB) {
	t.Helper()
	if bad := count(t, db, `SELECT COUNT(*) FROM customers c JOIN scores s ON s.customer_id = c.id
		WHERE c.score <> s.total OR c.follow_up_priority <> s.priority`); bad > 0 {
		t.Errorf("%d customers whose columns disagree with their score", bad)
	}
	for what, q := range map[string]string{
		"history entries": `SELECT COUNT(*) FROM (SELECT customer_id, as_of FROM score_history GROUP BY customer_id, as_of HAVING COUNT(*) > 1) d`,
		"open follow-ups": `SELECT COUNT(*) FROM (SELECT customer_id FROM tasks WHERE status = 'open' AND source = 'follow_up'
			GROUP BY customer_id HAVING COUNT(*) > 1) d`,
		"open risks": `SELECT COUNT(*) FROM (SELECT customer_id, rule_id FROM risks WHERE resolved_at IS NULL
			GROUP BY customer_id, rule_id HAVING COUNT(*) > 1) d`,
		"rule tags": `SELECT COUNT(*) FROM (SELECT customer_id, tag FROM customer_tags GROUP BY customer_id, tag HAVING COUNT(*) > 1) d`,
	} {
		if n := count(t, db, q); n > 0 {
			t.Errorf("%d customers with doubled %s", n, what)
		}
	}
}

// storedScores returns each customer's stored points and priority as text.
func storedScores(t *testing.T, db *sql.DB) map[int64]string {
	t.Helper()
	rows, err := db.Query("SELECT customer_id, r, f, m, v, total, priority FROM scores")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id, r, f, m, v, total int64
		var p string
		if err := rows.Scan(&id, &r, &f, &m, &v, &total, &p); err != nil {
			t.Fatal(err)
		}
		out[id] = fmt.Sprint(r, f, m, v, total, p)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sqlRebind turns ? into $1 for PostgreSQL, for the test's own queries.
func sqlRebind(store, q string) string {
	if store == "postgres" {
		return strings.Replace(q, "?", "$1", 1)
	}
	return q
}

// mergeFacts are the totals a merge must keep: it moves rows, it never adds
// or removes any.
const mergeFacts = `SELECT (SELECT COUNT(*) FROM observations), (SELECT COUNT(*) FROM interactions),
	(SELECT COUNT(*) FROM contacts), (SELECT COUNT(*) FROM needs), (SELECT COUNT(*) FROM projects)`

// checkMerges: every merged customer has its merge recorded (and every
// recorded merge its customer merged), and no merged customer still holds
// rows a merge moves.
func checkMerges(t *testing.T, db *sql.DB) {
	t.Helper()
	for what, q := range map[string]string{
		"merged customers without their merge": `SELECT COUNT(*) FROM customers c WHERE c.merged_into IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM merges m WHERE m.absorbed = c.id AND m.survivor = c.merged_into AND m.undone_at IS NULL)`,
		"merges whose customer is not merged": `SELECT COUNT(*) FROM merges m JOIN customers c ON c.id = m.absorbed
			WHERE m.undone_at IS NULL AND (c.merged_into IS NULL OR c.merged_into <> m.survivor)`,
		"merged customers merged twice":          `SELECT COUNT(*) FROM (SELECT absorbed FROM merges WHERE undone_at IS NULL GROUP BY absorbed HAVING COUNT(*) > 1) d`,
		"interactions left on a merged customer": `SELECT COUNT(*) FROM interactions i JOIN customers c ON c.id = i.customer_id WHERE c.merged_into IS NOT NULL`,
		"needs left on a merged customer":        `SELECT COUNT(*) FROM needs n JOIN customers c ON c.id = n.customer_id WHERE c.merged_into IS NOT NULL`,
		"live contacts left on a merged customer": `SELECT COUNT(*) FROM contacts x JOIN customers c ON c.id = x.customer_id
			WHERE c.merged_into IS NOT NULL AND x.merged_into IS NULL`,
		"quality rows of a merged customer": `SELECT COUNT(*) FROM quality_customers q JOIN customers c ON c.id = q.customer_id WHERE c.merged_into IS NOT NULL`,
	} {
		if n := count(t, db, q); n > 0 {
			t.Errorf("%d %s", n, what)
		}
	}
}

func factTotals(t *testing.T, db *sql.DB) string {
	t.Helper()
	var a, b, c, d, e int64
	if err := db.QueryRow(mergeFacts).Scan(&a, &b, &c, &d, &e); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("observations %d, interactions %d, contacts %d, needs %d, projects %d", a, b, c, d, e)
}

// TestCrashDuringMerge kills `dossier dedupe --apply` while it merges the
// demo's planted duplicates (one transaction per cluster): no customer is
// left half-merged, no fact is lost or doubled, and running it again
// merges the rest, after which a third run finds nothing left to merge.
func TestCrashDuringMerge(t *testing.T) {
	if testing.Short() {
		t.Skip("generates thousands of customers per store")
	}
	const customers = 5000
	for _, s := range crashStores(t) {
		t.Run(s.name, func(t *testing.T) {
			if code, _, errOut := runCLI(t, nil, "demo", "--customers", fmt.Sprint(customers), "--as-of", "2026-06-30", "--db", s.db); code != 0 {
				t.Fatal(errOut)
			}
			// The same store merged without a crash is the reference.
			ref := copyStore(t, s)
			if code, _, errOut := runCLI(t, nil, "dedupe", "--apply", "--db", ref.db); code != 0 {
				t.Fatal(errOut)
			}
			refDB := ref.open()
			defer refDB.Close()
			db := s.open()
			defer db.Close()
			facts := factTotals(t, db)
			cmd, out := dossierProcess(t, "dedupe", "--apply", "--db", s.db)
			killWhen(t, cmd, out, db, "SELECT COUNT(*) FROM merges", 3)

			checkConsistent(t, s.name, db)
			checkMerges(t, db)
			killed := count(t, db, "SELECT COUNT(*) FROM merges")
			if got := factTotals(t, db); got != facts {
				t.Errorf("after the kill: %s, before: %s", got, facts)
			}
			code, _, errOut := runCLI(t, nil, "dedupe", "--apply", "--db", s.db)
			if code != 0 {
				t.Fatalf("re-run: %s", errOut)
			}
			merged := count(t, db, "SELECT COUNT(*) FROM merges")
			t.Logf("killed after %d merges; the re-run brought them to %d (%s)", killed, merged, strings.TrimSpace(lastLine(errOut)))
			if merged <= killed {
				t.Errorf("the re-run merged nothing more (%d merges)", merged)
			}
			checkConsistent(t, s.name, db)
			checkMerges(t, db)
			if got := factTotals(t, db); got != facts {
				t.Errorf("after the re-run: %s, before: %s", got, facts)
			}
			if got, want := tableRows(t, db, mergePairs), tableRows(t, refDB, mergePairs); !slices.Equal(got, want) {
				t.Errorf("crashed and resumed: %d merges; merged in one run: %d; they differ", len(got), len(want))
			}
			if got, want := tableRows(t, db, survivorTotals), tableRows(t, refDB, survivorTotals); !slices.Equal(got, want) {
				t.Error("the survivors' interactions, needs and live contacts differ from the run without a crash")
			}
		})
	}
}

const (
	mergePairs     = "SELECT survivor, absorbed FROM merges ORDER BY survivor, absorbed"
	survivorTotals = `SELECT c.id, (SELECT COUNT(*) FROM interactions i WHERE i.customer_id = c.id),
		(SELECT COUNT(*) FROM needs n WHERE n.customer_id = c.id),
		(SELECT COUNT(*) FROM contacts x WHERE x.customer_id = c.id AND x.merged_into IS NULL), c.name
		FROM customers c WHERE EXISTS (SELECT 1 FROM merges m WHERE m.survivor = c.id) ORDER BY c.id`
)

// copyStore copies a store (the SQLite file, or a PostgreSQL database made
// from it as a template) into a new one that is removed with the test.
func copyStore(t *testing.T, s crashStore) crashStore {
	t.Helper()
	if s.name == "sqlite" {
		path := filepath.Join(t.TempDir(), "copy.db")
		b, err := os.ReadFile(s.db)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(s.db + "-wal"); err == nil {
			t.Fatal("the store's WAL was not checkpointed; copy it too")
		}
		return crashStore{s.name, path, func() *sql.DB {
			d, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
			if err != nil {
				t.Fatal(err)
			}
			return d
		}}
	}
	admin, err := sql.Open("pgx", dbtest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	u, err := url.Parse(s.db)
	if err != nil {
		t.Fatal(err)
	}
	from := strings.TrimPrefix(u.Path, "/")
	name := from + "_copy"
	if _, err := admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + from); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if a, err := sql.Open("pgx", dbtest.PostgresURL(t)); err == nil {
			_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
			a.Close()
		}
	})
	u.Path = "/" + name
	c := crashStore{s.name, u.String(), nil}
	c.open = func() *sql.DB {
		d, err := sql.Open("pgx", c.db)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	return c
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
