package sqldb_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqldb/dbtest"
	"github.com/dossier/dossier/webhook"
)

const hookSecret = "0123456789abcdef-test"

// receiver is a real HTTP endpoint that checks every signature and counts
// what it got per delivery id. fail answers 500 to the first fail requests.
type receiver struct {
	t    *testing.T
	mu   sync.Mutex
	got  map[int64]int // delivery id → times received
	evs  []string      // events in arrival order
	reqs int
	fail int
	srv  *httptest.Server
}

func newReceiver(t *testing.T, fail int) *receiver {
	rc := &receiver{t: t, got: map[int64]int{}, fail: fail}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	at, _ := strconv.ParseInt(r.Header.Get(webhook.HeaderTimestamp), 10, 64)
	if !webhook.Verify(hookSecret, at, body, r.Header.Get(webhook.HeaderSignature)) {
		rc.t.Errorf("bad signature %q on %s", r.Header.Get(webhook.HeaderSignature), body)
	}
	var p struct {
		Event string          `json:"event"`
		Data  json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &p); err != nil || p.Event != r.Header.Get(webhook.HeaderEvent) {
		rc.t.Errorf("payload %s does not match event header %q", body, r.Header.Get(webhook.HeaderEvent))
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.reqs++
	if rc.reqs <= rc.fail {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	id, _ := strconv.ParseInt(r.Header.Get(webhook.HeaderDelivery), 10, 64)
	rc.got[id]++
	rc.evs = append(rc.evs, p.Event)
}

func (rc *receiver) snapshot() (map[int64]int, []string, int) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	got := map[int64]int{}
	for k, v := range rc.got {
		got[k] = v
	}
	return got, append([]string(nil), rc.evs...), rc.reqs
}

func subscribe(t *testing.T, db *sqldb.DB, url string, events ...string) *dossier.Webhook {
	t.Helper()
	w, err := db.CreateWebhook(ctx, dossier.NewWebhook{URL: url, Events: events, Secret: hookSecret, By: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// Changes that commit are announced, signed, once each; a change that fails
// its version check announces nothing; an unsubscribed event goes nowhere.
func TestWebhookOutbox(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		rc := newReceiver(t, 0)
		subscribe(t, db, rc.srv.URL, dossier.EventCustomerCreated, dossier.EventCustomerChanged, dossier.EventCustomerMerged)
		other := newReceiver(t, 0)
		subscribe(t, db, other.srv.URL, dossier.EventTaskDue)

		a := mustCreate(t, db, map[string]string{"name": "甲公司", "industry": "制造业"})
		b := mustCreate(t, db, map[string]string{"name": "甲公司分部", "industry": "制造业"})
		if _, err := db.UpdateCustomer(ctx, a.ID, dossier.CustomerUpdate{Values: map[string]string{"stage": "成交"},
			Source: src(dossier.ChannelInternal, "test", "2026-01-06"), Version: a.Version}); err != nil {
			t.Fatal(err)
		}
		_, err := db.UpdateCustomer(ctx, a.ID, dossier.CustomerUpdate{Values: map[string]string{"stage": "流失"},
			Source: src(dossier.ChannelInternal, "test", "2026-01-06"), Version: a.Version})
		if dossier.ErrorCode(err) != dossier.ECONFLICT {
			t.Fatalf("stale update: %v, want conflict", err)
		}
		if _, err := db.MergeCustomers(ctx, dossier.MergeRequest{Survivor: a.ID, Absorbed: b.ID, By: dossier.Actor{Name: "admin"}}); err != nil {
			t.Fatal(err)
		}
		s := &webhook.Sender{Store: db, Holder: "t"}
		n, err := s.RunOnce(ctx)
		if err != nil || n != 4 {
			t.Fatalf("RunOnce = %d, %v; want 4 delivered", n, err)
		}
		got, evs, _ := rc.snapshot()
		want := []string{dossier.EventCustomerCreated, dossier.EventCustomerCreated, dossier.EventCustomerChanged, dossier.EventCustomerMerged}
		if fmt.Sprint(evs) != fmt.Sprint(want) || len(got) != 4 {
			t.Errorf("received %v (%d deliveries), want %v", evs, len(got), want)
		}
		if _, oevs, _ := other.snapshot(); len(oevs) != 0 {
			t.Errorf("task.due subscriber got %v", oevs)
		}
		if n, _ := s.RunOnce(ctx); n != 0 {
			t.Errorf("second run delivered %d again", n)
		}
	})
}

// clock is a settable time shared by a store and a sender.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }
func clockedStore(t *testing.T, s dbtest.Store, c *clock) *sqldb.DB {
	opt := dbtest.Options()
	opt.Now = c.now
	return s.Open(t, opt)
}

// A failing receiver is retried after 1s, then 2s (doubling), never
// earlier, and the event is delivered once it answers; a delivery whose
// attempts run out is given up.
func TestWebhookRetryBackoff(t *testing.T) {
	for _, st := range dbtest.Stores(t) {
		t.Run(st.Name, func(t *testing.T) {
			c := &clock{t: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
			db := clockedStore(t, st, c)
			rc := newReceiver(t, 2)
			hook := subscribe(t, db, rc.srv.URL, dossier.EventCustomerCreated)
			mustCreate(t, db, map[string]string{"name": "乙公司", "industry": "制造业"})
			s := &webhook.Sender{Store: db, Holder: "t", Now: c.now, Backoff: time.Second}
			steps := []struct {
				advance time.Duration
				reqs    int // requests the receiver has seen after this step
				sent    int
			}{
				{0, 1, 0},                      // attempt 1 fails: retry in 1s
				{999 * time.Millisecond, 1, 0}, // not yet due
				{time.Millisecond, 2, 0},       // attempt 2 fails: retry in 2s
				{time.Second, 2, 0},            // not yet due
				{time.Second, 3, 1},            // attempt 3 delivered
				{time.Hour, 3, 0},              // and never again
			}
			for i, st := range steps {
				c.add(st.advance)
				n, err := s.RunOnce(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if _, _, reqs := rc.snapshot(); reqs != st.reqs || n != st.sent {
					t.Fatalf("step %d: receiver saw %d requests, sent %d; want %d, %d", i, reqs, n, st.reqs, st.sent)
				}
			}
			ds, err := db.Deliveries(ctx, hook.ID, 0, 10)
			if err != nil || len(ds) != 1 || ds[0].Attempts != 3 || ds[0].DeliveredAt == nil || ds[0].Dead {
				t.Fatalf("deliveries = %+v, %v; want one delivered after 3 attempts", ds, err)
			}

			down := newReceiver(t, 1000)
			dead := subscribe(t, db, down.srv.URL, dossier.EventCustomerCreated)
			mustCreate(t, db, map[string]string{"name": "丙公司", "industry": "制造业"})
			s.MaxAttempts = 3
			for range 5 {
				c.add(time.Minute)
				if _, err := s.RunOnce(ctx); err != nil {
					t.Fatal(err)
				}
			}
			ds, _ = db.Deliveries(ctx, dead.ID, 0, 10)
			if _, _, reqs := down.snapshot(); reqs != 3 || len(ds) != 1 || !ds[0].Dead || ds[0].LastError == "" {
				t.Errorf("dead receiver got %d requests, deliveries %+v; want 3 and given up", reqs, ds)
			}
		})
	}
}

// A sender that claims a delivery and dies leaves it to another once its
// lease runs out: the event is not lost.
func TestWebhookCrashedSender(t *testing.T) {
	for _, st := range dbtest.Stores(t) {
		t.Run(st.Name, func(t *testing.T) {
			c := &clock{t: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
			db := clockedStore(t, st, c)
			rc := newReceiver(t, 0)
			subscribe(t, db, rc.srv.URL, dossier.EventCustomerCreated)
			mustCreate(t, db, map[string]string{"name": "丁公司", "industry": "制造业"})
			if ds, err := db.ClaimDeliveries(ctx, "crashed", time.Minute, 10); err != nil || len(ds) != 1 {
				t.Fatalf("claim = %d, %v", len(ds), err)
			}
			s := &webhook.Sender{Store: db, Holder: "survivor", Now: c.now}
			if n, _ := s.RunOnce(ctx); n != 0 {
				t.Fatalf("a leased delivery was sent by another sender")
			}
			c.add(time.Minute + time.Second)
			if n, err := s.RunOnce(ctx); n != 1 || err != nil {
				t.Fatalf("after the lease: sent %d, %v; want 1", n, err)
			}
		})
	}
}

// Three senders on separate pools of one database, as three `dossier serve`
// processes would be, drain one outbox together: every event arrives once.
func TestWebhookNoDoubleDelivery(t *testing.T) {
	for name, dbs := range sharedStores(t, 3) {
		t.Run(name, func(t *testing.T) {
			rc := newReceiver(t, 0)
			subscribe(t, dbs[0], rc.srv.URL, dossier.EventCustomerCreated)
			const events = 40
			for i := range events {
				mustCreate(t, dbs[0], map[string]string{"name": fmt.Sprintf("并发公司%d", i), "industry": "制造业"})
			}
			var wg sync.WaitGroup
			deadline := time.Now().Add(60 * time.Second)
			for i, db := range dbs {
				s := &webhook.Sender{Store: db, Holder: fmt.Sprintf("server-%d", i), Batch: 3}
				wg.Go(func() {
					for time.Now().Before(deadline) {
						if got, _, _ := rc.snapshot(); len(got) >= events {
							return
						}
						if _, err := s.RunOnce(ctx); err != nil {
							t.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			got, _, reqs := rc.snapshot()
			if len(got) != events || reqs != events {
				t.Fatalf("received %d deliveries in %d requests, want %d once each", len(got), reqs, events)
			}
			for id, n := range got {
				if n != 1 {
					t.Errorf("delivery %d received %d times", id, n)
				}
			}
		})
	}
}

// An open task due today is announced once, however often the scan runs
// and from however many servers; a task due tomorrow waits.
func TestWebhookTaskDue(t *testing.T) {
	for name, dbs := range sharedStores(t, 2) {
		t.Run(name, func(t *testing.T) {
			rc := newReceiver(t, 0)
			subscribe(t, dbs[0], rc.srv.URL, dossier.EventTaskDue)
			c := mustCreate(t, dbs[0], map[string]string{"name": "戊公司", "industry": "制造业"})
			for _, due := range []string{"2026-11-23", "2026-11-24", "2026-11-25"} {
				if err := dbs[0].ExecForTest(ctx, fmt.Sprintf(`INSERT INTO tasks (customer_id, owner, title, due, created_at)
					VALUES (%d, 'li', '跟进 %s', '%s', '2026-11-01T00:00:00.000000Z')`, c.ID, due, due)); err != nil {
					t.Fatal(err)
				}
			}
			day := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
			var wg sync.WaitGroup
			var mu sync.Mutex
			total := 0
			for _, db := range dbs {
				wg.Go(func() {
					for range 3 {
						n, err := db.EnqueueDueTasks(ctx, day)
						if err != nil {
							t.Error(err)
						}
						mu.Lock()
						total += n
						mu.Unlock()
					}
				})
			}
			wg.Wait()
			if total != 2 {
				t.Errorf("announced %d tasks, want 2 (due yesterday and today)", total)
			}
			if n, err := (&webhook.Sender{Store: dbs[1], Holder: "t"}).RunOnce(ctx); n != 2 || err != nil {
				t.Errorf("delivered %d, %v; want 2", n, err)
			}
		})
	}
}
