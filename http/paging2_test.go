package http

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// pageRows walks a cursor-paged list from its first page, calling between
// after each page, and returns each row's JSON in the order seen. Rows are
// compared whole: the quality lists' rows have no id of their own, and a
// row there before paging began does not change while others are added.
func pageRows(t *testing.T, c *client, tok, first string, between func()) []string {
	t.Helper()
	var rows []string
	path := first
	for pages := 0; ; pages++ {
		r := c.get(path, "Authorization", "Bearer "+tok)
		if r.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, r.StatusCode, r.body)
		}
		var p struct {
			Items      []json.RawMessage `json:"items"`
			NextCursor string            `json:"next_cursor"`
		}
		if err := json.Unmarshal([]byte(r.body), &p); err != nil {
			t.Fatal(err)
		}
		for _, it := range p.Items {
			rows = append(rows, string(it))
		}
		between()
		if p.NextCursor == "" {
			return rows
		}
		if pages > 1000 {
			t.Fatal("paging does not end")
		}
		path = first + "&cursor=" + p.NextCursor
	}
}

// pagedLists are the lists paged by cursor since issue #9's second round,
// each with a way to add rows to it that land anywhere in its order (or,
// for the lists in id or customer order, at its end).
func pagedLists(e *env, cust int64) []struct {
	name, first string
	add         func(i int) error
} {
	ctx := context.Background()
	src := func(day int) dossier.Source {
		return dossier.Source{Channel: dossier.ChannelThirdParty, Detail: "调研", CollectedAt: time.Date(2025, 1, 1+day%300, 0, 0, 0, 0, time.UTC)}
	}
	// A customer whose revenue two sources give differently: a conflict,
	// gaps, and an empty required field (an invalid value).
	conflicted := func(i int) error {
		c, err := e.db.CreateCustomer(ctx, dossier.NewCustomer{Values: map[string]string{"name": fmt.Sprintf("分页冲突%03d", i), "industry": "制造业",
			"revenue": "3000万", "owner": []string{"admin", ""}[i%2]}, Source: dossier.Source{Channel: dossier.ChannelCustomer, Detail: "电话", CollectedAt: time.Now()}})
		if err == nil && i%3 != 0 { // some complete enough to sort among the others
			_, err = e.db.UpdateCustomer(ctx, c.ID, dossier.CustomerUpdate{Values: map[string]string{"revenue": "1亿", "city": "苏州"}, Source: src(i)})
		}
		return err
	}
	regions := []string{"华东", "华北", "华南", "西南"}
	// Every customer created from here on is a delivery to this hook.
	hook, err := e.db.CreateWebhook(ctx, dossier.NewWebhook{URL: "https://hooks.example.com/created",
		Events: []string{dossier.EventCustomerCreated}, Secret: "0123456789abcdef", By: "admin"})
	if err != nil {
		e.t.Fatal(err)
	}
	return []struct {
		name, first string
		add         func(i int) error
	}{
		{"facts", fmt.Sprintf("/api/v1/customers/%d/facts?limit=5", cust), func(i int) error {
			_, err := e.db.UpdateCustomer(ctx, cust, dossier.CustomerUpdate{Values: map[string]string{
				[]string{"city", "need_description", "pain_points", "strategic_goals"}[i%4]: fmt.Sprint("值", i)}, Source: src(i * 37)})
			return err
		}},
		{"conflicts", "/api/v1/conflicts?limit=4", conflicted},
		{"gaps", "/api/v1/gaps?limit=4", conflicted},
		{"conflicts of an owner", "/api/v1/conflicts?owner=admin&limit=3", conflicted},
		{"gaps of an owner", "/api/v1/gaps?owner=admin&limit=3", conflicted},
		{"gaps of a field", "/api/v1/gaps?field=plant_count&limit=3", conflicted},
		{"invalid", "/api/v1/invalid?limit=4", conflicted},
		{"invalid of a field", "/api/v1/invalid?field=plant_count&limit=3", conflicted},
		{"market records", "/api/v1/market/records?limit=4", func(i int) error {
			return e.db.CreateMarketRecord(ctx, &dossier.MarketRecord{Region: regions[i%4], Industry: []string{"SaaS", "制造"}[i%2],
				Year: 2020 + i%5, Size: int64(i) * 1e8, Source: src(i)})
		}},
		{"market records of a region", "/api/v1/market/records?region=华东&limit=2", func(i int) error {
			return e.db.CreateMarketRecord(ctx, &dossier.MarketRecord{Region: "华东", Industry: []string{"SaaS", "制造"}[i%2],
				Year: 2020 + i%5, Size: int64(i) * 1e8, Source: src(i)})
		}},
		{"market notes", "/api/v1/market/notes?limit=4", func(i int) error {
			return e.db.CreateMarketNote(ctx, &dossier.MarketNote{Kind: dossier.NotePolicy, Region: regions[i%4], Title: fmt.Sprint("政策", i), Source: src(i * 7 % 40)})
		}},
		{"competitors", "/api/v1/market/competitors?limit=4", func(i int) error {
			return e.db.CreateCompetitor(ctx, &dossier.Competitor{Name: fmt.Sprintf("竞品%c%d", 'A'+rune(i*7%26), i), Source: src(i)})
		}},
		{"segments", "/api/v1/segments?limit=4", func(i int) error {
			return e.db.CreateSegment(ctx, &dossier.Segment{Name: fmt.Sprintf("细分%c%d", 'A'+rune(i*7%26), i), Expression: "industry = 制造业", Owner: "admin"})
		}},
		{"analyses", "/api/v1/analyses?limit=4", func(i int) error {
			return e.db.CreateStudy(ctx, &dossier.Study{Name: fmt.Sprintf("分析%c%d", 'A'+rune(i*7%26), i), Goal: "g", Owner: "admin"})
		}},
		{"audit", "/api/v1/audit?limit=4", func(i int) error {
			return e.db.RecordAudit(ctx, &dossier.AuditEntry{User: "admin", Action: dossier.AuditContactView, Entity: "customer", EntityID: int64(i)})
		}},
		{"deliveries", fmt.Sprintf("/api/v1/webhooks/%d/deliveries?limit=4", hook.ID), func(i int) error {
			_, err := e.db.CreateCustomer(ctx, newCustomerValues(fmt.Sprint("投递", i)))
			return err
		}},
		{"snapshots", "/api/v1/snapshots?limit=3", func(i int) error {
			return e.db.TakeSnapshot(ctx, &dossier.Snapshot{Label: fmt.Sprint("快照", i)})
		}},
		{"webhooks", "/api/v1/webhooks?limit=4", func(i int) error {
			_, err := e.db.CreateWebhook(ctx, dossier.NewWebhook{URL: fmt.Sprintf("https://hooks.example.com/%d", i),
				Events: []string{dossier.EventTaskDue}, Secret: "0123456789abcdef", By: "admin"})
			return err
		}},
	}
}

// Every list paged by cursor, while rows are added between its pages, on
// both stores: no row is seen twice, none there before the first page is
// skipped, and a cursor of another list or a garbled one is a 400 naming
// the field cursor.
func TestListPagingUnderInserts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := envOn(t, db)
		tok := e.token(e.user("admin", dossier.RoleAdmin, ""))
		ctx := context.Background()
		if err := db.SaveField(ctx, dossier.Field{Key: "plant_count", LabelZH: "工厂数", Category: dossier.CatBasic,
			Type: dossier.TypeNumber, Required: true}); err != nil {
			t.Fatal(err)
		}
		cust := e.customer(map[string]string{"name": "事实很多有限公司", "industry": "制造业"}).ID
		lists := pagedLists(e, cust)
		for _, l := range lists {
			for i := range 14 {
				if err := l.add(i); err != nil {
					t.Fatalf("%s: %v", l.name, err)
				}
			}
		}
		for _, l := range lists {
			t.Run(l.name, func(t *testing.T) {
				all := pageRows(t, e.client(), tok, strings.Replace(l.first, "limit=", "limit=500&was=", 1), func() {})
				if len(all) < 8 {
					t.Fatalf("only %d rows to page", len(all))
				}
				var (
					wg       sync.WaitGroup
					step     = make(chan struct{})
					inserted = 0
				)
				wg.Go(func() {
					for range step {
						for range min(2, 24-inserted) { // a bound, so that paging ends
							if err := l.add(100 + inserted); err != nil {
								t.Error(err)
							}
							inserted++
						}
					}
				})
				rows := pageRows(t, e.client(), tok, l.first, func() { step <- struct{}{} })
				close(step)
				wg.Wait()
				before := map[string]bool{}
				for _, r := range all {
					before[r] = true
				}
				checkPaged(t, l.name, rows, before)
				if inserted == 0 || len(rows) <= len(all)/4 {
					t.Errorf("%d rows inserted, %d seen of %d", inserted, len(rows), len(all))
				}
				for _, cur := range []string{"x", "%21%21", encodeCursor("pairs", 1), keyCursor("tasks", 1, 1, "1", "2026-01-01")} {
					r := e.client().get(l.first+"&cursor="+cur, "Authorization", "Bearer "+tok)
					if r.StatusCode != 400 || !strings.Contains(r.body, `"field":"cursor"`) {
						t.Errorf("cursor %q: %d %s", cur, r.StatusCode, r.body)
					}
				}
				if r := e.client().get(strings.Replace(l.first, "limit=", "limit=501&was=", 1), "Authorization", "Bearer "+tok); r.StatusCode != 400 ||
					!strings.Contains(r.body, `"field":"limit"`) {
					t.Errorf("limit 501: %d %s", r.StatusCode, r.body)
				}
			})
		}
	})
}
