package server

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/softphone/softphone/server/tlsconf"
)

// cspWarnings calls out CSP sources that allow far more than the admin
// likely meant: any site may frame the page (clickjacking), or the page may
// connect anywhere (an injected script could send data out).
func cspWarnings(key string, srcs []string, risk string) []string {
	var w []string
	for i, src := range srcs {
		if broadSource(src) {
			w = append(w, fmt.Sprintf("%s[%d]: %q %s; list the exact origins instead", key, i, src, risk))
		}
	}
	hasNone := false
	for _, src := range srcs {
		hasNone = hasNone || src == "'none'"
	}
	if hasNone && len(srcs) > 1 {
		w = append(w, fmt.Sprintf("%s: 'none' together with other sources: browsers ignore 'none' then, so the others apply; use 'none' alone or drop it", key))
	}
	return w
}

// broadSource reports a CSP source matching whole schemes, every host, or
// every host under a public suffix: "*", "https:", "data:", "https://*",
// "*.com", "https://*.co.uk".
func broadSource(src string) bool {
	if src == "*" || (strings.HasSuffix(src, ":") && !strings.Contains(src, "/")) {
		return true // "*" or a bare scheme ("https:", "wss:", "data:", "blob:")
	}
	host := src
	if _, rest, ok := strings.Cut(src, "://"); ok {
		host = rest
	}
	host, _, _ = strings.Cut(host, "/")
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "*" {
		return true
	}
	if rest, ok := strings.CutPrefix(host, "*."); ok {
		// "*.com", "*.co.uk": a wildcard over a public suffix. Without a
		// public-suffix list, a suffix of one label, or of two short ones
		// (co.uk, com.au), is taken as one.
		labels := strings.Split(rest, ".")
		return len(labels) == 1 || (len(labels) == 2 && len(labels[0]) <= 3 && len(labels[1]) == 2)
	}
	return false
}

// secretFileWarnings names the secret files that other users on the host
// can read: the htpasswd file, the JWT and OIDC secrets, the TLS key.
func (c *Config) secretFileWarnings() []string {
	if runtime.GOOS == "windows" {
		return nil // permissions are ACLs there; mode bits say nothing
	}
	var w []string
	for _, f := range []struct{ key, path string }{
		{"access.basicAuth.htpasswdFile", c.Access.BasicAuth.HtpasswdFile},
		{"access.jwt.hmacSecretFile", c.Access.JWT.HMACSecretFile},
		{"access.oidc.clientSecretFile", c.Access.OIDC.ClientSecretFile},
		{"tls.keyFile", c.TLS.KeyFile},
		{"tls.pfxFile", c.TLS.PFXFile},
	} {
		if f.path == "" {
			continue
		}
		st, err := os.Stat(f.path)
		if err != nil || st.Mode().Perm()&0o044 == 0 {
			continue
		}
		w = append(w, fmt.Sprintf("%s: %s can be read by other users (mode %04o); make it readable by softphone only: chmod 600 %s", f.key, f.path, st.Mode().Perm(), f.path))
	}
	return w
}

// metricsWarnings calls out a metrics listener on every interface: the
// metrics tell about traffic and sign-ins and have no gate of their own.
func (c *Config) metricsWarnings() []string {
	if !c.Metrics.Enabled() {
		return nil
	}
	host, _, err := net.SplitHostPort(c.Metrics.Listen)
	if ip := net.ParseIP(host); err == nil && (host == "" || ip != nil && ip.IsUnspecified()) {
		return []string{fmt.Sprintf("metrics.listen: %q listens on every interface and has no access gate; bind it to 127.0.0.1 or an internal address such as \"10.0.0.5:9464\"", c.Metrics.Listen)}
	}
	return nil
}

// isDemo reports a set-up that serves one machine or a trial: a
// self-signed certificate, or a listener on loopback only.
func (c *Config) isDemo() bool {
	return c.TLS.Mode == tlsconf.ModeSelfSigned || isLoopbackListen(c.Listen)
}

// demoCredentialErrors are the published demo credentials outside a demo.
func (c *Config) demoCredentialErrors() []error {
	if c.isDemo() {
		return nil
	}
	var errs []error
	for _, d := range c.Access.DemoCredentials() {
		errs = append(errs, fmt.Errorf("%s: is a published demo credential, %s (allowed only with tls.mode self-signed or a loopback listen address)", d.Key, d.What))
	}
	return errs
}

// demoCredentialWarnings are the published demo credentials in a demo.
func (c *Config) demoCredentialWarnings() []string {
	if !c.isDemo() {
		return nil
	}
	var w []string
	for _, d := range c.Access.DemoCredentials() {
		w = append(w, fmt.Sprintf("%s: DEMO ONLY, NOT SECURE: %s", d.Key, d.What))
	}
	return w
}

// ConfigFileWarnings calls out a config file, or a folder holding it,
// that any user on the host can change: whoever writes it decides who
// gets in. For `softphone check` and the serve log.
func ConfigFileWarnings(file string) []string {
	if file == "" || runtime.GOOS == "windows" {
		return nil
	}
	var w []string
	if st, err := os.Stat(file); err == nil && st.Mode().Perm()&0o002 != 0 {
		w = append(w, fmt.Sprintf("%s can be changed by any user (mode %04o); whoever writes it decides who gets in: chmod 644 %s", file, st.Mode().Perm(), file))
	}
	dir := filepath.Dir(file)
	if st, err := os.Stat(dir); err == nil && st.Mode().Perm()&0o002 != 0 && st.Mode()&os.ModeSticky == 0 {
		w = append(w, fmt.Sprintf("%s: the folder holding the config can be changed by any user (mode %04o), so the config can be replaced: chmod o-w %s", dir, st.Mode().Perm(), dir))
	}
	return w
}
