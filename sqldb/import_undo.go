package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/dossier/dossier"
)

// liveImport is the condition that a row (observation, contact, interaction,
// project) does not come from a reverted import: rows are never deleted, so
// every query that reads them for the profile applies it.
func liveImport(alias string) string {
	if alias != "" {
		alias += "."
	}
	return "(" + alias + "import_id IS NULL OR " + alias + "import_id NOT IN (SELECT id FROM imports WHERE reverted_at IS NOT NULL))"
}

const importRunColumns = `id, file, kind, src_channel, src_detail, imported, updated, rejected, unchanged, status,
	user_name, started_at, COALESCE(finished_at, ''), COALESCE(reverted_at, ''), reverted_by`

func scanImportRun(row scanner) (*dossier.ImportRun, error) {
	var (
		r                          dossier.ImportRun
		ch, started, fin, reverted string
	)
	err := row.Scan(&r.ID, &r.File, &r.Kind, &ch, &r.Source.Detail, &r.Imported, &r.Updated, &r.Rejected, &r.Same, &r.Status,
		&r.User, &started, &fin, &reverted, &r.RevertedBy)
	if err != nil {
		return nil, err
	}
	r.Source.Channel, r.Source.ImportID = dossier.Channel(ch), r.ID
	r.Started = parseTS(started)
	if fin != "" {
		r.Finished = parseTS(fin)
	}
	if reverted != "" {
		r.Reverted = parseTS(reverted)
	}
	return &r, nil
}

// ImportRunByID implements dossier.ImportRunService.
func (db *DB) ImportRunByID(ctx context.Context, id int64) (*dossier.ImportRun, error) {
	r, err := scanImportRun(db.r.QueryRowContext(ctx, db.q("SELECT "+importRunColumns+" FROM imports WHERE id = ?"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "import %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("import %d: %w", id, err)
	}
	return r, nil
}

// ImportRuns implements dossier.ImportRunService: newest first.
func (db *DB) ImportRuns(ctx context.Context, limit int) ([]dossier.ImportRun, error) {
	return db.ImportRunsBefore(ctx, 0, limit)
}

// ImportRunsBefore is ImportRuns from a keyset cursor: the runs with an id
// below before (all when 0), newest first.
func (db *DB) ImportRunsBefore(ctx context.Context, before int64, limit int) ([]dossier.ImportRun, error) {
	if limit <= 0 || limit > MaxLimit {
		limit = 50
	}
	if before <= 0 {
		before = math.MaxInt64
	}
	rows, err := db.r.QueryContext(ctx, db.q("SELECT "+importRunColumns+" FROM imports WHERE id < ? ORDER BY id DESC LIMIT ?"), before, limit)
	if err != nil {
		return nil, fmt.Errorf("imports: %w", err)
	}
	defer rows.Close()
	var out []dossier.ImportRun
	for rows.Next() {
		r, err := scanImportRun(rows)
		if err != nil {
			return nil, fmt.Errorf("imports: %w", err)
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// UndoImport implements dossier.ImportRunService, in one transaction with
// its audit entry. Customers the run alone created are hidden with one
// statement; the others are resolved again without the run's facts.
func (db *DB) UndoImport(ctx context.Context, id int64, user string, force bool) (*dossier.UndoResult, error) {
	res := &dossier.UndoResult{}
	err := db.inTx(ctx, func(tx *Tx) error {
		run, err := tx.importRun(ctx, id)
		if err != nil {
			return err
		}
		if !run.Reverted.IsZero() {
			return dossier.Errorf(dossier.ECONFLICT, "import %d was already reverted on %s; 'dossier import restore %d' puts it back",
				id, run.Reverted.Format("2006-01-02 15:04"), id)
		}
		if run.Status == "running" && !force {
			return dossier.Errorf(dossier.ECONFLICT, "import %d is still running, or its process died: wait for it to end, or undo it with --force", id)
		}
		if _, err := tx.exec(ctx, "UPDATE imports SET reverted_at = ?, reverted_by = ? WHERE id = ?", ts(tx.now), user, id); err != nil {
			return fmt.Errorf("undo import %d: %w", id, err)
		}
		if res.Records, err = tx.importRecords(ctx, id); err != nil {
			return err
		}
		// Every customer the run wrote to has its quality rows refreshed,
		// so that those hidden next lose theirs.
		touched, err := tx.affectedCustomers(ctx, id, "hidden = 0")
		if err != nil {
			return err
		}
		tx.touch(touched...)
		// A customer with no observation left in force came from this run only.
		r, err := tx.exec(ctx, `UPDATE customers SET hidden = 1, version = version + 1, updated_at = ?
			WHERE hidden = 0 AND id IN (SELECT customer_id FROM observations WHERE import_id = ?)
			AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.customer_id = customers.id AND `+liveImport("o")+`)`, ts(tx.now), id)
		if err != nil {
			return fmt.Errorf("undo import %d: hide customers: %w", id, err)
		}
		n, _ := r.RowsAffected()
		res.Hidden = int(n)
		ids, err := tx.affectedCustomers(ctx, id, "hidden = 0")
		if err != nil {
			return err
		}
		for _, cid := range ids {
			if err := tx.resolve(ctx, cid); err != nil {
				return err
			}
		}
		res.Resolved = len(ids)
		run.Reverted, run.RevertedBy = tx.now, user
		res.Run = *run
		detail := fmt.Sprintf("import %d (%s): %d customers hidden, %d resolved again, %d records hidden", id, run.File, res.Hidden, res.Resolved, res.Records)
		e := &dossier.AuditEntry{User: user, Action: dossier.AuditImportUndo, Entity: "import", EntityID: id, Detail: detail}
		if err := tx.audit(ctx, e); err != nil {
			return err
		}
		res.AuditedAs = e.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// RestoreImport implements dossier.ImportRunService: the run counts again,
// and every customer it touched is resolved (and shown) again.
func (db *DB) RestoreImport(ctx context.Context, id int64, user string) (*dossier.UndoResult, error) {
	res := &dossier.UndoResult{}
	err := db.inTx(ctx, func(tx *Tx) error {
		run, err := tx.importRun(ctx, id)
		if err != nil {
			return err
		}
		if run.Reverted.IsZero() {
			return dossier.Errorf(dossier.ECONFLICT, "import %d is in force: there is nothing to restore", id)
		}
		if _, err := tx.exec(ctx, "UPDATE imports SET reverted_at = NULL, reverted_by = '' WHERE id = ?", id); err != nil {
			return fmt.Errorf("restore import %d: %w", id, err)
		}
		if res.Records, err = tx.importRecords(ctx, id); err != nil {
			return err
		}
		var hidden int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM customers WHERE hidden = 1
			AND id IN (SELECT customer_id FROM observations WHERE import_id = ?)`, id).Scan(&hidden); err != nil {
			return fmt.Errorf("restore import %d: %w", id, err)
		}
		ids, err := tx.affectedCustomers(ctx, id, "1 = 1")
		if err != nil {
			return err
		}
		for _, cid := range ids {
			if err := tx.resolve(ctx, cid); err != nil {
				return err
			}
		}
		res.Shown, res.Resolved = hidden, len(ids)
		run.Reverted, run.RevertedBy = time.Time{}, ""
		res.Run = *run
		detail := fmt.Sprintf("import %d (%s): %d customers shown again, %d resolved again, %d records back", id, run.File, res.Shown, res.Resolved, res.Records)
		e := &dossier.AuditEntry{User: user, Action: dossier.AuditImportRestore, Entity: "import", EntityID: id, Detail: detail}
		if err := tx.audit(ctx, e); err != nil {
			return err
		}
		res.AuditedAs = e.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (tx *Tx) importRun(ctx context.Context, id int64) (*dossier.ImportRun, error) {
	r, err := scanImportRun(tx.queryRow(ctx, "SELECT "+importRunColumns+" FROM imports WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "import %d not found: 'dossier imports' lists them", id)
	}
	if err != nil {
		return nil, fmt.Errorf("import %d: %w", id, err)
	}
	return r, nil
}

// importRecords counts the contacts, interactions and projects of a run.
func (tx *Tx) importRecords(ctx context.Context, id int64) (int, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM contacts WHERE import_id = ?)
		+ (SELECT COUNT(*) FROM interactions WHERE import_id = ?) + (SELECT COUNT(*) FROM projects WHERE import_id = ?)`, id, id, id).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("records of import %d: %w", id, err)
	}
	return n, nil
}

// affectedCustomers lists the customers a run wrote anything to that match
// cond (a fixed condition on customers, never user input).
func (tx *Tx) affectedCustomers(ctx context.Context, id int64, cond string) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, tx.db.q(`SELECT id FROM customers WHERE `+cond+` AND id IN (
		SELECT customer_id FROM observations WHERE import_id = ?
		UNION SELECT customer_id FROM contacts WHERE import_id = ?
		UNION SELECT customer_id FROM interactions WHERE import_id = ?
		UNION SELECT customer_id FROM projects WHERE import_id = ?) ORDER BY id`), id, id, id, id)
	if err != nil {
		return nil, fmt.Errorf("customers of import %d: %w", id, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var cid int64
		if err := rows.Scan(&cid); err != nil {
			return nil, err
		}
		ids = append(ids, cid)
	}
	return ids, rows.Err()
}
