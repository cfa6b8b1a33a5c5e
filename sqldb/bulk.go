package sqldb

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/dossier/dossier"
)

// NextCustomerID implements dossier.BulkLoader.
func (db *DB) NextCustomerID(ctx context.Context) (int64, error) {
	var max int64
	if err := db.w.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM customers").Scan(&max); err != nil {
		return 0, fmt.Errorf("next customer id: %w", err)
	}
	return max + 1, nil
}

// LoadCustomers implements dossier.BulkLoader: a batch becomes one row set
// per table, written by the dialect in one transaction.
func (db *DB) LoadCustomers(ctx context.Context, batch []dossier.BulkCustomer) error {
	now := ts(db.now())
	t := newBulkTables()
	for i := range batch {
		if err := t.add(&batch[i], now); err != nil {
			return err
		}
	}
	if err := db.startLoad(ctx); err != nil {
		return err
	}
	if err := db.dialect.Load(ctx, db.w, t.list()); err != nil {
		return fmt.Errorf("load %d customers: %w", len(batch), err)
	}
	if err := db.bumpVersionAfterLoad(ctx); err != nil {
		return err
	}
	db.loadMu.Lock()
	for i := range batch {
		db.loaded = append(db.loaded, batch[i].Customer.ID)
	}
	db.loadMu.Unlock()
	return nil
}

// startLoad marks the quality rows stale before the first batch of a load
// (the loader writes no quality rows): should the process stop before
// FinishLoad, the next quality list rebuilds them all.
func (db *DB) startLoad(ctx context.Context) error {
	db.loadMu.Lock()
	defer db.loadMu.Unlock()
	if db.loading {
		return nil
	}
	b, err := qualityBasisFrom(ctx, db.r, db.q)
	if err != nil {
		return err
	}
	stored, err := db.storedQualityBasis(ctx)
	if err != nil {
		return err
	}
	if _, err := db.w.ExecContext(ctx, "DELETE FROM quality_basis"); err != nil {
		return fmt.Errorf("load: %w", err)
	}
	db.loading, db.loadOK, db.loaded = true, stored == b.key, nil
	return nil
}

// FinishLoad implements dossier.BulkLoader. It also writes the quality rows
// of the loaded customers, a batch per transaction: only theirs when the
// others' were current, else all of them.
func (db *DB) FinishLoad(ctx context.Context) error {
	if err := db.dialect.AfterLoad(ctx, db.w); err != nil {
		return err
	}
	db.loadMu.Lock()
	ids, ok, loading := db.loaded, db.loadOK, db.loading
	db.loaded, db.loading = nil, false
	db.loadMu.Unlock()
	if !loading {
		return nil
	}
	if !ok {
		_, err := db.RebuildQuality(ctx)
		return err
	}
	b, err := qualityBasisFrom(ctx, db.r, db.q)
	if err != nil {
		return err
	}
	slices.Sort(ids)
	for start := 0; start < len(ids); start += groupBatch {
		part := ids[start:min(start+groupBatch, len(ids))]
		err := db.inTx(ctx, func(tx *Tx) error {
			tx.qbasis = b
			return tx.writeQuality(ctx, part, "customer_id IN ("+placeholders(len(part))+")", int64sAny(part))
		})
		if err != nil {
			return err
		}
	}
	return db.inTx(ctx, func(tx *Tx) error { return tx.saveQualityBasis(ctx, b.key) })
}

type bulkTables struct {
	customers, observations, contacts, interactions, needs, projects TableRows
	ids                                                              bool // observations and contacts carry their ids (withIDs)
}

// withIDs writes the ids of observations and contacts instead of letting
// the store number them.
func (t *bulkTables) withIDs() {
	t.ids = true
	t.observations.Columns = append([]string{"id"}, t.observations.Columns...)
	t.contacts.Columns = append([]string{"id"}, t.contacts.Columns...)
}

// lead is the start of a row of observations or contacts: the id when the
// tables carry ids, then the customer id.
func (t *bulkTables) lead(id, customerID int64) []any {
	if t.ids {
		return []any{id, customerID}
	}
	return []any{customerID}
}

func newBulkTables() *bulkTables {
	cust := []string{"id"}
	cust = append(cust, ProfileColumns()...)
	cust = append(cust, "custom", "last_contact", "version", "created_at", "updated_at")
	return &bulkTables{
		customers:    TableRows{Table: "customers", Columns: cust},
		observations: TableRows{Table: "observations", Columns: []string{"customer_id", "src_channel", "src_detail", "collected_at", "collected_by", "import_id", "vals", "remarks", "recorded_at"}},
		contacts:     TableRows{Table: "contacts", Columns: []string{"customer_id", "name", "title", "role", "phone", "email", "preferences", "src_channel", "src_detail", "collected_at", "collected_by", "import_id", "created_at"}},
		interactions: TableRows{Table: "interactions", Columns: []string{"customer_id", "contact_id", "date", "channel", "summary", "feedback", "feedback_text", "recorded_by", "src_channel", "src_detail", "collected_at", "collected_by", "import_id", "created_at"}},
		needs:        TableRows{Table: "needs", Columns: []string{"customer_id", "type", "description", "explicit", "budget", "timeline", "expected_amount", "urgency", "importance", "src_channel", "src_detail", "collected_at", "collected_by", "import_id"}},
		projects:     TableRows{Table: "projects", Columns: []string{"customer_id", "name", "start_date", "end_date", "amount", "satisfaction", "src_channel", "src_detail", "collected_at", "collected_by", "import_id"}},
	}
}

func (t *bulkTables) list() []TableRows {
	return []TableRows{t.customers, t.observations, t.contacts, t.interactions, t.needs, t.projects}
}

func (t *bulkTables) add(b *dossier.BulkCustomer, now string) error {
	c := &b.Customer
	if c.ID == 0 || c.Values["name"] == "" {
		return dossier.Errorf(dossier.EINVALID, "bulk customer needs an id and a name")
	}
	args, custom := profileArgs(c.Values)
	row := append([]any{c.ID}, args...)
	var last any
	if c.LastContact != "" {
		last = c.LastContact
	}
	t.customers.Rows = append(t.customers.Rows, append(row, custom, last, max(c.Version, 1), now, now))
	for _, o := range b.Observations {
		rb := "{}"
		if rm := nonEmptyRemarks(o.Remarks, o.Values); len(rm) > 0 {
			b, _ := json.Marshal(rm)
			rb = string(b)
		}
		t.observations.Rows = append(t.observations.Rows, append(t.lead(o.ID, c.ID), append(srcArgs(o.Source), marshalStrings(o.Values), rb, now)...))
	}
	for _, k := range b.Contacts {
		t.contacts.Rows = append(t.contacts.Rows, append(append(t.lead(k.ID, c.ID), k.Name, k.Title, k.Role, k.Phone, k.Email, k.Preferences),
			append(srcArgs(k.Source), now)...))
	}
	for _, in := range b.Interactions {
		t.interactions.Rows = append(t.interactions.Rows, append([]any{c.ID, nullInt(in.ContactID), in.Date, in.Channel, in.Summary, in.Feedback,
			in.FeedbackText, in.RecordedBy}, append(srcArgs(in.Source), now)...))
	}
	for _, n := range b.Needs {
		t.needs.Rows = append(t.needs.Rows, append([]any{c.ID, n.Type, n.Description, b2i(n.Explicit), n.Budget, n.Timeline,
			nullInt(n.ExpectedAmount), n.Urgency, n.Importance}, srcArgs(n.Source)...))
	}
	for _, p := range b.Projects {
		var sat any
		if p.Satisfaction > 0 {
			sat = p.Satisfaction
		}
		t.projects.Rows = append(t.projects.Rows, append([]any{c.ID, p.Name, p.Start, p.End, nullInt(p.Amount), sat}, srcArgs(p.Source)...))
	}
	return nil
}
