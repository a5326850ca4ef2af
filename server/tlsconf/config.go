package tlsconf

import (
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/idna"
)

// Modes of the tls section.
const (
	ModeSelfSigned = "self-signed"
	ModeFiles      = "files"
	ModeACME       = "acme"
	ModeOff        = "off"
)

// LetsEncryptURL is the default ACME directory: Let's Encrypt production.
const LetsEncryptURL = "https://acme-v02.api.letsencrypt.org/directory"

// LetsEncryptStagingURL is Let's Encrypt's staging directory, for trying a
// set-up without spending production rate limits.
const LetsEncryptStagingURL = "https://acme-staging-v02.api.letsencrypt.org/directory"

// Config is the tls: section of softphone.yaml.
type Config struct {
	// Mode says where the certificate comes from. Default "self-signed".
	//   - "self-signed": a certificate for localhost, 127.0.0.1, ::1 and the
	//     host name, created once and kept in the state folder so browsers
	//     do not warn again at each start.
	//   - "files": a PEM chain and key (certFile, keyFile) or a PKCS#12
	//     bundle (pfxFile, pfxPassword), re-read when they change, without a restart.
	//   - "acme": certificates from Let's Encrypt or another ACME CA for
	//     the names in acme.domains, renewed in the background.
	//   - "off": plain HTTP, for running behind a TLS-terminating proxy.
	Mode string `mapstructure:"mode"`

	// CertFile is the PEM certificate chain, leaf first (files mode).
	// Default "" (set it together with keyFile, or use pfxFile).
	CertFile string `mapstructure:"certFile"`

	// KeyFile is the PEM private key of CertFile (files mode). Default "".
	KeyFile string `mapstructure:"keyFile"`

	// PFXFile is a PKCS#12 bundle (.pfx/.p12) holding the key, the
	// certificate and its chain, as exported from IIS or Windows
	// (files mode, instead of certFile and keyFile). Default "".
	PFXFile string `mapstructure:"pfxFile"`

	// PFXPassword is the password of PFXFile. Default "" (no password).
	// Prefer the environment variable SOFTPHONE_TLS_PFX_PASSWORD to writing
	// it in the file.
	PFXPassword string `mapstructure:"pfxPassword"`

	// ACME configures the acme mode.
	ACME ACMEConfig `mapstructure:"acme"`
}

// ACMEConfig is the tls.acme: section.
type ACMEConfig struct {
	// Domains are the host names certificates are obtained for; a TLS
	// handshake for any other name is refused, so nobody can make the
	// server ask the CA for names it does not serve. Required in acme mode.
	// Default none.
	Domains []string `mapstructure:"domains"`

	// Email is the contact address of the ACME account; the CA writes to it
	// about expiring or revoked certificates. Default "" (no contact).
	Email string `mapstructure:"email"`

	// CacheDir keeps the account key and the certificates across restarts
	// (created with mode 0700). Default "acme" inside the state folder.
	CacheDir string `mapstructure:"cacheDir"`

	// DirectoryURL is the ACME directory of the CA. Default Let's Encrypt
	// production (https://acme-v02.api.letsencrypt.org/directory); set
	// https://acme-staging-v02.api.letsencrypt.org/directory for staging, or
	// the directory of a private CA (step-ca, Pebble, ...).
	DirectoryURL string `mapstructure:"directoryURL"`

	// CABundle is a PEM file of extra root certificates trusted for
	// connections to DirectoryURL, for a private CA whose HTTPS certificate
	// is not in the system's trust store. Default "" (system roots only).
	CABundle string `mapstructure:"caBundle"`

	// RenewBefore is how long before expiry a certificate is renewed,
	// between 24h and 720h. Default 0: 30 days or a third of the
	// certificate's lifetime, whichever is shorter.
	RenewBefore time.Duration `mapstructure:"renewBefore"`
}

// SetDefaults fills the defaults that do not depend on the environment.
// The cache folder's default depends on the state folder and is chosen by New.
func (c *Config) SetDefaults() {
	if c.Mode == "" {
		c.Mode = ModeSelfSigned
	}
	if c.Mode == ModeACME && c.ACME.DirectoryURL == "" {
		c.ACME.DirectoryURL = LetsEncryptURL
	}
}

// Validate reports every problem of the section at once, each naming its
// key path. Files are not opened here; New reports those that cannot be read.
func (c *Config) Validate() error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }

	switch c.Mode {
	case ModeSelfSigned, ModeFiles, ModeACME, ModeOff:
	default:
		add("tls.mode: must be one of self-signed, files, acme, off, got %q", c.Mode)
	}

	// Keys of a mode that is not selected are mistakes, not silent no-ops.
	notFor := func(key string, set bool, mode string) {
		if set && c.Mode != mode && c.Mode != "" {
			add("tls.%s: only used when tls.mode is %s, got mode %q", key, mode, c.Mode)
		}
	}
	notFor("certFile", c.CertFile != "", ModeFiles)
	notFor("keyFile", c.KeyFile != "", ModeFiles)
	notFor("pfxFile", c.PFXFile != "", ModeFiles)
	notFor("pfxPassword", c.PFXPassword != "", ModeFiles)
	a := c.ACME
	notFor("acme.domains", len(a.Domains) > 0, ModeACME)
	notFor("acme.email", a.Email != "", ModeACME)
	notFor("acme.cacheDir", a.CacheDir != "", ModeACME)
	notFor("acme.caBundle", a.CABundle != "", ModeACME)
	notFor("acme.renewBefore", a.RenewBefore != 0, ModeACME)
	if c.Mode != ModeACME && a.DirectoryURL != "" {
		add("tls.acme.directoryURL: only used when tls.mode is acme, got mode %q", c.Mode)
	}

	if c.Mode == ModeFiles {
		pem := c.CertFile != "" || c.KeyFile != ""
		switch {
		case pem && c.PFXFile != "":
			add("tls.pfxFile and tls.certFile/tls.keyFile: set either a PFX bundle or a PEM pair, not both")
		case pem && (c.CertFile == "" || c.KeyFile == ""):
			add("tls.certFile and tls.keyFile must both be set, got certFile %q and keyFile %q", c.CertFile, c.KeyFile)
		case !pem && c.PFXFile == "":
			add("tls.mode files: set tls.certFile and tls.keyFile, or tls.pfxFile")
		}
		if c.PFXPassword != "" && c.PFXFile == "" {
			add("tls.pfxPassword: set without tls.pfxFile")
		}
	}

	if c.Mode == ModeACME {
		errs = append(errs, a.validate()...)
	}
	return errors.Join(errs...)
}

func (a *ACMEConfig) validate() []error {
	var errs []error
	add := func(format string, v ...any) { errs = append(errs, fmt.Errorf(format, v...)) }
	if len(a.Domains) == 0 {
		add("tls.acme.domains: at least one host name is required in acme mode")
	}
	seen := map[string]int{}
	for i, d := range a.Domains {
		if err := checkDomain(d); err != nil {
			add("tls.acme.domains[%d]: %v, got %q", i, err, d)
			continue
		}
		key := strings.ToLower(strings.TrimSuffix(d, "."))
		if j, dup := seen[key]; dup {
			add("tls.acme.domains[%d]: %q repeats tls.acme.domains[%d]", i, d, j)
		}
		seen[key] = i
	}
	if a.Email != "" {
		if addr, err := mail.ParseAddress(a.Email); err != nil || addr.Address != a.Email {
			add("tls.acme.email: must be a plain e-mail address like admin@example.com, got %q", a.Email)
		}
	}
	if a.DirectoryURL != "" {
		u, err := url.Parse(a.DirectoryURL)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			add("tls.acme.directoryURL: must be an https:// URL, got %q", a.DirectoryURL)
		}
	}
	// Under a day leaves no time to retry a failed renewal; over 30 days
	// would renew Let's Encrypt's shorter certificates again and again.
	if a.RenewBefore != 0 && (a.RenewBefore < 24*time.Hour || a.RenewBefore > 30*24*time.Hour) {
		add("tls.acme.renewBefore: must be between 24h and 720h (30 days), got %s", a.RenewBefore)
	}
	return errs
}

// checkDomain accepts a host name a CA can issue for with the http-01 and
// tls-alpn-01 challenges: no IP address, no port, no wildcard, at least two labels.
func checkDomain(d string) error {
	switch {
	case d == "":
		return errors.New("must be a host name like softphone.example.com")
	case strings.Contains(d, "*"):
		return errors.New("wildcard names need the dns-01 challenge, which is not supported; list each host name")
	case net.ParseIP(d) != nil:
		return errors.New("must be a host name, not an IP address")
	case strings.Contains(d, ":") || strings.Contains(d, "/"):
		return errors.New("must be a bare host name without scheme, port or path")
	case !strings.Contains(strings.Trim(d, "."), "."):
		return errors.New("must be a fully qualified host name with a dot, like softphone.example.com")
	}
	if _, err := idna.Lookup.ToASCII(d); err != nil {
		return errors.New("must be a valid host name")
	}
	return nil
}
