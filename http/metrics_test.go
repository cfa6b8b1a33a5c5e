package http

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	nethttp "net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// lockedBuffer collects log output from the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// opsEnv is newEnv with a metrics token, a readiness check and a JSON log
// the test reads.
func opsEnv(t *testing.T, ready func(context.Context) error) (*env, *lockedBuffer) {
	t.Helper()
	db := dbtest.SQLite(t, dbtest.Options())
	logs := &lockedBuffer{}
	srv, err := NewServer(Config{CSRFKey: []byte("0123456789abcdef0123456789abcdef"),
		Logger: slog.New(slog.NewJSONHandler(logs, nil)), MetricsToken: "scrape-secret", Readiness: ready},
		storeServices(db))
	if err != nil {
		t.Fatal(err)
	}
	ts := nethttp.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &env{t: t, db: db, srv: srv, ts: ts}, logs
}

func TestMetricsToken(t *testing.T) {
	e, _ := opsEnv(t, nil)
	e.user("zhao", dossier.RoleSales, "east")
	e.signedIn("zhao").get("/customers")
	c := e.client()
	if r := c.get("/metrics", "Authorization", "Bearer scrape-secret"); r.StatusCode != 200 {
		t.Fatalf("with the metrics token: %d", r.StatusCode)
	} else {
		r.mustContain(t, `dossier_http_requests_total{route="GET /customers",status="200"} 1`,
			`dossier_http_request_duration_seconds_bucket{route="POST /login"`, "dossier_http_requests_in_flight")
		r.mustNotContain(t, "/customers?", `route="/customers"`)
	}
	for _, h := range []string{"Bearer wrong", "Bearer scrape-secret2", "Basic c2NyYXBlLXNlY3JldA=="} {
		if r := c.get("/metrics", "Authorization", h); r.StatusCode != 401 {
			t.Errorf("Authorization %q: %d", h, r.StatusCode)
		}
	}
	if r := c.get("/metrics"); r.StatusCode != 401 {
		t.Errorf("anonymous: %d", r.StatusCode)
	}
}

// The access log names the route and the user, and never what was typed:
// not the password, not the query.
func TestRequestLog(t *testing.T) {
	e, logs := opsEnv(t, nil)
	u := e.user("zhao", dossier.RoleSales, "east")
	c := e.signedIn("zhao")
	c.get("/customers?q=13800138000")
	var sawList, sawLogin bool
	sc := bufio.NewScanner(strings.NewReader(logs.String()))
	for sc.Scan() {
		var l map[string]any
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("log line is not JSON: %s", sc.Text())
		}
		if l["msg"] != "request" {
			continue
		}
		switch l["route"] {
		case "GET /customers":
			sawList = l["user_id"] == float64(u.ID) && l["status"] == float64(200) && l["method"] == "GET" && l["dur_ms"] != nil
		case "POST /login":
			sawLogin = l["status"] == float64(303)
		}
	}
	if !sawList || !sawLogin {
		t.Errorf("request log lacks the list (%v) or the sign-in (%v):\n%s", sawList, sawLogin, logs)
	}
	for _, secret := range []string{testPassword, "13800138000"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log contains %q:\n%s", secret, logs)
		}
	}
}

func TestReadyz(t *testing.T) {
	var mu sync.Mutex
	var fail error
	e, _ := opsEnv(t, func(context.Context) error {
		mu.Lock()
		defer mu.Unlock()
		return fail
	})
	c := e.client()
	if r := c.get("/readyz"); r.StatusCode != 200 || r.body != "ready" {
		t.Errorf("ready store: %d %q", r.StatusCode, r.body)
	}
	mu.Lock()
	fail = errors.New("schema version 10, this server expects 9")
	mu.Unlock()
	if r := c.get("/readyz"); r.StatusCode != 503 {
		t.Errorf("stale schema: %d", r.StatusCode)
	}
	if r := c.get("/healthz"); r.StatusCode != 200 {
		t.Errorf("healthz only pings: %d", r.StatusCode)
	}
}
