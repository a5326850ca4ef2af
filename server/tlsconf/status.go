package tlsconf

import (
	"crypto/x509"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// ExpiryWarning is how close to expiry a certificate is logged as a warning.
const ExpiryWarning = 14 * 24 * time.Hour

// CertInfo describes one certificate in use.
type CertInfo struct {
	// Names are the DNS names and IP addresses the certificate covers.
	Names []string
	// Issuer is the issuer's common name (or full name when it has none).
	Issuer    string
	NotBefore time.Time
	NotAfter  time.Time
	// Source says where it came from: a file, the state folder, the ACME cache.
	Source string
}

// Status is the TLS set-up in use, for `softphone check` and the start-up log.
type Status struct {
	Mode string
	// Domains are the names allowed in acme mode.
	Domains []string
	// DirectoryURL is the ACME directory in acme mode.
	DirectoryURL string
	// Certificates are those loaded; in acme mode, those in the cache
	// (none before the first is obtained).
	Certificates []CertInfo
	// Notes are remarks such as "will be created at start".
	Notes []string
	// Warnings are certificates expired or expiring within 14 days.
	Warnings []string
}

func certInfo(leaf *x509.Certificate, source string) CertInfo {
	names := append([]string{}, leaf.DNSNames...)
	for _, ip := range leaf.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && leaf.Subject.CommonName != "" {
		names = []string{leaf.Subject.CommonName}
	}
	issuer := leaf.Issuer.CommonName
	if issuer == "" {
		issuer = leaf.Issuer.String()
	}
	return CertInfo{Names: names, Issuer: issuer, NotBefore: leaf.NotBefore, NotAfter: leaf.NotAfter, Source: source}
}

// Lines renders the status as human-readable lines relative to now.
// Warnings are not included: callers list them with their other warnings.
func (s Status) Lines(now time.Time) []string {
	lines := []string{"tls.mode: " + s.Mode}
	if s.Mode == ModeOff {
		lines = append(lines, "plain HTTP: TLS must be terminated by a proxy in front")
	}
	if len(s.Domains) > 0 {
		lines = append(lines, "acme domains: "+strings.Join(s.Domains, ", "))
	}
	if s.DirectoryURL != "" {
		lines = append(lines, "acme directory: "+s.DirectoryURL)
	}
	for _, c := range s.Certificates {
		lines = append(lines, fmt.Sprintf("certificate for %s, issued by %s, expires %s (%s), from %s",
			strings.Join(c.Names, ", "), c.Issuer, c.NotAfter.UTC().Format(time.RFC3339), left(c.NotAfter, now), c.Source))
	}
	return append(lines, s.Notes...)
}

// left says how long until t, or that it is past.
func left(t, now time.Time) string {
	d := t.Sub(now)
	switch {
	case d <= 0:
		return "EXPIRED"
	case d < 48*time.Hour:
		return fmt.Sprintf("in %d hours", int(d.Hours()))
	default:
		return fmt.Sprintf("in %d days", int(d.Hours()/24))
	}
}

// logCert logs a certificate at load: info normally, a warning under 14
// days, an error once it has expired.
func logCert(log *slog.Logger, msg string, c CertInfo, now time.Time) {
	attrs := []any{
		"names", strings.Join(c.Names, ","), "issuer", c.Issuer,
		"notAfter", c.NotAfter.UTC().Format(time.RFC3339), "expires", left(c.NotAfter, now), "source", c.Source,
	}
	switch d := c.NotAfter.Sub(now); {
	case d <= 0:
		log.Error(msg+": certificate has EXPIRED, browsers will refuse it", attrs...)
	case d < ExpiryWarning:
		log.Warn(msg+": certificate expires in less than 14 days", attrs...)
	default:
		log.Info(msg, attrs...)
	}
}
