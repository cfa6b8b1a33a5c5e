package main

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startProcess runs `dossier serve` in its own process and returns its base
// URL once it listens.
func startProcess(t *testing.T, db string, extra ...string) (*exec.Cmd, *syncBuffer, string) {
	t.Helper()
	cmd, out := dossierProcess(t, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, extra...)...)
	return cmd, out, waitListening(t, out)
}

var addrRE = regexp.MustCompile(`running at (http://[^/ ]+)/`)

// waitListening waits for a server's "running at" line and returns its URL.
func waitListening(t *testing.T, out *syncBuffer) string {
	t.Helper()
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := addrRE.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("serve did not start: %s", out)
	return ""
}

// Two servers started at once with --demo on one empty database: one
// creates the admin and fills the store, the other finds it done.
func TestTwoServersStartTogether(t *testing.T) {
	for _, s := range crashStores(t) {
		t.Run(s.name, func(t *testing.T) {
			// The schema first, so both processes race for data, not DDL.
			if code, _, errOut := runCLI(t, nil, "fields", "--db", s.db); code != 0 {
				t.Fatal(errOut)
			}
			args := []string{"serve", "--addr", "127.0.0.1:0", "--db", s.db, "--demo", "--demo-customers", "200"}
			_, outA := dossierProcess(t, args...)
			_, outB := dossierProcess(t, args...)
			waitListening(t, outA)
			waitListening(t, outB)
			both := outA.String() + outB.String()
			if n := strings.Count(both, "Sign in as: admin"); n != 1 {
				t.Errorf("%d servers created the admin:\n%s", n, both)
			}
			if n := strings.Count(both, "generated 200 customers"); n != 1 {
				t.Errorf("%d servers generated the demo:\n%s", n, both)
			}
			db := s.open()
			defer db.Close()
			if n := count(t, db, "SELECT COUNT(*) FROM customers"); n != 200 {
				t.Errorf("%d customers, want 200", n)
			}
		})
	}
}

// TestTwoServersOneDatabase runs two server processes on one database, as
// behind a load balancer: a session and a CSRF token from one are good on
// the other, and the scheduled recompute runs once between them.
func TestTwoServersOneDatabase(t *testing.T) {
	for _, s := range crashStores(t) {
		t.Run(s.name, func(t *testing.T) {
			if code, _, errOut := runCLI(t, nil, "demo", "--customers", "50", "--db", s.db); code != 0 {
				t.Fatal(errOut)
			}
			if code, _, errOut := runCLI(t, nil, "user", "add", "alice", "--role", "admin", "--password", "alice-long-password", "--db", s.db); code != 0 {
				t.Fatal(errOut)
			}
			cmdA, outA, a := startProcess(t, s.db, "--recompute-every", "1h", "--log-format", "json")
			_, outB, b := startProcess(t, s.db, "--recompute-every", "1h")

			// The cookie jar ignores ports, as browsers do: the session
			// cookie set by A goes to B, as it would through one host name.
			c := signIn(t, a, "alice", "alice-long-password")
			resp, err := c.Get(b + "/customers")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 || resp.Request.URL.Path != "/customers" {
				t.Fatalf("A's session on B: %d at %s", resp.StatusCode, resp.Request.URL)
			}
			// A form from A, posted to B.
			m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(get(t, c, a+"/settings"))
			if m == nil {
				t.Fatal("no CSRF token on A's settings page")
			}
			for token, want := range map[string]int{m[1]: 200, "forged" + m[1]: 403} {
				resp, err = c.PostForm(b+"/settings/token", url.Values{"csrf": {token}})
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != want {
					t.Errorf("B answered %d to a token %.10s…, want %d", resp.StatusCode, token, want)
				}
			}
			// Signed out on B, signed out on A.
			jar, _ := cookiejar.New(nil)
			anon := &http.Client{Jar: jar}
			if resp, err := anon.Get(b + "/customers"); err == nil {
				resp.Body.Close()
				if resp.Request.URL.Path != "/login" {
					t.Errorf("a stranger reached %s on B", resp.Request.URL.Path)
				}
			}

			// Both servers tried the due recompute at start; one ran it.
			db := s.open()
			defer db.Close()
			var runs int64
			var status string
			for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
				if err := db.QueryRow("SELECT runs, last_status FROM job_leases WHERE name = 'score-recompute'").Scan(&runs, &status); err == nil && status != "" {
					break
				}
			}
			time.Sleep(500 * time.Millisecond) // give a second run, if there were one, time to show
			_ = db.QueryRow("SELECT runs, last_status FROM job_leases WHERE name = 'score-recompute'").Scan(&runs, &status)
			if runs != 1 || status != "ok" {
				t.Errorf("scheduled recompute ran %d times, last status %q; want once, ok", runs, status)
			}
			logs := outA.String() + outB.String()
			if n := strings.Count(logs, "score recompute done"); n != 1 {
				t.Errorf("%d servers logged a recompute:\n%s", n, logs)
			}
			if !strings.Contains(outA.String(), `"msg":"request","method":"GET","route":"GET /settings"`) {
				t.Errorf("A's JSON log lacks the request line:\n%s", outA)
			}

			// SIGTERM: A stops accepting, finishes, exits 0.
			if err := cmdA.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmdA.Wait() }()
			select {
			case err := <-exited:
				if err != nil || !strings.Contains(outA.String(), "shutting down") {
					t.Errorf("A after SIGTERM: %v\n%s", err, outA)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("A did not stop within 20 s of SIGTERM")
			}
			// B still serves the session.
			if body := get(t, c, b+"/customers"); !strings.Contains(body, "有限公司") {
				t.Errorf("B after A stopped: %.300s", body)
			}
		})
	}
}

// Bad logging settings are usage errors, from a flag or the environment.
func TestServeSettings(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	for _, tt := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"--log-format", "xml"}, "use text or json"},
		{map[string]string{"DOSSIER_LOG_FORMAT": "xml"}, nil, "use text or json"},
		{nil, []string{"--log-level", "loud"}, "use debug, info, warn or error"},
		{nil, []string{"--recompute-every", "-1h"}, "must not be negative"},
		{nil, []string{"--recompute-every", "daily"}, "invalid value"},
	} {
		code, _, errOut := runCLI(t, tt.env, append([]string{"serve", "--db", db}, tt.args...)...)
		if code != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v %v: exit %d, %q (want %q)", tt.env, tt.args, code, errOut, tt.want)
		}
	}
}
