package tlsconf

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
	"golang.org/x/net/idna"
)

const acmeALPN = acme.ALPNProto

// acmeState is the acme mode's bookkeeping beside autocert.Manager.
type acmeState struct {
	cacheDir string
	cache    *sharedCache
	mu       sync.Mutex
	serving  map[string]string    // domain -> serial of the certificate last logged as in use
	failLog  map[string]time.Time // domain -> when the last failure was logged
}

func (m *Manager) startACME() error {
	a := m.cfg.ACME
	dir := a.CacheDir
	if dir == "" {
		if m.opts.StateDir == "" {
			return errors.New("tls.acme.cacheDir: required when there is no state folder")
		}
		dir = filepath.Join(m.opts.StateDir, "acme")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("tls.acme.cacheDir: %w", err)
	}
	if fi, err := os.Stat(dir); err == nil && fi.Mode().Perm()&0o077 != 0 {
		m.log.Warn("tls acme cache folder is readable by others; it holds private keys, chmod 700 it", "dir", dir, "mode", fi.Mode().Perm().String())
	}
	client, err := acmeHTTPClient(a.CABundle, m.log)
	if err != nil {
		return err
	}
	m.acmeState = &acmeState{cacheDir: dir, cache: newSharedCache(dir), serving: map[string]string{}, failLog: map[string]time.Time{}}
	m.acme = &autocert.Manager{
		Prompt:      autocert.AcceptTOS,
		Cache:       m.acmeState.cache,
		HostPolicy:  autocert.HostWhitelist(a.Domains...),
		RenewBefore: a.RenewBefore,
		Email:       a.Email,
		Client: &acme.Client{
			DirectoryURL: a.DirectoryURL,
			HTTPClient:   client,
			UserAgent:    "softphone",
		},
	}
	m.log.Info("tls acme enabled", "domains", strings.Join(a.Domains, ","), "directory", a.DirectoryURL, "cacheDir", dir)
	for _, c := range m.cachedACMECerts() {
		logCert(m.log, "tls acme certificate in cache", c, time.Now())
	}
	if m.opts.ACMEWarmup > 0 {
		// Not waited for by Close: an issuance in flight cannot be
		// cancelled (autocert bounds it to a few minutes) and must not hold
		// up a shutdown.
		go func() {
			select {
			case <-m.stop:
			case <-time.After(m.opts.ACMEWarmup):
				m.obtainAll()
			}
		}()
	}
	return nil
}

// acmeHTTPClient trusts the system roots plus the PEM bundle, and logs the
// CA's answers that explain failures.
func acmeHTTPClient(bundle string, log *slog.Logger) (*http.Client, error) {
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if bundle != "" {
		data, err := os.ReadFile(bundle)
		if err != nil {
			return nil, fmt.Errorf("tls.acme.caBundle: %w", err)
		}
		if !roots.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("tls.acme.caBundle: no PEM certificate in %s", bundle)
		}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: &acmeLog{base: tr, log: log}, Timeout: 2 * time.Minute}, nil
}

// acmeCertificate is GetCertificate in acme mode: autocert, plus logging of
// failures for allowed names (at most once a minute per name) and of each
// new certificate's expiry when it is first served.
func (m *Manager) acmeCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	c, err := m.acme.GetCertificate(hello)
	isToken := len(hello.SupportedProtos) == 1 && hello.SupportedProtos[0] == acmeALPN
	if isToken {
		return c, err
	}
	name := strings.TrimSuffix(strings.ToLower(hello.ServerName), ".")
	if err != nil {
		// An order that failed leaves the certificate to the next instance
		// (or the next attempt) at once, not after orderTimeout.
		m.acmeState.cache.release(name)
		m.acmeState.cache.release(name + "+rsa")
	}
	if !m.allowed(name) {
		return c, err
	}
	s := m.acmeState
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		if now.Sub(s.failLog[name]) > time.Minute {
			s.failLog[name] = now
			m.log.Error("tls acme: no certificate; retried at the next connection and in the background", "domain", name, "error", err)
		}
		return nil, err
	}
	if c.Leaf != nil && s.serving[name] != c.Leaf.SerialNumber.String() {
		s.serving[name] = c.Leaf.SerialNumber.String()
		logCert(m.log, "tls acme certificate in use", certInfo(c.Leaf, "acme"), now)
	}
	return c, nil
}

func (m *Manager) allowed(name string) bool {
	ascii, err := idna.Lookup.ToASCII(name)
	if err != nil {
		return false
	}
	for _, d := range m.cfg.ACME.Domains {
		if da, err := idna.Lookup.ToASCII(strings.TrimSuffix(d, ".")); err == nil && da == ascii {
			return true
		}
	}
	return false
}

// obtainAll asks for the certificate of every domain as a browser would,
// which obtains missing ones and starts the renewal timers of cached ones.
func (m *Manager) obtainAll() {
	for _, d := range m.cfg.ACME.Domains {
		select {
		case <-m.stop:
			return
		default:
		}
		_, _ = m.acmeCertificate(ecdsaHello(d))
	}
}

// ecdsaHello is a ClientHello of a current browser for name.
func ecdsaHello(name string) *tls.ClientHelloInfo {
	return &tls.ClientHelloInfo{
		ServerName:        name,
		CipherSuites:      []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
		SignatureSchemes:  []tls.SignatureScheme{tls.ECDSAWithP256AndSHA256},
		SupportedCurves:   []tls.CurveID{tls.X25519, tls.CurveP256},
		SupportedVersions: []uint16{tls.VersionTLS13, tls.VersionTLS12},
		SupportedProtos:   []string{"h2", "http/1.1"},
	}
}

// cachedACMECerts reads the certificates of the allowed domains from the cache.
func (m *Manager) cachedACMECerts() []CertInfo {
	var out []CertInfo
	for _, d := range m.cfg.ACME.Domains {
		d = strings.TrimSuffix(strings.ToLower(d), ".")
		for _, key := range []string{d, d + "+rsa"} {
			// A look, not autocert's Get: a miss here orders nothing.
			data, err := m.acmeState.cache.DirCache.Get(context.Background(), key)
			if err != nil {
				continue
			}
			if leaf := firstCertificate(data); leaf != nil {
				out = append(out, certInfo(leaf, filepath.Join(m.acmeState.cacheDir, key)))
			}
		}
	}
	return out
}

// firstCertificate finds the leaf in autocert's cache entry (key, then chain).
func firstCertificate(data []byte) *x509.Certificate {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil
		}
		if b.Type == "CERTIFICATE" {
			leaf, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil
			}
			return leaf
		}
	}
}

// checkACME warns about cached certificates that are near expiry (renewal
// keeps failing: the reasons are logged as they happen) and asks again for
// missing or due ones, in the background like the warm-up.
func (m *Manager) checkACME(now time.Time) {
	certs := m.cachedACMECerts()
	due := len(certs) < len(m.cfg.ACME.Domains)
	for _, c := range certs {
		if c.NotAfter.Sub(now) < ExpiryWarning {
			logCert(m.log, "tls acme certificate not renewed yet, renewal retried in background", c, now)
			due = true
		}
	}
	if due {
		go m.obtainAll()
	}
}
