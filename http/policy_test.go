package http

import (
	"context"
	"fmt"
	"log/slog"
	nethttp "net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// The profile page shows the value the store's own resolution policy puts
// in force, not the default policy's: a team that trusts public sources
// first sees the annual report's figure, as its lists and exports do.
func TestProfileUsesStorePolicy(t *testing.T) {
	publicFirst := dossier.ResolvePolicy{Trust: map[dossier.Channel]int{
		dossier.ChannelPublic: 4, dossier.ChannelThirdParty: 3, dossier.ChannelCustomer: 2, dossier.ChannelInternal: 1}}
	opt := dbtest.Options()
	opt.Policy = &publicFirst
	db := dbtest.SQLite(t, opt)
	srv, err := NewServer(Config{CSRFKey: []byte("0123456789abcdef0123456789abcdef"), Logger: slog.New(slog.DiscardHandler)},
		storeServices(db))
	if err != nil {
		t.Fatal(err)
	}
	ts := nethttp.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	e := &env{t: t, db: db, srv: srv, ts: ts}
	admin := e.user("admin", dossier.RoleAdmin, "")
	c := e.customer(map[string]string{"name": "甲公司", "industry": "制造业", "main_business": "内部记录的主营业务"})
	at := time.Now()
	if _, err := db.UpdateCustomer(context.Background(), c.ID, dossier.CustomerUpdate{Version: c.Version,
		Values: map[string]string{"main_business": "年报披露的主营业务"},
		Source: dossier.Source{Channel: dossier.ChannelPublic, Detail: "2025年年报", CollectedAt: at.Add(-time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	stored, err := db.FindCustomerByID(context.Background(), c.ID)
	if err != nil || stored.Value("main_business") != "年报披露的主营业务" {
		t.Fatalf("the store's policy should put the public value in force: %v %v", stored.Value("main_business"), err)
	}
	page := e.withSession(admin).get(fmt.Sprintf("/customers/%d", c.ID))
	group := section(page.body, "年报披露的主营业务")
	if group == "" {
		t.Fatalf("the profile does not show the value in force:\n%.2000s", page.body)
	}
	// The value's source badge names the fact in force: the annual report.
	if !containsAll(group, "2025年年报") {
		t.Errorf("the value's source is not the public fact in force:\n%.1500s", group)
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
