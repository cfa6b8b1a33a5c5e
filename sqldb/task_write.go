package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/dossier/dossier"
)

var _ dossier.TaskStore = (*DB)(nil)

// CreateTask implements dossier.TaskStore: an open task with source manual.
func (db *DB) CreateTask(ctx context.Context, nt dossier.NewTask, by string) (*dossier.Task, error) {
	if err := nt.Validate(); err != nil {
		return nil, err
	}
	var id int64
	err := db.inTx(ctx, func(tx *Tx) error {
		if _, _, err := tx.activeCustomer(ctx, nt.CustomerID); err != nil {
			if dossier.ErrorCode(err) == dossier.ECONFLICT { // merged away
				return &dossier.Error{Code: dossier.ENOTFOUND, Field: "customer_id", Message: dossier.ErrorMessage(err)}
			}
			return err
		}
		var err error
		id, err = tx.insert(ctx, `INSERT INTO tasks (customer_id, owner, title, due, status, source, created_at, updated_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, nt.CustomerID, nt.Owner, nt.Title, nt.Due, dossier.TaskOpen, dossier.TaskSourceManual, ts(tx.now), by)
		if err != nil {
			return fmt.Errorf("create task: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	got, err := db.FindTasks(ctx, dossier.TaskFilter{ID: id})
	if err != nil || len(got) == 0 {
		return nil, fmt.Errorf("read task %d back: %w", id, err)
	}
	return &got[0], nil
}

// DeleteTask implements dossier.TaskStore.
func (db *DB) DeleteTask(ctx context.Context, id, version int64) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.versionedTask(ctx, id, version); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM tasks WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete task %d: %w", id, err)
		}
		return nil
	})
}

// versionedTask checks that version is the task's current one; it returns
// the task's customer.
func (tx *Tx) versionedTask(ctx context.Context, id, version int64) (int64, error) {
	var cust, have int64
	err := tx.queryRow(ctx, `SELECT customer_id, version FROM tasks WHERE id = ?`, id).Scan(&cust, &have)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, dossier.Errorf(dossier.ENOTFOUND, "task %d not found", id)
	case err != nil:
		return 0, fmt.Errorf("task %d: %w", id, err)
	}
	if err := checkVersion("task", id, have, version); err != nil {
		return 0, err
	}
	return cust, nil
}
