package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dossier/dossier"
)

// The duplicate review queue (R6): candidate pairs from the matcher, kept so
// that a person decides each one once.

// SavePairs implements dossier.DedupeService.
func (db *DB) SavePairs(ctx context.Context, pairs []dossier.CandidatePair) (dossier.PairSaveResult, error) {
	var res dossier.PairSaveResult
	err := db.inTx(ctx, func(tx *Tx) error {
		res = dossier.PairSaveResult{}
		for _, p := range pairs {
			if err := tx.savePair(ctx, p, &res); err != nil {
				return err
			}
		}
		return nil
	})
	return res, err
}

func (tx *Tx) savePair(ctx context.Context, p dossier.CandidatePair, res *dossier.PairSaveResult) error {
	a, b := min(p.A, p.B), max(p.A, p.B)
	if a == b || a <= 0 {
		res.Skipped++
		return nil
	}
	var active int
	if err := tx.queryRow(ctx, "SELECT COUNT(*) FROM customers WHERE id IN (?, ?) AND merged_into IS NULL", a, b).Scan(&active); err != nil {
		return fmt.Errorf("save pair: %w", err)
	}
	if active != 2 {
		res.Skipped++
		return nil
	}
	ev, err := json.Marshal(evidenceOrEmpty(p.Evidence))
	if err != nil {
		return err
	}
	var (
		id            int64
		status, oldEv string
		prob, weight  float64
	)
	err = tx.queryRow(ctx, "SELECT id, status, probability, weight, evidence FROM dedupe_pairs WHERE customer_a = ? AND customer_b = ?", a, b).
		Scan(&id, &status, &prob, &weight, &oldEv)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = tx.insert(ctx, `INSERT INTO dedupe_pairs (customer_a, customer_b, probability, weight, evidence, status, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, a, b, p.Probability, p.Weight, string(ev), dossier.PairOpen, ts(tx.now), ts(tx.now))
		res.Added++
		return err
	case err != nil:
		return fmt.Errorf("save pair: %w", err)
	case status != dossier.PairOpen || (prob == p.Probability && weight == p.Weight && oldEv == string(ev)):
		res.Kept++
		return nil
	}
	res.Updated++
	_, err = tx.exec(ctx, "UPDATE dedupe_pairs SET probability = ?, weight = ?, evidence = ?, updated_at = ? WHERE id = ?",
		p.Probability, p.Weight, string(ev), ts(tx.now), id)
	return err
}

func evidenceOrEmpty(ev []dossier.PairEvidence) []dossier.PairEvidence {
	if ev == nil {
		return []dossier.PairEvidence{}
	}
	return ev
}

const pairColumns = `p.id, p.customer_a, p.customer_b, ca.name, cb.name, p.probability, p.weight, p.evidence, p.status,
	p.decided_by, p.decided_at, COALESCE(p.merge_id, 0), p.created_at, p.updated_at`

const pairFrom = ` FROM dedupe_pairs p JOIN customers ca ON ca.id = p.customer_a JOIN customers cb ON cb.id = p.customer_b`

func scanPair(row scanner) (*dossier.CandidatePair, error) {
	var (
		p                dossier.CandidatePair
		ev, created, upd string
		decided          sql.NullString
	)
	if err := row.Scan(&p.ID, &p.A, &p.B, &p.NameA, &p.NameB, &p.Probability, &p.Weight, &ev, &p.Status,
		&p.DecidedBy, &decided, &p.MergeID, &created, &upd); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(ev), &p.Evidence); err != nil {
		return nil, fmt.Errorf("pair %d evidence: %w", p.ID, err)
	}
	if decided.Valid {
		t := parseTS(decided.String)
		p.DecidedAt = &t
	}
	p.CreatedAt, p.UpdatedAt = parseTS(created), parseTS(upd)
	return &p, nil
}

var pairStatuses = []string{dossier.PairOpen, dossier.PairMerged, dossier.PairNotDuplicate}

// FindPairs implements dossier.DedupeService. Open pairs whose customers
// were merged away since are not listed.
func (db *DB) FindPairs(ctx context.Context, f dossier.PairFilter) ([]dossier.CandidatePair, int, error) {
	if f.Status == "" {
		f.Status = dossier.PairOpen
	}
	if !slices.Contains(pairStatuses, f.Status) {
		return nil, 0, dossier.FieldError("status", "unknown pair status %q: use %s", f.Status, strings.Join(pairStatuses, ", "))
	}
	where, args := []string{"p.status = ?"}, []any{f.Status}
	if f.Status == dossier.PairOpen {
		where = append(where, "ca.merged_into IS NULL", "cb.merged_into IS NULL")
	}
	for _, a := range []string{"ca", "cb"} {
		sw, sa := scopeWhere(a, f.Owner, f.SharedTeam, f.Team)
		where, args = append(where, sw...), append(args, sa...)
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := db.r.QueryRowContext(ctx, db.q("SELECT COUNT(*)"+pairFrom+cond), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count pairs: %w", err)
	}
	limit := f.Limit
	if limit <= 0 || limit > MaxLimit {
		limit = 50
	}
	offset := max(f.Offset, 0)
	if f.After > 0 {
		// Keyset on the order below, from the cursor's pair: lower
		// probability, or equal and lower weight, or both equal and a
		// higher id; probability <= ? alone on the left so that
		// dedupe_pairs_status seeks to the page. The total above still
		// counts the whole queue.
		cond += " AND p.probability <= ? AND (p.probability < ? OR p.weight < ? OR (p.weight = ? AND p.id > ?))"
		args = append(args, f.AfterProbability, f.AfterProbability, f.AfterWeight, f.AfterWeight, f.After)
		offset = 0
	}
	q := "SELECT " + pairColumns + pairFrom + cond + " ORDER BY p.probability DESC, p.weight DESC, p.id LIMIT ? OFFSET ?"
	rows, err := db.r.QueryContext(ctx, db.q(q), append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("find pairs: %w", err)
	}
	defer rows.Close()
	out := []dossier.CandidatePair{}
	for rows.Next() {
		p, err := scanPair(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *p)
	}
	return out, total, rows.Err()
}

// FindPair implements dossier.DedupeService.
func (db *DB) FindPair(ctx context.Context, id int64) (*dossier.CandidatePair, error) {
	return findPair(ctx, db.r, db.q, id)
}

type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func findPair(ctx context.Context, qr rowQuerier, q func(string) string, id int64) (*dossier.CandidatePair, error) {
	p, err := scanPair(qr.QueryRowContext(ctx, q("SELECT "+pairColumns+pairFrom+" WHERE p.id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "candidate pair %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find pair %d: %w", id, err)
	}
	return p, nil
}

// openPair loads a pair inside a transaction and refuses a decided one.
func (tx *Tx) openPair(ctx context.Context, id int64) (*dossier.CandidatePair, error) {
	p, err := findPair(ctx, tx, tx.db.q, id)
	if err != nil {
		return nil, err
	}
	if p.Status != dossier.PairOpen {
		return nil, dossier.Errorf(dossier.ECONFLICT, "candidate pair %d was already decided (%s by %s)", id, p.Status, p.DecidedBy)
	}
	return p, nil
}

// RejectPair implements dossier.DedupeService.
func (db *DB) RejectPair(ctx context.Context, id int64, by dossier.Actor) (*dossier.CandidatePair, error) {
	err := db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.openPair(ctx, id); err != nil {
			return err
		}
		return tx.decidePair(ctx, id, dossier.PairNotDuplicate, by.Name, 0)
	})
	if err != nil {
		return nil, err
	}
	return db.FindPair(ctx, id)
}

func (tx *Tx) decidePair(ctx context.Context, id int64, status, by string, mergeID int64) error {
	_, err := tx.exec(ctx, "UPDATE dedupe_pairs SET status = ?, decided_by = ?, decided_at = ?, merge_id = ?, updated_at = ? WHERE id = ?",
		status, by, ts(tx.now), nullInt(mergeID), ts(tx.now), id)
	if err != nil {
		return fmt.Errorf("decide pair %d: %w", id, err)
	}
	return nil
}

// MergePair implements dossier.DedupeService: B is merged into A.
func (db *DB) MergePair(ctx context.Context, id int64, reason string, by dossier.Actor) (*dossier.Merge, error) {
	var mergeID int64
	err := db.inTx(ctx, func(tx *Tx) error {
		p, err := tx.openPair(ctx, id)
		if err != nil {
			return err
		}
		if reason == "" {
			reason = fmt.Sprintf("candidate pair %d, probability %.2f", id, p.Probability)
		}
		mergeID, err = tx.merge(ctx, dossier.MergeRequest{Survivor: p.A, Absorbed: p.B, Reason: reason, By: by})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db.FindMerge(ctx, mergeID)
}
