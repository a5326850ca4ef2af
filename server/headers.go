package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// securityHeaders is computed once per config: the values never depend on
// the request, so serving only assigns prepared slices (len == cap, so an
// Add elsewhere reallocates rather than writing into them).
type securityHeaders struct {
	csp  []string
	hsts []string // nil when TLS is off or HSTS disabled
}

// permissionsPolicy lets the softphone use what a phone needs, for its own
// origin only, and switches off what it never uses.
const permissionsPolicyValue = "microphone=(self), camera=(self), display-capture=(self), autoplay=(self), " +
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
	script := "script-src 'self'"
	if cfg.Client.VirtualBackground {
		// The person-segmentation model behind virtual backgrounds is
		// WebAssembly (served from 'self'); compiling it needs
		// 'wasm-unsafe-eval', which allows WebAssembly only, not eval().
		// Pages of a config without virtual backgrounds do not get it.
		script += " 'wasm-unsafe-eval'"
	}
	csp := strings.Join([]string{
		"default-src 'self'",
		script,
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
	h := securityHeaders{csp: []string{csp}}
	if cfg.TLS.Mode != "off" && cfg.Headers.HSTSMaxAge > 0 {
		h.hsts = []string{"max-age=" + strconv.Itoa(cfg.Headers.HSTSMaxAge)}
	}
	return h
}

var (
	nosniff           = []string{"nosniff"}
	sameOrigin        = []string{"same-origin"}
	permissionsPolicy = []string{permissionsPolicyValue}
)

// middleware sets the headers every response needs: no MIME sniffing
// (scripts and styles must be served as what they are), referrer and
// resource policies, and HSTS.
func (s securityHeaders) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["X-Content-Type-Options"] = nosniff
		h["Referrer-Policy"] = sameOrigin
		h["Cross-Origin-Resource-Policy"] = sameOrigin
		if s.hsts != nil {
			h["Strict-Transport-Security"] = s.hsts
		}
		next.ServeHTTP(w, r)
	})
}

// document adds the headers that only mean something on a document a
// browser renders (HTML, and SVG opened on its own): the Content-Security-
// Policy with frame-ancestors, and the Permissions-Policy. Scripts, styles
// and media do not get them, which saves half a kilobyte per response.
func (s securityHeaders) document(h http.Header) {
	h["Content-Security-Policy"] = s.csp
	h["Permissions-Policy"] = permissionsPolicy
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
