package sqldb

import (
	"context"
	"fmt"

	"github.com/dossier/dossier"
)

var _ dossier.CustomerDeleter = (*DB)(nil)

// DeleteCustomer implements dossier.CustomerDeleter. Deleting hides the
// customer (hidden = 1), which every list, pivot, task query and
// FindCustomerByID already leave out, as for a customer only an undone
// import spoke of; rows are never deleted, so its facts stay for the
// audit trail and PIPL requests. The audit entry is written in the same
// transaction, and webhook subscribers hear customer.changed.
func (db *DB) DeleteCustomer(ctx context.Context, id, version int64, by dossier.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		name, have, err := tx.activeCustomer(ctx, id)
		if err != nil {
			return err
		}
		if err := checkVersion("customer", id, have, version); err != nil {
			return err
		}
		tx.touch(id)
		if _, err := tx.exec(ctx, "UPDATE customers SET hidden = 1, version = version + 1, updated_at = ? WHERE id = ?", ts(tx.now), id); err != nil {
			return fmt.Errorf("delete customer %d: %w", id, err)
		}
		by.Action, by.Entity, by.EntityID = dossier.AuditCustomerDelete, "customer", id
		by.Detail = fmt.Sprintf("deleted %s (version %d)", name, have)
		if err := tx.audit(ctx, &by); err != nil {
			return err
		}
		return tx.announce(ctx, dossier.EventCustomerChanged, customerEvent{CustomerID: id, Name: name, Deleted: true})
	})
}
