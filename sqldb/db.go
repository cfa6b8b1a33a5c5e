// Package sqldb holds Dossier's queries, written once in portable SQL and run
// on SQLite and PostgreSQL through database/sql. What really differs between
// the two (placeholders, bulk loading, error codes) sits behind Dialect.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/dossier/dossier"
)

// Dialect is what the SQLite and PostgreSQL packages provide.
type Dialect interface {
	// Name is "sqlite" or "postgres".
	Name() string
	// Placeholder returns the n-th (1-based) bind parameter: "?" or "$n".
	Placeholder(n int) string
	// Load writes rows into tables in one transaction, the fastest way the
	// engine has (COPY on PostgreSQL).
	Load(ctx context.Context, db *sql.DB, tables []TableRows) error
	// AfterLoad brings sequences and statistics up to date after Load.
	AfterLoad(ctx context.Context, db *sql.DB) error
	// IsUniqueViolation reports whether err is a unique-constraint failure.
	IsUniqueViolation(err error) bool
}

// BusyReporter is what a dialect may add: whether err says another
// connection holds the database's write lock past the busy timeout (SQLite).
// Work that may simply try again later, such as claiming a background job,
// treats that as "not now" rather than as a failure.
type BusyReporter interface {
	IsBusy(err error) bool
}

// isBusy reports whether err is the dialect's "database is busy".
func (db *DB) isBusy(err error) bool {
	b, ok := db.dialect.(BusyReporter)
	return ok && err != nil && b.IsBusy(err)
}

// TxLoader is what a dialect may add: Load inside a transaction begun on
// conn, so that bulk rows commit with the statements around them.
type TxLoader interface {
	LoadInTx(ctx context.Context, conn *sql.Conn, tables []TableRows) error
}

// BulkTuner is what a dialect may add: settings for the writer while a
// bulk write runs, an import or a recompute (TuneBulk, run in each batch's
// transaction), and the everyday ones back when it ends (UntuneBulk). SQLite
// enlarges its page cache, since past a few hundred thousand customers the
// pages each batch touches no longer fit the everyday cache, and lets its
// write-ahead log grow before copying it into the file, so that an index
// page every batch rewrites is copied once rather than once per batch
// (BENCHMARKS.md, helper import3 and "bulk writes").
type BulkTuner interface {
	TuneBulk(ctx context.Context, tx *sql.Tx) error
	UntuneBulk(ctx context.Context, db *sql.DB) error
}

// tuneBulk gives tx's connection, the writer's, the dialect's bulk-write
// settings (BulkTuner).
func (tx *Tx) tuneBulk(ctx context.Context) error {
	if t, ok := tx.db.dialect.(BulkTuner); ok {
		return t.TuneBulk(ctx, tx.Tx)
	}
	return nil
}

// untuneBulk gives the writer its everyday settings back.
func (db *DB) untuneBulk(ctx context.Context) error {
	if t, ok := db.dialect.(BulkTuner); ok {
		return t.UntuneBulk(ctx, db.w)
	}
	return nil
}

// ImportAnalyzer is what a dialect may add: planner statistics brought up
// to date between an import's batches, on the tables that have grown. A
// planner without statistics takes "name IN (2,000 names)" or "customer_id
// IN (…)" for most of a table and scans it, and every lookup of a stored
// customer read all of observations; on a server without autovacuum
// nothing else gathers them (BENCHMARKS.md, helper pgimport).
type ImportAnalyzer interface {
	AnalyzeGrown(ctx context.Context, db *sql.DB) error
}

// TableRows is a batch of rows for one table, for Dialect.Load.
type TableRows struct {
	Table   string
	Columns []string
	Rows    [][]any
}

// DB is a Dossier store. It implements the service interfaces of package
// dossier. Writes go through w, reads through r: on SQLite these are
// separate pools (one writer connection, several readers); on PostgreSQL the
// same pool.
type DB struct {
	w, r    *sql.DB
	dialect Dialect
	now     func() time.Time
	policy  dossier.ResolvePolicy
	cost    int // bcrypt cost of password hashes

	dummyOnce sync.Once
	dummy     []byte

	qmu     sync.Mutex // one quality rebuild at a time
	loadMu  sync.Mutex
	loaded  []int64 // customers bulk-loaded since the last FinishLoad
	loadOK  bool    // the quality rows were current when that load began
	loading bool

	cache *resultCache // list totals and pivots per data version (cache.go)

	noRollup bool        // Options.NoRollup
	rollup   rollupState // compaction of the customer rollup (rollup.go)
}

// Options tune a DB; the zero value is fine.
type Options struct {
	Now    func() time.Time       // clock; time.Now when nil
	Policy *dossier.ResolvePolicy // fact resolution; DefaultResolvePolicy when nil
	// PasswordCost is the bcrypt cost; bcrypt.DefaultCost when 0. Tests lower
	// it, since every hash costs about a second under the race detector.
	PasswordCost int
	// NoRollup answers every pivot and list total with the plain query
	// over customers instead of the customer rollup (rollup.go), for the
	// tests and benchmarks that compare the two.
	NoRollup bool
}

// New wraps open pools. Migrations must have been applied.
func New(w, r *sql.DB, d Dialect, opt Options) *DB {
	db := &DB{w: w, r: r, dialect: d, now: opt.Now, policy: dossier.DefaultResolvePolicy(), cost: opt.PasswordCost}
	if db.cost == 0 {
		db.cost = bcrypt.DefaultCost
	}
	if db.now == nil {
		db.now = time.Now
	}
	db.cache = newResultCache(time.Now)
	db.noRollup = opt.NoRollup
	if opt.Policy != nil {
		db.policy = *opt.Policy
	}
	return db
}

// Dialect returns the store's dialect name.
func (db *DB) Dialect() string { return db.dialect.Name() }

// Policy returns the fact resolution policy in force.
func (db *DB) Policy() dossier.ResolvePolicy { return db.policy }

// Ping checks that the store answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.r.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Pools returns the connection pools by role, for pool metrics: "write"
// and "read" on SQLite, one "main" pool on PostgreSQL.
func (db *DB) Pools() map[string]*sql.DB {
	if db.r == db.w {
		return map[string]*sql.DB{"main": db.w}
	}
	return map[string]*sql.DB{"write": db.w, "read": db.r}
}

// SchemaVersion returns the highest migration applied to the database.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.r.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}

// CountCustomers returns the number of customers.
func (db *DB) CountCustomers(ctx context.Context) (int64, error) {
	var n int64
	err := db.r.QueryRowContext(ctx, "SELECT COUNT(*) FROM customers").Scan(&n)
	return n, err
}

// Close closes both pools.
func (db *DB) Close() error {
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Tx is a write transaction that fixes "now" when it starts, so every row it
// writes carries the same time.
type Tx struct {
	*sql.Tx
	db   *DB
	now  time.Time
	conn *sql.Conn // set by inConnTx: the connection the transaction runs on

	dirty map[int64]bool // customers whose quality rows are refreshed at commit
	// fresh holds the quality groups of customers this transaction created
	// and has not touched since (see Tx.written).
	fresh  map[int64]*group
	qbasis *qualityBasis // read once per transaction
}

func (db *DB) begin(ctx context.Context) (*Tx, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{Tx: tx, db: db, now: db.now().UTC()}, nil
}

// inTx runs fn in a write transaction, committing when it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.flushQuality(ctx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.bumpVersion(ctx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// inConnTx is inTx on a connection of its own, which tx.conn names, for
// work that needs the driver's connection inside the transaction (COPY).
func (db *DB) inConnTx(ctx context.Context, fn func(tx *Tx) error) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.Close()
	stx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{Tx: stx, db: db, now: db.now().UTC(), conn: conn}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.flushQuality(ctx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.bumpVersion(ctx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// q rewrites the portable "?" placeholders for the dialect.
func (db *DB) q(query string) string {
	if db.dialect.Placeholder(1) == "?" {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString(db.dialect.Placeholder(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.ExecContext(ctx, tx.db.q(query), args...)
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.QueryRowContext(ctx, tx.db.q(query), args...)
}

// insert runs an INSERT … RETURNING id.
func (tx *Tx) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// TimeLayout is how timestamps are stored: fixed width, so text order is
// time order on both engines.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

func ts(t time.Time) string { return t.UTC().Format(TimeLayout) }

func parseTS(s string) time.Time {
	t, err := time.Parse(TimeLayout, s)
	if err != nil {
		t, _ = time.Parse(time.RFC3339Nano, s)
	}
	return t
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// ExecForTest runs a statement on the write pool. Tests use it to check what
// the schema itself enforces; application code never does.
func (db *DB) ExecForTest(ctx context.Context, query string) error {
	_, err := db.w.ExecContext(ctx, query)
	return err
}
