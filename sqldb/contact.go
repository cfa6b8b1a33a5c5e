package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

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

// FindContacts implements dossier.ContactStore: one keyset page in id order.
func (db *DB) FindContacts(ctx context.Context, f dossier.ContactFilter) ([]dossier.Contact, error) {
	where, args := []string{""}, []any{}
	eq := func(cond string, v any, set bool) {
		if set {
			where, args = append(where, cond), append(args, v)
		}
	}
	eq("k.customer_id = ?", f.CustomerID, f.CustomerID > 0)
	eq("k.role = ?", f.Role, f.Role != "")
	sw, sa := scopeWhere("c", f.Owner, f.SharedTeam, f.Team)
	where, args = append(where, sw...), append(args, sa...)
	if f.Sort != "" && !slices.Contains(dossier.InteractionSorts, f.Sort) {
		return nil, dossier.FieldError("sort", "cannot sort by %q; use one of %s", f.Sort, strings.Join(dossier.InteractionSorts, ", "))
	}
	order, cmp := "k.id DESC", "k.id < ?"
	if f.Sort == "id" {
		order, cmp = "k.id ASC", "k.id > ?"
	}
	eq(cmp, f.After, f.After > 0)
	limit := f.Limit
	if limit <= 0 || limit > MaxLimit {
		limit = 50
	}
	rows, err := db.r.QueryContext(ctx, db.q("SELECT "+contactCols+liveContacts+strings.Join(where, " AND ")+" ORDER BY "+order+" LIMIT ?"),
		append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("find contacts: %w", err)
	}
	defer rows.Close()
	out := []dossier.Contact{}
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return nil, fmt.Errorf("find contacts: %w", err)
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// FindContact implements dossier.ContactStore.
func (db *DB) FindContact(ctx context.Context, id int64) (*dossier.Contact, error) {
	return findContact(ctx, db.r, db.q, id)
}

func findContact(ctx context.Context, qr rowQuerier, q func(string) string, id int64) (*dossier.Contact, error) {
	c, err := scanContact(qr.QueryRowContext(ctx, q("SELECT "+contactCols+liveContacts+" AND k.id = ?"), id))
	if isNoRows(err) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "contact %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find contact %d: %w", id, err)
	}
	return c, nil
}

// UpdateContact implements dossier.ContactStore.
func (db *DB) UpdateContact(ctx context.Context, id int64, upd dossier.ContactUpdate) (*dossier.Contact, error) {
	err := db.inTx(ctx, func(tx *Tx) error {
		c, err := findContact(ctx, tx, db.q, id)
		if err != nil {
			return err
		}
		if err := checkVersion("contact", id, c.Version, upd.Version); err != nil {
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
