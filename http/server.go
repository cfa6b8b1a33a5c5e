// Package http is Dossier's web UI and JSON API: the server, its route table
// with the permission each route needs (routes.go), sessions, CSRF, the
// mapping of domain errors to HTTP statuses, and the pages. It programs
// against the service interfaces of package dossier only.
package http

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	nethttp "net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/dossier/dossier"
	"github.com/dossier/dossier/analytics"
	"github.com/dossier/dossier/http/html"
)

// Pinger reports whether the store answers; /healthz uses it.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Services are the stores the server reads and writes. All are required.
type Services struct {
	Customers dossier.CustomerService
	Records   dossier.RecordService
	Users     dossier.UserService
	Scores    dossier.ScoreService
	Fields    dossier.FieldService
	Audit     dossier.AuditService
	Personal  dossier.PersonalDataService
	Surveys   dossier.SurveyService
	Dedupe    dossier.DedupeService
	Quality   dossier.QualityService
	Pinger    Pinger
	Segments  dossier.SegmentService
	Analytics analytics.Store
	// Imports is what the web import wizard writes through (the CLI's
	// importer and its recorded runs).
	Imports dossier.ImportStore
	// ImportRuns undoes an import from the wizard's result page.
	ImportRuns dossier.ImportRunService
	// Market holds market records, notes, competitors and shares (R26).
	Market dossier.MarketService
	// Analysis: nil means the rules service over Customers (see analysisService).
	Analysis dossier.AnalysisService
	// Snapshots keeps snapshots (R32) and analyses with their runs (R1).
	Snapshots dossier.SnapshotService
	// Webhooks: nil leaves the webhook routes answering 404.
	Webhooks dossier.WebhookStore
	// Interactions: nil leaves /api/v1/interactions answering 404.
	Interactions dossier.InteractionStore
	// ImportLog: nil leaves /api/v1/imports answering 404.
	ImportLog ImportReader
	// Contacts: nil leaves /api/v1/contacts answering 404.
	Contacts dossier.ContactStore
	// Projects: nil leaves /api/v1/projects answering 404.
	Projects dossier.ProjectStore
}

// Config configures a server. Only Addr is needed to listen; the rest has
// defaults.
type Config struct {
	Addr string // host:port; ":0" picks a free port
	// CSRFKey signs CSRF tokens. Servers sharing one database behind a load
	// balancer must share the key; when empty, a random per-process key is
	// used, which is right for a single process.
	CSRFKey []byte
	Logger  *slog.Logger
	Now     func() time.Time // the clock; time.Now when nil
	// Ready, when set, is called with the bound address once the server
	// listens, so a caller using ":0" learns the port.
	Ready func(addr string)
	// Readiness, when set, is /readyz's check beyond a ping (e.g. that the
	// schema is the one this build expects).
	Readiness func(ctx context.Context) error
	// Metrics is the registry /metrics serves; the server adds its HTTP
	// series. A new registry when nil.
	Metrics *prometheus.Registry
	// MetricsToken, when set, lets a scraper read /metrics with
	// "Authorization: Bearer TOKEN"; admins may read it anyway.
	MetricsToken string
	// UploadDir keeps the import wizard's files between its steps (see
	// upload.go); dossier-uploads in the system's temporary folder when
	// empty.
	UploadDir string
	// ShutdownTimeout is how long requests in flight may take to finish
	// once the context ends; 10 seconds when 0.
	ShutdownTimeout time.Duration
}

// Server is the HTTP server. It keeps no state that matters across
// processes (sessions live in the store), so several may share one database;
// only the sign-in rate limiter is per process.
type Server struct {
	cfg         Config
	svc         Services
	log         *slog.Logger
	now         func() time.Time
	csrfKey     []byte
	pages       *html.Templates
	assets      *assetSet
	nameLimit   *limiter // failed sign-ins per IP and user name
	ipLimit     *limiter // failed sign-ins per IP, any name
	handler     nethttp.Handler
	metrics     *metrics
	surveyLimit *limiter // requests to public survey pages per IP
	openapi     []byte   // the OpenAPI document of /api/v1 (openapi.go)
	uploads     uploads  // the import wizard's files

	mu   sync.Mutex
	addr string
}

// NewServer checks the services, parses every template and builds the
// router. A missing service, template or route rule is an error here rather
// than a failed request later.
func NewServer(cfg Config, svc Services) (*Server, error) {
	svc.Analysis = analysisService(svc)
	if err := svc.check(); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, svc: svc, log: cfg.Logger, now: cfg.Now, uploads: uploads{dir: cfg.UploadDir}}
	if s.uploads.dir == "" {
		s.uploads.dir = filepath.Join(os.TempDir(), "dossier-uploads")
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	if err := s.initCSRFKey(cfg.CSRFKey); err != nil {
		return nil, err
	}
	var err error
	if s.metrics, err = newMetrics(cfg.Metrics); err != nil {
		return nil, err
	}
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = html.Load(s.assets.url); err != nil {
		return nil, err
	}
	s.nameLimit = newLimiter(5, 15*time.Minute, s.now)
	s.ipLimit = newLimiter(30, 15*time.Minute, s.now)
	s.surveyLimit = newLimiter(surveyRequestsPerIP, 15*time.Minute, s.now)
	if s.openapi, err = servedOpenAPI(); err != nil {
		return nil, err
	}
	router, err := s.router()
	if err != nil {
		return nil, err
	}
	s.handler = s.middleware(router)
	return s, nil
}

func (svc Services) check() error {
	missing := map[string]bool{
		"Customers": svc.Customers == nil, "Records": svc.Records == nil, "Users": svc.Users == nil,
		"Scores": svc.Scores == nil, "Fields": svc.Fields == nil, "Audit": svc.Audit == nil, "Personal": svc.Personal == nil,
		"Surveys": svc.Surveys == nil, "Pinger": svc.Pinger == nil,
		"Segments": svc.Segments == nil, "Analytics": svc.Analytics == nil, "Market": svc.Market == nil,
		"Analysis": svc.Analysis == nil, "Snapshots": svc.Snapshots == nil,
		"Dedupe": svc.Dedupe == nil, "Quality": svc.Quality == nil,
		"Imports": svc.Imports == nil, "ImportRuns": svc.ImportRuns == nil,
	}
	for name, m := range missing {
		if m {
			return fmt.Errorf("http: Services.%s is nil", name)
		}
	}
	return nil
}

func (s *Server) initCSRFKey(key []byte) error {
	switch {
	case len(key) == 0:
		s.csrfKey = make([]byte, 32)
		_, _ = rand.Read(s.csrfKey) // crypto/rand.Read never fails on supported platforms
	case len(key) < 16:
		return errors.New("http: Config.CSRFKey must be at least 16 bytes")
	default:
		s.csrfKey = key
	}
	return nil
}

// Handler returns the server's handler with every middleware applied.
func (s *Server) Handler() nethttp.Handler { return s.handler }

// Addr returns the address the server listens on, "" before it listens.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// ListenAndServe serves until ctx is done, then shuts down gracefully: it
// stops accepting, and gives requests in flight Config.ShutdownTimeout
// (10 seconds by default) to finish.
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", s.cfg.Addr, err)
	}
	s.mu.Lock()
	s.addr = ln.Addr().String()
	s.mu.Unlock()
	srv := &nethttp.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second, // exports and reports can take a while
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	s.log.Info("listening", "addr", s.Addr())
	if s.cfg.Ready != nil {
		s.cfg.Ready(s.Addr())
	}
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	timeout := s.cfg.ShutdownTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	s.log.Info("shutting down", "timeout", timeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// handleHealthz answers 200 "ok" when the store answers a ping within two
// seconds, 503 otherwise; load balancers and `dossier serve` scripts poll it.
func (s *Server) handleHealthz(w nethttp.ResponseWriter, r *nethttp.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.svc.Pinger.Ping(ctx); err != nil {
		s.log.Warn("health check failed", "err", err)
		w.WriteHeader(nethttp.StatusServiceUnavailable)
		_, _ = w.Write([]byte("unavailable"))
		return
	}
	_, _ = w.Write([]byte("ok"))
}
