package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/dossier/dossier"
	dhttp "github.com/dossier/dossier/http"
	"github.com/dossier/dossier/postgres"
	"github.com/dossier/dossier/rules"
	"github.com/dossier/dossier/sqldb"
	"github.com/dossier/dossier/sqlite"
)

// secretKey is the setting that holds the key signing CSRF tokens, shared by
// every server process on one database.
const secretKey = "server_secret"

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags("serve")
	db := dbFlag(fs, e)
	addr := fs.String("addr", envOr(e, "DOSSIER_ADDR", "127.0.0.1:8080"), "address to listen on (host:port; :0 picks a free port) (env DOSSIER_ADDR)")
	demoFlag := fs.Bool("demo", false, "fill an empty store with demo data first")
	demoN := fs.Int("demo-customers", 1000, "customers to generate with --demo")
	logFormat := fs.String("log-format", envOr(e, "DOSSIER_LOG_FORMAT", "text"), "log format: text or json (env DOSSIER_LOG_FORMAT)")
	logLevel := fs.String("log-level", envOr(e, "DOSSIER_LOG_LEVEL", "info"), "log level: debug, info, warn or error (env DOSSIER_LOG_LEVEL)")
	metricsToken := fs.String("metrics-token", e.getenv("DOSSIER_METRICS_TOKEN"), "bearer token that lets a scraper read /metrics; admins always may (env DOSSIER_METRICS_TOKEN)")
	every := fs.Duration("recompute-every", envDuration(e, "DOSSIER_RECOMPUTE_EVERY"), "recompute every score this often, e.g. 24h; 0 = never (env DOSSIER_RECOMPUTE_EVERY)")
	snapCheck := fs.Duration("snapshot-check", time.Hour, "how often to check that this quarter has its snapshot of every customer (R32), taking it if not; 0 = never")
	hookEvery := fs.Duration("webhook-every", 5*time.Second, "send due webhook deliveries this often; 0 = never from this server")
	grace := fs.Duration("shutdown-timeout", 10*time.Second, "on SIGTERM or SIGINT, how long requests in flight may take to finish")
	sqliteMiB := fs.Int("sqlite-memory", envInt(e, "DOSSIER_SQLITE_MEMORY", 96),
		"SQLite store: MiB of page cache the server keeps at most, over all its connections; 0 = no limit (env DOSSIER_SQLITE_MEMORY)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *sqliteMiB < 0 {
		return usagef("--sqlite-memory must not be negative")
	}
	// A server runs for weeks: keep SQLite's caches and glibc's arenas
	// bounded (BENCHMARKS.md, "Memory"). Commands that run once keep the
	// larger caches, which speed up bulk reads.
	if err := sqlite.LimitMemory(int64(*sqliteMiB)<<20, 2); err != nil {
		return err
	}
	logger, err := newLogger(e.stderr, *logFormat, *logLevel)
	if err != nil {
		return err
	}
	if *every < 0 || *snapCheck < 0 {
		return usagef("--recompute-every and --snapshot-check must not be negative")
	}
	store, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := firstAdmin(ctx, e, store); err != nil {
		return err
	}
	if *demoFlag {
		if err := demoIfEmpty(ctx, e, store, *demoN); err != nil {
			return err
		}
	}
	key, err := serverSecret(ctx, store)
	if err != nil {
		return err
	}
	reg, err := storeMetrics(store)
	if err != nil {
		return err
	}
	readiness, err := schemaCurrent(store)
	if err != nil {
		return err
	}
	srv, err := dhttp.NewServer(dhttp.Config{
		Addr: *addr, CSRFKey: key, Logger: logger, Metrics: reg, MetricsToken: *metricsToken,
		Readiness: readiness, ShutdownTimeout: *grace,
		Ready: func(a string) {
			fmt.Fprintf(e.stdout, "Dossier is running at http://%s/ (store: %s)\n", a, store.Dialect())
		},
	}, dhttp.Services{Snapshots: store, Customers: store, Records: store, Users: store, Scores: store, Fields: store, Audit: store, Personal: store, Surveys: store, Pinger: store,
		Segments: store, Analytics: store, Market: store, Analysis: rules.NewService(store), Dedupe: store, Quality: store, Imports: store, ImportRuns: store,
		Webhooks: store, Interactions: store, ImportLog: store, Contacts: store, Projects: store})
	if err != nil {
		return err
	}
	jobsCtx, stopJobs := context.WithCancel(ctx)
	var jobs sync.WaitGroup
	jobs.Go(func() { warmQuality(jobsCtx, logger, store) })
	if store.Dialect() == "sqlite" {
		jobs.Go(func() { trimEvery(jobsCtx, 30*time.Second) })
	}
	if *every > 0 {
		jobs.Go(func() { scheduleRecompute(jobsCtx, logger, store, *every) })
	}
	if *snapCheck > 0 {
		jobs.Go(func() { scheduleSnapshots(jobsCtx, logger, store, *snapCheck) })
	}
	if *hookEvery > 0 {
		jobs.Go(func() { sendWebhooks(jobsCtx, logger, store, *hookEvery) })
	}
	err = srv.ListenAndServe(ctx)
	stopJobs()
	jobs.Wait()
	return err
}

// trimEvery returns the C memory freed by SQLite to the system now and
// then, so that a server at rest after traffic stays small.
func trimEvery(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			sqlite.TrimMemory()
		}
	}
}

// envInt reads an integer from the environment, def when unset or bad.
func envInt(e *env, key string, def int) int {
	if n, err := strconv.Atoi(e.getenv(key)); err == nil {
		return n
	}
	return def
}

func envOr(e *env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

// envDuration reads a duration from the environment; a bad value is left to
// the flag's default of 0 and reported by the flag when given there.
func envDuration(e *env, key string) time.Duration {
	d, _ := time.ParseDuration(e.getenv(key))
	return d
}

// newLogger builds the structured logger serve writes to stderr.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usagef("--log-level %q: use debug, info, warn or error", level)
	}
	opt := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opt)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opt)), nil
	}
	return nil, usagef("--log-format %q: use text or json", format)
}

// storeMetrics is a registry with the process, Go runtime and connection
// pool series, and the number of customers (counted at most once a minute,
// since COUNT(*) over a million rows is not free).
func storeMetrics(store *sqldb.DB) (*prometheus.Registry, error) {
	reg := prometheus.NewRegistry()
	cs := []prometheus.Collector{
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	}
	for name, pool := range store.Pools() {
		cs = append(cs, collectors.NewDBStatsCollector(pool, name))
	}
	var (
		mu    sync.Mutex
		count float64
		at    time.Time
	)
	cs = append(cs, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "dossier_customers", Help: "Customers in the store (refreshed at most once a minute).",
	}, func() float64 {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(at) > time.Minute {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if n, err := store.CountCustomers(ctx); err == nil {
				count, at = float64(n), time.Now()
			}
		}
		return count
	}))
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return reg, nil
}

// schemaCurrent is /readyz's check that the database's schema is the one
// this build knows: after a newer dossier migrates it, older servers report
// not ready instead of failing requests.
func schemaCurrent(store *sqldb.DB) (func(context.Context) error, error) {
	ms, err := sqlite.Migrations()
	if store.Dialect() == "postgres" {
		ms, err = postgres.Migrations()
	}
	if err != nil || len(ms) == 0 {
		return nil, err
	}
	want := ms[len(ms)-1].Version
	return func(ctx context.Context) error {
		have, err := store.SchemaVersion(ctx)
		if err == nil && have != want {
			err = fmt.Errorf("schema version %d, this server expects %d", have, want)
		}
		return err
	}, nil
}

// firstAdmin creates the admin account on a store without users and prints
// how to sign in: the only time the password is shown.
func firstAdmin(ctx context.Context, e *env, store *sqldb.DB) error {
	n, err := store.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	pw := newPassword()
	err = store.CreateUser(ctx, &dossier.User{Name: "admin", Role: dossier.RoleAdmin}, pw)
	if dossier.ErrorCode(err) == dossier.ECONFLICT {
		return nil // another server starting on the same database made it first
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Created the first user. Sign in as: admin  password: %s\n", pw)
	fmt.Fprintln(e.stdout, "(Add more users with 'dossier user add NAME --role ROLE'.)")
	return nil
}

// serverSecret returns the store's CSRF signing key, creating it once: every
// server on the database signs with the first key stored.
func serverSecret(ctx context.Context, store *sqldb.DB) ([]byte, error) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	hexKey := hex.EncodeToString(b)
	if err := store.SettingOnce(ctx, secretKey, &hexKey); err != nil {
		return nil, err
	}
	return hex.DecodeString(hexKey)
}
