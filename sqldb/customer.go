package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/dossier/dossier"
)

// CreateCustomer implements dossier.CustomerService. Contact and interaction
// values in the entry create a contact and an interaction with the same source.
func (db *DB) CreateCustomer(ctx context.Context, nc dossier.NewCustomer) (*dossier.Customer, error) {
	if err := nc.Source.Validate(); err != nil {
		return nil, err
	}
	var id int64
	err := db.inTx(ctx, func(tx *Tx) error {
		e, err := tx.normalize(ctx, nc.Values, nc.Remarks)
		if err != nil {
			return err
		}
		if e.Customer["name"] == "" {
			return dossier.FieldError("name", "a customer needs a name")
		}
		if id, err = tx.insertCustomer(ctx); err != nil {
			return fmt.Errorf("create customer: %w", err)
		}
		if err := tx.observe(ctx, id, e, nc.Source); err != nil {
			return err
		}
		return tx.announce(ctx, dossier.EventCustomerCreated, customerEvent{CustomerID: id, Name: e.Customer["name"]})
	})
	if err != nil {
		return nil, err
	}
	return db.FindCustomerByID(ctx, id)
}

func (tx *Tx) normalize(ctx context.Context, vals map[string]string, remarks map[string]dossier.Remark) (dossier.Entry, error) {
	reg, err := tx.registry(ctx)
	if err != nil {
		return dossier.Entry{}, err
	}
	return reg.Normalize(vals, remarks)
}

func (tx *Tx) insertCustomer(ctx context.Context) (int64, error) {
	now := ts(tx.now)
	return tx.insert(ctx, `INSERT INTO customers (name, version, created_at, updated_at) VALUES ('', 0, ?, ?)`, now, now)
}

// observe appends the entry's customer values as an observation, stores its
// contact and interaction, and re-resolves the profile.
func (tx *Tx) observe(ctx context.Context, id int64, e dossier.Entry, src dossier.Source) error {
	if len(e.Customer) > 0 {
		if err := tx.insertObservation(ctx, id, e.Customer, e.Remarks, src); err != nil {
			return err
		}
	}
	if e.Contact["contact_name"] != "" {
		c := contactFromEntry(id, e.Contact, src)
		if err := tx.insertContact(ctx, &c); err != nil {
			return err
		}
	}
	if e.Interaction["last_contact_date"] != "" {
		in := interactionFromEntry(id, e.Interaction, src)
		if err := tx.insertInteraction(ctx, &in); err != nil {
			return err
		}
	}
	return tx.resolve(ctx, id)
}

func (tx *Tx) insertObservation(ctx context.Context, id int64, vals map[string]string, remarks map[string]dossier.Remark, src dossier.Source) error {
	vb, err := json.Marshal(vals)
	if err != nil {
		return err
	}
	rb, err := json.Marshal(nonEmptyRemarks(remarks, vals))
	if err != nil {
		return err
	}
	tx.touch(id)
	_, err = tx.exec(ctx, `INSERT INTO observations
		(customer_id, src_channel, src_detail, collected_at, collected_by, import_id, vals, remarks, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, string(src.Channel), src.Detail, ts(src.CollectedAt), src.CollectedBy, nullInt(src.ImportID), string(vb), string(rb), ts(tx.now))
	if err != nil {
		return fmt.Errorf("insert observation: %w", err)
	}
	return nil
}

func nonEmptyRemarks(rm map[string]dossier.Remark, vals map[string]string) map[string]dossier.Remark {
	out := map[string]dossier.Remark{}
	for k, r := range rm {
		if _, ok := vals[k]; ok && r != dossier.RemarkNone {
			out[k] = r
		}
	}
	return out
}

// resolve recomputes a customer's profile columns from all its observations
// and its interactions, and bumps the version.
func (tx *Tx) resolve(ctx context.Context, id int64) error {
	tx.touch(id)
	obs, err := tx.observations(ctx, id)
	if err != nil {
		return err
	}
	if len(obs) == 0 {
		// Every fact came from undone imports: hide the customer, keeping its
		// columns so that a re-import finds it by name or credit code.
		_, err := tx.exec(ctx, "UPDATE customers SET hidden = 1, version = version + 1, updated_at = ? WHERE id = ?", ts(tx.now), id)
		return err
	}
	vals := tx.db.policy.ResolveObservations(obs)
	if vals["name"] == "" {
		// Only undone imports named the customer; what is left (say, a
		// field typed in later) cannot stand alone: hide it as above.
		_, err := tx.exec(ctx, "UPDATE customers SET hidden = 1, version = version + 1, updated_at = ? WHERE id = ?", ts(tx.now), id)
		return err
	}
	args, custom := profileArgs(vals)
	set := make([]string, 0, len(profileFields))
	for _, f := range profileFields {
		set = append(set, f.key+" = ?")
	}
	args = append(args, custom, ts(tx.now), id)
	q := "UPDATE customers SET " + strings.Join(set, ", ") + `, custom = ?,
		last_contact = (SELECT MAX(date) FROM interactions WHERE customer_id = customers.id AND ` + liveImport("") + `), hidden = 0,
		version = version + 1, updated_at = ? WHERE id = ?`
	if _, err := tx.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("resolve customer %d: %w", id, err)
	}
	return nil
}

// FindCustomerByID implements dossier.CustomerService.
func (db *DB) FindCustomerByID(ctx context.Context, id int64) (*dossier.Customer, error) {
	// A customer hidden by an undone import is gone for every reader until
	// the import is restored; its observations stay for the audit trail.
	row := db.r.QueryRowContext(ctx, db.q("SELECT "+customerColumns+" FROM customers c WHERE c.id = ? AND c.hidden = 0"), id)
	c, err := scanCustomer(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, dossier.Errorf(dossier.ENOTFOUND, "customer %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("find customer %d: %w", id, err)
	}
	return c, nil
}

// UpdateCustomer implements dossier.CustomerService. A zero Version skips the
// version check (used by computations, never by people's edits).
func (db *DB) UpdateCustomer(ctx context.Context, id int64, upd dossier.CustomerUpdate) (*dossier.Customer, error) {
	if err := upd.Source.Validate(); err != nil {
		return nil, err
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		_, version, err := tx.activeCustomer(ctx, id)
		if err != nil {
			return err
		}
		if upd.Version != 0 && upd.Version != version {
			return dossier.Errorf(dossier.ECONFLICT, "customer %d was changed by someone else (version %d, yours %d): reload and apply your change again", id, version, upd.Version)
		}
		e, err := tx.normalize(ctx, upd.Values, upd.Remarks)
		if err != nil {
			return err
		}
		if err := tx.observe(ctx, id, e, upd.Source); err != nil {
			return err
		}
		return tx.announce(ctx, dossier.EventCustomerChanged, customerEvent{CustomerID: id})
	})
	if err != nil {
		return nil, err
	}
	return db.FindCustomerByID(ctx, id)
}

// Observations implements dossier.CustomerService.
func (db *DB) Observations(ctx context.Context, customerID int64) ([]dossier.Observation, error) {
	if _, err := db.FindCustomerByID(ctx, customerID); err != nil {
		return nil, err
	}
	return queryObservations(ctx, db.r, db.q, customerID)
}

func (tx *Tx) observations(ctx context.Context, customerID int64) ([]dossier.Observation, error) {
	return queryObservations(ctx, tx, tx.db.q, customerID)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// groupCTE names, as grp(id), a customer and every customer merged into it
// (transitively) by a merge not undone: the customers whose observations
// make up its profile.
const groupCTE = `WITH RECURSIVE grp(id) AS (
		SELECT CAST(? AS BIGINT)
		UNION
		SELECT m.absorbed FROM merges m JOIN grp ON m.survivor = grp.id WHERE m.undone_at IS NULL) `

const observationColumns = `id, customer_id, src_channel, src_detail, collected_at, collected_by,
		import_id, vals, remarks, recorded_at`

// queryObservations returns the observations of a customer and of every
// customer merged into it, oldest first; each keeps its own customer_id.
func queryObservations(ctx context.Context, qr querier, q func(string) string, customerID int64) ([]dossier.Observation, error) {
	rows, err := qr.QueryContext(ctx, q(groupCTE+`SELECT `+observationColumns+`
		FROM observations WHERE customer_id IN (SELECT id FROM grp) AND `+liveImport("")+` ORDER BY id`), customerID)
	if err != nil {
		return nil, fmt.Errorf("observations of %d: %w", customerID, err)
	}
	return scanObservations(rows)
}

func scanObservations(rows *sql.Rows) ([]dossier.Observation, error) {
	defer rows.Close()
	var out []dossier.Observation
	for rows.Next() {
		var (
			o                              dossier.Observation
			channel, collected, vals, rems string
			recorded                       string
			imp                            sql.NullInt64
		)
		if err := rows.Scan(&o.ID, &o.CustomerID, &channel, &o.Source.Detail, &collected, &o.Source.CollectedBy,
			&imp, &vals, &rems, &recorded); err != nil {
			return nil, err
		}
		o.Source.Channel, o.Source.ImportID = dossier.Channel(channel), imp.Int64
		o.Source.CollectedAt, o.RecordedAt = parseTS(collected), parseTS(recorded)
		var err error
		if o.Values, err = unmarshalStrings(vals); err != nil {
			return nil, fmt.Errorf("observation %d: %w", o.ID, err)
		}
		if rems == "{}" { // most observations: what json.Unmarshal makes of it
			o.Remarks = map[string]dossier.Remark{}
		} else {
			_ = json.Unmarshal([]byte(rems), &o.Remarks)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// FieldHistory implements dossier.CustomerService.
func (db *DB) FieldHistory(ctx context.Context, customerID int64, field string) ([]dossier.Fact, *dossier.Fact, error) {
	obs, err := db.Observations(ctx, customerID)
	if err != nil {
		return nil, nil, err
	}
	var hist []dossier.Fact
	for _, f := range dossier.Facts(obs) {
		if f.Field == field {
			hist = append(hist, f)
		}
	}
	won, ok := db.policy.Resolve(hist)[field]
	if !ok {
		return hist, nil, nil
	}
	return hist, &won, nil
}
