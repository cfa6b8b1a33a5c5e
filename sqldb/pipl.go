package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/dossier/dossier"
)

// PersonalData implements dossier.PersonalDataService.
func (db *DB) PersonalData(ctx context.Context, contactID int64) (*dossier.PersonalData, error) {
	var (
		pd                          dossier.PersonalData
		c                           = &pd.Contact
		channel, collected, created string
		imp                         sql.NullInt64
	)
	err := db.r.QueryRowContext(ctx, db.q(`SELECT c.id, c.customer_id, c.name, c.title, c.role, c.phone, c.email, c.preferences,
		c.src_channel, c.src_detail, c.collected_at, c.collected_by, c.import_id, c.created_at, cu.name
		FROM contacts c JOIN customers cu ON cu.id = c.customer_id WHERE c.id = ?`), contactID).Scan(
		&c.ID, &c.CustomerID, &c.Name, &c.Title, &c.Role, &c.Phone, &c.Email, &c.Preferences,
		&channel, &c.Source.Detail, &collected, &c.Source.CollectedBy, &imp, &created, &pd.CustomerName)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "contact %d not found", contactID)
	} else if err != nil {
		return nil, fmt.Errorf("personal data of contact %d: %w", contactID, err)
	}
	scanSource(&c.Source, channel, collected, imp)
	c.CreatedAt, pd.CustomerID = parseTS(created), c.CustomerID
	all, err := db.Interactions(ctx, c.CustomerID)
	if err != nil {
		return nil, err
	}
	pd.Interactions = []dossier.Interaction{}
	for _, in := range all {
		if in.ContactID == contactID {
			pd.Interactions = append(pd.Interactions, in)
		}
	}
	return &pd, nil
}

// EraseContact implements dossier.PersonalDataService. The row is kept, so
// interactions that point at it stay valid; only what identifies the person
// goes.
func (db *DB) EraseContact(ctx context.Context, contactID int64, e *dossier.AuditEntry) error {
	return db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE contacts SET name = ?, phone = '', email = '', preferences = '' WHERE id = ?`,
			dossier.ErasedName, contactID)
		if err != nil {
			return fmt.Errorf("erase contact %d: %w", contactID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return dossier.Errorf(dossier.ENOTFOUND, "contact %d not found", contactID)
		}
		var customer int64
		if err := tx.queryRow(ctx, "SELECT customer_id FROM contacts WHERE id = ?", contactID).Scan(&customer); err != nil {
			return fmt.Errorf("erase contact %d: %w", contactID, err)
		}
		tx.touch(customer)
		e.Action, e.Entity, e.EntityID = dossier.AuditContactErase, "contact", contactID
		return tx.audit(ctx, e)
	})
}
