// Package metrics exposes softphone's Prometheus metrics: requests by
// status and route class, response bytes, latency, access-gate denials by
// reason, config reloads, certificate expiry and build info. Everything is
// registered on the Metrics' own registry, never the process-global one, so
// two servers in one process (tests) do not collide.
package metrics

import (
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/softphone/softphone/server/tlsconf"
)

// namespace prefixes every softphone metric.
const namespace = "softphone"

// BuildInfo is what softphone_build_info reports.
type BuildInfo struct {
	// Version is the release, such as "v1.2.3" or "dev".
	Version string
	// Commit is the VCS revision, "" when unknown.
	Commit string
	// Date is the build (commit) date, "" when unknown.
	Date string
}

// Metrics holds the collectors. A nil *Metrics is valid and does nothing,
// so callers need no "if metrics on" branches.
type Metrics struct {
	reg *prometheus.Registry

	requests *prometheus.CounterVec   // code, route
	bytes    *prometheus.CounterVec   // route
	duration *prometheus.HistogramVec // route
	denials  *prometheus.CounterVec   // reason
	reloads  *prometheus.CounterVec   // result
	lastOK   prometheus.Gauge
	lastGood prometheus.Gauge

	certMu sync.Mutex
	certs  func() []tlsconf.CertInfo
	now    func() time.Time // clock for certificate expiry
}

// New registers every collector on a fresh registry. cfg is accepted for
// future settings; call it only when cfg.Enabled().
func New(cfg Config, info BuildInfo) *Metrics {
	_ = cfg
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		now: time.Now,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests answered, by status code and route class (shell, config, bundle, asset, auth, health, other).",
		}, []string{"code", "route"}),
		bytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "http", Name: "response_bytes_total",
			Help: "Response body bytes written, by route class.",
		}, []string{"route"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help:    "Time from request to the end of the response, by route class.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		denials: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "gate", Name: "denials_total",
			Help: "Requests turned away by the access gate, by reason (ip, basic, no-credentials, rate-limit, jwt-...).",
		}, []string{"reason"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "config", Name: "reloads_total",
			Help: "Config reloads (SIGHUP or file change), by result: ok, or failed when the new config was refused and the old one kept serving.",
		}, []string{"result"}),
		lastOK: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "config", Name: "last_reload_successful",
			Help: "1 when the last reload attempt succeeded (or none was tried), 0 when the running config is older than the file.",
		}),
		lastGood: prometheus.NewGauge(prometheus.GaugeOpts{
			Namespace: namespace, Subsystem: "config", Name: "last_reload_success_timestamp_seconds",
			Help: "Unix time the running config was loaded.",
		}),
	}
	// Both results show up as 0 from the start, so rate() and alerts work
	// before the first reload.
	m.reloads.WithLabelValues("ok")
	m.reloads.WithLabelValues("failed")
	m.lastOK.Set(1)
	m.lastGood.SetToCurrentTime()

	buildInfo := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Namespace: namespace, Name: "build_info",
		Help: "Always 1; the labels carry the version, commit, build date and Go version.",
	}, []string{"version", "commit", "date", "goversion"})
	buildInfo.WithLabelValues(orUnknown(info.Version), orUnknown(info.Commit), orUnknown(info.Date), runtime.Version()).Set(1)

	reg.MustRegister(
		m.requests, m.bytes, m.duration, m.denials, m.reloads, m.lastOK, m.lastGood, buildInfo,
		certCollector{m},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// Handler serves the metrics in the Prometheus text (or OpenMetrics)
// format. Mount it at /metrics on the metrics listener.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
		Registry:          m.reg, // counts scrape errors too
		EnableOpenMetrics: true,
	})
}

// Mux returns a handler for the metrics listener: /metrics and nothing else.
func (m *Metrics) Mux() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	return mux
}

// ConfigReload records the outcome of one reload attempt.
func (m *Metrics) ConfigReload(ok bool) {
	if m == nil {
		return
	}
	if ok {
		m.reloads.WithLabelValues("ok").Inc()
		m.lastOK.Set(1)
		m.lastGood.SetToCurrentTime()
		return
	}
	m.reloads.WithLabelValues("failed").Inc()
	m.lastOK.Set(0)
}

// GateDenied counts one request turned away by the access gate. The
// middleware calls it from what the gate recorded; call it directly only
// for denials outside the HTTP middleware chain.
func (m *Metrics) GateDenied(reason string) {
	if m == nil {
		return
	}
	m.denials.WithLabelValues(boundedReason(reason)).Inc()
}

// boundedReason keeps the reason label to short lowercase tokens, so an
// unexpected value can never blow up the label set.
func boundedReason(reason string) string {
	if reason == "" || len(reason) > 32 {
		return "other"
	}
	for _, c := range reason {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return "other"
		}
	}
	return reason
}

// WatchCertificates makes softphone_tls_certificate_expiry_seconds report
// the certificates fn returns, read at every scrape so renewals and file
// reloads show without further calls. A nil fn stops the reporting.
func (m *Metrics) WatchCertificates(fn func() []tlsconf.CertInfo) {
	if m == nil {
		return
	}
	m.certMu.Lock()
	m.certs = fn
	m.certMu.Unlock()
}

// HTTPServer returns the server for the metrics listener: Mux, with
// timeouts so a stuck scraper cannot hold connections. The caller binds
// metrics.listen and runs Serve, and Shutdown at exit.
func (m *Metrics) HTTPServer(logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           m.Mux(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
}
