package sqldb

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/dossier/dossier"
)

const contactCols = `k.id, k.customer_id, k.name, k.title, k.role, k.phone, k.email, k.preferences,
	k.src_channel, k.src_detail, k.collected_at, k.collected_by, k.import_id, k.created_at, k.version`

// liveContacts is the FROM and WHERE of every contact read: not merged into
// another contact, of a listed customer, not from an undone import.
const liveContacts = ` FROM contacts k JOIN customers c ON c.id = k.customer_id
	WHERE k.merged_into IS NULL AND c.hidden = 0 AND c.merged_into IS NULL AND ` +
	"(k.import_id IS NULL OR k.import_id NOT IN (SELECT id FROM imports WHERE reverted_at IS NOT NULL))"

func scanContact(sc scanner) (*dossier.Contact, error) {
	var (
		c                           dossier.Contact
		channel, collected, created string
		imp                         sql.NullInt64
	)
	if err := sc.Scan(&c.ID, &c.CustomerID, &c.Name, &c.Title, &c.Role, &c.Phone, &c.Email, &c.Preferences,
		&channel, &c.Source.Detail, &collected, &c.Source.CollectedBy, &imp, &created, &c.Version); err != nil {
		return nil, err
	}
	scanSource(&c.Source, channel, collected, imp)
	c.CreatedAt = parseTS(created)
	return &c, nil
}

// contactTable is the contacts table for the reads records share.
var contactTable = recordTable[dossier.Contact]{what: "contact", alias: "k", cols: contactCols, live: liveContacts,
	scan: scanContact, version: func(c *dossier.Contact) int64 { return c.Version }}

// FindContacts implements dossier.ContactStore: one keyset page in id order.
func (db *DB) FindContacts(ctx context.Context, f dossier.ContactFilter) ([]dossier.Contact, error) {
	return contactTable.page(ctx, db, f.RecordPage, cond{"k.role = ?", f.Role, f.Role != ""})
}

// FindContact implements dossier.ContactStore.
func (db *DB) FindContact(ctx context.Context, id int64) (*dossier.Contact, error) {
	return contactTable.one(ctx, db.r, db.q, id)
}

// UpdateContact implements dossier.ContactStore.
func (db *DB) UpdateContact(ctx context.Context, id int64, upd dossier.ContactUpdate) (*dossier.Contact, error) {
	err := db.inTx(ctx, func(tx *Tx) error {
		c, err := contactTable.versioned(ctx, tx, id, upd.Version)
		if err != nil {
			return err
		}
		for _, f := range []struct{ dst, src *string }{{&c.Name, upd.Name}, {&c.Title, upd.Title}, {&c.Role, upd.Role},
			{&c.Phone, upd.Phone}, {&c.Email, upd.Email}, {&c.Preferences, upd.Preferences}} {
			if f.src != nil {
				*f.dst = *f.src
			}
		}
		if err := validateContact(c); err != nil {
			return err
		}
		tx.touch(c.CustomerID)
		_, err = tx.exec(ctx, `UPDATE contacts SET name = ?, title = ?, role = ?, phone = ?, email = ?, preferences = ?, version = version + 1
			WHERE id = ?`, c.Name, c.Title, c.Role, c.Phone, c.Email, c.Preferences, id)
		if err != nil {
			return fmt.Errorf("update contact %d: %w", id, err)
		}
		return tx.announce(ctx, dossier.EventCustomerChanged, customerEvent{CustomerID: c.CustomerID})
	})
	if err != nil {
		return nil, err
	}
	return db.FindContact(ctx, id)
}
