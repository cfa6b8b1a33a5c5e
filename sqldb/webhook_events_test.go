package sqldb_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// An import of many rows is one import.finished event with its counts (no
// event per row); settling a conflict, a tag that changes and deleting a
// customer are each a customer.changed saying what changed; a tag added
// twice is announced once.
func TestWebhookImportSettleTagEvents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		hook := subscribe(t, db, "https://hooks.example.com/x", dossier.EventImportFinished, dossier.EventCustomerChanged)
		var b strings.Builder
		b.WriteString("客户名称,行业\n")
		for i := range 25 {
			fmt.Fprintf(&b, "事件客户%d,制造业\n", i)
		}
		b.WriteString(",制造业\n") // rejected: no name
		res := runImport(t, db, b.String(), dossier.ImportOptions{BatchSize: 10})
		cs, _, err := db.FindCustomers(ctx, dossier.CustomerFilter{Query: "事件客户7", Limit: 1})
		if err != nil || len(cs) != 1 {
			t.Fatalf("customer 7: %v %v", cs, err)
		}
		c := cs[0]
		if _, err := db.SettleConflict(ctx, dossier.Settlement{CustomerID: c.ID, Field: "revenue", Value: "1亿", By: dossier.Actor{Name: "admin"}}); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := db.SetManualTag(ctx, c.ID, "渠道-展会获客", false); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetManualTag(ctx, c.ID, "渠道-展会获客", true); err != nil {
			t.Fatal(err)
		}
		c, _ = db.FindCustomerByID(ctx, c.ID)
		if err := db.DeleteCustomer(ctx, c.ID, c.Version, dossier.AuditEntry{User: "admin"}); err != nil {
			t.Fatal(err)
		}
		ds, err := db.Deliveries(ctx, hook.ID, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for i := len(ds) - 1; i >= 0; i-- { // oldest first
			var p struct {
				Data json.RawMessage `json:"data"`
			}
			if err := json.Unmarshal(ds[i].Payload, &p); err != nil {
				t.Fatal(err)
			}
			got = append(got, ds[i].Event+" "+string(p.Data))
		}
		want := []string{
			fmt.Sprintf(`import.finished {"import_id":%d,"file":"list.csv","kind":"customers","status":"done","imported":25,"updated":0,"rejected":1,"unchanged":0}`, res.Run.ID),
			fmt.Sprintf(`customer.changed {"customer_id":%d,"settled":"revenue"}`, c.ID),
			fmt.Sprintf(`customer.changed {"customer_id":%d,"tag":"渠道-展会获客"}`, c.ID),
			fmt.Sprintf(`customer.changed {"customer_id":%d,"tag":"渠道-展会获客","tag_removed":true}`, c.ID),
			fmt.Sprintf(`customer.changed {"customer_id":%d,"name":"事件客户7","deleted":true}`, c.ID),
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("outbox:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}
