package sqldb

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// The result cache keeps the answers of the queries that read a whole scope
// of customers (a list's total, a pivot's groups) in memory, keyed by their
// SQL and arguments (which carry the user's scope, filter and query), and
// valid for one version of the customer data: every write to customers
// bumps data_version.customers in the same transaction (migration 017), and
// a cached answer is used only while the version read at the start of the
// request is the one it was computed under. Reading the version first and
// the data after means an answer is never older than its version, so a
// write made through this store, another store on the same database or a
// second `dossier serve` is seen by the next request. The TTL is a safety
// net for writes made behind the store's back (psql, sqlite3), which do
// not bump the version on PostgreSQL.
//
// Hand-written rather than a caching library: what matters here is the
// version check against the database and the one computation per key while
// 32 requests wait for it, a few dozen lines; an LRU library would bring
// its eviction policy and neither of those.
const (
	cacheTTL     = 30 * time.Second
	cacheEntries = 2048
)

type cacheEntry struct {
	version int64
	at      time.Time
	done    chan struct{} // closed when val and err are set
	val     any
	err     error

	refreshing bool // an expired answer is being recomputed (c.mu)
}

type resultCache struct {
	mu      sync.Mutex
	entries map[string]*cacheEntry
	now     func() time.Time
}

func newResultCache(now func() time.Time) *resultCache {
	return &resultCache{entries: map[string]*cacheEntry{}, now: now}
}

// dataVersion reads the customer data version: one row by primary key.
func (db *DB) dataVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := db.r.QueryRowContext(ctx, "SELECT customers FROM data_version WHERE id = 1").Scan(&v); err != nil {
		return 0, fmt.Errorf("data version: %w", err)
	}
	return v, nil
}

// cached returns the answer of compute for key under the current data
// version, computing it at most once per version and key however many
// requests ask at the same time. Errors are not kept. An answer older than
// the TTL but of the current version is still returned, while one request
// recomputes it in the background: only writes behind the store's back can
// have made it stale, and 32 clients should not queue behind a pivot for
// that.
func cached[T any](ctx context.Context, db *DB, key string, compute func(ctx context.Context) (T, error)) (T, error) {
	var zero T
	version, err := db.dataVersion(ctx)
	if err != nil {
		return zero, err
	}
	c := db.cache
	c.mu.Lock()
	e, ok := c.entries[key]
	if ok && e.version == version {
		fresh := c.now().Sub(e.at) < cacheTTL
		if !fresh && finished(e) && e.err == nil && !e.refreshing {
			e.refreshing = true
			go refresh(context.WithoutCancel(ctx), c, key, version, compute)
		}
		c.mu.Unlock()
		if fresh || finished(e) {
			select {
			case <-e.done:
			case <-ctx.Done():
				return zero, ctx.Err()
			}
			if e.err == nil {
				return e.val.(T), nil
			}
			return compute(ctx) // the first asker failed (perhaps cancelled): try for ourselves
		}
		c.mu.Lock()
	}
	e = &cacheEntry{version: version, at: c.now(), done: make(chan struct{})}
	c.put(key, e)
	c.mu.Unlock()

	v, err := compute(ctx)
	e.val, e.err = v, err
	close(e.done)
	if err != nil {
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key)
		}
		c.mu.Unlock()
	}
	return v, err
}

// refresh recomputes an expired answer and puts it in place of the old one.
func refresh[T any](ctx context.Context, c *resultCache, key string, version int64, compute func(ctx context.Context) (T, error)) {
	at := c.now()
	v, err := compute(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	old := c.entries[key]
	if old != nil {
		old.refreshing = false
	}
	if err != nil || old == nil || old.version != version {
		return // a newer version was asked for meanwhile: it has its own entry
	}
	e := &cacheEntry{version: version, at: at, done: make(chan struct{}), val: v}
	close(e.done)
	c.put(key, e)
}

// put stores e under key, making room first; c.mu is held.
func (c *resultCache) put(key string, e *cacheEntry) {
	if _, ok := c.entries[key]; !ok && len(c.entries) >= cacheEntries {
		c.evict()
	}
	c.entries[key] = e
}

// evict drops the expired and finished entries, or all finished ones when
// none has expired; c.mu is held.
func (c *resultCache) evict() {
	now := c.now()
	n := len(c.entries)
	for k, e := range c.entries {
		if finished(e) && now.Sub(e.at) >= cacheTTL {
			delete(c.entries, k)
		}
	}
	if len(c.entries) < n {
		return
	}
	for k, e := range c.entries {
		if finished(e) {
			delete(c.entries, k)
		}
	}
}

func finished(e *cacheEntry) bool {
	select {
	case <-e.done:
		return true
	default:
		return false
	}
}

// cacheKey joins a query and its arguments into a key.
func cacheKey(kind, query string, args []any) string {
	var b strings.Builder
	b.WriteString(kind)
	b.WriteByte(0)
	b.WriteString(query)
	for _, a := range args {
		fmt.Fprintf(&b, "\x00%T:%v", a, a)
	}
	return b.String()
}

// bumpVersion ends a PostgreSQL write transaction that changed customers:
// their statement trigger marked it (migration 017), and the counter is
// bumped now, the last statement before COMMIT, so its row lock is held for
// the commit alone. SQLite's row triggers bump it themselves.
func (tx *Tx) bumpVersion(ctx context.Context) error {
	if tx.db.dialect.Name() != "postgres" {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE data_version SET customers = customers + 1
		WHERE id = 1 AND current_setting('dossier.customers_written', true) = '1'`)
	if err != nil {
		return fmt.Errorf("data version: %w", err)
	}
	return nil
}

// bumpVersionAfterLoad counts a bulk load, which the dialect commits on its
// own, as a change of the customer data.
func (db *DB) bumpVersionAfterLoad(ctx context.Context) error {
	if db.dialect.Name() != "postgres" {
		return nil
	}
	if _, err := db.w.ExecContext(ctx, "UPDATE data_version SET customers = customers + 1 WHERE id = 1"); err != nil {
		return fmt.Errorf("data version: %w", err)
	}
	return nil
}

// peek returns the answer kept for key at the current data version, without
// computing it: ok is false when there is none yet.
func peek[T any](ctx context.Context, db *DB, key string) (val T, ok bool, err error) {
	version, err := db.dataVersion(ctx)
	if err != nil {
		return val, false, err
	}
	c := db.cache
	c.mu.Lock()
	e, found := c.entries[key]
	c.mu.Unlock()
	if !found || e.version != version || !finished(e) || e.err != nil {
		return val, false, nil
	}
	return e.val.(T), true, nil
}

// remember keeps val as the answer for key under version, unless an answer
// (or its computation) of that version or a later one is there already.
func remember(db *DB, key string, version int64, val any) {
	c := db.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok && e.version >= version {
		return
	}
	e := &cacheEntry{version: version, at: c.now(), done: make(chan struct{}), val: val}
	close(e.done)
	c.put(key, e)
}
