// Package postgres opens Dossier's PostgreSQL store through pgx, for teams and
// for scale. Bulk loads use COPY.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/dossier/dossier/sqldb"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations returns the PostgreSQL schema migrations.
func Migrations() ([]sqldb.Migration, error) {
	sub, err := fs.Sub(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	return sqldb.Migrations(sub)
}

// Open connects to the database at url (postgres://…), applies pending
// migrations and returns the store.
func Open(ctx context.Context, url string, opt sqldb.Options) (*sqldb.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("invalid PostgreSQL URL: %v (expected postgres://user@host:5432/dbname)", err)
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot connect to PostgreSQL at %s:%d database %q: %v; check that it runs and the URL is right",
			cfg.Host, cfg.Port, cfg.Database, err)
	}
	ms, err := Migrations()
	if err == nil {
		err = sqldb.Migrate(ctx, db, Dialect{}, ms)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", cfg.Database, err)
	}
	return sqldb.New(db, db, Dialect{}, opt), nil
}

// Dialect is PostgreSQL's sqldb.Dialect.
type Dialect struct{}

func (Dialect) Name() string             { return "postgres" }
func (Dialect) Placeholder(n int) string { return "$" + strconv.Itoa(n) }

// IsUniqueViolation reports SQLSTATE 23505.
func (Dialect) IsUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// Load copies every table in one pgx transaction with COPY FROM STDIN.
func (Dialect) Load(ctx context.Context, db *sql.DB, tables []sqldb.TableRows) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback(ctx) }()
		for _, t := range tables {
			if len(t.Rows) == 0 {
				continue
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.Table}, t.Columns, pgx.CopyFromRows(t.Rows)); err != nil {
				return fmt.Errorf("copy %s: %w", t.Table, err)
			}
		}
		return tx.Commit(ctx)
	})
}

// identityTables have ids that bulk loads may set explicitly.
var identityTables = []string{"customers", "observations", "contacts", "interactions", "needs", "projects", "users"}

// AfterLoad moves identity sequences past explicitly loaded ids and refreshes
// planner statistics.
func (Dialect) AfterLoad(ctx context.Context, db *sql.DB) error {
	for _, t := range identityTables {
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%s', 'id'), COALESCE((SELECT MAX(id) FROM %s), 0) + 1, false)`, t, t)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("reset sequence of %s: %w", t, err)
		}
	}
	_, err := db.ExecContext(ctx, "ANALYZE")
	return err
}

// LoadInTx implements sqldb.TxLoader: COPY on the connection of a
// transaction that database/sql began, so the rows commit or roll back with
// the rest of it (an import batch).
func (Dialect) LoadInTx(ctx context.Context, conn *sql.Conn, tables []sqldb.TableRows) error {
	return conn.Raw(func(dc any) error {
		pc := dc.(*stdlib.Conn).Conn()
		for _, t := range tables {
			if len(t.Rows) == 0 {
				continue
			}
			if _, err := pc.CopyFrom(ctx, pgx.Identifier{t.Table}, t.Columns, pgx.CopyFromRows(t.Rows)); err != nil {
				return fmt.Errorf("copy %s: %w", t.Table, err)
			}
		}
		return nil
	})
}

// AnalyzeGrown implements sqldb.ImportAnalyzer, as autovacuum would but
// at once: it analyses each table of the schema that has at least doubled
// in size since its last ANALYZE (pg_class.relpages, which ANALYZE sets),
// or that has pages and was never analysed. So a table the import fills is
// analysed after the first batch and then as it doubles, about log2 of its
// size times in all, each reading a bounded sample (300 ×
// default_statistics_target rows); an import of a few rows into a large
// store analyses nothing. The size is read from the file, not from the
// activity statistics (n_mod_since_analyze), which a backend publishes up
// to a second late. ANALYZE takes a lock that neither readers nor writers
// wait for. Autovacuum's own threshold is 10% growth, but it runs a minute
// later at best, and not at all on a server that has it off.
func (Dialect) AnalyzeGrown(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `SELECT quote_ident(relname) FROM pg_class
		WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r'
		AND pg_relation_size(oid) >= GREATEST(2 * relpages, 1) * current_setting('block_size')::bigint ORDER BY relname`)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(tables) == 0 {
		return err
	}
	_, err = db.ExecContext(ctx, "ANALYZE "+strings.Join(tables, ", "))
	return err
}
