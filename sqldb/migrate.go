package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
)

// Migration is one numbered, forward-only schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations reads files named "NNN_name.sql" from fsys, in version order.
func Migrations(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, n := range names {
		num, _, ok := strings.Cut(n, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and _", n)
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: n, SQL: string(b)})
	}
	slices.SortFunc(ms, func(a, b Migration) int { return a.Version - b.Version })
	return ms, nil
}

// SchemaTooNewError says the database was written by a newer dossier.
type SchemaTooNewError struct{ Have, Known int }

func (e *SchemaTooNewError) Error() string {
	return fmt.Sprintf("the database has schema version %d but this dossier knows only up to %d: upgrade dossier, or use another database", e.Have, e.Known)
}

// Migrate applies the migrations the database does not have yet, each in its
// own transaction, in version order. "Does not have" is by version, not
// "above the highest": migrations written side by side (004 and 005 on two
// branches) may land in either order, and a database that ran the later one
// first still gets the other. It refuses a database whose schema is newer
// than ms, before writing anything.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, ms []Migration) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	have, err := appliedVersions(ctx, db)
	if err != nil {
		return err
	}
	known := 0
	if len(ms) > 0 {
		known = ms[len(ms)-1].Version
	}
	if newest := maxKey(have); newest > known {
		return &SchemaTooNewError{Have: newest, Known: known}
	}
	for _, m := range ms {
		if have[m.Version] {
			continue
		}
		if err := apply(ctx, db, d, m); err != nil {
			return err
		}
	}
	return nil
}

// appliedVersions reads the versions recorded in schema_migrations.
func appliedVersions(ctx context.Context, db *sql.DB) (map[int]bool, error) {
	rows, err := db.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("migrate: read versions: %w", err)
	}
	defer rows.Close()
	have := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("migrate: read versions: %w", err)
		}
		have[v] = true
	}
	return have, rows.Err()
}

func maxKey(m map[int]bool) int {
	n := 0
	for k := range m {
		n = max(n, k)
	}
	return n
}

func apply(ctx context.Context, db *sql.DB, d Dialect, m Migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	ins := fmt.Sprintf("INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)",
		d.Placeholder(1), d.Placeholder(2), d.Placeholder(3))
	if _, err := tx.ExecContext(ctx, ins, m.Version, m.Name, ts(timeNow())); err != nil {
		return fmt.Errorf("migration %s: %w", m.Name, err)
	}
	return tx.Commit()
}
