package sqldb

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
)

// eachDriverRow runs a read query on one of the read pool's connections
// through the driver itself (driver.QueryerContext, driver.Rows) and calls
// scan for every row with a driverRow. The recompute's range queries hand
// over ~20 rows and ~200 columns per customer: database/sql's Rows.Scan
// converts each column through convertAssign (a type switch, a Scanner
// call for the Null types, a copy of every text read as bytes), which was
// about a tenth of the reading. driverRow.Scan assigns the driver's values
// directly for the destination types these queries use, with
// database/sql's results (TestDriverRowScansAsDatabaseSQL), and refuses
// other destination types.
func (db *DB) eachDriverRow(ctx context.Context, query string, args []any, scan func(sc scanner) error) error {
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		v, err := driver.DefaultParameterConverter.ConvertValue(a)
		if err != nil {
			return fmt.Errorf("argument %d: %w", i+1, err)
		}
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	conn, err := db.r.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return fmt.Errorf("driver %T cannot query", dc)
		}
		rows, err := q.QueryContext(ctx, query, named)
		if err != nil {
			return err
		}
		defer rows.Close()
		r := &driverRow{vals: make([]driver.Value, len(rows.Columns()))}
		for {
			if err := rows.Next(r.vals); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			if err := scan(r); err != nil {
				return err
			}
		}
	})
}

// driverRow is one row as the driver gives it.
type driverRow struct{ vals []driver.Value }

// Scan assigns the row's values to dest as database/sql's Rows.Scan would.
func (r *driverRow) Scan(dest ...any) error {
	if len(dest) != len(r.vals) {
		return fmt.Errorf("sql: expected %d destination arguments in Scan, not %d", len(r.vals), len(dest))
	}
	for i, d := range dest {
		if err := assignDriverValue(d, r.vals[i]); err != nil {
			return fmt.Errorf("sql: Scan error on column index %d: %w", i, err)
		}
	}
	return nil
}

// errUnsupportedScan is a destination type driverRow does not convert to:
// a query that needs one must read through database/sql.
var errUnsupportedScan = errors.New("unsupported scan for a driver row")

// assignDriverValue stores src (int64, float64, bool, []byte, string,
// time.Time or nil, as drivers give them) in dest: directly for the pairs
// the recompute's reads meet, through database/sql's own conversion
// (assignSlowly) for any other value of the same destination types.
func assignDriverValue(dest, src any) error {
	switch d := dest.(type) {
	case *any:
		if b, ok := src.([]byte); ok {
			*d = bytes.Clone(b)
		} else {
			*d = src
		}
		return nil
	case *string:
		if s, ok := src.(string); ok {
			*d = s
			return nil
		}
	case *int64:
		if n, ok := src.(int64); ok {
			*d = n
			return nil
		}
	case *int:
		if n, ok := src.(int64); ok && int64(int(n)) == n {
			*d = int(n)
			return nil
		}
	case *[]byte:
		switch s := src.(type) {
		case string:
			*d = []byte(s)
			return nil
		case []byte:
			*d = bytes.Clone(s)
			return nil
		case nil:
			*d = nil
			return nil
		}
	case *sql.NullString:
		switch s := src.(type) {
		case string:
			*d = sql.NullString{String: s, Valid: true}
			return nil
		case nil:
			*d = sql.NullString{}
			return nil
		}
	case *sql.NullInt64:
		switch n := src.(type) {
		case int64:
			*d = sql.NullInt64{Int64: n, Valid: true}
			return nil
		case nil:
			*d = sql.NullInt64{}
			return nil
		}
	}
	return assignSlowly(dest, src)
}

// assignSlowly converts what the fast path does not (a number in a text
// column, a blob read as text, NULL where a value is needed) with
// database/sql's own rules: a Scanner's Scan, which Rows.Scan calls too,
// or sql.Null's, which converts as Rows.Scan does but for NULL.
func assignSlowly(dest, src any) error {
	switch d := dest.(type) {
	case sql.Scanner:
		return d.Scan(src)
	case *string:
		return scanNotNull(d, src)
	case *int64:
		return scanNotNull(d, src)
	case *int:
		return scanNotNull(d, src)
	case *[]byte:
		return scanNotNull(d, src)
	}
	return fmt.Errorf("%w: %T into %T", errUnsupportedScan, src, dest)
}

// scanNotNull converts src into *d as Rows.Scan does: NULL is an error.
func scanNotNull[T any](d *T, src any) error {
	if src == nil {
		return fmt.Errorf("converting NULL to %T is unsupported", *d)
	}
	var n sql.Null[T]
	if err := n.Scan(src); err != nil {
		return err
	}
	*d = n.V
	return nil
}
