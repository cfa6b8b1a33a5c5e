package sqldb

import (
	"context"
	"fmt"

	"github.com/dossier/dossier"
)

// scopeWhere is the visibility rule of dossier.User.CustomerScope in SQL, for
// the customers aliased a: every list, count, task, pair and quality query
// narrows by it, so the rule lives here only. owner alone keeps that owner's
// customers; with sharedTeam it also keeps the team's shared ones; team keeps
// the team's.
func scopeWhere(a, owner, sharedTeam, team string) (where []string, args []any) {
	switch {
	case owner != "" && sharedTeam != "":
		where = append(where, "("+a+".owner = ? OR ("+a+".team = ? AND "+a+".shared_with_team = 1))")
		args = append(args, owner, sharedTeam)
	case owner != "":
		where, args = append(where, a+".owner = ?"), append(args, owner)
	}
	if team != "" {
		where, args = append(where, a+".team = ?"), append(args, team)
	}
	return where, args
}

// SetCustomerShared implements dossier.CustomerService: it shares a customer
// with its owner's team or stops sharing it, and audits the change in the
// same transaction. It is not an observation: who may see a customer is not
// a fact about the customer.
func (db *DB) SetCustomerShared(ctx context.Context, id int64, shared bool, by dossier.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		if _, _, err := tx.activeCustomer(ctx, id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, "UPDATE customers SET shared_with_team = ? WHERE id = ?", boolInt(shared), id); err != nil {
			return fmt.Errorf("share customer %d: %w", id, err)
		}
		by.Action, by.Entity, by.EntityID = dossier.AuditCustomerUpdate, "customer", id
		by.Detail = fmt.Sprintf("shared_with_team=%v", shared)
		return tx.audit(ctx, &by)
	})
}
