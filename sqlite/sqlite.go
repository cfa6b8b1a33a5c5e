// Package sqlite opens Dossier's embedded store: one SQLite file in WAL mode,
// with one writer connection and a pool of readers (PocketBase's tuning).
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/mattn/go-sqlite3"

	"github.com/dossier/dossier/sqldb"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations returns the SQLite schema migrations.
func Migrations() ([]sqldb.Migration, error) {
	sub, err := fs.Sub(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	return sqldb.Migrations(sub)
}

// Open opens (creating if needed) the database file at path, applies pending
// migrations and returns the store. Errors say what is wrong with the file.
func Open(ctx context.Context, path string, opt sqldb.Options) (*sqldb.DB, error) {
	if path == "" || strings.HasPrefix(path, ":memory:") {
		return nil, errors.New("sqlite: a file path is needed (the store keeps one file); for tests use a temporary directory")
	}
	if dir := filepath.Dir(path); dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("cannot open database %s: folder %s does not exist", path, dir)
		}
	}
	w, err := sql.Open(driverName, dsn(path, true))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1) // SQLite has one writer; queueing here beats SQLITE_BUSY
	r, err := sql.Open(driverName, dsn(path, false))
	if err != nil {
		w.Close()
		return nil, err
	}
	readers := max(4, runtime.NumCPU()*2)
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers) // idle = open: no reconnecting and re-running pragmas
	if err := prepare(ctx, w, path); err != nil {
		w.Close()
		r.Close()
		return nil, err
	}
	return sqldb.New(w, r, Dialect{}, opt), nil
}

// driverName is mattn/go-sqlite3 with a hook for the pragmas its DSN cannot
// carry. The driver was chosen by measurement: see BENCHMARKS.md.
const driverName = "sqlite3_dossier"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec(fmt.Sprintf("PRAGMA temp_store = MEMORY; PRAGMA journal_size_limit = %d", walSizeLimit), nil)
		return err
	}})
}

func dsn(path string, write bool) string {
	v := url.Values{}
	v.Set("_journal_mode", "WAL")
	v.Set("_synchronous", "NORMAL")
	v.Set("_busy_timeout", "5000")
	v.Set("_foreign_keys", "on")
	v.Set("_cache_size", strconv.Itoa(-cacheKiB))
	if write {
		// BEGIN IMMEDIATE takes the write lock up front, so a transaction
		// never fails half-way when it upgrades from reading to writing.
		v.Set("_txlock", "immediate")
	} else {
		v.Set("mode", "rw")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + v.Encode()
}

func prepare(ctx context.Context, w *sql.DB, path string) error {
	if err := w.PingContext(ctx); err != nil {
		return explain(path, err)
	}
	ms, err := Migrations()
	if err != nil {
		return err
	}
	if err := sqldb.Migrate(ctx, w, Dialect{}, ms); err != nil {
		var tooNew *sqldb.SchemaTooNewError
		if errors.As(err, &tooNew) {
			return fmt.Errorf("database %s: %w", path, err)
		}
		return explain(path, err)
	}
	return nil
}

// explain turns driver errors into a sentence that says what to do.
func explain(path string, err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrNotADB:
			return fmt.Errorf("cannot open database %s: the file is not a SQLite database; pass another --db", path)
		case sqlite3.ErrBusy, sqlite3.ErrLocked:
			return fmt.Errorf("cannot open database %s: it is locked by another program; stop that program or wait and retry", path)
		case sqlite3.ErrCantOpen, sqlite3.ErrPerm, sqlite3.ErrReadonly, sqlite3.ErrAuth:
			return fmt.Errorf("cannot open database %s: %v; check that the file and its folder are readable and writable", path, se)
		}
	}
	return fmt.Errorf("cannot open database %s: %w", path, err)
}

// cacheKiB is the page cache of each connection, the writer's and every
// reader's.
const cacheKiB = 64 << 10

// bulkCacheKiB is the writer's page cache while an import or a recompute
// runs. Each batch writes into a dozen indexes whose keys are spread over
// the whole index (names, credit codes, the analysis index, scores, the
// name search's character pairs, contacts' phones and e-mails): once those
// outgrow the everyday cache, writes read their pages back from the file, a
// cost that grew with the store (BENCHMARKS.md, helper import3). The cache
// is a ceiling, filled only as pages are read, and it is given back when the
// bulk write ends; in a server, the soft heap limit (LimitMemory) still
// bounds it.
const bulkCacheKiB = 256 << 10

// bulkCheckpointPages is how many pages the write-ahead log may hold during
// a bulk write before SQLite copies it into the database file (everyday:
// 1,000). Batches rewrite the same index pages again and again; each
// checkpoint copies and syncs every page written since the last one, so a
// longer interval copies a hot page once instead of once per batch
// (BENCHMARKS.md, "bulk writes").
const bulkCheckpointPages = 65536

// everydayCheckpointPages is SQLite's default.
const everydayCheckpointPages = 1000

// walSizeLimit is the size a write-ahead log is cut back to after a
// checkpoint: a bulk write lets it grow to bulkCheckpointPages (256 MiB),
// and the file would otherwise keep that size.
const walSizeLimit = 64 << 20

// TuneBulk implements sqldb.BulkTuner.
func (Dialect) TuneBulk(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d; PRAGMA wal_autocheckpoint = %d", -bulkCacheKiB, bulkCheckpointPages))
	return err
}

// UntuneBulk implements sqldb.BulkTuner: lowering the cache frees the pages
// above the everyday size, and the log is copied into the file now rather
// than by whichever small write comes next.
func (Dialect) UntuneBulk(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d; PRAGMA wal_autocheckpoint = %d; PRAGMA wal_checkpoint(PASSIVE)", -cacheKiB, everydayCheckpointPages))
	return err
}

// Dialect is SQLite's sqldb.Dialect.
type Dialect struct{}

func (Dialect) Name() string           { return "sqlite" }
func (Dialect) Placeholder(int) string { return "?" }
func (Dialect) AfterLoad(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, "PRAGMA optimize")
	return err
}

// IsUniqueViolation reports a UNIQUE or PRIMARY KEY constraint failure.
func (Dialect) IsUniqueViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

// IsBusy reports that another connection kept the write lock past the busy
// timeout.
func (Dialect) IsBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

// maxVars stays under SQLITE_MAX_VARIABLE_NUMBER (32766 since 3.32).
const maxVars = 32000

// Load writes each table with multi-row INSERTs in one transaction.
func (Dialect) Load(ctx context.Context, db *sql.DB, tables []sqldb.TableRows) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	for _, t := range tables {
		if err := insertRows(ctx, tx, t); err != nil {
			return fmt.Errorf("%s: %w", t.Table, err)
		}
	}
	return tx.Commit()
}

func insertRows(ctx context.Context, tx *sql.Tx, t sqldb.TableRows) error {
	per := maxVars / len(t.Columns)
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(t.Columns)), ",") + ")"
	head := "INSERT INTO " + t.Table + " (" + strings.Join(t.Columns, ", ") + ") VALUES "
	var stmt *sql.Stmt
	defer func() {
		if stmt != nil {
			stmt.Close()
		}
	}()
	for start := 0; start < len(t.Rows); start += per {
		chunk := t.Rows[start:min(start+per, len(t.Rows))]
		args := make([]any, 0, len(chunk)*len(t.Columns))
		for _, r := range chunk {
			args = append(args, r...)
		}
		if len(chunk) == per && stmt == nil {
			var err error
			if stmt, err = tx.PrepareContext(ctx, head+strings.TrimSuffix(strings.Repeat(one+",", per), ",")); err != nil {
				return err
			}
		}
		var err error
		if len(chunk) == per {
			_, err = stmt.ExecContext(ctx, args...)
		} else {
			_, err = tx.ExecContext(ctx, head+strings.TrimSuffix(strings.Repeat(one+",", len(chunk)), ","), args...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
