package http

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/dossier/dossier"
)

// xssPayload breaks out of text, attributes in either quote, and tags.
const xssPayload = `<script>alert(1)</script>"'><img src=x onerror=alert(1)>`

// TestXSSEscapedEverywhere puts the payload in every free-text field of a
// customer, its contact and its interaction, and checks that no page or API
// response carries it raw.
func TestXSSEscapedEverywhere(t *testing.T) {
	f := newFixture(t)
	c := f.customer(map[string]string{
		"name": "X" + xssPayload, "industry": xssPayload, "main_business": xssPayload, "owner": "li", "team": "east",
		"contact_name": xssPayload, "contact_title": xssPayload, "contact_phone": "13912345678",
		"last_contact_date": "2026-01-10", "last_contact_channel": "电话", "last_contact_summary": xssPayload,
	})
	if err := f.db.RecordAudit(context.Background(), &dossier.AuditEntry{User: "admin", Action: dossier.AuditCustomerCreate,
		Entity: "customer", EntityID: c.ID, Detail: xssPayload}); err != nil {
		t.Fatal(err)
	}
	detail := fmt.Sprintf("/customers/%d", c.ID)
	paths := []string{"/customers", "/customers?q=" + url.QueryEscape(xssPayload), detail, detail + "/fields/name",
		detail + "/fields/industry", detail + "/fields/main_business", "/admin/audit", "/admin/audit?user=" + url.QueryEscape(xssPayload),
		"/customers?lang=en", detail + "?lang=en",
		"/api/v1/customers", fmt.Sprintf("/api/v1/customers/%d", c.ID), fmt.Sprintf("/api/v1/customers/%d/contacts", c.ID),
		"/api/v1/audit",
		// Pages added with the analysis, quality and report work.
		"/home", "/quality", "/quality?tab=conflicts", "/quality?tab=gaps", "/quality?tab=invalid",
		"/analytics", "/analytics?rows=industry", detail + "/report", "/api/v1/gaps", "/api/v1/invalid"}
	for _, as := range []string{"admin", "ma"} {
		for _, p := range paths {
			if as == "ma" && strings.Contains(p, "audit") {
				continue
			}
			t.Run(as+" "+p, func(t *testing.T) {
				r := f.clients[as].get(p)
				if r.StatusCode != 200 {
					t.Fatalf("status %d", r.StatusCode)
				}
				r.mustNotContain(t, "<script>alert", "<img src=x", `"'>`)
			})
		}
	}
	// And the payload did arrive, escaped, so the test would see a regression.
	f.clients["admin"].get(detail).mustContain(t, "&lt;script&gt;alert(1)&lt;/script&gt;")
}

// TestInjectionInParams sends SQL-injection strings in every filter, sort
// and paging parameter: the answer is 400 or a page without other
// customers' data, never a 500.
func TestInjectionInParams(t *testing.T) {
	f := newFixture(t)
	payloads := []string{`' OR '1'='1`, `'; DROP TABLE customers; --`, `" OR 1=1 --`, `1) UNION SELECT password_hash FROM users --`,
		`%' OR name LIKE '%`, `\'; SELECT pg_sleep(1); --`, "name; DELETE FROM observations", xssPayload}
	params := []string{"q", "industry", "province", "city", "stage", "grade", "priority", "sort", "offset", "limit"}
	for _, base := range []string{"/customers", "/api/v1/customers"} {
		for _, p := range params {
			for _, v := range payloads {
				r := f.clients["li"].get(base + "?" + p + "=" + url.QueryEscape(v))
				if r.StatusCode != 200 && r.StatusCode != 400 {
					t.Errorf("%s?%s=%q: status %d", base, p, v, r.StatusCode)
				}
				// li sees only the east customer, whatever the parameters say.
				r.mustNotContain(t, "西部物流集团", "$2a$")
			}
		}
	}
	r := f.clients["admin"].get("/api/v1/audit?user=" + url.QueryEscape(`' OR 1=1 --`) + "&action=" + url.QueryEscape(`x' --`))
	if r.StatusCode != 200 || !strings.Contains(r.body, `"total":0`) {
		t.Errorf("audit search: %d %s", r.StatusCode, r.body)
	}
	if _, err := f.db.FindCustomerByID(context.Background(), f.west.ID); err != nil {
		t.Errorf("the store lost a customer: %v", err)
	}
}
