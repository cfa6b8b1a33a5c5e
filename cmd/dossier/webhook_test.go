package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dossier/dossier/webhook"
)

// End to end on both stores: a webhook added with the CLI receives, signed,
// the customer.created event of a customer created through the API of a
// running server; list shows it and remove takes it away.
func TestWebhookCommand(t *testing.T) {
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			const secret = "cli-secret-0123456789"
			var (
				mu     sync.Mutex
				bodies []string
			)
			rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				at, _ := strconv.ParseInt(r.Header.Get(webhook.HeaderTimestamp), 10, 64)
				if !webhook.Verify(secret, at, b, r.Header.Get(webhook.HeaderSignature)) {
					t.Errorf("bad signature on %s", b)
				}
				mu.Lock()
				bodies = append(bodies, string(b))
				mu.Unlock()
			}))
			defer rc.Close()
			base, _ := startServer(t, db, "--webhook-every", "100ms")
			env := map[string]string{"DOSSIER_DB": db, "USER": "tester"}
			code, out, errOut := runCLI(t, env, "webhook", "add", rc.URL, "--events", "customer.created,customer.changed", "--secret", secret)
			if code != 0 || !strings.Contains(out, "webhook 1 added") {
				t.Fatalf("webhook add: exit %d: %s %s", code, out, errOut)
			}
			if code, _, _ := runCLI(t, env, "webhook", "add", rc.URL, "--events", "customer.deleted"); code != 1 {
				t.Errorf("unknown event: exit %d, want 1", code)
			}
			_, tok, _ := runCLI(t, env, "token", "admin")
			req, _ := http.NewRequest("POST", base+"/api/v1/customers", strings.NewReader(`{"values": {"name": "钩子端到端公司", "industry": "制造业"}}`))
			req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(tok))
			resp, err := http.DefaultClient.Do(req)
			if err != nil || resp.StatusCode != 201 {
				t.Fatalf("create customer: %v %v", resp, err)
			}
			resp.Body.Close()
			deadline := time.Now().Add(30 * time.Second)
			for {
				mu.Lock()
				n := len(bodies)
				mu.Unlock()
				if n > 0 || time.Now().After(deadline) {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			mu.Lock()
			got := strings.Join(bodies, "\n")
			mu.Unlock()
			if !strings.Contains(got, `"event":"customer.created"`) || !strings.Contains(got, "钩子端到端公司") {
				t.Errorf("receiver got %q, want the customer.created event", got)
			}
			if code, out, _ := runCLI(t, env, "webhook", "list"); code != 0 || !strings.Contains(out, rc.URL) || strings.Contains(out, secret) {
				t.Errorf("webhook list: exit %d: %s", code, out)
			}
			if code, out, _ := runCLI(t, env, "webhook", "remove", "1"); code != 0 || !strings.Contains(out, "removed") {
				t.Errorf("webhook remove: exit %d: %s", code, out)
			}
			if code, _, errOut := runCLI(t, env, "webhook", "remove", "1"); code != 1 || !strings.Contains(errOut, "not found") {
				t.Errorf("second remove: exit %d: %s", code, errOut)
			}
		})
	}
}
