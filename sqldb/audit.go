package sqldb

import (
	"context"
	"fmt"
	"strings"

	"github.com/dossier/dossier"
)

const maxAuditLimit = 500

// RecordAudit implements dossier.AuditService. The entry's time is the
// transaction's "now", so the store's clock, not the caller's, dates it.
func (db *DB) RecordAudit(ctx context.Context, e *dossier.AuditEntry) error {
	if e.Action == "" {
		return dossier.FieldError("action", "an audit entry needs an action")
	}
	return db.inTx(ctx, func(tx *Tx) error { return tx.audit(ctx, e) })
}

// audit appends an entry inside a transaction that also does what it
// records, so the change and its trace commit or fail together.
func (tx *Tx) audit(ctx context.Context, e *dossier.AuditEntry) error {
	e.At = tx.now
	id, err := tx.insert(ctx, `INSERT INTO audit_log (at, user_name, action, entity, entity_id, detail, remote_addr)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, ts(tx.now), e.User, e.Action, e.Entity, nullInt(e.EntityID), e.Detail, e.RemoteAddr)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	e.ID = id
	return nil
}

// FindAudit implements dossier.AuditService: newest first; Limit 1–500,
// default 50.
func (db *DB) FindAudit(ctx context.Context, f dossier.AuditFilter) ([]dossier.AuditEntry, int, error) {
	var (
		where []string
		args  []any
	)
	if f.User != "" {
		where, args = append(where, "user_name = ?"), append(args, f.User)
	}
	if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := db.r.QueryRowContext(ctx, db.q("SELECT COUNT(*) FROM audit_log"+cond), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > maxAuditLimit {
		limit = 50
	}
	offset := max(f.Offset, 0)
	if f.Before > 0 { // keyset: the total above still counts every match
		where, args, offset = append(where, "id < ?"), append(args, f.Before), 0
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	q := "SELECT id, at, user_name, action, entity, COALESCE(entity_id, 0), detail, remote_addr FROM audit_log" +
		cond + " ORDER BY id DESC LIMIT " + itoa(int64(limit)) + " OFFSET " + itoa(int64(offset))
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find audit: %w", err)
	}
	defer rows.Close()
	out := []dossier.AuditEntry{}
	for rows.Next() {
		var (
			e  dossier.AuditEntry
			at string
		)
		if err := rows.Scan(&e.ID, &at, &e.User, &e.Action, &e.Entity, &e.EntityID, &e.Detail, &e.RemoteAddr); err != nil {
			return nil, 0, err
		}
		e.At = parseTS(at)
		out = append(out, e)
	}
	return out, total, rows.Err()
}
