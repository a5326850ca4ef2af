package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/softphone/softphone/server/metrics"
	"github.com/softphone/softphone/server/tlsconf"
)

// Server owns the listeners and the current handler. Open binds (failing
// fast), Serve runs, Reload swaps in a new config, Shutdown drains.
type Server struct {
	logger *slog.Logger
	cfg    Config // the config the listeners were opened with

	mu      sync.Mutex // serialises Reload
	current atomic.Pointer[handler]

	tls    *tlsconf.Manager
	access *accessLog
	stop   chan struct{}
	once   sync.Once // closes stop
	// ctx ends background work (compression) at Shutdown.
	ctx    context.Context
	cancel context.CancelFunc

	tlsOn bool // the main listener speaks TLS; fixed at Open

	metrics *metrics.Metrics // nil when metrics.listen is off

	main, redirect, metricsSrv *http.Server
	mainLn, redirectLn         *stoppableListener
	metricsLn                  net.Listener
	conns                      connTracker // connections that have not sent a request yet

	ready         readiness
	shutdownDelay atomic.Int64 // timeouts.shutdownDelay of the current config
}

// certReloadInterval is how often files mode looks at the certificate
// files (two stat calls): a rotated certificate is served within a second.
const certReloadInterval = 500 * time.Millisecond

// New prepares a server for cfg: TLS, access log and the first handler.
// It binds nothing yet.
func New(cfg Config, logger *slog.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Server{logger: logger, cfg: cfg, stop: make(chan struct{})}
	s.shutdownDelay.Store(int64(cfg.Timeouts.ShutdownDelay))
	if cfg.Metrics.Enabled() {
		s.metrics = metrics.New(cfg.Metrics, cfg.Build)
	}
	h, err := buildHandler(&cfg, nil, logger, s.metrics, &s.ready)
	if err != nil {
		return nil, err
	}
	s.current.Store(h)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	go s.optimize(h)
	if s.tls, err = tlsconf.New(cfg.TLS, tlsconf.Options{StateDir: cfg.StateDir, ReloadInterval: certReloadInterval}, logger); err != nil {
		s.cancel()
		h.close()
		return nil, err
	}
	s.metrics.WatchCertificates(func() []tlsconf.CertInfo { return s.tls.Status().Certificates })
	if s.access, err = openAccessLog(cfg.Log.Access); err != nil {
		s.cancel()
		h.close()
		s.tls.Close()
		return nil, fmt.Errorf("log.access: %w", err)
	}
	return s, nil
}

// optimize replaces the fast compressed variants of h's files with the best
// ones, in the background, and says when they are in place.
func (s *Server) optimize(h *handler) {
	start := time.Now()
	if n := h.store.Optimize(s.ctx); n > 0 && s.ctx.Err() == nil {
		s.logger.Info("best compression in place", "files", n, "took", time.Since(start).Round(time.Millisecond).String())
	}
}

// Handler is the full request pipeline: access log, then whatever the
// current config built. Exposed for in-process tests.
func (s *Server) Handler() http.Handler {
	return s.access.middleware(s.ready.reconnectWhileDraining(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.current.Load().root.ServeHTTP(w, r)
	})))
}

// Open binds the listeners, so a port in use fails here, before anything
// is reported as serving.
func (s *Server) Open() error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	tc := s.tls.TLSConfig()
	if tc != nil {
		// Under tls.NewListener (ServeTLS): TLS records go out together.
		ln = coalescingListener{ln}
	}
	s.mainLn = newStoppableListener(ln)
	s.main = s.newHTTPServer(s.Handler())
	if tc != nil {
		s.main.TLSConfig = tc
		s.main.ConnState = func(c net.Conn, st http.ConnState) {
			s.conns.hook(c, st)
			coalescingState(c, st)
		}
		s.tlsOn = true
	}
	if s.cfg.RedirectListen != "" {
		rl, err := net.Listen("tcp", s.cfg.RedirectListen)
		if err != nil {
			ln.Close()
			return fmt.Errorf("redirectListen: %w", err)
		}
		s.redirectLn = newStoppableListener(rl)
		s.redirect = s.newHTTPServer(s.access.middleware(s.ready.reconnectWhileDraining(s.tls.HTTPHandler(s.redirectHandler()))))
	}
	if s.metrics != nil {
		ml, err := net.Listen("tcp", s.cfg.Metrics.Listen)
		if err != nil {
			ln.Close()
			if s.redirectLn != nil {
				s.redirectLn.Close()
			}
			return fmt.Errorf("metrics.listen: %w", err)
		}
		s.metricsLn = ml
		s.metricsSrv = s.metrics.HTTPServer(s.logger)
	}
	return nil
}

// Metrics returns the metrics registry, or nil when metrics are off.
func (s *Server) Metrics() *metrics.Metrics { return s.metrics }

func (s *Server) newHTTPServer(h http.Handler) *http.Server {
	t := s.cfg.Timeouts
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    64 << 10,
		ConnState:         s.conns.hook,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelDebug),
	}
}

// Addr is the bound address of the main listener (useful with port 0).
func (s *Server) Addr() net.Addr { return s.mainLn.Addr() }

// RedirectAddr is the bound address of the redirect listener, or nil.
func (s *Server) RedirectAddr() net.Addr {
	if s.redirectLn == nil {
		return nil
	}
	return s.redirectLn.Addr()
}

// Serve runs the listeners until Shutdown. It returns the first error of
// either listener other than the expected http.ErrServerClosed.
func (s *Server) Serve() error {
	if s.access != nil {
		go s.access.run(s.stop)
	}
	errc := make(chan error, 3)
	go func() {
		var err error
		if s.tlsOn {
			err = s.main.ServeTLS(s.mainLn, "", "")
		} else {
			err = s.main.Serve(s.mainLn)
		}
		errc <- err
	}()
	n := 1
	if s.redirect != nil {
		n++
		go func() { errc <- s.redirect.Serve(s.redirectLn) }()
	}
	if s.metricsSrv != nil {
		n++
		go func() { errc <- s.metricsSrv.Serve(s.metricsLn) }()
	}
	s.logStart()
	s.ready.serving()
	var first error
	for range n {
		if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) && first == nil {
			first = err
			go s.Shutdown(context.Background())
		}
	}
	return first
}

func (s *Server) logStart() {
	scheme := "https"
	if !s.tlsOn {
		scheme = "http"
	}
	attrs := []any{"url", fmt.Sprintf("%s://%s%s", scheme, displayAddr(s.mainLn.Addr()), s.cfg.BasePath), "tls", s.cfg.TLS.Mode}
	if s.redirectLn != nil {
		attrs = append(attrs, "redirect", s.redirectLn.Addr().String())
	}
	if s.metricsLn != nil {
		attrs = append(attrs, "metrics", "http://"+s.metricsLn.Addr().String()+"/metrics")
	}
	s.logger.Info("serving", attrs...)
	for _, line := range s.tls.Describe() {
		s.logger.Info("tls", "setup", line)
	}
}

// displayAddr turns ":8443"/"[::]:8443" into "localhost:8443" for the log line
// an admin clicks.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// redirectHandler answers plain HTTP with 301 to the same path and query
// on HTTPS, at the origin httpsTarget picks: NGINX's `return 301
// https://$host$request_uri` without trusting $host. /healthz and /readyz
// are answered directly so load balancers can probe either port.
func (s *Server) redirectHandler() http.Handler {
	_, httpsPort, _ := net.SplitHostPort(s.mainLn.Addr().String()) // the bound port, also for ":0"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz":
			health(w, r)
			return
		case "/readyz":
			s.ready.ServeHTTP(w, r)
			return
		}
		if !s.tlsOn {
			http.Error(w, "404 page not found", http.StatusNotFound)
			return
		}
		origin, ok := httpsTarget(r, s.cfg.publicOrigins(), httpsPort)
		if !ok {
			http.Error(w, "400 bad request: invalid Host header", http.StatusBadRequest)
			return
		}
		w.Header().Set("Connection", "close")
		http.Redirect(w, r, origin+r.URL.RequestURI(), http.StatusMovedPermanently)
	})
}

// requestHost returns the host part of a Host header when it is a valid
// DNS name or IP literal. Anything else (spaces, slashes, '@', userinfo)
// would let a crafted Host header shape the redirect target.
func requestHost(h string) (string, bool) {
	host := h
	if hh, _, err := net.SplitHostPort(h); err == nil {
		host = hh
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if host == "" || len(host) > 253 {
		return "", false
	}
	if net.ParseIP(host) != nil {
		return host, true
	}
	for _, label := range strings.Split(host, ".") {
		if label == "" || len(label) > 63 {
			return "", false
		}
		for _, c := range label {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return "", false
			}
		}
	}
	return host, true
}

// Reload builds a handler for cfg and swaps it in. On any error the
// running handler keeps serving and the error says why. Settings bound to
// the listeners (listen addresses, TLS, logging, timeouts) need a restart;
// a change to them is reported and otherwise ignored.
func (s *Server) Reload(cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, key := range restartOnly(&s.cfg, &cfg) {
		s.logger.Warn("config change needs a restart to take effect", "key", key)
	}
	old := s.current.Load()
	h, err := buildHandler(&cfg, old, s.logger, s.metrics, &s.ready)
	if err != nil {
		return err
	}
	s.current.Store(h)
	s.shutdownDelay.Store(int64(cfg.Timeouts.ShutdownDelay))
	go s.optimize(h)
	// In-flight requests hold the old handler; its gate may still be read
	// by them, so it is closed after a grace period, not now.
	time.AfterFunc(time.Minute, old.close)
	if err := s.access.Reopen(); err != nil {
		s.logger.Error("reopen access log", "err", err)
	}
	return nil
}

// restartOnly compares the Startup parts of a and b whole and names the
// top-level keys that differ, in declaration order.
func restartOnly(a, b *Config) []string {
	sa, sb := a.Startup, b.Startup
	// timeouts.shutdownDelay is read when a shutdown starts, from the
	// current config: a reload applies it.
	sa.Timeouts.ShutdownDelay, sb.Timeouts.ShutdownDelay = 0, 0
	if reflect.DeepEqual(sa, sb) {
		return nil
	}
	var keys []string
	va, vb := reflect.ValueOf(sa), reflect.ValueOf(sb)
	for i := range va.NumField() {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			name, _, _ := strings.Cut(va.Type().Field(i).Tag.Get("mapstructure"), ",")
			keys = append(keys, name)
		}
	}
	return keys
}

// Shutdown takes the server out of a balancer, then drains it. At once,
// /readyz answers 503 and every response asks its client to reconnect
// elsewhere; the server keeps accepting and serving for
// timeouts.shutdownDelay (or until ctx ends), while the balancer notices.
// Then it stops accepting connections and waits for in-flight requests, up
// to timeouts.shutdown (or ctx, whichever ends first).
func (s *Server) Shutdown(ctx context.Context) error {
	s.ready.draining()
	if d := time.Duration(s.shutdownDelay.Load()); d > 0 {
		s.logger.Info("shutting down: /readyz answers 503, still serving while balancers take this instance out", "delay", d.String())
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
		}
		t.Stop()
	}
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeouts.Shutdown)
	defer cancel()
	// New connections are refused from here; those already accepted get
	// to send their first request before net/http starts dropping the
	// requests it reads (see connTracker).
	for _, ln := range []*stoppableListener{s.mainLn, s.redirectLn} {
		if ln != nil {
			ln.stop()
		}
	}
	s.conns.waitFresh(ctx, firstRequestGrace)
	// Keep-alive connections with traffic end themselves: their next
	// response carries Connection: close (or GOAWAY). Closing them while a
	// request is on its way would lose it, so they get a moment first;
	// http.Server.Shutdown then closes those that stayed idle.
	s.conns.waitClosed(ctx, reconnectGrace)
	var errs []error
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, srv := range []*http.Server{s.main, s.redirect, s.metricsSrv} {
		if srv == nil {
			continue
		}
		wg.Go(func() {
			if err := srv.Shutdown(ctx); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	s.once.Do(func() {
		s.cancel()
		close(s.stop)
		s.current.Load().close()
		errs = append(errs, s.tls.Close(), s.access.Close())
	})
	return errors.Join(errs...)
}
