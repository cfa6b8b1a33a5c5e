package http

import (
	"sync"
	"time"
)

// limiter counts failures per key in a fixed window: after max failures a
// key is refused until its window ends. It is in memory and per process, so
// with several processes an attacker gets max tries per process; the store's
// password hashing keeps each try slow all the same.
type limiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	now    func() time.Time
	hits   map[string]*window
}

type window struct {
	start time.Time
	n     int
}

// pruneAt bounds memory: past this many keys, expired windows are dropped.
const pruneAt = 10000

func newLimiter(max int, w time.Duration, now func() time.Time) *limiter {
	return &limiter{max: max, window: w, now: now, hits: map[string]*window{}}
}

// allow reports whether key may try again, and if not, how long to wait.
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.hits[key]
	if !ok {
		return true, 0
	}
	now := l.now()
	if end := w.start.Add(l.window); !now.Before(end) {
		delete(l.hits, key)
		return true, 0
	} else if w.n >= l.max {
		return false, end.Sub(now)
	}
	return true, 0
}

// fail records a failed try of key.
func (l *limiter) fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	w, ok := l.hits[key]
	if !ok || !now.Before(w.start.Add(l.window)) {
		if len(l.hits) >= pruneAt {
			l.prune(now)
		}
		w = &window{start: now}
		l.hits[key] = w
	}
	w.n++
}

// reset forgets key's failures, after a success.
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.hits, key)
}

func (l *limiter) prune(now time.Time) {
	for k, w := range l.hits {
		if !now.Before(w.start.Add(l.window)) {
			delete(l.hits, k)
		}
	}
}
