// Package server hosts the softphone: listeners, TLS, the router, security
// headers, access gates, the access log, health, and atomic reloads of
// everything a config file drives. It knows nothing of viper or cobra; the
// cmd package loads a Config and hands it over.
package server

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/softphone/softphone/server/auth"
	"github.com/softphone/softphone/server/metrics"
	"github.com/softphone/softphone/server/tlsconf"
)

// Config is everything softphone.yaml sets, apart from the advancedOptions
// section, which arrives already rendered in Client. What the listeners
// and the process are built from is in Startup (its keys sit at the top
// level of the file); the rest is rebuilt by a reload.
type Config struct {
	// Startup is what the server binds and opens when it starts; a reload
	// cannot change it (a change is logged as needing a restart).
	Startup `mapstructure:",squash"`
	// BasePath mounts the served tree under a sub-path, such as
	// "/webrtc_client/" where CTI desktops expect it. It starts and ends
	// with "/". Default "/".
	BasePath string `mapstructure:"basePath"`
	// Access gates everything under BasePath (never /healthz).
	Access auth.Config `mapstructure:"access"`
	// Branding overlays brand files on the defaults.
	Branding BrandingConfig `mapstructure:"branding"`
	// Headers tunes the security headers.
	Headers HeadersConfig `mapstructure:"headers"`

	// Build identifies the binary in metrics; set by the caller.
	Build metrics.BuildInfo `mapstructure:"-"`

	// Client is the rendered client config; set by the caller, not by YAML.
	Client ClientConfig `mapstructure:"-"`
}

// Startup is the part of Config bound to the listeners and the process:
// a reload compares it whole and reports any difference as needing a
// restart, so a key added here is covered without further code.
type Startup struct {
	// Listen is the HTTPS listener address (plain HTTP when tls.mode is
	// off). Default ":8443". An empty host listens on IPv4 and IPv6.
	Listen string `mapstructure:"listen"`
	// RedirectListen is a plain-HTTP listener that answers 301 to HTTPS
	// (same host, path and query) and ACME http-01 challenges. Default
	// ":8080"; "" disables it.
	RedirectListen string `mapstructure:"redirectListen"`
	// PublicURL is the origin agents use, such as
	// "https://softphone.example.com" (with ":port" when not 443), when it
	// is not an ACME domain: behind a proxy, with files or self-signed
	// certificates. Redirects from plain HTTP and the OIDC redirect_uri are
	// built from it, never from the request's Host header. Default: "":
	// the ACME domains in acme mode, else the address a request arrived on
	// (a loopback Host, as in local tests, is kept). Environment:
	// SOFTPHONE_PUBLIC_URL.
	PublicURL string `mapstructure:"publicURL"`
	// StateDir keeps what softphone writes for itself: the self-signed
	// certificate and the ACME cache when tls.acme.cacheDir is empty.
	// Default: $STATE_DIRECTORY (systemd), else $XDG_STATE_HOME/softphone,
	// else ~/.local/state/softphone.
	StateDir string `mapstructure:"stateDir"`
	// TLS selects how certificates are obtained.
	TLS tlsconf.Config `mapstructure:"tls"`
	// Log configures the access log and the application log.
	Log LogConfig `mapstructure:"log"`
	// Timeouts bound every connection so slow clients cannot hold the server.
	Timeouts TimeoutsConfig `mapstructure:"timeouts"`
	// Metrics serves Prometheus metrics on a listener of its own.
	// Default: off.
	Metrics metrics.Config `mapstructure:"metrics"`
}

// ClientConfig is the output of the advancedoptions package that the
// server needs: the file to serve and the origins the page talks to.
type ClientConfig struct {
	// JS is the rendered static/js/advancedOptions.js.
	JS []byte
	// ConnectOrigins are the SBC, identity-provider and agent-assist
	// origins the page connects to; they join the CSP connect-src.
	ConnectOrigins []string
	// VirtualBackground is localVideoFilter.virtualBackgroundSupported:
	// the page may compile the segmentation model's WebAssembly, so the
	// CSP script-src gains 'wasm-unsafe-eval'. Default false.
	VirtualBackground bool
}

// BrandingConfig is the branding section.
type BrandingConfig struct {
	// Dir is a folder whose files, at the served tree's paths (images/,
	// sounds/, static/localization/), replace the defaults of the same
	// path. Default "" (no overlay).
	Dir string `mapstructure:"dir"`
}

// HeadersConfig tunes the security headers sent with every page.
type HeadersConfig struct {
	// FrameAncestors lists who may embed the softphone in a frame (CTI
	// desktops such as Genesys WWE), as CSP frame-ancestors sources.
	// Default ["'self'"].
	FrameAncestors []string `mapstructure:"frameAncestors"`
	// ConnectSrc adds origins to the CSP connect-src beyond those derived
	// from advancedOptions (SBCs, identity providers, agent assist).
	// Default [].
	ConnectSrc []string `mapstructure:"connectSrc"`
	// HSTSMaxAge is the Strict-Transport-Security max-age in seconds, sent
	// when TLS is on. Default 63072000 (two years); 0 disables HSTS.
	HSTSMaxAge int `mapstructure:"hstsMaxAge"`
}

// LogConfig configures logging.
type LogConfig struct {
	// Access is where the access log goes: "stdout" (default), "stderr",
	// "off", or a file path (reopened on SIGHUP, for logrotate).
	// The format is NGINX's "main": combined plus $http_x_forwarded_for.
	Access string `mapstructure:"access"`
	// Format of the application log: "text" (default) or "json".
	Format string `mapstructure:"format"`
	// Level of the application log: "debug", "info" (default), "warn", "error".
	Level string `mapstructure:"level"`
}

// TimeoutsConfig bounds connections. Values are Go durations ("10s").
type TimeoutsConfig struct {
	// ReadHeader bounds reading request headers. Default 10s.
	ReadHeader time.Duration `mapstructure:"readHeader"`
	// Read bounds reading a whole request. Default 30s.
	Read time.Duration `mapstructure:"read"`
	// Write bounds writing a response. Default 60s.
	Write time.Duration `mapstructure:"write"`
	// Idle bounds a keep-alive connection between requests. Default 120s.
	Idle time.Duration `mapstructure:"idle"`
	// Shutdown is how long in-flight requests may run after SIGTERM (and
	// after ShutdownDelay). Default 15s.
	Shutdown time.Duration `mapstructure:"shutdown"`
	// ShutdownDelay is how long softphone keeps serving after SIGTERM while
	// /readyz answers 503 and every response asks its client to reconnect
	// (Connection: close, HTTP/2 GOAWAY), so that a balancer takes the
	// instance out before it stops accepting connections. Set it to at
	// least the balancer's health-check interval times the failed checks
	// it needs (HAProxy's inter x fall; a Kubernetes readiness probe's
	// periodSeconds x failureThreshold). A reload applies it. Default 0s
	// (no balancer: stop at once).
	ShutdownDelay time.Duration `mapstructure:"shutdownDelay"`
}

// maxShutdownDelay bounds timeouts.shutdownDelay: a balancer notices a
// failing health check within seconds, and a stop must not hang.
const maxShutdownDelay = 5 * time.Minute

// Defaults returns a Config with every static default filled in; decode the
// file over it, then call SetDefaults for the defaults derived from it.
func Defaults() Config {
	return Config{
		Startup: Startup{
			Listen:         ":8443",
			RedirectListen: ":8080",
			Log:            LogConfig{Access: "stdout", Format: "text", Level: "info"},
			Timeouts: TimeoutsConfig{
				ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 60 * time.Second,
				Idle: 120 * time.Second, Shutdown: 15 * time.Second,
			},
		},
		BasePath: "/",
		Headers:  HeadersConfig{FrameAncestors: []string{"'self'"}, HSTSMaxAge: 63072000},
	}
}

// SetDefaults fills the defaults that depend on other decoded values (the
// ACME directory only matters in acme mode). Call it after decoding, before
// Validate.
func (c *Config) SetDefaults() {
	c.TLS.SetDefaults()
	c.Access.ApplyDefaults()
}

// Validate checks the whole config and reports every problem at once, each
// prefixed with its key path.
func (c *Config) Validate() error {
	var errs []error
	add := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: "+format, append([]any{key}, args...)...))
	}
	if err := checkAddr(c.Listen); err != nil {
		add("listen", "%v", err)
	}
	if c.RedirectListen != "" {
		if err := checkAddr(c.RedirectListen); err != nil {
			add("redirectListen", "%v", err)
		} else if c.RedirectListen == c.Listen && !strings.HasSuffix(c.Listen, ":0") {
			add("redirectListen", "must differ from listen, both are %q", c.Listen)
		}
	}
	if c.PublicURL != "" {
		if err := checkPublicURL(c.PublicURL); err != nil {
			add("publicURL", "%v", err)
		}
	}
	if !strings.HasPrefix(c.BasePath, "/") || !strings.HasSuffix(c.BasePath, "/") {
		add("basePath", "must start and end with \"/\" (like \"/webrtc_client/\"), got %q", c.BasePath)
	} else if strings.Contains(c.BasePath, "//") || strings.Contains(c.BasePath, "/./") || strings.Contains(c.BasePath, "/../") ||
		strings.ContainsAny(c.BasePath, "\\?#% \t") {
		add("basePath", "must be a plain path without \"//\", dot segments, spaces, %%, ? or #, got %q", c.BasePath)
	} else if c.BasePath == "/healthz/" || strings.HasPrefix(c.BasePath, "/healthz/") {
		add("basePath", "must not be under /healthz, which is reserved for the health check, got %q", c.BasePath)
	}
	for i, src := range c.Headers.FrameAncestors {
		if err := checkCSPSource(src); err != nil {
			add(fmt.Sprintf("headers.frameAncestors[%d]", i), "%v", err)
		}
	}
	for i, src := range c.Headers.ConnectSrc {
		if err := checkCSPSource(src); err != nil {
			add(fmt.Sprintf("headers.connectSrc[%d]", i), "%v", err)
		}
	}
	if c.Headers.HSTSMaxAge < 0 {
		add("headers.hstsMaxAge", "must be 0 (off) or a number of seconds, got %d", c.Headers.HSTSMaxAge)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		add("log.format", "must be one of text, json, got %q", c.Log.Format)
	}
	switch strings.ToLower(c.Log.Level) {
	case "debug", "info", "warn", "error":
	default:
		add("log.level", "must be one of debug, info, warn, error, got %q", c.Log.Level)
	}
	if c.Log.Access == "" {
		add("log.access", "must be stdout, stderr, off or a file path, got \"\"")
	}
	for _, t := range []struct {
		key string
		d   time.Duration
	}{
		{"timeouts.readHeader", c.Timeouts.ReadHeader}, {"timeouts.read", c.Timeouts.Read},
		{"timeouts.write", c.Timeouts.Write}, {"timeouts.idle", c.Timeouts.Idle}, {"timeouts.shutdown", c.Timeouts.Shutdown},
	} {
		if t.d <= 0 {
			add(t.key, "must be a positive duration such as \"30s\", got %q", t.d.String())
		}
	}
	if d := c.Timeouts.ShutdownDelay; d < 0 || d > maxShutdownDelay {
		add("timeouts.shutdownDelay", "must be between 0s and %s, such as \"5s\", got %q", maxShutdownDelay, d.String())
	}
	if err := c.Metrics.Validate(); err != nil {
		errs = append(errs, err)
	} else if c.Metrics.Enabled() && (c.Metrics.Listen == c.Listen || c.Metrics.Listen == c.RedirectListen) && !strings.HasSuffix(c.Metrics.Listen, ":0") {
		add("metrics.listen", "must differ from listen and redirectListen, got %q", c.Metrics.Listen)
	}
	if err := c.TLS.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.Access.Validate(); err != nil {
		errs = append(errs, err)
	}
	errs = append(errs, c.demoCredentialErrors()...)
	return errors.Join(errs...)
}

// Warnings lists legal but risky choices, for the log and `softphone check`.
func (c *Config) Warnings() []string {
	var w []string
	if c.TLS.Mode == "off" {
		w = append(w, "tls.mode: off serves plain HTTP; only run it behind a TLS-terminating proxy, browsers refuse microphone access on plain HTTP except on localhost")
	}
	w = append(w, cspWarnings("headers.frameAncestors", c.Headers.FrameAncestors, "lets a great many sites embed the softphone (clickjacking)")...)
	w = append(w, cspWarnings("headers.connectSrc", c.Headers.ConnectSrc, "lets the page connect almost anywhere (an injected script could send data out)")...)
	w = append(w, c.demoCredentialWarnings()...)
	w = append(w, c.secretFileWarnings()...)
	w = append(w, c.metricsWarnings()...)
	w = append(w, c.Access.Warnings()...)
	if c.TLS.Mode == "off" && c.Access.JWT.LoginURL != "" {
		w = append(w, "access.jwt.loginURL: with tls.mode: off the session cookie (Secure) only works behind a TLS-terminating proxy; over plain HTTP browsers drop it and sign-in loops")
	}
	if c.TLS.Mode == "off" && c.Access.OIDC.Enabled() {
		w = append(w, "access.oidc: with tls.mode: off the session and sign-in cookies (Secure) only work behind a TLS-terminating proxy that keeps the Host header; over plain HTTP browsers drop them and sign-in loops")
	}
	if c.Access.OIDC.Enabled() && len(c.publicOrigins()) == 0 && !isLoopbackListen(c.Listen) {
		w = append(w, "access.oidc: publicURL is not set (nor tls.acme.domains), so the redirect_uri names the address a request arrived on, not the name agents use (it is never taken from the Host header): set publicURL, e.g. \"https://softphone.example.com\"")
	}
	if c.TLS.Mode == "off" && c.Access.BasicAuth.HtpasswdFile != "" {
		w = append(w, "access.basicAuth.htpasswdFile: with tls.mode: off passwords cross the network in clear unless a TLS-terminating proxy is in front")
	}
	if c.Headers.HSTSMaxAge == 0 && c.TLS.Mode != "off" {
		w = append(w, "headers.hstsMaxAge: 0 disables HSTS; browsers may then be downgraded to plain HTTP")
	}
	return w
}

// isLoopbackListen reports a listen address on a loopback host only.
func isLoopbackListen(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	return err == nil && (host == "localhost" || isLoopbackIP(host))
}

func checkAddr(addr string) error {
	if addr == "" {
		return errors.New(`must be host:port such as ":8443", got ""`)
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("must be host:port such as \":8443\", got %q", addr)
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Errorf("port must be a number or service name, got %q", port)
	}
	return nil
}

// checkCSPSource accepts CSP source expressions: keywords in single quotes,
// schemes ("https:"), hosts and origins with optional wildcards. It refuses
// anything that could end the directive or the header.
func checkCSPSource(src string) error {
	if src == "" || strings.ContainsAny(src, " ;,\t\r\n\"") {
		return fmt.Errorf("must be one CSP source such as \"'self'\" or \"https://desktop.example.com\", got %q", src)
	}
	if strings.HasPrefix(src, "'") {
		switch src {
		case "'self'", "'none'":
			return nil
		}
		return fmt.Errorf("keyword must be 'self' or 'none', got %q", src)
	}
	return nil
}
