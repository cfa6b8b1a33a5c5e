// Package webhook sends the outbox of webhook deliveries: each event is
// POSTed as JSON, signed with the subscription's secret, and retried with
// exponential backoff until the receiver answers 2xx or the attempts run
// out. Servers sharing a database each run a Sender; the store's claims make
// sure one delivery is in one sender's hands at a time.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/dossier/dossier"
)

// Headers of a delivery. The signature covers the timestamp and the body
// ("TIMESTAMP.BODY"), so a receiver that checks the timestamp is recent
// also refuses a replayed request.
const (
	HeaderSignature = "X-Dossier-Signature" // "sha256=" + hex HMAC-SHA256
	HeaderTimestamp = "X-Dossier-Timestamp" // Unix seconds
	HeaderEvent     = "X-Dossier-Event"
	HeaderDelivery  = "X-Dossier-Delivery" // the outbox id: the same on every retry, for receivers to drop repeats
)

// Sign returns the X-Dossier-Signature value of body sent at timestamp.
func Sign(secret string, timestamp int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(timestamp, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether signature is body's at timestamp, in constant time.
func Verify(secret string, timestamp int64, body []byte, signature string) bool {
	return hmac.Equal([]byte(Sign(secret, timestamp, body)), []byte(signature))
}

// NewSecret returns a random secret of 32 hex digits.
func NewSecret() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Sender delivers due outbox rows. The zero values of its tuning fields
// are sensible defaults.
type Sender struct {
	Store  dossier.WebhookStore
	Client *http.Client
	Holder string // this process in claims, e.g. host:pid
	Log    *slog.Logger
	Now    func() time.Time

	Backoff     time.Duration // wait after the first failure; doubled each time (default 30s)
	MaxBackoff  time.Duration // cap on the wait (default 6h)
	MaxAttempts int           // attempts before giving up (default 12, about two days)
	Lease       time.Duration // how long a claim lasts (default: Batch sends at the client timeout, plus 1m)
	Batch       int           // deliveries claimed at once (default 20)
}

func (s *Sender) defaults() {
	if s.Client == nil {
		s.Client = &http.Client{Timeout: 15 * time.Second}
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Log == nil {
		s.Log = slog.New(slog.DiscardHandler)
	}
	if s.Backoff <= 0 {
		s.Backoff = 30 * time.Second
	}
	if s.MaxBackoff <= 0 {
		s.MaxBackoff = 6 * time.Hour
	}
	if s.MaxAttempts <= 0 {
		s.MaxAttempts = 12
	}
	if s.Batch <= 0 {
		s.Batch = 20
	}
	if s.Lease <= 0 {
		s.Lease = time.Duration(s.Batch)*s.timeout() + time.Minute
	}
}

// timeout bounds one send: the client's timeout, or 15s when it has none.
func (s *Sender) timeout() time.Duration {
	if s.Client.Timeout > 0 {
		return s.Client.Timeout
	}
	return 15 * time.Second
}

// Delay is the wait before the next attempt after the n-th failure (n ≥ 1):
// Backoff, doubled per further failure, capped at MaxBackoff.
func (s *Sender) Delay(n int) time.Duration {
	s.defaults()
	d := s.Backoff
	for i := 1; i < n && d < s.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, s.MaxBackoff)
}

// RunOnce claims the due deliveries and sends them, returning how many were
// delivered. A failed send is recorded for a later retry, not returned.
func (s *Sender) RunOnce(ctx context.Context) (int, error) {
	s.defaults()
	ds, err := s.Store.ClaimDeliveries(ctx, s.Holder, s.Lease, s.Batch)
	if err != nil {
		return 0, err
	}
	sent, claimed := 0, s.Now()
	for _, d := range ds {
		// A claim that could run out during the next send is left to
		// expire: another server may take the row then, and must not find
		// this one still sending it.
		if s.Now().Sub(claimed) > s.Lease-s.timeout() {
			break
		}
		if err := s.send(ctx, d); err != nil {
			retry := time.Time{}
			if d.Attempts+1 < s.MaxAttempts {
				retry = s.Now().Add(s.Delay(d.Attempts + 1))
			}
			s.Log.Warn("webhook delivery failed", "delivery", d.ID, "webhook", d.WebhookID, "event", d.Event,
				"attempt", d.Attempts+1, "retry", !retry.IsZero(), "err", err)
			if err := s.Store.DeliveryFailed(context.WithoutCancel(ctx), d.ID, s.Holder, err.Error(), retry); err != nil {
				return sent, err
			}
			continue
		}
		if err := s.Store.DeliveryDone(context.WithoutCancel(ctx), d.ID, s.Holder); err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

// send POSTs one delivery; any answer but 2xx is a failure.
func (s *Sender) send(ctx context.Context, d dossier.Delivery) error {
	at := s.Now().Unix()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Dossier-Webhook/1")
	req.Header.Set(HeaderEvent, d.Event)
	req.Header.Set(HeaderDelivery, strconv.FormatInt(d.ID, 10))
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(at, 10))
	req.Header.Set(HeaderSignature, Sign(d.Secret, at, d.Payload))
	resp, err := s.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("receiver answered %s", resp.Status)
	}
	return nil
}

// Run sends due deliveries every interval, and announces due tasks each
// time the day changes, until ctx ends.
func (s *Sender) Run(ctx context.Context, every time.Duration) {
	s.defaults()
	t := time.NewTicker(every)
	defer t.Stop()
	var lastDay string
	for {
		if day := s.Now().UTC().Format(time.DateOnly); day != lastDay {
			if _, err := s.Store.EnqueueDueTasks(ctx, s.Now().UTC()); err != nil && ctx.Err() == nil {
				s.Log.Warn("announcing due tasks failed", "err", err)
			} else {
				lastDay = day
			}
		}
		for {
			n, err := s.RunOnce(ctx)
			if err != nil && ctx.Err() == nil {
				s.Log.Warn("webhook sender failed", "err", err)
			}
			if n < s.Batch || err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
