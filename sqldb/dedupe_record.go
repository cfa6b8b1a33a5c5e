package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/dossier/dossier"
)

// DedupeFields are the fields EachDedupeRecord gives the matcher: the
// profile's identifying fields, and the contacts' phones, e-mails and names
// joined by ";".
var DedupeFields = []string{"name", "credit_code", "industry", "province", "city", "address", "phone", "email", "contact_names"}

// dedupeProfileFields are the profile columns of DedupeFields.
var dedupeProfileFields = DedupeFields[:6]

// EachDedupeRecord calls fn for every active (not merged, not hidden)
// customer in id order with the non-empty fields a matcher compares,
// reading in batches so memory holds one batch; `dossier dedupe` on the
// store feeds them to the matcher and its pairs to SavePairs. fn owns the
// map it is given.
func (db *DB) EachDedupeRecord(ctx context.Context, fn func(id int64, fields map[string]string) error) error {
	var after int64
	for {
		recs, err := db.dedupeProfiles(ctx, after)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return nil
		}
		ids := make([]any, len(recs))
		for i, r := range recs {
			ids[i] = r.id
		}
		keys, err := db.contactKeys(ctx, ids)
		if err != nil {
			return err
		}
		for _, r := range recs {
			keys[r.id].addTo(r.fields)
			if err := fn(r.id, r.fields); err != nil {
				return err
			}
		}
		after = recs[len(recs)-1].id
	}
}

type dedupeRecord struct {
	id     int64
	fields map[string]string
}

// dedupeProfiles reads the next batch of customers after id, only the
// columns the matcher compares: a whole customer row with its custom JSON
// was a third of the time spent reading records.
func (db *DB) dedupeProfiles(ctx context.Context, after int64) ([]dedupeRecord, error) {
	rows, err := db.r.QueryContext(ctx, db.q("SELECT c.id, c."+strings.Join(dedupeProfileFields, ", c.")+
		" FROM customers c WHERE c.hidden = 0 AND c.merged_into IS NULL AND c.id > ? ORDER BY c.id LIMIT ?"), after, MaxLimit)
	if err != nil {
		return nil, fmt.Errorf("dedupe customers: %w", err)
	}
	defer rows.Close()
	var (
		out  []dedupeRecord
		vals = make([]sql.NullString, len(dedupeProfileFields))
		dest = make([]any, 1+len(vals))
	)
	for rows.Next() {
		var r dedupeRecord
		dest[0] = &r.id
		for i := range vals {
			vals[i] = sql.NullString{}
			dest[1+i] = &vals[i]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("dedupe customers: %w", err)
		}
		r.fields = make(map[string]string, len(DedupeFields))
		for i, k := range dedupeProfileFields {
			if vals[i].String != "" {
				r.fields[k] = vals[i].String
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// contactKeyList is what a customer's contacts give the matcher: their
// phones, e-mails and names, each once.
type contactKeyList struct{ phones, emails, names []string }

func (l *contactKeyList) add(name, phone, email string) {
	if phone != "" {
		phone = canonPhone(phone) // E.164 where it parses, so that one number blocks once
	}
	for _, kv := range [...]struct {
		list *[]string
		v    string
	}{{&l.phones, phone}, {&l.emails, strings.ToLower(email)}, {&l.names, name}} {
		if kv.v != "" && kv.v != dossier.ErasedName && !slices.Contains(*kv.list, kv.v) {
			*kv.list = append(*kv.list, kv.v)
		}
	}
}

func (l *contactKeyList) addTo(f map[string]string) {
	if l == nil {
		return
	}
	join := func(k string, vs []string) {
		if len(vs) > 0 {
			f[k] = strings.Join(vs, ";")
		}
	}
	join("phone", l.phones)
	join("email", l.emails)
	join("contact_names", l.names)
}

// contactKeys gathers the phones, e-mails and names of the customers'
// contacts.
func (db *DB) contactKeys(ctx context.Context, ids []any) (map[int64]*contactKeyList, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT customer_id, name, phone, email FROM contacts
		WHERE merged_into IS NULL AND customer_id IN (`+placeholders(len(ids))+") ORDER BY id"), ids...)
	if err != nil {
		return nil, fmt.Errorf("dedupe contacts: %w", err)
	}
	defer rows.Close()
	out := make(map[int64]*contactKeyList, len(ids))
	for rows.Next() {
		var (
			id                 int64
			name, phone, email string
		)
		if err := rows.Scan(&id, &name, &phone, &email); err != nil {
			return nil, err
		}
		l := out[id]
		if l == nil {
			l = &contactKeyList{}
			out[id] = l
		}
		l.add(name, phone, email)
	}
	return out, rows.Err()
}
