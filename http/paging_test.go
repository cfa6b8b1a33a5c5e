package http

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
)

// pageAll walks a cursor-paged list as pageRows does and returns the ids
// in the order seen.
func pageAll(t *testing.T, c *client, tok, first string, between func()) []int64 {
	t.Helper()
	var ids []int64
	for _, row := range pageRows(t, c, tok, first, between) {
		var it struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal([]byte(row), &it); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	return ids
}

// checkPaged reports a row seen twice, or one there before paging began
// (in before) that was not seen.
func checkPaged[K comparable](t *testing.T, what string, seen []K, before map[K]bool) {
	t.Helper()
	got := map[K]bool{}
	for _, k := range seen {
		if got[k] {
			t.Errorf("%s: %v seen twice", what, k)
		}
		got[k] = true
	}
	for k := range before {
		if !got[k] {
			t.Errorf("%s: %v, there before paging began, was skipped", what, k)
		}
	}
}

// Paging with the cursor while another goroutine inserts customers: no
// customer is seen twice and none that existed before the first page is
// skipped, in both orders and on both stores. (Offset paging would repeat
// rows under -id, since each insert pushes the rest down a place.)
func TestCursorPagingUnderInserts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := envOn(t, db)
		admin := e.user("admin", "admin", "")
		tok := e.token(admin)
		before := map[int64]bool{}
		for i := range 45 {
			vals := map[string]string{"name": fmt.Sprintf("原有客户%d", i%40), "industry": "制造业"} // some names twice
			if i%3 != 0 {                                                                     // a third without a last contact; the rest on four dates
				vals["last_contact_date"], vals["last_contact_channel"] = fmt.Sprintf("2026-01-%02d", 10+i%4), "电话"
			}
			before[e.customer(vals).ID] = true
		}
		// Some scores, some equal, some missing.
		if err := db.ExecForTest(t.Context(), "UPDATE customers SET score = id % 5 WHERE id % 4 <> 0"); err != nil {
			t.Fatal(err)
		}
		// Keyset on the sort key and the id: ties (equal names, dates,
		// scores) and customers without a key (sorted last) included.
		for _, sort := range []string{"-id", "id", "name", "-name", "-score", "score", "last_contact", "-last_contact", "-updated", "updated"} {
			t.Run(sort, func(t *testing.T) {
				var (
					wg      sync.WaitGroup
					stop    atomic.Bool
					inserts atomic.Int64
					step    = make(chan struct{})
				)
				wg.Go(func() {
					for range step {
						for range 3 {
							if stop.Load() {
								return
							}
							if _, err := e.db.CreateCustomer(context.Background(), newCustomerValues(fmt.Sprintf("新客户%s-%d", sort, inserts.Add(1)))); err != nil {
								t.Error(err)
							}
						}
					}
				})
				// Each page lets the writer insert three rows before the
				// next one is read, so every page boundary sees new rows.
				ids := pageAll(t, e.client(), tok, "/api/v1/customers?limit=7&sort="+sort, func() { step <- struct{}{} })
				stop.Store(true)
				close(step)
				wg.Wait()
				checkPaged(t, "customers", ids, before)
				if inserts.Load() == 0 {
					t.Error("no customer was inserted while paging")
				}
			})
		}
	})
}

// A cursor read under one sort is refused under another (400), not
// applied to the wrong order.
func TestCustomerCursorSortMismatch(t *testing.T) {
	e := newEnv(t)
	tok := e.token(e.user("admin", "admin", ""))
	for i := range 3 {
		e.customer(map[string]string{"name": fmt.Sprintf("客户%d", i), "industry": "制造业"})
	}
	c := e.client()
	var page struct {
		NextCursor string `json:"next_cursor"`
	}
	r := c.get("/api/v1/customers?limit=1&sort=name", "Authorization", "Bearer "+tok)
	if err := json.Unmarshal([]byte(r.body), &page); err != nil || page.NextCursor == "" {
		t.Fatalf("no cursor: %s (%v)", r.body, err)
	}
	for path, want := range map[string]int{
		"/api/v1/customers?limit=1&sort=name&cursor=" + page.NextCursor:              200,
		"/api/v1/customers?limit=1&sort=-score&cursor=" + page.NextCursor:            400,
		"/api/v1/customers?limit=1&sort=-id&cursor=" + page.NextCursor:               400,
		"/api/v1/customers?limit=1&sort=name&cursor=" + encodeCursor("customers", 2): 400,
	} {
		if r := c.get(path, "Authorization", "Bearer "+tok); r.StatusCode != want {
			t.Errorf("GET %s: %d, want %d: %s", path, r.StatusCode, want, r.body)
		}
	}
}

func newCustomerValues(name string) dossier.NewCustomer {
	return dossier.NewCustomer{Values: map[string]string{"name": name, "industry": "制造业"},
		Source: dossier.Source{Channel: dossier.ChannelInternal, Detail: "CRM", CollectedAt: time.Now()}}
}

// The same for interactions, the first of the new cursor-paged resources.
func TestInteractionPagingUnderInserts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := envOn(t, db)
		tok := e.token(e.user("admin", "admin", ""))
		c := e.customer(map[string]string{"name": "往来频繁公司", "industry": "制造业"})
		add := func() int64 {
			in := &dossier.Interaction{CustomerID: c.ID, Date: "2026-03-01", Channel: "电话",
				Source: dossier.Source{Channel: dossier.ChannelInternal, Detail: "CRM", CollectedAt: time.Now()}}
			if err := db.CreateInteraction(context.Background(), in); err != nil {
				t.Error(err)
			}
			return in.ID
		}
		before := map[int64]bool{}
		for range 40 {
			before[add()] = true
		}
		for _, sort := range []string{"-id", "id"} {
			t.Run(sort, func(t *testing.T) {
				var wg sync.WaitGroup
				step := make(chan struct{})
				inserted := 0
				wg.Go(func() {
					for range step {
						if inserted < 60 {
							add()
							add()
							inserted += 2
						}
					}
				})
				ids := pageAll(t, e.client(), tok, "/api/v1/interactions?limit=6&sort="+sort, func() { step <- struct{}{} })
				close(step)
				wg.Wait()
				checkPaged(t, "interactions", ids, before)
			})
		}
	})
}

// Tasks and duplicate pairs, paged by their cursors while rows are added,
// on both stores: every row there before the first page is seen once, none
// twice. The rows share due dates and scores, so a keyset without its id
// tiebreak would skip or repeat some.
func TestTaskAndPairPagingUnderInserts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := envOn(t, db)
		tok := e.token(e.user("admin", "admin", ""))
		ctx := context.Background()
		var custs []int64
		for i := range 24 {
			custs = append(custs, e.customer(map[string]string{"name": fmt.Sprintf("分页客户%d", i), "industry": "制造业"}).ID)
		}
		n := 0
		addTask := func() int64 {
			n++
			tk, err := db.CreateTask(ctx, dossier.NewTask{CustomerID: custs[n%len(custs)], Owner: "admin",
				Title: fmt.Sprintf("跟进%d", n), Due: fmt.Sprintf("2026-04-%02d", 1+n*7%5)}, "admin")
			if err != nil {
				t.Error(err)
				return 0
			}
			return tk.ID
		}
		var combos [][2]int64 // customer pairs not yet in the queue
		for i := range custs {
			for j := i + 1; j < len(custs); j++ {
				combos = append(combos, [2]int64{custs[i], custs[j]})
			}
		}
		addPair := func() {
			c := combos[0]
			combos = combos[1:]
			k := len(combos)
			if _, err := db.SavePairs(ctx, []dossier.CandidatePair{{A: c[0], B: c[1],
				Probability: []float64{0.9, 0.75, 0.6}[k%3], Weight: []float64{5, 2.5}[k%2]}}); err != nil {
				t.Error(err)
			}
		}
		before := map[int64]bool{}
		for range 40 {
			before[addTask()] = true
		}
		for range 40 {
			addPair()
		}
		ps, _, err := db.FindPairs(ctx, dossier.PairFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		pairsBefore := map[int64]bool{}
		for _, p := range ps {
			pairsBefore[p.ID] = true
		}
		for _, c := range []struct {
			name, first string
			before      map[int64]bool
			add         func()
		}{
			{"tasks", "/api/v1/tasks?limit=6", before, func() { addTask(); addTask() }},
			{"pairs", "/api/v1/dedupe/pairs?limit=6", pairsBefore, func() { addPair(); addPair() }},
		} {
			t.Run(c.name, func(t *testing.T) {
				var wg sync.WaitGroup
				step := make(chan struct{})
				inserted := 0
				wg.Go(func() {
					for range step {
						if inserted < 40 {
							c.add()
							inserted += 2
						}
					}
				})
				ids := pageAll(t, e.client(), tok, c.first, func() { step <- struct{}{} })
				close(step)
				wg.Wait()
				checkPaged(t, c.name, ids, c.before)
				if inserted == 0 {
					t.Error("nothing was inserted while paging")
				}
				// A malformed cursor is a 400 naming the field.
				r := e.client().get(c.first+"&cursor=x", "Authorization", "Bearer "+tok)
				if r.StatusCode != 400 || !strings.Contains(r.body, `"cursor"`) {
					t.Errorf("bad cursor: %d %s", r.StatusCode, r.body)
				}
			})
		}
	})
}
