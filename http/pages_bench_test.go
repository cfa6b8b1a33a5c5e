package http

import (
	"context"
	"io"
	"log/slog"
	nethttp "net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/postgres"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqlite"
)

// BenchmarkPages times the main HTML pages, one request at a time, on the
// store named by DOSSIER_BENCH_DB (a copy of a `dossier demo` SQLite file
// or a postgres:// URL; it gains the users "pagebench-admin" and, for a
// sales user's personal pages, uses the demo's first sales user). The
// server's time per page is ns/op: the client is on loopback and reads the
// body. The first request of each page is reported apart (first-ms): it
// fills the result cache (sqldb/cache.go), whose list totals later ones
// reuse until a write.
//
//	DOSSIER_BENCH_DB=/tmp/copy-1m.db go test ./http -run '^$' -bench Pages -benchtime 20x -count 3
func BenchmarkPages(b *testing.B) {
	path := os.Getenv("DOSSIER_BENCH_DB")
	if path == "" {
		b.Skip("DOSSIER_BENCH_DB is not set")
	}
	ctx := context.Background()
	open := sqlite.Open
	if strings.HasPrefix(path, "postgres://") {
		open = postgres.Open
	}
	db, err := open(ctx, path, sqldb.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	admin, err := db.FindUserByName(ctx, "pagebench-admin")
	if err != nil {
		admin = &dossier.User{Name: "pagebench-admin", Role: dossier.RoleAdmin}
		if err := db.CreateUser(ctx, admin, "pagebench-password"); err != nil {
			b.Fatal(err)
		}
	}
	users := map[string]*dossier.User{"admin": admin}
	all, err := db.ListUsers(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, u := range all {
		if u.Role == dossier.RoleSales {
			users["sales"] = &u
			break
		}
	}
	srv, err := NewServer(Config{Logger: slog.New(slog.DiscardHandler)}, storeServices(db))
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	b.Cleanup(ts.Close)
	one, _, err := db.FindCustomers(ctx, dossier.CustomerFilter{Limit: 1, Offset: 1000})
	if err != nil || len(one) == 0 {
		b.Fatalf("no customer to open: %v", err)
	}
	pages := []struct{ name, path string }{
		{"home", "/home"},
		{"customers", "/customers"},
		{"customers-last-contact-p10", "/customers?sort=-last_contact&offset=500"},
		{"customers-score", "/customers?sort=-score"},
		{"customers-grade", "/customers?grade=key"},
		// Quick filters the customer rollup does not cover: a city, a
		// tag (an EXISTS on customer_tags) and a score range.
		{"customers-city", "/customers?city=" + url.QueryEscape("上海市")},
		{"customers-tag", "/customers?filter=" + url.QueryEscape("tags = 行为-近3个月无沟通-需重点跟进")},
		{"customers-total-60", "/customers?filter=" + url.QueryEscape("total >= 60")},
		// A name search: a term few names hold (one of 1,000,000 demo
		// customers of seed 1), read through the pairs of migration 029,
		// and one that most hold, found by the walk in id order.
		// A tag 7 of 1,000,000 demo customers hold: read through its
		// customers first (sqldb/search.go, tagNarrow).
		{"customers-tag-rare", "/customers?filter=" + url.QueryEscape("tags = 行业-采矿业")},
		{"customers-search-rare", "/customers?q=" + url.QueryEscape("邦正远通讯")},
		{"customers-search-common", "/customers?q=" + url.QueryEscape("科技")},
		// The page shows those rows first and asks for their total apart
		// (customer_total.go): the count, up to 10,000, that the page's
		// script asks for after it.
		{"total-city", "/customers/total?city=" + url.QueryEscape("上海市")},
		{"total-tag", "/customers/total?filter=" + url.QueryEscape("tags = 行为-近3个月无沟通-需重点跟进")},
		{"total-total-60", "/customers/total?filter=" + url.QueryEscape("total >= 60")},
		{"profile", customerURL(one[0].ID)},
		{"analytics", "/analytics"},
	}
	for _, role := range []string{"admin", "sales"} {
		u := users[role]
		if u == nil {
			continue
		}
		tok, err := db.CreateSession(ctx, u.ID, time.Now().Add(time.Hour))
		if err != nil {
			b.Fatal(err)
		}
		get := func(b *testing.B, path string) {
			req, _ := nethttp.NewRequest("GET", ts.URL+path, nil)
			req.AddCookie(&nethttp.Cookie{Name: sessionCookie, Value: tok})
			res, err := nethttp.DefaultClient.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != nethttp.StatusOK {
				b.Fatalf("%s: status %d", path, res.StatusCode)
			}
		}
		for _, p := range pages {
			if role == "sales" && p.name == "profile" {
				continue // the admin's customer is not necessarily theirs
			}
			b.Run(role+"/"+p.name, func(b *testing.B) {
				start := time.Now()
				get(b, p.path)
				first := time.Since(start)
				for b.Loop() {
					get(b, p.path)
				}
				b.ReportMetric(float64(first.Microseconds())/1000, "first-ms")
			})
		}
	}
}
