package sqldb_test

import (
	"fmt"
	"testing"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// BenchmarkCreateCustomerOutbox measures what the outbox costs a customer
// write: no subscription (one indexed read of webhooks) against two
// subscribers (two delivery rows in the same transaction).
//
//	go test -run '^$' -bench CreateCustomerOutbox -count 6 ./sqldb/
func BenchmarkCreateCustomerOutbox(b *testing.B) {
	for _, st := range dbtest.Stores(b) {
		for _, hooks := range []int{0, 2} {
			b.Run(fmt.Sprintf("%s/hooks=%d", st.Name, hooks), func(b *testing.B) {
				db := st.Open(b, dbtest.Options())
				for i := range hooks {
					if _, err := db.CreateWebhook(ctx, dossier.NewWebhook{URL: fmt.Sprintf("https://h%d.example.com", i),
						Events: []string{dossier.EventCustomerCreated}, Secret: hookSecret}); err != nil {
						b.Fatal(err)
					}
				}
				i := 0
				for b.Loop() {
					i++
					if _, err := db.CreateCustomer(ctx, dossier.NewCustomer{Values: map[string]string{"name": fmt.Sprintf("基准公司%d", i), "industry": "制造业"},
						Source: src(dossier.ChannelInternal, "bench", "2026-01-05")}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
