package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// TestHiddenFlagIsZeroOrOne: the counts of all customers less the hidden
// (hidden = 1) and merged ones are exact only if the flag holds nothing
// else; migration 032 refuses any other value.
func TestHiddenFlagIsZeroOrOne(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Postgres(t, dbtest.Options())
	c, err := db.CreateCustomer(ctx, dossier.NewCustomer{Values: map[string]string{"name": "标志测试有限公司"},
		Source: dossier.Source{Channel: dossier.ChannelInternal, Detail: "test", CollectedAt: time.Now()}})
	if err != nil {
		t.Fatal(err)
	}
	w := db.Pools()["main"] // PostgreSQL: one pool
	for _, v := range []int{1, 0} {
		if _, err := w.ExecContext(ctx, "UPDATE customers SET hidden = $1 WHERE id = $2", v, c.ID); err != nil {
			t.Fatalf("hidden = %d: %v", v, err)
		}
	}
	_, err = w.ExecContext(ctx, "UPDATE customers SET hidden = 2 WHERE id = $1", c.ID)
	if err == nil || !strings.Contains(err.Error(), "customers_hidden_flag") {
		t.Errorf("hidden = 2: %v, want the check customers_hidden_flag to refuse it", err)
	}
}
