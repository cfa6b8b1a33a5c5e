package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/dossier/dossier"
)

// announce records event in the outbox for every webhook subscribed to it,
// inside tx: the event commits or rolls back with the change it reports.
// One INSERT … SELECT, so a store without webhooks pays one indexed read.
func (tx *Tx) announce(ctx context.Context, event string, data any) error {
	body, err := json.Marshal(struct {
		Event string    `json:"event"`
		At    time.Time `json:"at"`
		Data  any       `json:"data"`
	}{event, tx.now, data})
	if err != nil {
		return err
	}
	now := ts(tx.now)
	_, err = tx.exec(ctx, `INSERT INTO webhook_deliveries (webhook_id, event, payload, created_at, next_at)
		SELECT id, ?, ?, ?, ? FROM webhooks WHERE events LIKE ?`, event, string(body), now, now, "%,"+event+",%")
	if err != nil {
		return fmt.Errorf("record %s event: %w", event, err)
	}
	return nil
}

// customerEvent is the data of the customer.* events: enough to fetch the
// customer through the API, and no personal data, which a chat tool need
// not hold.
type customerEvent struct {
	CustomerID int64  `json:"customer_id"`
	Name       string `json:"name,omitempty"`
	SurvivorID int64  `json:"survivor_id,omitempty"`
	MergeID    int64  `json:"merge_id,omitempty"`
	// Settled names the field of a conflict settled; Tag a hand-set tag
	// added or (TagRemoved) removed; Deleted a customer deleted.
	Settled    string `json:"settled,omitempty"`
	Tag        string `json:"tag,omitempty"`
	TagRemoved bool   `json:"tag_removed,omitempty"`
	Deleted    bool   `json:"deleted,omitempty"`
}

// importEvent is the data of import.finished: the run and its counts.
type importEvent struct {
	ImportID  int64  `json:"import_id"`
	File      string `json:"file"`
	Kind      string `json:"kind"`
	Status    string `json:"status"`
	Imported  int    `json:"imported"`
	Updated   int    `json:"updated"`
	Rejected  int    `json:"rejected"`
	Unchanged int    `json:"unchanged"`
}

// CreateWebhook implements dossier.WebhookStore.
func (db *DB) CreateWebhook(ctx context.Context, n dossier.NewWebhook) (*dossier.Webhook, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	w := &dossier.Webhook{URL: n.URL, Events: n.Events, Secret: n.Secret, CreatedBy: n.By}
	err := db.inTx(ctx, func(tx *Tx) error {
		w.CreatedAt = tx.now
		var err error
		w.ID, err = tx.insert(ctx, `INSERT INTO webhooks (url, secret, events, created_at, created_by) VALUES (?, ?, ?, ?, ?)`,
			n.URL, n.Secret, ","+strings.Join(n.Events, ",")+",", ts(tx.now), n.By)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create webhook: %w", err)
	}
	return w, nil
}

// Webhooks implements dossier.WebhookStore; secrets are left out.
func (db *DB) Webhooks(ctx context.Context) ([]dossier.Webhook, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, url, events, created_at, created_by FROM webhooks ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list webhooks: %w", err)
	}
	defer rows.Close()
	out := []dossier.Webhook{}
	for rows.Next() {
		var (
			w          dossier.Webhook
			events, at string
		)
		if err := rows.Scan(&w.ID, &w.URL, &events, &at, &w.CreatedBy); err != nil {
			return nil, fmt.Errorf("list webhooks: %w", err)
		}
		w.Events, w.CreatedAt = strings.Split(strings.Trim(events, ","), ","), parseTS(at)
		out = append(out, w)
	}
	return out, rows.Err()
}

// DeleteWebhook implements dossier.WebhookStore.
func (db *DB) DeleteWebhook(ctx context.Context, id int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		// Explicit rather than ON DELETE CASCADE: SQLite enforces it only
		// with foreign keys on, and the outbox must not keep orphans.
		if _, err := tx.exec(ctx, `DELETE FROM webhook_deliveries WHERE webhook_id = ?`, id); err != nil {
			return fmt.Errorf("delete webhook %d: %w", id, err)
		}
		res, err := tx.exec(ctx, `DELETE FROM webhooks WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("delete webhook %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return dossier.Errorf(dossier.ENOTFOUND, "webhook %d not found", id)
		}
		return nil
	})
}

// ClaimDeliveries implements dossier.WebhookStore. On PostgreSQL the due
// rows are locked with FOR UPDATE SKIP LOCKED, so a server that finds them
// locked by another takes the next ones instead of waiting; on SQLite the
// write transaction holds the database's one write lock, which serialises
// claims the same way.
func (db *DB) ClaimDeliveries(ctx context.Context, holder string, ttl time.Duration, limit int) ([]dossier.Delivery, error) {
	var out []dossier.Delivery
	err := db.inTx(ctx, func(tx *Tx) error {
		out = out[:0]
		lock := ""
		if db.dialect.Name() == "postgres" {
			lock = " FOR UPDATE OF d SKIP LOCKED"
		}
		now := ts(tx.now)
		rows, err := tx.QueryContext(ctx, db.q(`SELECT d.id, d.webhook_id, w.url, w.secret, d.event, d.payload, d.attempts, d.next_at
			FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
			WHERE d.delivered_at IS NULL AND d.dead = 0 AND d.next_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?)
			ORDER BY d.next_at, d.id LIMIT ?`+lock), now, now, limit)
		if err != nil {
			return err
		}
		out, err = scanDeliveries(rows, true)
		if err != nil {
			return err
		}
		until := ts(tx.now.Add(ttl))
		for _, d := range out {
			if _, err := tx.exec(ctx, `UPDATE webhook_deliveries SET lease_until = ?, lease_holder = ? WHERE id = ?`, until, holder, d.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	return out, nil
}

func scanDeliveries(rows *sql.Rows, claim bool) ([]dossier.Delivery, error) {
	defer rows.Close()
	out := []dossier.Delivery{}
	for rows.Next() {
		var (
			d             dossier.Delivery
			payload, next string
			done          *string
			dead          int
		)
		var err error
		if claim {
			err = rows.Scan(&d.ID, &d.WebhookID, &d.URL, &d.Secret, &d.Event, &payload, &d.Attempts, &next)
		} else {
			err = rows.Scan(&d.ID, &d.WebhookID, &d.Event, &payload, &d.Attempts, &next, &done, &dead, &d.LastError)
		}
		if err != nil {
			return nil, err
		}
		d.Payload, d.NextAt, d.Dead = json.RawMessage(payload), parseTS(next), dead != 0
		if done != nil {
			t := parseTS(*done)
			d.DeliveredAt = &t
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DeliveryDone implements dossier.WebhookStore. A holder whose lease ran out
// and was taken over still records the send: the receiver got it.
func (db *DB) DeliveryDone(ctx context.Context, id int64, holder string) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE webhook_deliveries SET delivered_at = ?, attempts = attempts + 1, lease_until = NULL,
			lease_holder = ?, last_error = '' WHERE id = ? AND delivered_at IS NULL`, ts(tx.now), holder, id)
		if err != nil {
			return fmt.Errorf("delivery %d done: %w", id, err)
		}
		return nil
	})
}

// DeliveryFailed implements dossier.WebhookStore.
func (db *DB) DeliveryFailed(ctx context.Context, id int64, holder, reason string, retry time.Time) error {
	return db.inTx(ctx, func(tx *Tx) error {
		dead, next := 0, ts(tx.now)
		if retry.IsZero() {
			dead = 1
		} else {
			next = ts(retry)
		}
		_, err := tx.exec(ctx, `UPDATE webhook_deliveries SET attempts = attempts + 1, next_at = ?, dead = ?, last_error = ?,
			lease_until = NULL WHERE id = ? AND lease_holder = ? AND delivered_at IS NULL`, next, dead, truncate(reason, 500), id, holder)
		if err != nil {
			return fmt.Errorf("delivery %d failed: %w", id, err)
		}
		return nil
	})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// Deliveries implements dossier.WebhookStore.
func (db *DB) Deliveries(ctx context.Context, webhookID, before int64, limit int) ([]dossier.Delivery, error) {
	if limit <= 0 || limit > MaxLimit {
		limit = 50
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT id, webhook_id, event, payload, attempts, next_at, delivered_at, dead, last_error
		FROM webhook_deliveries WHERE webhook_id = ? AND id < ? ORDER BY id DESC LIMIT ?`), webhookID, before, limit)
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	return scanDeliveries(rows, false)
}

// dueTask is the data of a task.due event.
type dueTask struct {
	TaskID     int64  `json:"task_id"`
	CustomerID int64  `json:"customer_id"`
	Title      string `json:"title"`
	Due        string `json:"due"`
	Owner      string `json:"owner"`
}

// EnqueueDueTasks implements dossier.WebhookStore. Each task is marked
// announced by an UPDATE that only matches it while unmarked, so two servers
// running this at once announce it once: on PostgreSQL the second UPDATE
// waits for the first to commit and then matches nothing.
func (db *DB) EnqueueDueTasks(ctx context.Context, day time.Time) (int, error) {
	n := 0
	err := db.inTx(ctx, func(tx *Tx) error {
		n = 0
		rows, err := tx.QueryContext(ctx, db.q(`SELECT t.id, t.customer_id, t.title, t.due, t.owner FROM tasks t
			JOIN customers c ON c.id = t.customer_id
			WHERE t.status = ? AND t.due <= ? AND t.due_announced_at IS NULL AND c.hidden = 0 AND c.merged_into IS NULL
			ORDER BY t.id LIMIT 1000`), dossier.TaskOpen, day.Format(time.DateOnly))
		if err != nil {
			return err
		}
		var due []dueTask
		for rows.Next() {
			var d dueTask
			if err := rows.Scan(&d.TaskID, &d.CustomerID, &d.Title, &d.Due, &d.Owner); err != nil {
				rows.Close()
				return err
			}
			due = append(due, d)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for _, d := range due {
			res, err := tx.exec(ctx, `UPDATE tasks SET due_announced_at = ? WHERE id = ? AND due_announced_at IS NULL`, ts(tx.now), d.TaskID)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue
			}
			if err := tx.announce(ctx, dossier.EventTaskDue, d); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("announce due tasks: %w", err)
	}
	return n, nil
}
