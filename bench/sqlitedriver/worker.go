package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const schema = `
CREATE TABLE customers(
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, credit_code TEXT, industry TEXT,
  province TEXT, city TEXT, stage TEXT, grade TEXT, employees INTEGER,
  revenue INTEGER, expected_amount INTEGER, owner TEXT, updated_at TEXT);
CREATE INDEX customers_industry ON customers(industry);
CREATE INDEX customers_province_city ON customers(province, city);
CREATE INDEX customers_name ON customers(name);
CREATE TABLE interactions(
  id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
  date TEXT, channel TEXT, summary TEXT);
CREATE INDEX interactions_customer_date ON interactions(customer_id, date);
CREATE TABLE facts(
  id INTEGER PRIMARY KEY, customer_id INTEGER, channel TEXT, source_detail TEXT,
  collected_at TEXT, values_json TEXT);
`

// Expected PRAGMA read-backs: journal_mode=wal, synchronous NORMAL=1,
// busy_timeout=5000, foreign_keys=1, temp_store MEMORY=2, cache_size=-65536.
var wantPragmas = []struct{ name, want string }{
	{"journal_mode", "wal"}, {"synchronous", "1"}, {"busy_timeout", "5000"},
	{"foreign_keys", "1"}, {"temp_store", "2"}, {"cache_size", "-65536"},
}

// workerResult is printed as one JSON line on stdout by a worker process.
type workerResult struct {
	Driver        string             `json:"driver"`
	Module        string             `json:"module"`
	Version       string             `json:"version"`
	SQLiteVersion string             `json:"sqlite_version"`
	DSN           string             `json:"dsn"`
	Pragmas       string             `json:"pragmas"`
	Metrics       map[string]float64 `json:"metrics"`
}

type workerOpts struct {
	rows      int
	dir       string
	concDur   time.Duration
	selftest  bool
	pointOps  int
	listOps   int
	aggRepeat int
}

func moduleVersion(path string) string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "?"
	}
	for _, d := range bi.Deps {
		if d.Path == path {
			if d.Replace != nil {
				return d.Replace.Version
			}
			return d.Version
		}
	}
	return "?"
}

// verifyPragmas reads the PRAGMAs back on n distinct pool connections held at
// the same time, so that per-connection settings are really checked.
func verifyPragmas(ctx context.Context, db *sql.DB, n int) (string, error) {
	conns := make([]*sql.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	var summary string
	for i := range n {
		c, err := db.Conn(ctx)
		if err != nil {
			return "", err
		}
		conns = append(conns, c)
		s := ""
		for _, p := range wantPragmas {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+p.name).Scan(&got); err != nil {
				return "", fmt.Errorf("conn %d PRAGMA %s: %w", i, p.name, err)
			}
			if got != p.want {
				return "", fmt.Errorf("conn %d: PRAGMA %s = %q, want %q", i, p.name, got, p.want)
			}
			s += fmt.Sprintf("%s=%s ", p.name, got)
		}
		summary = s
	}
	return fmt.Sprintf("%sverified on %d pooled connections", summary, n), nil
}

func runWorker(o workerOpts) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp(o.dir, "sqlitebench-"+driverTag+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "bench.db")

	res := workerResult{Driver: driverTag, Module: driverModule, Version: moduleVersion(driverModule),
		Metrics: map[string]float64{}}

	// Cold open: sql.Open + first connection (PRAGMAs applied) + first query.
	t0 := time.Now()
	db, dsn, err := openDB(path)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&res.SQLiteVersion); err != nil {
		return fmt.Errorf("first query: %w", err)
	}
	res.Metrics["open_ms"] = ms(time.Since(t0))
	res.DSN = strings.ReplaceAll(dsn, path, "<db path>")
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8) // keep connections: default 2 would churn them (and re-run PRAGMAs)
	db.SetConnMaxLifetime(0)

	if _, err := db.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	if res.Pragmas, err = verifyPragmas(ctx, db, 4); err != nil {
		return err
	}
	if o.selftest {
		// Also prove foreign keys are enforced.
		if _, err := db.ExecContext(ctx, "INSERT INTO interactions(customer_id) VALUES (42)"); err == nil {
			return fmt.Errorf("foreign key violation was not rejected")
		}
		return emit(res)
	}

	if err := benchInsert(ctx, db, o.rows, res.Metrics); err != nil {
		return fmt.Errorf("insert: %w", err)
	}
	if err := benchPoint(ctx, db, o.rows, o.pointOps, res.Metrics); err != nil {
		return fmt.Errorf("point: %w", err)
	}
	if err := benchList(ctx, db, o.listOps, res.Metrics); err != nil {
		return fmt.Errorf("list: %w", err)
	}
	if err := benchAgg(ctx, db, o.aggRepeat, res.Metrics); err != nil {
		return fmt.Errorf("aggregate: %w", err)
	}
	if err := benchConcurrent(ctx, db, o.rows, o.concDur, res.Metrics); err != nil {
		return fmt.Errorf("concurrent: %w", err)
	}
	var pages, pageSize int64
	db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages)
	db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&pageSize)
	res.Metrics["db_mib"] = float64(pages*pageSize) / (1 << 20)
	return emit(res)
}

func emit(res workerResult) error {
	b, err := json.Marshal(res)
	if err != nil {
		return err
	}
	fmt.Println(resultPrefix + string(b))
	return nil
}

const resultPrefix = "RESULT "

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// 1. Bulk insert: N customers, 5N interactions, N facts; 1000 rows per
// transaction, statements prepared once per transaction. Row generation is
// done outside the timed section.
func benchInsert(ctx context.Context, db *sql.DB, n int, m map[string]float64) error {
	const batch = 1000
	r := rand.New(rand.NewPCG(1, 2))
	var elapsed time.Duration

	run := func(total int, query string, gen func(i int) []any) error {
		args := make([][]any, 0, batch)
		for start := 0; start < total; start += batch {
			args = args[:0]
			for i := start; i < min(start+batch, total); i++ {
				args = append(args, gen(i))
			}
			t := time.Now()
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			st, err := tx.PrepareContext(ctx, query)
			if err != nil {
				tx.Rollback()
				return err
			}
			for _, a := range args {
				if _, err := st.ExecContext(ctx, a...); err != nil {
					tx.Rollback()
					return err
				}
			}
			st.Close()
			if err := tx.Commit(); err != nil {
				return err
			}
			elapsed += time.Since(t)
		}
		return nil
	}

	if err := run(n, `INSERT INTO customers(id,name,credit_code,industry,province,city,stage,grade,
		employees,revenue,expected_amount,owner,updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		func(i int) []any {
			c := genCustomer(r, int64(i+1))
			return []any{c.id, c.name, c.creditCode, c.industry, c.province, c.city, c.stage, c.grade,
				c.employees, c.revenue, c.expectedAmount, c.owner, c.updatedAt}
		}); err != nil {
		return err
	}
	if err := run(5*n, `INSERT INTO interactions(customer_id,date,channel,summary) VALUES (?,?,?,?)`,
		func(int) []any {
			x := genInteraction(r, n)
			return []any{x.customerID, x.date, x.channel, x.summary}
		}); err != nil {
		return err
	}
	if err := run(n, `INSERT INTO facts(customer_id,channel,source_detail,collected_at,values_json) VALUES (?,?,?,?,?)`,
		func(int) []any {
			f := genFact(r, n)
			return []any{f.customerID, f.channel, f.sourceDetail, f.collectedAt, f.valuesJSON}
		}); err != nil {
		return err
	}
	m["insert_rows_s"] = float64(7*n) / elapsed.Seconds()
	return nil
}

const pointQuery = `SELECT id,name,credit_code,industry,province,city,stage,grade,employees,revenue,
	expected_amount,owner,updated_at FROM customers WHERE id=?`

func pointRead(ctx context.Context, st *sql.Stmt, id int64) error {
	var c customer
	return st.QueryRowContext(ctx, id).Scan(&c.id, &c.name, &c.creditCode, &c.industry, &c.province,
		&c.city, &c.stage, &c.grade, &c.employees, &c.revenue, &c.expectedAmount, &c.owner, &c.updatedAt)
}

// 2. Point reads by random id.
func benchPoint(ctx context.Context, db *sql.DB, n, ops int, m map[string]float64) error {
	r := rand.New(rand.NewPCG(3, 4))
	ids := make([]int64, ops)
	for i := range ids {
		ids[i] = 1 + r.Int64N(int64(n))
	}
	st, err := db.PrepareContext(ctx, pointQuery)
	if err != nil {
		return err
	}
	defer st.Close()
	t := time.Now()
	for _, id := range ids {
		if err := pointRead(ctx, st, id); err != nil {
			return err
		}
	}
	m["point_ops_s"] = float64(ops) / time.Since(t).Seconds()
	return nil
}

// 3. List page: industry filter, ordered by name, random page among the first 20.
func benchList(ctx context.Context, db *sql.DB, ops int, m map[string]float64) error {
	r := rand.New(rand.NewPCG(5, 6))
	st, err := db.PrepareContext(ctx, `SELECT id,name,province,city,stage,grade,expected_amount,updated_at
		FROM customers WHERE industry=? ORDER BY name LIMIT 50 OFFSET ?`)
	if err != nil {
		return err
	}
	defer st.Close()
	type q struct {
		ind string
		off int
	}
	qs := make([]q, ops)
	for i := range qs {
		qs[i] = q{pick(r, industries), 50 * r.IntN(20)}
	}
	t := time.Now()
	got := 0
	for _, q := range qs {
		rows, err := st.QueryContext(ctx, q.ind, q.off)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, amt int64
			var name, prov, city, stage, grade, upd string
			if err := rows.Scan(&id, &name, &prov, &city, &stage, &grade, &amt, &upd); err != nil {
				rows.Close()
				return err
			}
			got++
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
	}
	m["list_ops_s"] = float64(ops) / time.Since(t).Seconds()
	if got == 0 {
		return fmt.Errorf("list queries returned no rows")
	}
	return nil
}

// 4. Aggregates; each query repeated `repeat` times, the median is kept.
func benchAgg(ctx context.Context, db *sql.DB, repeat int, m map[string]float64) error {
	timeQuery := func(query string, args ...any) (float64, error) {
		var ds []float64
		for range repeat {
			t := time.Now()
			rows, err := db.QueryContext(ctx, query, args...)
			if err != nil {
				return 0, err
			}
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			n := 0
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					rows.Close()
					return 0, err
				}
				n++
			}
			if err := rows.Err(); err != nil {
				return 0, err
			}
			rows.Close()
			if n == 0 {
				return 0, fmt.Errorf("no rows from %q", query)
			}
			ds = append(ds, ms(time.Since(t)))
		}
		return median(ds), nil
	}
	var err error
	if m["agg_group_ms"], err = timeQuery(`SELECT industry, grade, count(*), sum(expected_amount)
		FROM customers GROUP BY 1,2`); err != nil {
		return err
	}
	// Per customer: latest interaction date and number of interactions in a
	// 90-day window.
	m["agg_join_ms"], err = timeQuery(`SELECT c.id, c.name, max(i.date), count(*)
		FROM customers c JOIN interactions i ON i.customer_id = c.id
		WHERE i.date >= ? AND i.date < ?
		GROUP BY c.id`, "2025-01-01", "2025-04-01")
	return err
}

// 5. Four readers doing point reads while one writer commits small
// transactions (one UPDATE + one INSERT each), for a fixed duration.
func benchConcurrent(ctx context.Context, db *sql.DB, n int, dur time.Duration, m map[string]float64) error {
	st, err := db.PrepareContext(ctx, pointQuery)
	if err != nil {
		return err
	}
	defer st.Close()
	deadline := time.Now().Add(dur)
	var reads, writes atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	start := time.Now()
	for g := range 4 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(7, uint64(g)))
			for time.Now().Before(deadline) {
				if err := pointRead(ctx, st, 1+r.Int64N(int64(n))); err != nil {
					errs <- fmt.Errorf("reader: %w", err)
					return
				}
				reads.Add(1)
			}
		})
	}
	wg.Go(func() {
		r := rand.New(rand.NewPCG(8, 9))
		for time.Now().Before(deadline) {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				errs <- err
				return
			}
			id := 1 + r.Int64N(int64(n))
			if _, err := tx.ExecContext(ctx, `UPDATE customers SET stage=?, updated_at=? WHERE id=?`,
				pick(r, stages), randTimestamp(r), id); err != nil {
				tx.Rollback()
				errs <- fmt.Errorf("writer: %w", err)
				return
			}
			x := genInteraction(r, n)
			if _, err := tx.ExecContext(ctx, `INSERT INTO interactions(customer_id,date,channel,summary) VALUES (?,?,?,?)`,
				id, x.date, x.channel, x.summary); err != nil {
				tx.Rollback()
				errs <- fmt.Errorf("writer: %w", err)
				return
			}
			if err := tx.Commit(); err != nil {
				errs <- fmt.Errorf("writer commit: %w", err)
				return
			}
			writes.Add(1)
		}
	})
	wg.Wait()
	el := time.Since(start).Seconds()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	m["conc_read_ops_s"] = float64(reads.Load()) / el
	m["conc_write_tx_s"] = float64(writes.Load()) / el
	return nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
