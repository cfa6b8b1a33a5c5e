package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"

	"github.com/dossier/dossier"
)

// errDryRun rolls back a dry-run batch after it has been applied.
var errDryRun = errors.New("dry run")

// StartImport implements dossier.ImportStore: it records the run and sets
// its id, which every fact of the import then carries.
func (db *DB) StartImport(ctx context.Context, run *dossier.ImportRun) error {
	return db.inTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO imports (file, kind, src_channel, src_detail, started_at, status)
			VALUES (?, ?, ?, ?, ?, 'running')`, run.File, run.Kind, string(run.Source.Channel), run.Source.Detail, ts(tx.now))
		if err != nil {
			return fmt.Errorf("start import: %w", err)
		}
		run.ID, run.Status = id, "running"
		return nil
	})
}

// FinishImport implements dossier.ImportStore: it stores the counts.
func (db *DB) FinishImport(ctx context.Context, run *dossier.ImportRun) error {
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE imports SET finished_at = ?, imported = ?, updated = ?, rejected = ?, status = ? WHERE id = ?`,
			ts(tx.now), run.Imported, run.Updated, run.Rejected, run.Status, run.ID)
		if err != nil {
			return fmt.Errorf("finish import %d: %w", run.ID, err)
		}
		return nil
	})
}

// ImportRunByID returns a recorded import.
func (db *DB) ImportRunByID(ctx context.Context, id int64) (*dossier.ImportRun, error) {
	r := dossier.ImportRun{ID: id}
	var ch string
	err := db.r.QueryRowContext(ctx, db.q(`SELECT file, kind, src_channel, src_detail, imported, updated, rejected, status
		FROM imports WHERE id = ?`), id).Scan(&r.File, &r.Kind, &ch, &r.Source.Detail, &r.Imported, &r.Updated, &r.Rejected, &r.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "import %d not found", id)
	}
	r.Source.Channel = dossier.Channel(ch)
	return &r, err
}

// ImportBatch implements dossier.ImportStore: one transaction per batch.
func (db *DB) ImportBatch(ctx context.Context, run *dossier.ImportRun, batch []dossier.ImportRecord, dryRun bool) ([]dossier.ImportOutcome, error) {
	if err := run.Source.Validate(); err != nil {
		return nil, err
	}
	var outs []dossier.ImportOutcome
	err := db.inTx(ctx, func(tx *Tx) error {
		outs = outs[:0]
		for _, rec := range batch {
			o, err := tx.importRecord(ctx, rec, run.Source)
			if err != nil {
				return fmt.Errorf("row %d: %w", rec.Row, err)
			}
			outs = append(outs, o)
		}
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return outs, err
}

func (tx *Tx) importRecord(ctx context.Context, rec dossier.ImportRecord, src dossier.Source) (dossier.ImportOutcome, error) {
	switch rec.Kind {
	case dossier.KindInteractions:
		return tx.importInteraction(ctx, rec, src)
	case dossier.KindContacts:
		return tx.importContact(ctx, rec, src)
	}
	e := rec.Entry
	id, err := tx.matchCustomer(ctx, e.Customer)
	if err != nil {
		return 0, err
	}
	if id == 0 {
		if id, err = tx.insertCustomer(ctx); err != nil {
			return 0, fmt.Errorf("create customer: %w", err)
		}
		return dossier.OutcomeCreated, tx.observe(ctx, id, e, src)
	}
	changed, err := tx.observeNew(ctx, id, e, src)
	if err != nil || !changed {
		return dossier.OutcomeUnchanged, err
	}
	return dossier.OutcomeUpdated, tx.resolve(ctx, id)
}

// matchCustomer finds the customer of a row: by credit code, then by name
// (names are stored cleaned, as the row's are). 0 means none.
func (tx *Tx) matchCustomer(ctx context.Context, vals map[string]string) (int64, error) {
	var id int64
	if code := vals["credit_code"]; code != "" {
		err := tx.queryRow(ctx, "SELECT id FROM customers WHERE credit_code = ? AND merged_into IS NULL ORDER BY id LIMIT 1", code).Scan(&id)
		if err == nil || !errors.Is(err, sql.ErrNoRows) {
			return id, err
		}
	}
	err := tx.queryRow(ctx, "SELECT id FROM customers WHERE name = ? AND merged_into IS NULL ORDER BY id LIMIT 1", vals["name"]).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// observeNew writes what an existing customer does not have yet: the values
// unless they equal the profile or an observation from the same source
// detail, the contact unless one with the same phone, email or name exists,
// the interaction unless an identical one exists.
func (tx *Tx) observeNew(ctx context.Context, id int64, e dossier.Entry, src dossier.Source) (bool, error) {
	changed := false
	obs, err := tx.observations(ctx, id)
	if err != nil {
		return false, err
	}
	if len(e.Customer) > 0 && !knownValues(obs, tx.db.policy.ResolveObservations(obs), e.Customer, src) {
		if err := tx.insertObservation(ctx, id, e.Customer, e.Remarks, src); err != nil {
			return false, err
		}
		changed = true
	}
	if e.Contact["contact_name"] != "" {
		c := contactFromEntry(id, e.Contact, src)
		dup, err := tx.hasContact(ctx, c)
		if err != nil {
			return false, err
		}
		if !dup {
			if err := tx.insertContact(ctx, &c); err != nil {
				return false, err
			}
			changed = true
		}
	}
	if e.Interaction["last_contact_date"] != "" {
		in := interactionFromEntry(id, e.Interaction, src)
		dup, err := tx.hasInteraction(ctx, in)
		if err != nil {
			return false, err
		}
		if !dup {
			if err := tx.insertInteraction(ctx, &in); err != nil {
				return false, err
			}
			changed = true
		}
	}
	return changed, nil
}

func knownValues(obs []dossier.Observation, profile, vals map[string]string, src dossier.Source) bool {
	if subset(vals, profile) {
		return true
	}
	for _, o := range obs {
		if o.Source.Channel == src.Channel && o.Source.Detail == src.Detail && maps.Equal(o.Values, vals) {
			return true
		}
	}
	return false
}

func subset(vals, of map[string]string) bool {
	for k, v := range vals {
		if of[k] != v {
			return false
		}
	}
	return true
}

func (tx *Tx) hasContact(ctx context.Context, c dossier.Contact) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM contacts WHERE customer_id = ?
		AND ((CAST(? AS TEXT) <> '' AND phone = ?) OR (CAST(? AS TEXT) <> '' AND email = ?) OR name = ?)`,
		c.CustomerID, c.Phone, c.Phone, c.Email, c.Email, c.Name).Scan(&n)
	return n > 0, err
}

func (tx *Tx) hasInteraction(ctx context.Context, in dossier.Interaction) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM interactions WHERE customer_id = ? AND date = ? AND channel = ? AND summary = ?`,
		in.CustomerID, in.Date, in.Channel, in.Summary).Scan(&n)
	return n > 0, err
}

// importInteraction adds an interaction row to the customer it names (by id,
// credit code or name), unless an identical interaction is there already.
func (tx *Tx) importInteraction(ctx context.Context, rec dossier.ImportRecord, src dossier.Source) (dossier.ImportOutcome, error) {
	id, err := tx.recordCustomer(ctx, rec)
	if err != nil || id == 0 {
		return dossier.OutcomeNoCustomer, err
	}
	in := interactionFromEntry(id, rec.Entry.Interaction, src)
	if dup, err := tx.hasInteraction(ctx, in); err != nil || dup {
		return dossier.OutcomeUnchanged, err
	}
	if name := rec.Entry.Contact["contact_name"]; name != "" {
		var cid int64
		err := tx.queryRow(ctx, "SELECT id FROM contacts WHERE customer_id = ? AND name = ? ORDER BY id LIMIT 1", id, name).Scan(&cid)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return 0, err
		}
		in.ContactID = cid
	}
	if err := tx.insertInteraction(ctx, &in); err != nil {
		return 0, err
	}
	_, err = tx.exec(ctx, `UPDATE customers SET last_contact = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND (last_contact IS NULL OR last_contact < ?)`, in.Date, ts(tx.now), id, in.Date)
	return dossier.OutcomeUpdated, err
}

// recordCustomer finds the customer a contact or interaction row names: by
// id, else by credit code, then name. 0 means none.
func (tx *Tx) recordCustomer(ctx context.Context, rec dossier.ImportRecord) (int64, error) {
	if rec.CustomerID != 0 {
		return tx.survivorOf(ctx, rec.CustomerID)
	}
	return tx.matchCustomer(ctx, rec.Entry.Customer)
}

// importContact adds a contact row to the customer it names, unless one with
// the same phone, email or name is there already.
func (tx *Tx) importContact(ctx context.Context, rec dossier.ImportRecord, src dossier.Source) (dossier.ImportOutcome, error) {
	id, err := tx.recordCustomer(ctx, rec)
	if err != nil || id == 0 {
		return dossier.OutcomeNoCustomer, err
	}
	c := contactFromEntry(id, rec.Entry.Contact, src)
	if dup, err := tx.hasContact(ctx, c); err != nil || dup {
		return dossier.OutcomeUnchanged, err
	}
	if err := tx.insertContact(ctx, &c); err != nil {
		return 0, err
	}
	_, err = tx.exec(ctx, "UPDATE customers SET version = version + 1, updated_at = ? WHERE id = ?", ts(tx.now), id)
	return dossier.OutcomeUpdated, err
}
