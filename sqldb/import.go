package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/dossier/dossier"
)

// errDryRun rolls back a dry-run batch after it has been applied.
var errDryRun = errors.New("dry run")

// StartImport implements dossier.ImportStore: it records the run and sets
// its id, which every fact of the import then carries.
func (db *DB) StartImport(ctx context.Context, run *dossier.ImportRun) error {
	return db.inTx(ctx, func(tx *Tx) error {
		id, err := tx.insert(ctx, `INSERT INTO imports (file, kind, src_channel, src_detail, started_at, status, user_name)
			VALUES (?, ?, ?, ?, ?, 'running', ?)`, run.File, run.Kind, string(run.Source.Channel), run.Source.Detail, ts(tx.now), run.User)
		if err != nil {
			return fmt.Errorf("start import: %w", err)
		}
		run.ID, run.Status, run.Started = id, "running", tx.now
		return nil
	})
}

// MarkInterruptedImports sets the status of runs still 'running' whose last
// batch is older than idle to 'interrupted': their process died (a batch
// takes seconds). Their committed batches stay, as batches and last_row
// say, and re-running the import completes them without doubling.
func (db *DB) MarkInterruptedImports(ctx context.Context, idle time.Duration) (int64, error) {
	var n int64
	err := db.inTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE imports SET status = 'interrupted'
			WHERE status = 'running' AND COALESCE(heartbeat_at, started_at) < ?`, ts(tx.now.Add(-idle)))
		if err != nil {
			return fmt.Errorf("mark interrupted imports: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// FinishImport implements dossier.ImportStore: it stores the counts and
// announces them (import.finished), once per run, and gives the writer its
// everyday settings back (BulkTuner).
func (db *DB) FinishImport(ctx context.Context, run *dossier.ImportRun) error {
	if err := db.untuneBulk(ctx); err != nil {
		return fmt.Errorf("finish import %d: %w", run.ID, err)
	}
	return db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE imports SET finished_at = ?, imported = ?, updated = ?, rejected = ?, unchanged = ?, status = ? WHERE id = ?`,
			ts(tx.now), run.Imported, run.Updated, run.Rejected, run.Same, run.Status, run.ID)
		if err != nil {
			return fmt.Errorf("finish import %d: %w", run.ID, err)
		}
		return tx.announce(ctx, dossier.EventImportFinished, importEvent{ImportID: run.ID, File: run.File, Kind: run.Kind, Status: run.Status,
			Imported: run.Imported, Updated: run.Updated, Rejected: run.Rejected, Unchanged: run.Same})
	})
}

// ImportBatch implements dossier.ImportStore: one transaction per batch.
func (db *DB) ImportBatch(ctx context.Context, run *dossier.ImportRun, batch []dossier.ImportRecord, dryRun bool) ([]dossier.ImportOutcome, error) {
	if err := run.Source.Validate(); err != nil {
		return nil, err
	}
	var outs []dossier.ImportOutcome
	err := db.inConnTx(ctx, func(tx *Tx) error {
		if err := tx.tuneBulk(ctx); err != nil {
			return fmt.Errorf("tune import: %w", err)
		}
		outs = make([]dossier.ImportOutcome, len(batch))
		fresh := make([]bool, len(batch))
		if run.Kind == "" || run.Kind == dossier.KindCustomers {
			stored, err := tx.batchMatches(ctx, batch)
			if err != nil {
				return err
			}
			fresh = splitBatch(batch, stored)
			var recs []dossier.ImportRecord
			for i, rec := range batch {
				if fresh[i] {
					recs, outs[i] = append(recs, rec), dossier.OutcomeCreated
				}
			}
			if err := tx.createCustomers(ctx, recs, run.Source); err != nil {
				return err
			}
		}
		for i, rec := range batch {
			if fresh[i] {
				continue
			}
			o, err := tx.importRecord(ctx, rec, run.Source)
			if err != nil {
				return fmt.Errorf("row %d: %w", rec.Row, err)
			}
			outs[i] = o
		}
		if dryRun {
			return errDryRun
		}
		return tx.importProgress(ctx, run.ID, batch, outs)
	})
	if errors.Is(err, errDryRun) {
		return outs, nil
	}
	if a, ok := db.dialect.(ImportAnalyzer); ok && err == nil {
		if err := a.AnalyzeGrown(ctx, db.w); err != nil {
			return outs, fmt.Errorf("analyze: %w", err)
		}
	}
	return outs, err
}

func (tx *Tx) importRecord(ctx context.Context, rec dossier.ImportRecord, src dossier.Source) (dossier.ImportOutcome, error) {
	switch rec.Kind {
	case dossier.KindInteractions:
		return tx.importInteraction(ctx, rec, src)
	case dossier.KindContacts:
		return tx.importContact(ctx, rec, src)
	case dossier.KindProjects:
		return tx.importProject(ctx, rec, src)
	}
	e := rec.Entry
	id, hidden, err := tx.matchCustomer(ctx, e.Customer)
	if err != nil {
		return 0, err
	}
	if hidden {
		// A customer hidden by an undone import comes back: same id, new facts.
		return dossier.OutcomeCreated, tx.observe(ctx, id, e, src)
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
// (names are stored cleaned, as the row's are). 0 means none. Visible
// customers win over ones hidden by an undone import.
func (tx *Tx) matchCustomer(ctx context.Context, vals map[string]string) (id int64, hidden bool, err error) {
	var h int
	if code := vals["credit_code"]; code != "" {
		err := tx.queryRow(ctx, "SELECT id, hidden FROM customers WHERE credit_code = ? AND merged_into IS NULL ORDER BY hidden, id LIMIT 1", code).Scan(&id, &h)
		if err == nil || !errors.Is(err, sql.ErrNoRows) {
			return id, h != 0, err
		}
	}
	err = tx.queryRow(ctx, "SELECT id, hidden FROM customers WHERE name = ? AND merged_into IS NULL ORDER BY hidden, id LIMIT 1", vals["name"]).Scan(&id, &h)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return id, h != 0, err
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
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM contacts WHERE customer_id = ? AND `+liveImport("")+`
		AND ((CAST(? AS TEXT) <> '' AND phone = ?) OR (CAST(? AS TEXT) <> '' AND email = ?) OR name = ?)`,
		c.CustomerID, c.Phone, c.Phone, c.Email, c.Email, c.Name).Scan(&n)
	return n > 0, err
}

func (tx *Tx) hasInteraction(ctx context.Context, in dossier.Interaction) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM interactions WHERE customer_id = ? AND `+liveImport("")+` AND date = ? AND channel = ? AND summary = ?`,
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
		err := tx.queryRow(ctx, "SELECT id FROM contacts WHERE customer_id = ? AND "+liveImport("")+" AND name = ? ORDER BY id LIMIT 1", id, name).Scan(&cid)
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
	id, hidden, err := tx.matchCustomer(ctx, rec.Entry.Customer)
	if hidden {
		return 0, err // records need a customer in force
	}
	return id, err
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

// importProgress records a batch in its import run, in the batch's own
// transaction: after a crash the run's counts, batches and last_row describe
// exactly what is in the store.
func (tx *Tx) importProgress(ctx context.Context, id int64, batch []dossier.ImportRecord, outs []dossier.ImportOutcome) error {
	if len(batch) == 0 {
		return nil
	}
	var created, updated int
	for _, o := range outs {
		switch o {
		case dossier.OutcomeCreated:
			created++
		case dossier.OutcomeUpdated:
			updated++
		}
	}
	_, err := tx.exec(ctx, `UPDATE imports SET imported = imported + ?, updated = updated + ?, batches = batches + 1,
		last_row = ?, heartbeat_at = ? WHERE id = ?`, created, updated, batch[len(batch)-1].Row, ts(tx.now), id)
	if err != nil {
		return fmt.Errorf("record import progress: %w", err)
	}
	return nil
}

// importProject adds a project row to the customer it names, unless a
// project with the same name and start date is there already.
func (tx *Tx) importProject(ctx context.Context, rec dossier.ImportRecord, src dossier.Source) (dossier.ImportOutcome, error) {
	id, err := tx.recordCustomer(ctx, rec)
	if err != nil || id == 0 {
		return dossier.OutcomeNoCustomer, err
	}
	p := dossier.ProjectFromRecord(id, rec.Project, src)
	var n int
	err = tx.queryRow(ctx, `SELECT COUNT(*) FROM projects WHERE customer_id = ? AND `+liveImport("")+` AND name = ? AND start_date = ?`,
		id, p.Name, p.Start).Scan(&n)
	if err != nil || n > 0 {
		return dossier.OutcomeUnchanged, err
	}
	if err := tx.insertProject(ctx, &p); err != nil {
		return 0, err
	}
	_, err = tx.exec(ctx, "UPDATE customers SET version = version + 1, updated_at = ? WHERE id = ?", ts(tx.now), id)
	return dossier.OutcomeUpdated, err
}
