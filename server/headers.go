package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// securityHeaders is computed once per config: the values never depend on
// the request, so the middleware only copies prepared strings.
type securityHeaders struct {
	csp  string
	hsts string
}

// permissionsPolicy lets the softphone use what a phone needs, for its own
// origin only, and switches off what it never uses.
const permissionsPolicy = "microphone=(self), camera=(self), display-capture=(self), autoplay=(self), " +
	"speaker-selection=(self), fullscreen=(self), geolocation=(), payment=(), usb=(), " +
	"serial=(), bluetooth=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=()"

func newSecurityHeaders(cfg *Config) securityHeaders {
	connect := []string{"'self'"}
	connect = append(connect, cfg.Client.ConnectOrigins...)
	connect = append(connect, cfg.Headers.ConnectSrc...)
	connect = uniq(connect)
	ancestors := cfg.Headers.FrameAncestors
	if len(ancestors) == 0 {
		ancestors = []string{"'none'"}
	}
	// No 'unsafe-inline' anywhere: the web client has no inline scripts or
	// styles. blob: and data: for media and images cover the client's
	// generated audio and virtual-background previews.
	csp := strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src 'self' data: blob:",
		"media-src 'self' data: blob:",
		"font-src 'self'",
		"worker-src 'self' blob:",
		"connect-src " + strings.Join(connect, " "),
		"frame-ancestors " + strings.Join(ancestors, " "),
		"form-action 'self'",
		"base-uri 'self'",
		"object-src 'none'",
	}, "; ")
	h := securityHeaders{csp: csp}
	if cfg.TLS.Mode != "off" && cfg.Headers.HSTSMaxAge > 0 {
		h.hsts = "max-age=" + strconv.Itoa(cfg.Headers.HSTSMaxAge)
	}
	return h
}

func (s securityHeaders) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", permissionsPolicy)
		h.Set("Content-Security-Policy", s.csp)
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if s.hsts != "" {
			h.Set("Strict-Transport-Security", s.hsts)
		}
		next.ServeHTTP(w, r)
	})
}

func uniq(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
