package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// TestDriverRowScansAsDatabaseSQL: every value SQLite gives (integer, real,
// text, blob, NULL, in columns declared any way), scanned into every
// destination type driverRow takes, is what database/sql's Rows.Scan gives,
// or an error where Rows.Scan gives one.
func TestDriverRowScansAsDatabaseSQL(t *testing.T) {
	ctx := context.Background()
	accepted, refused := 0, 0
	raw, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	if _, err := raw.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, b BLOB, n NUMERIC);
		INSERT INTO t VALUES (1, 42, 2.5, 'abc', x'00ff', '12'), (2, NULL, NULL, NULL, NULL, NULL),
			(3, -7, 1e300, '', x'', 3.25), (4, 9223372036854775807, -0.0, '0042', 'text in blob', 'x'),
			(5, 'not a number', 7, 17, 1.5, NULL)`); err != nil {
		t.Fatal(err)
	}
	newDest := []func() any{
		func() any { return new(any) }, func() any { return new(string) }, func() any { return new(int64) },
		func() any { return new(int) }, func() any { return new([]byte) }, func() any { return new(sql.NullString) },
		func() any { return new(sql.NullInt64) },
	}
	db := &DB{r: raw}
	cols := []string{"i", "r", "s", "b", "n", "i + 1", "s || 'x'", "COUNT(*) OVER ()"}
	for _, col := range cols {
		for _, nd := range newDest {
			// database/sql's Scan of each row, then driverRow's.
			query := `SELECT ` + col + ` FROM t WHERE id > ? AND id <= ? ORDER BY id LIMIT ?`
			args := []any{int8(0), int64(5), 10}
			var want []any
			var wantErr []error
			rows, err := raw.QueryContext(ctx, query, args...)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				d := nd()
				wantErr = append(wantErr, rows.Scan(d))
				want = append(want, d)
			}
			rows.Close()
			r := 0
			err = db.eachDriverRow(ctx, query, args, func(sc scanner) error {
				d := nd()
				err := sc.Scan(d)
				switch {
				case errors.Is(err, errUnsupportedScan):
					t.Errorf("%s row %d: %v", col, r, err)
				case err != nil && wantErr[r] == nil:
					t.Errorf("%s row %d into %T: %v; database/sql gives %s", col, r, d, err, show(want[r]))
				case err != nil:
					refused++
				case wantErr[r] != nil:
					t.Errorf("%s row %d: driverRow scans %s into %T, database/sql refuses: %v", col, r, show(d), d, wantErr[r])
				case !reflect.DeepEqual(d, want[r]):
					t.Errorf("%s row %d into %T: driverRow %s, database/sql %s", col, r, d, show(d), show(want[r]))
				default:
					accepted++
				}
				r++
				return nil
			})
			if err != nil || r != len(want) {
				t.Fatalf("%s: %d rows of %d, %v", col, r, len(want), err)
			}
		}
	}
	if accepted < 200 || refused < 20 {
		t.Errorf("%d values converted and %d refused: the table lost its variety", accepted, refused)
	}
}

func show(p any) string { return fmt.Sprintf("%#v", reflect.ValueOf(p).Elem().Interface()) }
