package http

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	nethttp "net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus series. Routes are labelled by their
// pattern ("GET /customers/{id}"), never the raw path, so the number of
// series stays bounded whatever clients request.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

func newMetrics(reg *prometheus.Registry) (*metrics, error) {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m := &metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dossier_http_requests_total", Help: "HTTP requests by route pattern and status.",
		}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "dossier_http_request_duration_seconds", Help: "HTTP request duration by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dossier_http_requests_in_flight", Help: "HTTP requests being served.",
		}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration, m.inFlight} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

// handleMetrics serves the registry in the Prometheus text format. The
// guard has already let through only admins and holders of the metrics
// token (see routes.go).
func (s *Server) handleMetrics(w nethttp.ResponseWriter, r *nethttp.Request) {
	promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
}

// metricsTokenOK reports whether r carries the configured metrics token as
// "Authorization: Bearer …". Hashing first makes the comparison constant
// time whatever the lengths.
func (s *Server) metricsTokenOK(r *nethttp.Request) bool {
	if s.cfg.MetricsToken == "" {
		return false
	}
	tok, ok := bearerToken(r.Header.Get("Authorization"))
	if !ok {
		return false
	}
	a, b := sha256.Sum256([]byte(tok)), sha256.Sum256([]byte(s.cfg.MetricsToken))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// handleReadyz answers 200 "ready" when the store answers and its schema is
// the one this server was built for, 503 otherwise: a load balancer then
// stops sending traffic to a server that an upgrade has left behind.
func (s *Server) handleReadyz(w nethttp.ResponseWriter, r *nethttp.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	err := s.svc.Pinger.Ping(ctx)
	if err == nil && s.cfg.Readiness != nil {
		err = s.cfg.Readiness(ctx)
	}
	if err != nil {
		s.log.Warn("readiness check failed", "err", err)
		w.WriteHeader(nethttp.StatusServiceUnavailable)
		_, _ = w.Write([]byte("not ready"))
		return
	}
	_, _ = w.Write([]byte("ready"))
}

// reqInfo is filled in as a request passes the router and guard, for the
// access log and the metrics, which wrap the router and so cannot see the
// matched pattern or the user themselves.
type reqInfo struct {
	route  string
	userID int64
}

const infoKey ctxKey = 100

func infoOf(r *nethttp.Request) *reqInfo {
	i, _ := r.Context().Value(infoKey).(*reqInfo)
	return i
}
