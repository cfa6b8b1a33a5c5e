package http

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/dossier/dossier"
)

// TestReportPages: the analysis report as HTML and XLSX, scoped like the
// profile page, masked by role, audited when unmasked, escaped, and served
// under a CSP that admits only its own stylesheet.
func TestReportPages(t *testing.T) {
	f := newFixture(t)
	recomputeFixture(t, f)
	path := fmt.Sprintf("/customers/%d/report", f.east.ID)

	r := f.clients["li"].get(path)
	f.mustStatus(t, r, 200)
	r.mustContain(t, "客户分析报告", "华东精密机械有限公司", "13912345678", "zhang.wei@example.com", "@page", "<svg",
		fmt.Sprintf(`href="/customers/%d"`, f.east.ID))
	csp := r.Header.Get("Content-Security-Policy")
	_, rest, _ := strings.Cut(r.body, "<style>")
	css, _, _ := strings.Cut(rest, "</style>")
	sum := sha256.Sum256([]byte(css))
	if want := "style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, want) ||
		!strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP %q, want %q and nothing else loadable", csp, want)
	}
	if items, _, err := f.db.FindAudit(context.Background(), dossier.AuditFilter{User: "li", Action: dossier.AuditContactView}); err != nil ||
		len(items) == 0 || items[0].Detail != "report" {
		t.Errorf("unmasked report not audited: %+v %v", items, err)
	}

	// Service sees the customer with contact details masked, and leaves no audit entry.
	r = f.clients["sun"].get(path)
	f.mustStatus(t, r, 200)
	r.mustNotContain(t, "13912345678", "zhang.wei@example.com")
	r.mustContain(t, "z***@example.com")
	if items, _, _ := f.db.FindAudit(context.Background(), dossier.AuditFilter{User: "sun", Action: dossier.AuditContactView}); len(items) != 0 {
		t.Errorf("masked report audited: %+v", items)
	}
	// Another team's sales and the analyst do not get it.
	f.mustStatus(t, f.clients["wang"].get(path), 404)
	f.mustStatus(t, f.clients["qian"].get(path), 403)

	f.clients["li"].get(path+"?lang=en").mustContain(t, "Customer analysis report", "Profile and sources")
	f.clients["li"].get("/customers?lang=zh") // back to Chinese for the other tests

	r = f.clients["admin"].get(fmt.Sprintf("/customers/%d/report", f.xss.ID))
	f.mustStatus(t, r, 200)
	r.mustNotContain(t, xssName)
	r.mustContain(t, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;恶意公司")

	f.clients["li"].get(fmt.Sprintf("/customers/%d", f.east.ID)).mustContain(t, path, path+".xlsx", "打印分析报告")

	r = f.clients["zhou"].get(path + ".xlsx")
	f.mustStatus(t, r, 200)
	if ct := r.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Errorf("Content-Type %q", ct)
	}
	x, err := excelize.OpenReader(bytes.NewReader([]byte(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if v, _ := x.GetCellValue("概要", "B2"); v != "华东精密机械有限公司" {
		t.Errorf("xlsx B2 = %q", v)
	}
	f.mustStatus(t, f.clients["wang"].get(path+".xlsx"), 404)
}
