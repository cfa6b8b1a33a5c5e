package sqldb

import (
	"context"
	"fmt"
	"strings"

	"github.com/dossier/dossier"
)

// Contacts of a merged customer are deduplicated: a contact that repeats an
// earlier one of the survivor is hidden behind it (contacts.merged_into)
// rather than deleted, since interactions may name it, and the blank fields
// of the one kept are filled from it. Both are recorded for undo.

// contactFields are the contact columns a merge may fill, in the order it
// fills them; the names are columns, never user input.
var contactFields = []string{"title", "role", "phone", "email", "preferences"}

// dedupeContacts hides every contact of a customer that repeats an earlier
// one (same phone, else same e-mail, else same name with no contradicting
// phone or e-mail) behind it, filling the earlier one's blank fields.
func (tx *Tx) dedupeContacts(ctx context.Context, customer int64, mv *dossier.MergeMoves) error {
	cs, err := tx.contacts(ctx, customer)
	if err != nil {
		return err
	}
	var kept []*dossier.Contact
	for i := range cs {
		c := &cs[i]
		k := matchContact(kept, c)
		if k == nil {
			kept = append(kept, c)
			continue
		}
		if mv.Hidden == nil {
			mv.Hidden = map[int64]int64{}
		}
		mv.Hidden[c.ID] = k.ID
		if _, err := tx.exec(ctx, "UPDATE contacts SET merged_into = ? WHERE id = ?", k.ID, c.ID); err != nil {
			return fmt.Errorf("merge contact %d: %w", c.ID, err)
		}
		if err := tx.fillContact(ctx, k, c, mv); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) contacts(ctx context.Context, customer int64) ([]dossier.Contact, error) {
	rows, err := tx.QueryContext(ctx, tx.db.q(`SELECT id, name, title, role, phone, email, preferences FROM contacts
		WHERE customer_id = ? AND merged_into IS NULL ORDER BY id`), customer)
	if err != nil {
		return nil, fmt.Errorf("contacts of %d: %w", customer, err)
	}
	defer rows.Close()
	var out []dossier.Contact
	for rows.Next() {
		var c dossier.Contact
		if err := rows.Scan(&c.ID, &c.Name, &c.Title, &c.Role, &c.Phone, &c.Email, &c.Preferences); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// matchContact finds the kept contact that c repeats, or nil.
func matchContact(kept []*dossier.Contact, c *dossier.Contact) *dossier.Contact {
	if c.Name == dossier.ErasedName {
		return nil
	}
	phone, email, name := canonPhone(c.Phone), strings.ToLower(c.Email), dossier.NormalizeText(c.Name)
	for _, k := range kept {
		if phone != "" && phone == canonPhone(k.Phone) {
			return k
		}
	}
	for _, k := range kept {
		if email != "" && email == strings.ToLower(k.Email) {
			return k
		}
	}
	for _, k := range kept {
		kp, ke := canonPhone(k.Phone), strings.ToLower(k.Email)
		differ := (phone != "" && kp != "" && phone != kp) || (email != "" && ke != "" && email != ke)
		if name != "" && name == dossier.NormalizeText(k.Name) && k.Name != dossier.ErasedName && !differ {
			return k
		}
	}
	return nil
}

// fillContact copies dup's values into k's blank fields and records them.
func (tx *Tx) fillContact(ctx context.Context, k, dup *dossier.Contact, mv *dossier.MergeMoves) error {
	get := func(c *dossier.Contact) []*string {
		return []*string{&c.Title, &c.Role, &c.Phone, &c.Email, &c.Preferences}
	}
	kv, dv := get(k), get(dup)
	for i, col := range contactFields {
		if *kv[i] != "" || *dv[i] == "" {
			continue
		}
		*kv[i] = *dv[i]
		mv.Filled = append(mv.Filled, dossier.ContactFilling{Contact: k.ID, Field: col, Value: *dv[i]})
		if _, err := tx.exec(ctx, "UPDATE contacts SET "+col+" = ? WHERE id = ?", *dv[i], k.ID); err != nil {
			return fmt.Errorf("fill contact %d: %w", k.ID, err)
		}
	}
	return nil
}
