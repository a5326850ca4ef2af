package tlsconf

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// Inspect reports the TLS set-up New would use, without creating,
// obtaining or watching anything: for `softphone check`. It returns an
// error for what would make New fail (invalid section, unreadable or
// mismatched files, unreadable CA bundle); certificates expiring within 14
// days, or expired, are listed in Status.Warnings.
func Inspect(cfg Config, opts Options) (Status, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return Status{}, err
	}
	opts.setDefaults()
	now := time.Now()
	s := Status{Mode: cfg.Mode}
	switch cfg.Mode {
	case ModeOff:
	case ModeSelfSigned:
		if opts.StateDir == "" {
			return s, errors.New("tls.mode self-signed: no state folder to keep the certificate in")
		}
		dns, ips := selfSignedNames(opts.Hostname)
		c, err := tls.LoadX509KeyPair(filepath.Join(opts.StateDir, selfSignedCert), filepath.Join(opts.StateDir, selfSignedKey))
		if err == nil && reusable(c.Leaf, dns, ips, now) {
			s.Certificates = []CertInfo{certInfo(c.Leaf, filepath.Join(opts.StateDir, selfSignedCert))}
		} else {
			s.Notes = append(s.Notes, fmt.Sprintf("a self-signed certificate for localhost, 127.0.0.1, ::1 and %q will be created in %s", opts.Hostname, opts.StateDir))
		}
	case ModeFiles:
		c, err := loadFiles(&cfg)
		if err != nil {
			return s, err
		}
		src := cfg.CertFile
		if cfg.PFXFile != "" {
			src = cfg.PFXFile
		}
		s.Certificates = []CertInfo{certInfo(c.Leaf, src)}
	case ModeACME:
		a := cfg.ACME
		s.Domains, s.DirectoryURL = a.Domains, a.DirectoryURL
		if _, err := acmeHTTPClient(a.CABundle, slog.New(slog.DiscardHandler)); err != nil {
			return s, err
		}
		dir := a.CacheDir
		if dir == "" {
			if opts.StateDir == "" {
				return s, errors.New("tls.acme.cacheDir: required when there is no state folder")
			}
			dir = filepath.Join(opts.StateDir, "acme")
		}
		if _, err := os.Stat(dir); err == nil {
			m := &Manager{cfg: cfg, acmeState: &acmeState{cacheDir: dir, cache: newSharedCache(dir)}}
			s.Certificates = m.cachedACMECerts()
		}
		if len(s.Certificates) == 0 {
			s.Notes = append(s.Notes, "no certificate in "+dir+" yet: obtained at start; the CA must reach this server on port 443 (tls-alpn-01) or on port 80 through redirectListen (http-01)")
		}
	}
	s.Warnings = expiryWarnings(s.Certificates, now)
	return s, nil
}

// expiryWarnings lists the certificates expired or expiring within 14 days.
func expiryWarnings(certs []CertInfo, now time.Time) []string {
	var w []string
	for _, c := range certs {
		switch d := c.NotAfter.Sub(now); {
		case d <= 0:
			w = append(w, fmt.Sprintf("tls: the certificate from %s EXPIRED on %s", c.Source, c.NotAfter.UTC().Format(time.RFC3339)))
		case d < ExpiryWarning:
			w = append(w, fmt.Sprintf("tls: the certificate from %s expires %s (%s)", c.Source, left(c.NotAfter, now), c.NotAfter.UTC().Format(time.RFC3339)))
		}
	}
	return w
}
