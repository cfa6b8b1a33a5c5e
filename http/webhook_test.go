package http

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/dossier/dossier"
)

// callWebhookAPI is TestOpenAPIResponses' part for the webhook routes:
// create (201, secret shown once), list without secrets, deliveries, delete,
// and the errors: bad event 400, unknown id 404, non-admin 403.
func callWebhookAPI(t *testing.T, f *fixture, call func(pattern, path, as, body string, want int) resp) {
	t.Helper()
	var hook dossier.Webhook
	r := call("POST /api/v1/webhooks", "/api/v1/webhooks", "admin",
		`{"url": "https://chat.example.com/hook", "events": ["customer.created", "task.due"]}`, 201)
	if err := json.Unmarshal([]byte(r.body), &hook); err != nil || len(hook.Secret) < 16 {
		t.Fatalf("created webhook %s: no generated secret (%v)", r.body, err)
	}
	call("POST /api/v1/webhooks", "/api/v1/webhooks", "admin", `{"url": "https://x.example.com", "events": ["customer.deleted"]}`, 400)
	call("POST /api/v1/webhooks", "/api/v1/webhooks", "admin", `{"url": "ftp://x.example.com", "events": ["task.due"]}`, 400)
	call("POST /api/v1/webhooks", "/api/v1/webhooks", "li", `{"url": "https://x.example.com", "events": ["task.due"]}`, 403)
	f.call("POST", "/api/v1/customers", "admin", `{"values": {"name": "钩子测试公司", "industry": "制造业"}}`)
	list := call("GET /api/v1/webhooks", "/api/v1/webhooks", "admin", "", 200)
	list.mustNotContain(t, hook.Secret)
	path := fmt.Sprintf("/api/v1/webhooks/%d", hook.ID)
	var ds items[dossier.Delivery]
	if err := json.Unmarshal([]byte(call("GET /api/v1/webhooks/{id}/deliveries", path+"/deliveries", "admin", "", 200).body), &ds); err != nil {
		t.Fatal(err)
	}
	if len(ds.Items) != 1 || ds.Items[0].Event != dossier.EventCustomerCreated {
		t.Errorf("deliveries after a customer was created: %+v", ds.Items)
	}
	call("DELETE /api/v1/webhooks/{id}", path, "admin", "", 200)
	call("DELETE /api/v1/webhooks/{id}", path, "admin", "", 404)
	// The cursor of the customer list: the second page, and a forged cursor.
	var page customerList
	if err := json.Unmarshal([]byte(call("GET /api/v1/customers", "/api/v1/customers?limit=1", "admin", "", 200).body), &page); err != nil || page.NextCursor == "" {
		t.Fatalf("first page %+v has no next_cursor (%v)", page, err)
	}
	call("GET /api/v1/customers", "/api/v1/customers?limit=1&cursor="+page.NextCursor, "admin", "", 200)
	call("GET /api/v1/customers", "/api/v1/customers?cursor=bm9wZQ", "admin", "", 400)
}
