package sqldb

import (
	"database/sql"
	"encoding/json"
	"strconv"
	"time"

	"github.com/dossier/dossier"
)

var timeNow = time.Now

// colKind is how a registry type is stored in a customers column.
type colKind int

const (
	colText colKind = iota
	colInt
	colReal
)

func kindOf(t dossier.FieldType) colKind {
	switch t {
	case dossier.TypeMoney, dossier.TypeRating:
		return colInt
	case dossier.TypeNumber, dossier.TypePercent:
		return colReal
	}
	return colText
}

// profileField is a built-in customer field kept in a column of its own (of
// the same name); all other customer fields live in the custom JSON column.
type profileField struct {
	key  string
	kind colKind
}

var profileFields = func() []profileField {
	var pf []profileField
	for _, f := range dossier.BuiltinFields() {
		if f.Entity == dossier.EntityCustomer {
			pf = append(pf, profileField{f.Key, kindOf(f.Type)})
		}
	}
	return pf
}()

// ProfileColumns lists the customers columns that hold registry fields, for
// the schema test.
func ProfileColumns() []string {
	cols := make([]string, len(profileFields))
	for i, f := range profileFields {
		cols[i] = f.key
	}
	return cols
}

var isProfileColumn = func() map[string]bool {
	m := map[string]bool{}
	for _, f := range profileFields {
		m[f.key] = true
	}
	return m
}()

// columnValue converts a canonical value to what its column stores. A value
// that does not convert (legacy or planted bad data) is stored as NULL; its
// fact keeps the text.
func columnValue(kind colKind, v string) any {
	if v == "" {
		return nil
	}
	switch kind {
	case colInt:
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil
		}
		return int64(n)
	case colReal:
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil
		}
		return n
	}
	return v
}

// profileArgs returns the column values of a resolved profile, in
// profileFields order, and the custom JSON.
func profileArgs(vals map[string]string) ([]any, string) {
	args := make([]any, 0, len(profileFields)+1)
	for _, f := range profileFields {
		args = append(args, columnValue(f.kind, vals[f.key]))
	}
	custom := map[string]string{}
	for k, v := range vals {
		if !isProfileColumn[k] && v != "" {
			custom[k] = v
		}
	}
	return args, marshalStrings(custom)
}

// customerColumns is the select list that scanCustomer reads.
var customerColumns = func() string {
	s := "c.id"
	for _, f := range profileFields {
		s += ", c." + f.key
	}
	return s + ", c.custom, c.last_contact, c.score, c.merged_into, c.version, c.shared_with_team, c.created_at, c.updated_at"
}()

type scanner interface{ Scan(dest ...any) error }

func scanCustomer(row scanner) (*dossier.Customer, error) {
	var (
		c                    dossier.Customer
		cols                 = make([]sql.NullString, len(profileFields))
		custom, created, upd string
		last                 sql.NullString
		score, mergedInto    sql.NullInt64
		shared               int
	)
	dest := []any{&c.ID}
	for i := range cols {
		dest = append(dest, &cols[i])
	}
	dest = append(dest, &custom, &last, &score, &mergedInto, &c.Version, &shared, &created, &upd)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	vals := map[string]string{}
	_ = json.Unmarshal([]byte(custom), &vals)
	for i, f := range profileFields {
		if cols[i].Valid {
			vals[f.key] = canonicalColumn(f.kind, cols[i].String)
		}
	}
	c.SetResolved(vals)
	c.LastContact, c.MergedInto, c.SharedWithTeam = last.String, mergedInto.Int64, shared != 0
	if score.Valid {
		s := int(score.Int64)
		c.Score = &s
	}
	c.Priority = vals["follow_up_priority"]
	c.CreatedAt, c.UpdatedAt = parseTS(created), parseTS(upd)
	return &c, nil
}

// canonicalValue is canonicalColumn of what a driver value scanned into a
// sql.NullString would be, without that string for the numbers the drivers
// give (int64, float64): the recompute reads a dozen numeric columns per
// customer, and each was formatted, parsed and formatted again. ok is false
// for NULL.
func canonicalValue(kind colKind, v any) (s string, ok bool) {
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return canonicalColumn(kind, x), true
	case int64:
		switch kind {
		case colText:
			return strconv.FormatInt(x, 10), true
		case colInt:
			return strconv.FormatInt(int64(float64(x)), 10), true
		}
		return dossier.FormatNumber(float64(x)), true
	case float64:
		switch kind {
		case colText:
			return strconv.FormatFloat(x, 'g', -1, 64), true
		case colInt:
			return strconv.FormatInt(int64(x), 10), true
		}
		return dossier.FormatNumber(x), true
	}
	var ns sql.NullString // anything else converts as database/sql would
	if err := ns.Scan(v); err != nil || !ns.Valid {
		return "", false
	}
	return canonicalColumn(kind, ns.String), true
}

// canonicalColumn turns what the driver gives for a numeric column ("12.0",
// "1.2e+06") back into the canonical form.
func canonicalColumn(kind colKind, s string) string {
	if kind == colText {
		return s
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	if kind == colInt {
		return strconv.FormatInt(int64(n), 10)
	}
	return dossier.FormatNumber(n)
}
