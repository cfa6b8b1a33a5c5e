package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/dossier/dossier"
)

// Merging customers (R6). Observations are append-only and never move: the
// absorbed customer points at its survivor (customers.merged_into) and the
// survivor's profile is resolved from the observations of its whole group
// (groupCTE). Contacts, interactions, needs and projects do move, and every
// row moved or changed is listed in merges.moves so that undo puts it back.

// MergeCustomers implements dossier.DedupeService.
func (db *DB) MergeCustomers(ctx context.Context, req dossier.MergeRequest) (*dossier.Merge, error) {
	var id int64
	err := db.inTx(ctx, func(tx *Tx) error {
		var err error
		id, err = tx.merge(ctx, req)
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.FindMerge(ctx, id)
}

// MergeCluster implements dossier.DedupeService.
func (db *DB) MergeCluster(ctx context.Context, survivor int64, absorbed []int64, reason string, by dossier.Actor) ([]dossier.Merge, error) {
	var ids []int64
	err := db.inTx(ctx, func(tx *Tx) error {
		ids = ids[:0]
		for _, a := range absorbed {
			id, err := tx.mergeOne(ctx, dossier.MergeRequest{Survivor: survivor, Absorbed: a, Reason: reason, By: by}, false)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return tx.resolve(ctx, survivor)
	})
	if err != nil {
		return nil, err
	}
	out := make([]dossier.Merge, 0, len(ids))
	for _, id := range ids {
		m, err := db.FindMerge(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, nil
}

// activeCustomer returns a customer's name and version, refusing one that
// was merged into another.
func (tx *Tx) activeCustomer(ctx context.Context, id int64) (string, int64, error) {
	var (
		name    string
		version int64
		into    sql.NullInt64
		hidden  int
	)
	err := tx.queryRow(ctx, "SELECT name, version, merged_into, hidden FROM customers WHERE id = ?", id).Scan(&name, &version, &into, &hidden)
	if errors.Is(err, sql.ErrNoRows) || hidden != 0 {
		return "", 0, dossier.Errorf(dossier.ENOTFOUND, "customer %d not found", id)
	}
	if err != nil {
		return "", 0, fmt.Errorf("customer %d: %w", id, err)
	}
	if into.Valid {
		return "", 0, dossier.Errorf(dossier.ECONFLICT, "customer %d was merged into customer %d", id, into.Int64)
	}
	return name, version, nil
}

// survivorOf follows merges from a customer to the active customer that
// holds it now (itself when never merged); 0 when there is no such customer.
func (tx *Tx) survivorOf(ctx context.Context, id int64) (int64, error) {
	for range 1000 { // a merge chain is short; the bound only guards a cycle
		var into sql.NullInt64
		err := tx.queryRow(ctx, "SELECT merged_into FROM customers WHERE id = ?", id).Scan(&into)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil
		}
		if err != nil || !into.Valid {
			return id, err
		}
		id = into.Int64
	}
	return 0, fmt.Errorf("customer %d: merge chain too long", id)
}

func (tx *Tx) merge(ctx context.Context, req dossier.MergeRequest) (int64, error) {
	return tx.mergeOne(ctx, req, true)
}

// mergeOne records one merge; resolve=false leaves the survivor's profile
// to the caller, who merges more into it first.
func (tx *Tx) mergeOne(ctx context.Context, req dossier.MergeRequest, resolve bool) (int64, error) {
	if req.Survivor == req.Absorbed {
		return 0, dossier.Errorf(dossier.EINVALID, "cannot merge customer %d into itself", req.Survivor)
	}
	sName, version, err := tx.activeCustomer(ctx, req.Survivor)
	if err != nil {
		return 0, err
	}
	if req.SurvivorVersion != 0 && req.SurvivorVersion != version {
		return 0, dossier.Errorf(dossier.ECONFLICT, "customer %d was changed by someone else (version %d, yours %d): reload and merge again",
			req.Survivor, version, req.SurvivorVersion)
	}
	aName, _, err := tx.activeCustomer(ctx, req.Absorbed)
	if err != nil {
		return 0, err
	}
	var mv dossier.MergeMoves
	for _, t := range []struct {
		table string
		ids   *[]int64
	}{{"interactions", &mv.Interactions}, {"needs", &mv.Needs}, {"projects", &mv.Projects}} {
		if *t.ids, err = tx.moveRows(ctx, t.table, "", req.Absorbed, req.Survivor); err != nil {
			return 0, err
		}
	}
	if mv.Contacts, err = tx.moveRows(ctx, "contacts", " AND merged_into IS NULL", req.Absorbed, req.Survivor); err != nil {
		return 0, err
	}
	if err := tx.dedupeContacts(ctx, req.Survivor, &mv); err != nil {
		return 0, err
	}
	movesJSON, err := json.Marshal(mv)
	if err != nil {
		return 0, err
	}
	id, err := tx.insert(ctx, `INSERT INTO merges (survivor, absorbed, merged_by, reason, moves, merged_at) VALUES (?, ?, ?, ?, ?, ?)`,
		req.Survivor, req.Absorbed, req.By.Name, req.Reason, string(movesJSON), ts(tx.now))
	if err != nil {
		return 0, fmt.Errorf("record merge: %w", err)
	}
	tx.touch(req.Survivor, req.Absorbed)
	if _, err := tx.exec(ctx, "UPDATE customers SET merged_into = ?, version = version + 1, updated_at = ? WHERE id = ?",
		req.Survivor, ts(tx.now), req.Absorbed); err != nil {
		return 0, fmt.Errorf("merge customer %d: %w", req.Absorbed, err)
	}
	if resolve {
		if err := tx.resolve(ctx, req.Survivor); err != nil {
			return 0, err
		}
	}
	// Whatever pairs the queue held between the two are decided now.
	if _, err := tx.exec(ctx, `UPDATE dedupe_pairs SET status = ?, decided_by = ?, decided_at = ?, merge_id = ?, updated_at = ?
		WHERE status = ? AND customer_a = ? AND customer_b = ?`, dossier.PairMerged, req.By.Name, ts(tx.now), id, ts(tx.now),
		dossier.PairOpen, min(req.Survivor, req.Absorbed), max(req.Survivor, req.Absorbed)); err != nil {
		return 0, fmt.Errorf("decide pairs: %w", err)
	}
	if err := tx.announce(ctx, dossier.EventCustomerMerged, customerEvent{CustomerID: req.Absorbed, Name: aName,
		SurvivorID: req.Survivor, MergeID: id}); err != nil {
		return 0, err
	}
	detail := fmt.Sprintf("merge %d: %d %s into %d %s", id, req.Absorbed, aName, req.Survivor, sName)
	if req.Reason != "" {
		detail += ": " + req.Reason
	}
	return id, tx.audit(ctx, &dossier.AuditEntry{User: req.By.Name, Action: dossier.AuditCustomerMerge, Entity: "customer",
		EntityID: req.Survivor, Detail: detail, RemoteAddr: req.By.RemoteAddr})
}

// moveRows moves a table's rows of one customer to another and returns
// their ids. table is one of a fixed set, never user input.
func (tx *Tx) moveRows(ctx context.Context, table, cond string, from, to int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, tx.db.q("SELECT id FROM "+table+" WHERE customer_id = ?"+cond+" ORDER BY id"), from)
	if err != nil {
		return nil, fmt.Errorf("merge %s: %w", table, err)
	}
	ids, err := scanIDs(rows)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	if err := tx.setCustomer(ctx, table, ids, to); err != nil {
		return nil, err
	}
	return ids, nil
}

func scanIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (tx *Tx) setCustomer(ctx context.Context, table string, ids []int64, customer int64) error {
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		args := []any{customer}
		for _, id := range part {
			args = append(args, id)
		}
		q := "UPDATE " + table + " SET customer_id = ? WHERE id IN (" + placeholders(len(part)) + ")"
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("move %s: %w", table, err)
		}
	}
	return nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// UndoMerge implements dossier.DedupeService.
func (db *DB) UndoMerge(ctx context.Context, id int64, by dossier.Actor) (*dossier.Merge, error) {
	err := db.inTx(ctx, func(tx *Tx) error { return tx.undo(ctx, id, by) })
	if err != nil {
		return nil, err
	}
	return db.FindMerge(ctx, id)
}

func (tx *Tx) undo(ctx context.Context, id int64, by dossier.Actor) error {
	m, err := findMerge(ctx, tx, tx.db.q, id)
	if err != nil {
		return err
	}
	if m.UndoneAt != nil {
		return dossier.Errorf(dossier.ECONFLICT, "merge %d was already undone by %s", id, m.UndoneBy)
	}
	if _, _, err := tx.activeCustomer(ctx, m.Survivor); err != nil {
		return dossier.Errorf(dossier.ECONFLICT, "cannot undo merge %d: %s; undo that merge first", id, dossier.ErrorMessage(err))
	}
	if err := tx.keepersFree(ctx, m); err != nil {
		return err
	}
	if err := tx.restoreMoves(ctx, m); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "UPDATE customers SET merged_into = NULL, version = version + 1, updated_at = ? WHERE id = ?",
		ts(tx.now), m.Absorbed); err != nil {
		return fmt.Errorf("undo merge %d: %w", id, err)
	}
	if _, err := tx.exec(ctx, "UPDATE merges SET undone_at = ?, undone_by = ? WHERE id = ?", ts(tx.now), by.Name, id); err != nil {
		return fmt.Errorf("undo merge %d: %w", id, err)
	}
	if _, err := tx.exec(ctx, `UPDATE dedupe_pairs SET status = ?, decided_by = '', decided_at = NULL, merge_id = NULL, updated_at = ?
		WHERE merge_id = ?`, dossier.PairOpen, ts(tx.now), id); err != nil {
		return fmt.Errorf("reopen pairs: %w", err)
	}
	for _, c := range []int64{m.Survivor, m.Absorbed} {
		if err := tx.resolve(ctx, c); err != nil {
			return err
		}
	}
	return tx.audit(ctx, &dossier.AuditEntry{User: by.Name, Action: dossier.AuditCustomerUnmerge, Entity: "customer",
		EntityID: m.Survivor, Detail: fmt.Sprintf("undo merge %d: %d split from %d", id, m.Absorbed, m.Survivor), RemoteAddr: by.RemoteAddr})
}

// keepersFree refuses an undo that would take back a contact which a later
// merge made the keeper of another customer's duplicate contact: that
// merge has to be undone first, or the duplicate would follow the wrong
// customer.
func (tx *Tx) keepersFree(ctx context.Context, m *dossier.Merge) error {
	moved := map[int64]bool{}
	for _, id := range m.Moves.Contacts {
		moved[id] = true
	}
	rows, err := tx.QueryContext(ctx, tx.db.q("SELECT "+mergeColumns+" FROM merges WHERE id > ? AND undone_at IS NULL ORDER BY id"), m.ID)
	if err != nil {
		return fmt.Errorf("undo merge %d: %w", m.ID, err)
	}
	later, err := scanMerges(rows)
	if err != nil {
		return err
	}
	for _, l := range later {
		for dup, keeper := range l.Moves.Hidden {
			if moved[keeper] {
				return dossier.Errorf(dossier.ECONFLICT, "cannot undo merge %d: merge %d joined contact %d to one it moved; undo merge %d first", m.ID, l.ID, dup, l.ID)
			}
		}
	}
	return nil
}

// restoreMoves puts back every row a merge changed, in reverse order: blank
// the filled fields (unless changed since), unhide duplicates, move records
// back to the absorbed customer.
func (tx *Tx) restoreMoves(ctx context.Context, m *dossier.Merge) error {
	mv := m.Moves
	for i := len(mv.Filled) - 1; i >= 0; i-- {
		f := mv.Filled[i]
		if !contains(contactFields, f.Field) {
			return fmt.Errorf("undo merge %d: unknown contact field %q", m.ID, f.Field)
		}
		if _, err := tx.exec(ctx, "UPDATE contacts SET "+f.Field+" = '' WHERE id = ? AND "+f.Field+" = ?", f.Contact, f.Value); err != nil {
			return fmt.Errorf("undo merge %d: %w", m.ID, err)
		}
	}
	for dup := range mv.Hidden {
		if _, err := tx.exec(ctx, "UPDATE contacts SET merged_into = NULL WHERE id = ?", dup); err != nil {
			return fmt.Errorf("undo merge %d: %w", m.ID, err)
		}
	}
	for table, ids := range map[string][]int64{"contacts": mv.Contacts, "interactions": mv.Interactions, "needs": mv.Needs, "projects": mv.Projects} {
		if err := tx.setCustomer(ctx, table, ids, m.Absorbed); err != nil {
			return err
		}
	}
	return nil
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

const mergeColumns = "id, survivor, absorbed, merged_by, reason, moves, merged_at, undone_at, undone_by"

func scanMerge(row scanner) (*dossier.Merge, error) {
	var (
		m         dossier.Merge
		moves, at string
		undone    sql.NullString
	)
	if err := row.Scan(&m.ID, &m.Survivor, &m.Absorbed, &m.By, &m.Reason, &moves, &at, &undone, &m.UndoneBy); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(moves), &m.Moves); err != nil {
		return nil, fmt.Errorf("merge %d moves: %w", m.ID, err)
	}
	m.At = parseTS(at)
	if undone.Valid {
		t := parseTS(undone.String)
		m.UndoneAt = &t
	}
	return &m, nil
}

// FindMerge implements dossier.DedupeService.
func (db *DB) FindMerge(ctx context.Context, id int64) (*dossier.Merge, error) {
	return findMerge(ctx, db.r, db.q, id)
}

func findMerge(ctx context.Context, qr rowQuerier, q func(string) string, id int64) (*dossier.Merge, error) {
	m, err := scanMerge(qr.QueryRowContext(ctx, q("SELECT "+mergeColumns+" FROM merges WHERE id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "merge %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find merge %d: %w", id, err)
	}
	return m, nil
}

// MergesOf implements dossier.DedupeService.
func (db *DB) MergesOf(ctx context.Context, customerID int64) ([]dossier.Merge, error) {
	rows, err := db.r.QueryContext(ctx, db.q("SELECT "+mergeColumns+" FROM merges WHERE survivor = ? OR absorbed = ? ORDER BY id DESC"),
		customerID, customerID)
	if err != nil {
		return nil, fmt.Errorf("merges of %d: %w", customerID, err)
	}
	return scanMerges(rows)
}

// RecentMerges implements dossier.DedupeService.
func (db *DB) RecentMerges(ctx context.Context, limit int) ([]dossier.Merge, error) {
	if limit <= 0 || limit > MaxLimit {
		limit = 50
	}
	rows, err := db.r.QueryContext(ctx, db.q("SELECT "+mergeColumns+" FROM merges ORDER BY id DESC LIMIT ?"), limit)
	if err != nil {
		return nil, fmt.Errorf("recent merges: %w", err)
	}
	return scanMerges(rows)
}

func scanMerges(rows *sql.Rows) ([]dossier.Merge, error) {
	defer rows.Close()
	out := []dossier.Merge{}
	for rows.Next() {
		m, err := scanMerge(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}
