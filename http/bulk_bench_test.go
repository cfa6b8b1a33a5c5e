package http

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	nethttp "net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// BenchmarkBulk times one bulk request over all 500 customers of a team, as
// "all matching the filter" runs it (batches of 200; per customer one
// observation or tag and one audit entry), on each store. ns/op is the
// whole request; customer-ms the time per customer.
//
//	DOSSIER_TEST_POSTGRES=… go test ./http -run '^$' -bench Bulk -benchtime 3x -count 3
func BenchmarkBulk(b *testing.B) {
	const n = 500
	for _, st := range dbtest.Stores(b) {
		db := st.Open(b, dbtest.Options())
		post := bulkBenchServer(b, db, n)
		for i, op := range []url.Values{
			{"op": {"tag"}, "tag": {"批量基准"}, "all": {"1"}},
			{"op": {"assign"}, "owner": {"chen"}, "all": {"1"}},
		} {
			b.Run(st.Name+"/"+op.Get("op"), func(b *testing.B) {
				k := 0
				for b.Loop() {
					if i == 1 { // alternate owners, so every request changes all n
						op.Set("owner", []string{"chen", "li"}[k%2])
						k++
					}
					post(op)
				}
				b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*n), "customer-ms")
			})
		}
	}
}

// bulkBenchServer fills db with n customers of li's, starts a server and
// returns a poster of bulk forms signed in as east's manager.
func bulkBenchServer(b *testing.B, db *sqldb.DB, n int) func(url.Values) {
	ctx := context.Background()
	mgr := &dossier.User{Name: "zhou", Role: dossier.RoleManager, Team: "east"}
	for _, u := range []*dossier.User{mgr, {Name: "li", Role: dossier.RoleSales, Team: "east"}, {Name: "chen", Role: dossier.RoleSales, Team: "east"}} {
		if err := db.CreateUser(ctx, u, testPassword); err != nil {
			b.Fatal(err)
		}
	}
	for i := range n {
		if _, err := db.CreateCustomer(ctx, dossier.NewCustomer{Values: map[string]string{
			"name": fmt.Sprintf("批量基准%04d有限公司", i), "industry": "制造业", "owner": "li", "team": "east"},
			Source: dossier.Source{Channel: dossier.ChannelInternal, Detail: "bench", CollectedAt: time.Now()}}); err != nil {
			b.Fatal(err)
		}
	}
	srv, err := NewServer(Config{Logger: slog.New(slog.DiscardHandler)}, storeServices(db))
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	b.Cleanup(ts.Close)
	tok, err := db.CreateSession(ctx, mgr.ID, time.Now().Add(time.Hour))
	if err != nil {
		b.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	base, _ := url.Parse(ts.URL)
	jar.SetCookies(base, []*nethttp.Cookie{{Name: sessionCookie, Value: tok, Path: "/"}})
	hc := &nethttp.Client{Jar: jar, CheckRedirect: func(*nethttp.Request, []*nethttp.Request) error { return nethttp.ErrUseLastResponse }}
	res, err := hc.Get(ts.URL + "/settings")
	if err != nil {
		b.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := csrfRE.FindStringSubmatch(string(page))
	if m == nil {
		b.Fatal("no CSRF token")
	}
	return func(form url.Values) {
		form.Set(csrfField, m[1])
		res, err := hc.Post(ts.URL+"/customers/bulk", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != nethttp.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), fmt.Sprintf("done=%d", n)) {
			b.Fatalf("bulk %v: %d %s %.300s", form, res.StatusCode, res.Header.Get("Location"), body)
		}
	}
}
