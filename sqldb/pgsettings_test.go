package sqldb_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/dossier/dossier/postgres"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// The store's PostgreSQL sessions run without JIT compilation unless the
// URL asks for it (postgres.Open says why).
func TestPostgresJITOff(t *testing.T) {
	if dbtest.PostgresURL(t) == "" {
		t.Skip("DOSSIER_TEST_POSTGRES is not set")
	}
	off := dbtest.FreshPostgresURL(t)
	u, err := url.Parse(off)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("jit", "on")
	u.RawQuery = q.Encode()
	for _, c := range []struct{ url, want string }{
		{off, "off"},
		{u.String(), "on"},
	} {
		db, err := postgres.Open(context.Background(), c.url, sqldb.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var jit string
		if err := rawPool(db).QueryRowContext(ctx, "SHOW jit").Scan(&jit); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if jit != c.want {
			t.Errorf("%s: jit = %s, want %s", c.url, jit, c.want)
		}
	}
}
