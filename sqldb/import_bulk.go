package sqldb

import (
	"context"
	"fmt"
	"strings"

	"github.com/dossier/dossier"
)

// The common import is a list of new customers. Writing them one statement
// at a time, each followed by a profile resolution, cost 60x the raw loader
// (BENCHMARKS.md). So a batch is matched against the store with one query,
// and the rows that create a customer nobody else in the batch names are
// written with multi-row INSERTs, their profile resolved in memory from
// their one observation. Rows that match an existing customer, or another
// row of the batch, take the row-by-row path, in file order, after them:
// the outcome is the same as if every row had taken it.

// maxBindVars keeps a multi-row statement under both engines' limits
// (SQLite 32766, PostgreSQL 65535).
const maxBindVars = 30000

// batchMatches finds which names and credit codes of a batch stored
// customers have (hidden ones too: a re-import brings them back), with one
// query per chunk of names and of codes; keys are "name:…" and "code:…".
func (tx *Tx) batchMatches(ctx context.Context, batch []dossier.ImportRecord) (map[string]bool, error) {
	var names, codes []any
	seen := map[string]bool{}
	for _, rec := range batch {
		if n := rec.Entry.Customer["name"]; n != "" && !seen["name:"+n] {
			seen["name:"+n] = true
			names = append(names, n)
		}
		if c := rec.Entry.Customer["credit_code"]; c != "" && !seen["code:"+c] {
			seen["code:"+c] = true
			codes = append(codes, c)
		}
	}
	found := map[string]bool{}
	for _, q := range []struct {
		col, prefix string
		vals        []any
	}{{"name", "name:", names}, {"credit_code", "code:", codes}} {
		for start := 0; start < len(q.vals); start += maxBindVars {
			chunk := q.vals[start:min(start+maxBindVars, len(q.vals))]
			rows, err := tx.QueryContext(ctx, tx.db.q("SELECT DISTINCT "+q.col+" FROM customers WHERE "+q.col+" IN ("+
				strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")+")"), chunk...)
			if err != nil {
				return nil, fmt.Errorf("match batch: %w", err)
			}
			for rows.Next() {
				var v string
				if err := rows.Scan(&v); err != nil {
					rows.Close()
					return nil, err
				}
				found[q.prefix+v] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
	}
	return found, nil
}

// splitBatch returns the indexes of the records that create a customer no
// other record of the batch and no stored customer shares a name or credit
// code with.
func splitBatch(batch []dossier.ImportRecord, stored map[string]bool) []bool {
	count := map[string]int{}
	for _, rec := range batch {
		if n := rec.Entry.Customer["name"]; n != "" {
			count["name:"+n]++
		}
		if c := rec.Entry.Customer["credit_code"]; c != "" {
			count["code:"+c]++
		}
	}
	fresh := make([]bool, len(batch))
	for i, rec := range batch {
		n, c := "name:"+rec.Entry.Customer["name"], rec.Entry.Customer["credit_code"]
		fresh[i] = count[n] == 1 && !stored[n] && (c == "" || (count["code:"+c] == 1 && !stored["code:"+c]))
	}
	return fresh
}

// reserveIDs returns n new ids of table (customers, observations or
// contacts). SQLite has one writer, and this transaction is it once it has
// written; PostgreSQL takes them from the identity sequence, so concurrent
// writers never collide.
func (tx *Tx) reserveIDs(ctx context.Context, table string, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	if n == 0 {
		return ids, nil
	}
	if tx.db.dialect.Name() == "postgres" {
		rows, err := tx.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence('`+table+`', 'id')) FROM generate_series(1, $1)`, n)
		if err != nil {
			return nil, fmt.Errorf("reserve %s ids: %w", table, err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
		return ids, rows.Err()
	}
	var max int64
	if err := tx.queryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM "+table).Scan(&max); err != nil {
		return nil, fmt.Errorf("reserve %s ids: %w", table, err)
	}
	for i := range n {
		ids = append(ids, max+1+int64(i))
	}
	return ids, nil
}

// createCustomers writes new customers with their observation, contact and
// interaction in a few multi-row statements. The observations and contacts
// get their ids here, so the customers' quality rows are computed from what
// was written rather than read back (see freshGroup).
func (tx *Tx) createCustomers(ctx context.Context, recs []dossier.ImportRecord, src dossier.Source) error {
	if len(recs) == 0 {
		return nil
	}
	nObs, nContacts := 0, 0
	for _, rec := range recs {
		if len(rec.Entry.Customer) > 0 {
			nObs++
		}
		if rec.Entry.Contact["contact_name"] != "" {
			nContacts++
		}
	}
	var ids, obsIDs, contactIDs []int64
	var err error
	for _, r := range []struct {
		ids   *[]int64
		table string
		n     int
	}{{&ids, "customers", len(recs)}, {&obsIDs, "observations", nObs}, {&contactIDs, "contacts", nContacts}} {
		if *r.ids, err = tx.reserveIDs(ctx, r.table, r.n); err != nil {
			return err
		}
	}
	tx.touch(ids...)
	now := ts(tx.now)
	t := newBulkTables()
	t.withIDs()
	fresh := make([]*group, len(recs))
	for i, rec := range recs {
		e := rec.Entry
		b := dossier.BulkCustomer{Customer: dossier.Customer{ID: ids[i]}}
		if len(e.Customer) > 0 {
			b.Observations = []dossier.Observation{{ID: obsIDs[0], Values: e.Customer, Remarks: e.Remarks, Source: src}}
			obsIDs = obsIDs[1:]
		}
		b.Customer.Values = tx.db.policy.ResolveObservations(b.Observations)
		if e.Contact["contact_name"] != "" {
			c := contactFromEntry(ids[i], e.Contact, src)
			c.ID, contactIDs = contactIDs[0], contactIDs[1:]
			b.Contacts = []dossier.Contact{c}
		}
		if e.Interaction["last_contact_date"] != "" {
			in := interactionFromEntry(ids[i], e.Interaction, src)
			b.Interactions, b.Customer.LastContact = []dossier.Interaction{in}, in.Date
		}
		if err := t.add(&b, now); err != nil {
			return fmt.Errorf("row %d: %w", rec.Row, err)
		}
		fresh[i] = freshGroup(&b, now)
	}
	if l, ok := tx.db.dialect.(TxLoader); ok && tx.conn != nil {
		err = l.LoadInTx(ctx, tx.conn, t.list())
	} else {
		for _, tr := range t.list() {
			if err = tx.insertRows(ctx, tr); err != nil {
				break
			}
		}
	}
	if err != nil {
		return err
	}
	tx.written(fresh)
	return nil
}

// freshGroup is the quality group of a customer just written, as loadGroups
// would read it back: its one observation and contact, with their times as
// the store keeps them and the contact's columns batchContacts reads. Its
// facts are resolved when its quality rows are written (writeQuality), a
// part at a time as for stored customers.
func freshGroup(b *dossier.BulkCustomer, now string) *group {
	g := &group{c: &dossier.Customer{ID: b.Customer.ID}}
	for _, o := range b.Observations {
		s := o.Source
		g.obs = append(g.obs, dossier.Observation{ID: o.ID, CustomerID: b.Customer.ID, Values: o.Values,
			Remarks: nonEmptyRemarks(o.Remarks, o.Values), RecordedAt: parseTS(now),
			Source: dossier.Source{Channel: s.Channel, Detail: s.Detail, CollectedAt: parseTS(ts(s.CollectedAt)), CollectedBy: s.CollectedBy, ImportID: s.ImportID}})
	}
	for _, c := range b.Contacts {
		g.contacts = append(g.contacts, dossier.Contact{ID: c.ID, CustomerID: b.Customer.ID, Name: c.Name, Role: c.Role, Phone: c.Phone, Email: c.Email,
			Source: dossier.Source{Channel: c.Source.Channel, Detail: c.Source.Detail, CollectedAt: parseTS(ts(c.Source.CollectedAt))}, CreatedAt: parseTS(now)})
	}
	return g
}

// insertRows writes a table's rows with as few multi-row INSERTs as the
// engines' bind-variable limits allow.
func (tx *Tx) insertRows(ctx context.Context, t TableRows) error {
	if len(t.Rows) == 0 {
		return nil
	}
	per := maxBindVars / len(t.Columns)
	head := "INSERT INTO " + t.Table + " (" + strings.Join(t.Columns, ", ") + ") VALUES "
	for start := 0; start < len(t.Rows); start += per {
		chunk := t.Rows[start:min(start+per, len(t.Rows))]
		args := make([]any, 0, len(chunk)*len(t.Columns))
		for _, r := range chunk {
			args = append(args, r...)
		}
		if _, err := tx.exec(ctx, head+valuesList(len(chunk), len(t.Columns), nil), args...); err != nil {
			return fmt.Errorf("insert %d rows into %s: %w", len(chunk), t.Table, err)
		}
	}
	return nil
}
