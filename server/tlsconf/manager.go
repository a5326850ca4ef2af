// Package tlsconf turns the tls: section of the configuration into a
// hardened *tls.Config: a self-signed certificate kept across restarts,
// certificate files re-read when they change, or ACME certificates obtained
// and renewed in the background. It also reports what is in use and warns
// before certificates expire.
package tlsconf

import (
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/acme/autocert"
)

// Options are the parts of the set-up chosen by the program, not the config file.
type Options struct {
	// StateDir is the folder where the self-signed certificate is kept and,
	// unless tls.acme.cacheDir is set, the ACME cache ("acme" inside it).
	// Required for self-signed mode and for acme mode without cacheDir.
	StateDir string
	// Hostname is added to the self-signed certificate's names.
	// Default os.Hostname().
	Hostname string
	// ReloadInterval is how often files mode looks for changed files.
	// Default 2 seconds.
	ReloadInterval time.Duration
	// CheckInterval is how often certificates are checked for nearing
	// expiry (and the self-signed one replaced when due). Default 12 hours.
	CheckInterval time.Duration
	// ACMEWarmup is how long after New the certificates of all acme
	// domains are requested, so the first visitor does not wait for the CA
	// and the renewal timers of cached certificates start; the listeners
	// must be up by then. Default 5 seconds; negative disables it (the
	// first connection for a name then obtains its certificate).
	ACMEWarmup time.Duration
}

func (o *Options) setDefaults() {
	if o.Hostname == "" {
		o.Hostname, _ = os.Hostname()
	}
	if o.ReloadInterval == 0 {
		o.ReloadInterval = 2 * time.Second
	}
	if o.CheckInterval == 0 {
		o.CheckInterval = 12 * time.Hour
	}
	if o.ACMEWarmup == 0 {
		o.ACMEWarmup = 5 * time.Second
	}
}

// Manager provides the certificates of one tls: section. It is safe for
// concurrent use; Close stops its background work.
type Manager struct {
	cfg  Config
	opts Options
	log  *slog.Logger

	cert atomic.Pointer[tls.Certificate] // self-signed and files modes
	info atomic.Pointer[CertInfo]

	acme      *autocert.Manager // acme mode
	acmeState *acmeState

	stop chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

// New validates cfg (after filling its defaults), loads or creates the
// certificate and starts the background work: file watching, expiry checks,
// ACME renewal. It fails when a file cannot be read or does not hold a
// matching certificate and key.
func New(cfg Config, opts Options, logger *slog.Logger) (*Manager, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	opts.setDefaults()
	m := &Manager{cfg: cfg, opts: opts, log: logger, stop: make(chan struct{})}
	now := time.Now()
	switch cfg.Mode {
	case ModeOff:
		logger.Warn("tls is off: serving plain HTTP, a TLS proxy in front must encrypt the traffic")
		return m, nil
	case ModeSelfSigned:
		if err := m.loadSelfSigned(now); err != nil {
			return nil, err
		}
	case ModeFiles:
		c, err := loadFiles(&m.cfg)
		if err != nil {
			return nil, err
		}
		m.setCert(c, m.filesSource(), now, "tls certificate loaded")
		m.wg.Add(1)
		go m.watchFiles(stampOf(watchedPaths(&m.cfg)...))
	case ModeACME:
		if err := m.startACME(); err != nil {
			return nil, err
		}
	}
	m.wg.Add(1)
	go m.checkLoop()
	return m, nil
}

// TLSConfig returns the configuration for the HTTPS listener, or nil in
// mode off. TLS 1.2 at least; for TLS 1.2 only ECDHE key exchange with AEAD
// ciphers; HTTP/2 and HTTP/1.1 by ALPN (and acme-tls/1 in acme mode).
// Certificates come from GetCertificate, so new ones apply without a restart.
func (m *Manager) TLSConfig() *tls.Config {
	if m.cfg.Mode == ModeOff {
		return nil
	}
	c := baseConfig()
	if m.acme != nil {
		c.GetCertificate = m.acmeCertificate
		c.NextProtos = append(c.NextProtos, acmeALPN)
		return c
	}
	c.GetCertificate = func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
		return m.cert.Load(), nil
	}
	return c
}

// HTTPHandler wraps the handler of the plain-HTTP listener: in acme mode it
// answers the CA's http-01 challenges under /.well-known/acme-challenge/
// and passes everything else to fallback; in the other modes it is fallback.
// A nil fallback answers 404.
func (m *Manager) HTTPHandler(fallback http.Handler) http.Handler {
	if fallback == nil {
		fallback = http.NotFoundHandler()
	}
	if m.acme != nil {
		return challengeHost(m.acme.HTTPHandler(fallback))
	}
	return fallback
}

// challengeHost strips the port from the Host of ACME challenge requests
// before autocert checks it against the allowed names: a CA validating on a
// port other than 80 (a private CA, a test CA) sends "name:port".
func challengeHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/.well-known/acme-challenge/") {
			if host, _, err := net.SplitHostPort(r.Host); err == nil {
				r = r.Clone(r.Context())
				r.Host = host
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Status describes the TLS set-up in use.
func (m *Manager) Status() Status {
	s := Status{Mode: m.cfg.Mode}
	if info := m.info.Load(); info != nil {
		s.Certificates = []CertInfo{*info}
	}
	if m.acme != nil {
		s.Domains = m.cfg.ACME.Domains
		s.DirectoryURL = m.cfg.ACME.DirectoryURL
		s.Certificates = m.cachedACMECerts()
		if len(s.Certificates) == 0 {
			s.Notes = append(s.Notes, "no certificate obtained yet: the first HTTPS request for each domain obtains one")
		}
	}
	s.Warnings = expiryWarnings(s.Certificates, time.Now())
	return s
}

// Close stops the background work. Certificates already handed out stay valid.
func (m *Manager) Close() error {
	m.once.Do(func() { close(m.stop) })
	m.wg.Wait()
	return nil
}

func (m *Manager) setCert(c *tls.Certificate, source string, now time.Time, msg string) {
	info := certInfo(c.Leaf, source)
	m.cert.Store(c)
	m.info.Store(&info)
	logCert(m.log, msg, info, now)
}

func (m *Manager) filesSource() string {
	if m.cfg.PFXFile != "" {
		return m.cfg.PFXFile
	}
	return m.cfg.CertFile
}

func (m *Manager) loadSelfSigned(now time.Time) error {
	if m.opts.StateDir == "" {
		return errors.New("tls.mode self-signed: no state folder to keep the certificate in")
	}
	c, created, err := loadOrCreateSelfSigned(m.opts.StateDir, m.opts.Hostname, now)
	if err != nil {
		return err
	}
	msg := "tls self-signed certificate reused"
	if created {
		msg = "tls self-signed certificate created (browsers warn once; trust it or use files or acme mode)"
	}
	m.setCert(c, filepath.Join(m.opts.StateDir, selfSignedCert), now, msg)
	return nil
}

// watchFiles reloads the certificate files when they change. A change
// that does not load (half-written pair, wrong password...) is logged once
// and the certificate in use keeps serving.
func (m *Manager) watchFiles(last []fileStamp) {
	defer m.wg.Done()
	t := time.NewTicker(m.opts.ReloadInterval)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
		}
		cur := stampOf(watchedPaths(&m.cfg)...)
		if sameStamps(cur, last) {
			continue
		}
		last = cur
		c, err := loadFiles(&m.cfg)
		if err != nil {
			m.log.Error("tls certificate files changed but do not load; the previous certificate keeps serving", "error", err)
			continue
		}
		m.setCert(c, m.filesSource(), time.Now(), "tls certificate reloaded")
	}
}

// checkLoop warns about nearing expiry and replaces a self-signed
// certificate that is due.
func (m *Manager) checkLoop() {
	defer m.wg.Done()
	t := time.NewTicker(m.opts.CheckInterval)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
		}
		now := time.Now()
		switch m.cfg.Mode {
		case ModeSelfSigned:
			if info := m.info.Load(); info != nil && info.NotAfter.Sub(now) < selfSignedRenew {
				if err := m.loadSelfSigned(now); err != nil {
					m.log.Error("tls self-signed certificate renewal failed; the current one keeps serving", "error", err)
				}
			}
		case ModeFiles:
			if info := m.info.Load(); info != nil && info.NotAfter.Sub(now) < ExpiryWarning {
				logCert(m.log, "tls certificate files need replacing", *info, now)
			}
		case ModeACME:
			m.checkACME(now)
		}
	}
}

// Describe is the status as lines, warnings last, for the start-up log.
func (m *Manager) Describe() []string {
	s := m.Status()
	return append(s.Lines(time.Now()), s.Warnings...)
}
