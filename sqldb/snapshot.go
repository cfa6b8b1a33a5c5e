package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dossier/dossier"
)

// snapshotBatch is how many customer ids one snapshot transaction covers.
// Each batch is one INSERT … SELECT, so no row travels through Go; batches
// keep SQLite's single write lock short enough for the server's other
// writers (a 1,000,000-customer snapshot in one transaction would hold it
// for seconds).
const snapshotBatch = 50000

// liveValues are the SQL expressions of a customer's key values now, over
// customers c and its analysis summary joined as alias a.
func liveValues(a string) []string {
	return []string{"COALESCE(c.score, 0)", "COALESCE(c.follow_up_priority, '')", "COALESCE(" + a + ".tier, '')",
		"COALESCE(c.grade, '')", "COALESCE(" + a + ".value, '')", "COALESCE(c.stage, '')"}
}

// snapshotValueCols are snapshot_rows' value columns, in liveValues' order.
var snapshotValueCols = []string{"score", "priority", "tier", "grade", "value", "stage"}

// TakeSnapshot implements dossier.SnapshotService.
func (db *DB) TakeSnapshot(ctx context.Context, s *dossier.Snapshot) error {
	where, args, err := db.customerWhere(ctx, dossier.CustomerFilter{Expr: s.Scope})
	if err != nil {
		return err
	}
	var last sql.NullInt64
	if err := db.r.QueryRowContext(ctx, "SELECT MAX(id) FROM customers").Scan(&last); err != nil {
		return fmt.Errorf("take snapshot: %w", err)
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		s.TakenAt = tx.now
		s.ID, err = tx.insert(ctx, `INSERT INTO snapshots (label, study_id, scope, taken_by, taken_at) VALUES (?, ?, ?, ?, ?)`,
			s.Label, nullInt(s.StudyID), s.Scope, s.TakenBy, ts(tx.now))
		return err
	})
	if err != nil {
		return fmt.Errorf("take snapshot: %w", err)
	}
	insert := `INSERT INTO snapshot_rows (snapshot_id, customer_id, ` + strings.Join(snapshotValueCols, ", ") + `)
		SELECT ?, c.id, ` + strings.Join(liveValues("a"), ", ") + `
		FROM customers c LEFT JOIN analyses a ON a.customer_id = c.id` + where + ` AND c.id > ? AND c.id <= ?`
	n := 0
	for lo := int64(0); lo < last.Int64; lo += snapshotBatch {
		err := db.inTx(ctx, func(tx *Tx) error {
			res, err := tx.exec(ctx, insert, append(append([]any{s.ID}, args...), lo, lo+snapshotBatch)...)
			if err != nil {
				return err
			}
			k, err := res.RowsAffected()
			n += int(k)
			return err
		})
		if err != nil {
			db.dropSnapshot(s.ID)
			return fmt.Errorf("take snapshot: %w", err)
		}
	}
	s.Customers = n
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE snapshots SET done_at = ?, customers = ? WHERE id = ?`, ts(tx.now), n, s.ID)
		return err
	})
}

// dropSnapshot removes a snapshot cut short, best effort: left behind, it
// is never listed (done_at is NULL) and only costs space.
func (db *DB) dropSnapshot(id int64) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_ = db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `DELETE FROM snapshot_rows WHERE snapshot_id = ?`, id); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `DELETE FROM snapshots WHERE id = ?`, id)
		return err
	})
}

const snapshotCols = "id, label, COALESCE(study_id, 0), scope, taken_by, taken_at, customers"

func scanSnapshot(row scanner) (*dossier.Snapshot, error) {
	var (
		s     dossier.Snapshot
		taken string
	)
	if err := row.Scan(&s.ID, &s.Label, &s.StudyID, &s.Scope, &s.TakenBy, &taken, &s.Customers); err != nil {
		return nil, err
	}
	s.TakenAt = parseTS(taken)
	return &s, nil
}

// Snapshots implements dossier.SnapshotService.
func (db *DB) Snapshots(ctx context.Context, studyID int64) ([]dossier.Snapshot, error) {
	q, args := "SELECT "+snapshotCols+" FROM snapshots WHERE done_at IS NOT NULL", []any{}
	switch {
	case studyID < 0:
		q += " AND study_id IS NULL"
	case studyID > 0:
		q, args = q+" AND study_id = ?", append(args, studyID)
	}
	rows, err := db.r.QueryContext(ctx, db.q(q+" ORDER BY taken_at DESC, id DESC"), args...)
	if err != nil {
		return nil, fmt.Errorf("snapshots: %w", err)
	}
	defer rows.Close()
	var out []dossier.Snapshot
	for rows.Next() {
		s, err := scanSnapshot(rows)
		if err != nil {
			return nil, fmt.Errorf("snapshots: %w", err)
		}
		out = append(out, *s)
	}
	return out, rows.Err()
}

// ResolveSnapshot implements dossier.SnapshotService.
func (db *DB) ResolveSnapshot(ctx context.Context, ref string) (*dossier.Snapshot, error) {
	ref = strings.TrimSpace(ref)
	if ref == dossier.SnapshotNow || ref == "" {
		return &dossier.Snapshot{Label: dossier.SnapshotNow, TakenAt: db.now().UTC()}, nil
	}
	q := "SELECT " + snapshotCols + " FROM snapshots WHERE done_at IS NOT NULL AND "
	var arg any
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		q, arg = q+"id = ?", id
	} else if day, err := time.Parse(dossier.DateLayout, ref); err == nil {
		q, arg = q+"study_id IS NULL AND taken_at < ? ORDER BY taken_at DESC, id DESC LIMIT 1", ts(day.AddDate(0, 0, 1))
	} else {
		return nil, dossier.Errorf(dossier.EINVALID, "snapshot %q: give its number, a date (YYYY-MM-DD) or now", ref)
	}
	s, err := scanSnapshot(db.r.QueryRowContext(ctx, db.q(q), arg))
	if isNoRows(err) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "no snapshot %s", ref)
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot %s: %w", ref, err)
	}
	return s, nil
}

// HasSnapshotSince reports whether a complete snapshot of no study was
// taken at or after t; the quarterly job asks it.
func (db *DB) HasSnapshotSince(ctx context.Context, t time.Time) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM snapshots WHERE done_at IS NOT NULL AND study_id IS NULL AND taken_at >= ?`), ts(t)).Scan(&n)
	return n > 0, err
}
