package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	_ "github.com/mattn/go-sqlite3"

	"github.com/dossier/dossier/sqldb/dbtest"
)

// syncBuffer is a bytes.Buffer safe for a server goroutine and a test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runCLI runs one command line in-process and returns exit code and output.
func runCLI(t *testing.T, getenv map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut syncBuffer
	e := &env{stdout: &out, stderr: &errOut, getenv: func(k string) string { return getenv[k] }}
	code := run(context.Background(), e, args)
	return code, out.String(), errOut.String()
}

// stores returns a --db value per store kind.
func stores(t *testing.T) map[string]string {
	dbs := map[string]string{"sqlite": filepath.Join(t.TempDir(), "dossier.db")}
	if dbtest.PostgresURL(t) != "" {
		dbs["postgres"] = dbtest.FreshPostgresURL(t)
	}
	return dbs
}

// rollupsCompacted checks that demo left one row per combination in the
// rollups, not a delta row per customer and per interaction.
func rollupsCompacted(t *testing.T, store string) {
	t.Helper()
	driver := "sqlite3"
	if strings.HasPrefix(store, "postgres") {
		driver = "pgx"
	}
	db, err := sql.Open(driver, store)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for table, keys := range map[string]string{
		"interaction_rollup":       "month, grade, stage, province, industry",
		"customer_rollup_owner":    "owner, team, grade, stage, follow_up_priority",
		"need_rollup":              "month, type, grade, stage, industry",
		"interaction_rollup_place": "month, province, city, customer_type",
		"need_rollup_place":        "month, type, province, city, customer_type",
	} {
		var rows, cells int
		if err := db.QueryRow("SELECT COUNT(*), (SELECT COUNT(*) FROM (SELECT 1 FROM "+table+" GROUP BY "+keys+") g) FROM "+table).Scan(&rows, &cells); err != nil {
			t.Fatal(err)
		}
		if rows != cells || rows == 0 {
			t.Errorf("%s after demo: %d rows for %d combinations; want them compacted", table, rows, cells)
		}
	}
}

// The "done when": demo 300, then score --json gives 300 lines, and
// the same seed gives the same scores on SQLite and PostgreSQL.
func TestDemoThenScore(t *testing.T) {
	scores := map[string][]map[string]any{}
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runCLI(t, nil, "demo", "--customers", "300", "--seed", "7", "--as-of", "2026-06-30", "--db", db)
			if code != 0 {
				t.Fatalf("demo: exit %d: %s", code, errOut)
			}
			if !strings.Contains(out, "generated 300 customers") {
				t.Errorf("demo output: %s", out)
			}
			rollupsCompacted(t, db)
			code, out, errOut = runCLI(t, map[string]string{"DOSSIER_DB": db}, "score", "--json", "--as-of", "2026-06-30")
			if code != 0 {
				t.Fatalf("score: exit %d: %s", code, errOut)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != 300 {
				t.Fatalf("score --json printed %d lines, want 300", len(lines))
			}
			var all []map[string]any
			tiers := map[string]int{}
			for _, l := range lines {
				var m map[string]any
				if err := json.Unmarshal([]byte(l), &m); err != nil {
					t.Fatalf("line %q: %v", l, err)
				}
				for _, k := range []string{"id", "name", "r", "f", "m", "v", "total", "priority", "explanation"} {
					if _, ok := m[k]; !ok {
						t.Fatalf("line lacks %q: %s", k, l)
					}
				}
				tiers[m["priority"].(string)]++
				all = append(all, m)
			}
			if tiers["high"] == 0 || tiers["medium"] == 0 || tiers["low"] == 0 {
				t.Errorf("demo data should have customers in every tier: %v", tiers)
			}
			scores[name] = all
		})
	}
	if p, ok := scores["postgres"]; ok {
		if diff := cmp.Diff(scores["sqlite"], p); diff != "" {
			t.Errorf("same seed, different scores (-sqlite +postgres):\n%s", diff)
		}
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.db")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("not a database ", 20)), 0o600); err != nil {
		t.Fatal(err)
	}
	newer := filepath.Join(dir, "newer.db")
	if code, _, errOut := runCLI(t, nil, "fields", "--db", newer); code != 0 {
		t.Fatal(errOut)
	}
	raw, _ := sql.Open("sqlite3", newer)
	if _, err := raw.Exec("INSERT INTO schema_migrations VALUES (99, '099_x.sql', 'x')"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"unknown flag", []string{"score", "--bogus"}, 2, "flag provided but not defined: -bogus"},
		{"unexpected argument", []string{"score", "extra"}, 2, `unexpected argument "extra"`},
		{"version takes no argument", []string{"version", "now"}, 2, "unexpected argument"},
		{"bad flag value", []string{"demo", "--customers", "many"}, 2, "invalid value"},
		{"bad date", []string{"score", "--as-of", "yesterday", "--db", filepath.Join(dir, "x.db")}, 2, "not a date"},
		{"not a database", []string{"score", "--db", notDB}, 1, "not a SQLite database"},
		{"missing folder", []string{"score", "--db", filepath.Join(dir, "nope", "d.db")}, 1, "does not exist"},
		{"newer schema", []string{"score", "--db", newer}, 1, "upgrade dossier"},
		{"bad URL", []string{"score", "--db", "postgres://[::1"}, 1, "invalid PostgreSQL URL"},
		{"other scheme", []string{"score", "--db", "mysql://x"}, 2, "postgres:// URL"},
		{"unreachable server", []string{"score", "--db", "postgres://nobody@127.0.0.1:1/x?connect_timeout=2"}, 1, "cannot connect to PostgreSQL"},
		{"bad role", []string{"user", "add", "x", "--role", "boss", "--db", filepath.Join(dir, "x.db")}, 2, "--role"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, nil, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tt.code, errOut, tt.want)
			}
			if strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
				t.Errorf("error is not one line: %q", errOut)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "nope")); err == nil {
		t.Error("a failed open created a folder")
	}
	if b, _ := os.ReadFile(notDB); !strings.HasPrefix(string(b), "not a database") {
		t.Error("a failed open changed the file")
	}
}

// The locked-file case: another program holds the write lock for longer than
// the busy timeout.
func TestLockedDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the busy timeout")
	}
	path := filepath.Join(t.TempDir(), "locked.db")
	raw, err := sql.Open("sqlite3", "file:"+path+"?_locking_mode=EXCLUSIVE")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("CREATE TABLE x (a); BEGIN EXCLUSIVE; INSERT INTO x VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, nil, "score", "--db", path)
	if code != 1 || !strings.Contains(errOut, "locked") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

func TestHelp(t *testing.T) {
	code, out, _ := runCLI(t, nil, "help")
	if code != 0 || !strings.Contains(out, "serve") || !strings.Contains(out, "score") {
		t.Errorf("help: %d %s", code, out)
	}
	code, out, _ = runCLI(t, nil, "score", "--help")
	if code != 0 || !strings.Contains(out, "-as-of") {
		t.Errorf("score --help: %d %s", code, out)
	}
	code, out, _ = runCLI(t, nil, "help", "demo")
	if code != 0 || !strings.Contains(out, "-customers") {
		t.Errorf("help demo: %d %s", code, out)
	}
}

func TestFieldsAndFacts(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	env := map[string]string{"DOSSIER_DB": db}
	code, out, _ := runCLI(t, env, "fields", "--json")
	if code != 0 || !strings.Contains(out, `"key": "credit_code"`) || !strings.Contains(out, "统一社会信用代码") {
		t.Fatalf("fields --json: %d %.300s", code, out)
	}
	if code, _, errOut := runCLI(t, env, "fields", "add", "competitor_info", "--label-zh", "竞争对手信息", "--label-en", "Competitor information"); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := runCLI(t, env, "fields", "retire", "competitor_info"); code != 0 {
		t.Fatal(errOut)
	}
	_, out, _ = runCLI(t, env, "fields")
	if strings.Contains(out, "competitor_info") {
		t.Error("retired field listed")
	}
	_, out, _ = runCLI(t, env, "fields", "--all")
	if !strings.Contains(out, "competitor_info (retired)") {
		t.Errorf("fields --all: %s", out)
	}
	if code, _, errOut := runCLI(t, env, "fields", "retire", "name"); code != 1 || !strings.Contains(errOut, "built-in") {
		t.Errorf("retiring a built-in field: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, env, "demo", "--customers", "20"); code != 0 {
		t.Fatal(errOut)
	}
	code, out, _ = runCLI(t, env, "facts", "3", "--field", "name")
	if code != 0 || !strings.Contains(out, "*") || strings.Count(out, "\n") < 2 {
		t.Errorf("facts: %d %s", code, out)
	}
	if code, _, errOut := runCLI(t, env, "facts", "999999"); code != 1 || !strings.Contains(errOut, "not found") {
		t.Errorf("facts of a missing customer: %d %s", code, errOut)
	}
}

// TestServe runs the whole program on port 0 and talks to it over HTTP.
func TestServe(t *testing.T) {
	base, admin := startServer(t, filepath.Join(t.TempDir(), "d.db"), "--demo", "--demo-customers", "50")
	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	c := signIn(t, base, "admin", admin)
	body := get(t, c, base+"/customers")
	if !strings.Contains(body, "有限公司") {
		t.Errorf("customer list shows no companies: %.500s", body)
	}
}

// startServer runs "dossier serve" in the background until the test ends and
// returns its base URL and the admin password it printed.
func startServer(t *testing.T, db string, extra ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	e := &env{stdout: &out, stderr: io.Discard, getenv: func(string) string { return "" }}
	done := make(chan int)
	go func() { done <- run(ctx, e, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, extra...)) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	addrRE := regexp.MustCompile(`running at (http://[^/ ]+)/`)
	pwRE := regexp.MustCompile(`Sign in as: admin  password: (\S+)`)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := addrRE.FindStringSubmatch(out.String()); m != nil {
			pw := pwRE.FindStringSubmatch(out.String())
			if pw == nil {
				t.Fatalf("no admin password printed: %s", out.String())
			}
			return m[1], pw[1]
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, out.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start: %s", out.String())
	return "", ""
}

func signIn(t *testing.T, base, name, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	page := get(t, c, base+"/login")
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field on the sign-in page: %.400s", page)
	}
	resp, err := c.PostForm(base+"/login", url.Values{"name": {name}, "password": {password}, "csrf": {m[1]}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasSuffix(resp.Request.URL.Path, "/home") {
		t.Fatalf("sign-in ended at %s with %d", resp.Request.URL, resp.StatusCode)
	}
	return c
}

func get(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(bufio.NewReader(resp.Body))
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return string(b)
}
