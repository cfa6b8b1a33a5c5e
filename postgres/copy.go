package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// A team starts on the embedded SQLite file and grows onto PostgreSQL:
// CopyStore moves a whole store into a freshly migrated PostgreSQL
// database. Both stores have the same schema (the same migrations, applied
// by the same binary at open), so the copy is table by table and column by
// column, with values converted to the destination's column types. It runs
// in one transaction: a failed or interrupted copy leaves the destination
// as it was. Derived tables (scores, quality rows, caches of the analysis)
// are copied as they are, so the new store answers exactly as the old one
// did without a recompute.
//
// Hand-written rather than pgloader: pgloader guesses types from the SQLite
// declarations and creates its own schema, where ours already exists and is
// migrated; what is left is a loop of COPY per table, which pgx provides.

// CopiedTable is one table of a store copy and its row count.
type CopiedTable struct {
	Name string
	Rows int64
}

// copyColumn is a destination column and what its values must become.
type copyColumn struct {
	name, typ string
	generated bool // GENERATED ALWAYS: the destination makes the value
}

// CopyStore copies every table of src, a store of dialect srcDialect
// ("sqlite" or "postgres"), into dst, a migrated PostgreSQL store that
// holds no customers, users or observations. report, when not nil, is
// called after each table. The two stores must have applied the same
// migrations.
func CopyStore(ctx context.Context, dst, src *sql.DB, srcDialect string, report func(CopiedTable)) ([]CopiedTable, error) {
	if err := sameMigrations(ctx, dst, src); err != nil {
		return nil, err
	}
	if err := destinationEmpty(ctx, dst); err != nil {
		return nil, err
	}
	tables, err := sourceTables(ctx, src, srcDialect)
	if err != nil {
		return nil, err
	}
	order, err := referenceOrder(ctx, dst, tables)
	if err != nil {
		return nil, err
	}
	// One read transaction on the source: a snapshot, so that a server
	// still writing to it cannot make the copy a mix of two moments.
	opts := &sql.TxOptions{ReadOnly: true}
	if srcDialect != "sqlite" {
		opts.Isolation = sql.LevelRepeatableRead
	}
	stx, err := src.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer func() { _ = stx.Rollback() }()
	conn, err := dst.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var copied []CopiedTable
	err = conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback(ctx) }()
		// Migrations seed some tables (the field registry, settings, the
		// data version): the source's rows replace them.
		if _, err := tx.Exec(ctx, "TRUNCATE "+quoteList(order)); err != nil {
			return fmt.Errorf("empty the destination: %w", err)
		}
		// The tables' own triggers stay off while rows arrive: derived
		// tables that triggers keep (the data version, rollups) come from
		// the source as they are, and must not count the copied rows a
		// second time. Foreign keys are system triggers and stay on.
		if err := setUserTriggers(ctx, tx, order, "DISABLE"); err != nil {
			return err
		}
		for _, t := range order {
			n, err := copyTable(ctx, tx, stx, srcDialect, t)
			if err != nil {
				return err
			}
			copied = append(copied, CopiedTable{Name: t, Rows: n})
			if report != nil {
				report(copied[len(copied)-1])
			}
		}
		if err := setUserTriggers(ctx, tx, order, "ENABLE"); err != nil {
			return err
		}
		if err := resetSequences(ctx, tx); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
	if err != nil {
		return nil, err
	}
	if _, err := dst.ExecContext(ctx, "ANALYZE"); err != nil {
		return copied, fmt.Errorf("analyze: %w", err)
	}
	return copied, nil
}

// sameMigrations refuses stores whose applied migrations differ: their
// tables would not line up.
func sameMigrations(ctx context.Context, dst, src *sql.DB) error {
	read := func(db *sql.DB) (string, error) {
		rows, err := db.QueryContext(ctx, "SELECT version FROM schema_migrations ORDER BY version")
		if err != nil {
			return "", err
		}
		defer rows.Close()
		var vs []string
		for rows.Next() {
			var v int64
			if err := rows.Scan(&v); err != nil {
				return "", err
			}
			vs = append(vs, strconv.FormatInt(v, 10))
		}
		return strings.Join(vs, ","), rows.Err()
	}
	a, err := read(src)
	if err != nil {
		return fmt.Errorf("read the source's migrations: %w", err)
	}
	b, err := read(dst)
	if err != nil {
		return fmt.Errorf("read the destination's migrations: %w", err)
	}
	if a != b {
		return fmt.Errorf("the stores have different migrations (source %s, destination %s): open both with the same dossier version", a, b)
	}
	return nil
}

// destinationEmpty refuses a database that already holds data: a copy
// replaces every table, and nobody's customers should go that way.
func destinationEmpty(ctx context.Context, dst *sql.DB) error {
	var n int64
	err := dst.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM customers) + (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM observations)`).Scan(&n)
	if err != nil {
		return fmt.Errorf("check the destination: %w", err)
	}
	if n > 0 {
		return fmt.Errorf("the destination already holds customers, users or facts: copy into a new, empty database")
	}
	return nil
}

// sourceTables lists the source's tables, without the migrations' own.
func sourceTables(ctx context.Context, src *sql.DB, dialect string) ([]string, error) {
	q := `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`
	if dialect == "sqlite" {
		q = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	}
	tables, err := strings1(ctx, src, q)
	if err != nil {
		return nil, fmt.Errorf("list the source's tables: %w", err)
	}
	tables = slices.DeleteFunc(tables, func(t string) bool { return t == "schema_migrations" })
	slices.Sort(tables)
	return tables, nil
}

// referenceOrder sorts tables so that every table comes after the tables
// its foreign keys refer to (a reference of a table to itself is checked at
// the end of its COPY statement). A table of the source that the
// destination lacks is refused.
func referenceOrder(ctx context.Context, dst *sql.DB, tables []string) ([]string, error) {
	have, err := strings1(ctx, dst, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`)
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		if !slices.Contains(have, t) {
			return nil, fmt.Errorf("table %s is not in the destination", t)
		}
	}
	rows, err := dst.QueryContext(ctx, `SELECT c.conrelid::regclass::text, c.confrelid::regclass::text
		FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
		WHERE c.contype = 'f' AND n.nspname = current_schema()`)
	if err != nil {
		return nil, fmt.Errorf("read foreign keys: %w", err)
	}
	defer rows.Close()
	needs := map[string][]string{}
	for rows.Next() {
		var from, to string
		if err := rows.Scan(&from, &to); err != nil {
			return nil, err
		}
		if from != to {
			needs[from] = append(needs[from], to)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var order []string
	done := map[string]bool{}
	for len(order) < len(tables) {
		progressed := false
		for _, t := range tables {
			if done[t] || slices.ContainsFunc(needs[t], func(n string) bool { return !done[n] && slices.Contains(tables, n) }) {
				continue
			}
			done[t], progressed = true, true
			order = append(order, t)
		}
		if !progressed {
			return nil, fmt.Errorf("foreign keys form a cycle among the tables not yet copied")
		}
	}
	return order, nil
}

// copyTable streams one table from src into the transaction with COPY.
func copyTable(ctx context.Context, tx pgx.Tx, src querier, dialect, table string) (int64, error) {
	all, err := destinationColumns(ctx, tx, table)
	if err != nil {
		return 0, err
	}
	srcCols, err := sourceColumns(ctx, src, dialect, table)
	if err != nil {
		return 0, err
	}
	var cols []copyColumn
	var allNames, names []string
	for _, c := range all {
		allNames = append(allNames, c.name)
		if !c.generated {
			cols, names = append(cols, c), append(names, c.name)
		}
	}
	slices.Sort(srcCols)
	if slices.Sort(allNames); !slices.Equal(allNames, srcCols) {
		return 0, fmt.Errorf("table %s: columns differ (source %v, destination %v)", table, srcCols, allNames)
	}
	rows, err := src.QueryContext(ctx, "SELECT "+quoteList(names)+" FROM "+quote(table))
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	n, err := tx.CopyFrom(ctx, pgx.Identifier{table}, names, &rowSource{rows: rows, table: table, cols: cols})
	if err != nil {
		return n, fmt.Errorf("copy %s: %w", table, err)
	}
	var want int64
	if err := src.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quote(table)).Scan(&want); err != nil {
		return n, err
	}
	if n != want {
		return n, fmt.Errorf("copy %s: %d rows copied of %d", table, n, want)
	}
	return n, nil
}

func destinationColumns(ctx context.Context, tx pgx.Tx, table string) ([]copyColumn, error) {
	// Columns the database generates itself (GENERATED ALWAYS) cannot be
	// given a value by COPY; they are left to generate.
	rows, err := tx.Query(ctx, `SELECT column_name, data_type,
			(is_identity = 'YES' AND identity_generation = 'ALWAYS') OR is_generated = 'ALWAYS'
		FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (copyColumn, error) {
		var c copyColumn
		err := r.Scan(&c.name, &c.typ, &c.generated)
		return c, err
	})
}

func sourceColumns(ctx context.Context, src querier, dialect, table string) ([]string, error) {
	if dialect == "sqlite" {
		return strings1(ctx, src, `SELECT name FROM pragma_table_info(?)`, table)
	}
	return strings1(ctx, src, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1`, table)
}

// rowSource feeds COPY from the source's rows, converting each value to
// its destination column's type.
type rowSource struct {
	rows  *sql.Rows
	table string
	cols  []copyColumn
	n     int64
	vals  []any
	err   error
}

func (s *rowSource) Next() bool {
	if s.err != nil || !s.rows.Next() {
		return false
	}
	s.n++
	raw := make([]any, len(s.cols))
	ptrs := make([]any, len(raw))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	if s.err = s.rows.Scan(ptrs...); s.err != nil {
		return false
	}
	s.vals = raw
	for i, c := range s.cols {
		v, err := convertValue(raw[i], c.typ)
		if err != nil {
			s.err = fmt.Errorf("table %s, row %d, column %s: %w", s.table, s.n, c.name, err)
			return false
		}
		s.vals[i] = v
	}
	return true
}

func (s *rowSource) Values() ([]any, error) { return s.vals, nil }

func (s *rowSource) Err() error {
	if s.err != nil {
		return s.err
	}
	return s.rows.Err()
}

// convertValue turns a value as the source's driver returns it into one of
// the Go types pgx encodes for the destination type. SQLite is loosely
// typed: a number may come back for a text column and text for a number.
func convertValue(v any, typ string) (any, error) {
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	if v == nil {
		return nil, nil
	}
	switch typ {
	case "bigint", "integer", "smallint":
		return toInt(v)
	case "double precision", "real", "numeric":
		return toFloat(v)
	case "text", "character varying":
		return toText(v), nil
	case "date":
		return toDate(v)
	case "json", "jsonb":
		s := toText(v)
		if !json.Valid([]byte(s)) {
			return nil, fmt.Errorf("not valid JSON: %.40q", s)
		}
		return json.RawMessage(s), nil
	}
	return nil, fmt.Errorf("no conversion to %s", typ)
}

func toInt(v any) (any, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1<<62 {
			return nil, fmt.Errorf("%v is not a whole number", x)
		}
		return int64(x), nil
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%.40q is not a whole number", x)
		}
		return n, nil
	}
	return nil, fmt.Errorf("cannot store %T as a number", v)
}

func toFloat(v any) (any, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case int64:
		return float64(x), nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return nil, fmt.Errorf("%.40q is not a number", x)
		}
		return f, nil
	}
	return nil, fmt.Errorf("cannot store %T as a number", v)
}

func toText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}

func toDate(v any) (any, error) {
	switch x := v.(type) {
	case time.Time:
		return x, nil
	case string:
		for _, layout := range []string{time.DateOnly, time.RFC3339Nano, time.DateTime} {
			if t, err := time.Parse(layout, x); err == nil {
				return t, nil
			}
		}
		return nil, fmt.Errorf("%.40q is not a date", x)
	}
	return nil, fmt.Errorf("cannot store %T as a date", v)
}

// setUserTriggers enables or disables the user triggers of tables.
func setUserTriggers(ctx context.Context, tx pgx.Tx, tables []string, how string) error {
	for _, t := range tables {
		if _, err := tx.Exec(ctx, "ALTER TABLE "+quote(t)+" "+how+" TRIGGER USER"); err != nil {
			return fmt.Errorf("%s triggers of %s: %w", strings.ToLower(how), t, err)
		}
	}
	return nil
}

// resetSequences moves every identity sequence past the ids copied.
func resetSequences(ctx context.Context, tx pgx.Tx) error {
	rows, err := tx.Query(ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND is_identity = 'YES'`)
	if err != nil {
		return err
	}
	type col struct{ table, name string }
	cols, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (col, error) {
		var c col
		return c, r.Scan(&c.table, &c.name)
	})
	if err != nil {
		return fmt.Errorf("list identity columns: %w", err)
	}
	for _, c := range cols {
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', '%s'), COALESCE((SELECT MAX(%s) FROM %s), 0) + 1, false)`,
			c.table, c.name, quote(c.name), quote(c.table))
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("reset the sequence of %s.%s: %w", c.table, c.name, err)
		}
	}
	return nil
}

// querier is a pool or a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// strings1 runs a query of one text column.
func strings1(ctx context.Context, db querier, q string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func quote(name string) string { return pgx.Identifier{name}.Sanitize() }

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}
