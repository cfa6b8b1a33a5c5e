package http

import (
	"context"
	"fmt"
	"testing"

	"github.com/dossier/dossier"
)

func TestPIPLExportAndErase(t *testing.T) {
	f := newFixture(t)
	cs, err := f.db.Contacts(context.Background(), f.east.ID)
	if err != nil || len(cs) != 1 {
		t.Fatalf("contacts: %v %v", cs, err)
	}
	export := fmt.Sprintf("/api/v1/contacts/%d/export", cs[0].ID)
	r := f.call("GET", export, "admin", "")
	f.mustStatus(t, r, 200)
	r.mustContain(t, "张伟", "13912345678", "zhang.wei@example.com", "华东精密机械有限公司")
	f.mustStatus(t, f.call("GET", export, "li", ""), 403)
	f.mustStatus(t, f.call("GET", "/api/v1/contacts/99999/export", "admin", ""), 404)

	erase := fmt.Sprintf("/api/v1/contacts/%d/erase", cs[0].ID)
	f.mustStatus(t, f.call("POST", erase, "zhou", ""), 403)
	f.mustStatus(t, f.call("POST", erase, "admin", `{"reason": "本人申请删除"}`), 200)
	r = f.call("GET", fmt.Sprintf("/api/v1/customers/%d/contacts", f.east.ID), "li", "")
	r.mustContain(t, dossier.ErasedName)
	r.mustNotContain(t, "张伟", "13912345678", "zhang.wei@example.com")
	f.clients["li"].get(fmt.Sprintf("/customers/%d", f.east.ID)).mustNotContain(t, "13912345678", "zhang.wei@example.com")
	ctx := context.Background()
	for _, action := range []string{dossier.AuditContactExport, dossier.AuditContactErase} {
		items, _, _ := f.db.FindAudit(ctx, dossier.AuditFilter{User: "admin", Action: action})
		if len(items) != 1 || items[0].EntityID != cs[0].ID {
			t.Errorf("%s: %+v", action, items)
		}
	}
	f.mustStatus(t, f.call("POST", "/api/v1/contacts/99999/erase", "admin", ""), 404)
}
