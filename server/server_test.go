package server

import (
	"context"
	"crypto/tls"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"testing"

	"github.com/softphone/softphone/webclient"
)

const testJS = "var defaultServerConfig = {\"sipDomain\":\"example.com\"};\n"

func testConfig(t testing.TB) Config {
	t.Helper()
	cfg := Defaults()
	cfg.Listen = "127.0.0.1:0"
	cfg.RedirectListen = "127.0.0.1:0"
	cfg.StateDir = t.TempDir()
	cfg.Log.Access = "off"
	cfg.Client = ClientConfig{JS: []byte(testJS), ConnectOrigins: []string{"wss://sbc.example.com:10081"}}
	cfg.SetDefaults()
	return cfg
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// bundle returns the served path of the web client's main JS bundle.
func bundle(t testing.TB) string {
	t.Helper()
	matches, err := fs.Glob(webclient.Dist(), "static/js/*.js")
	if err != nil || len(matches) == 0 {
		t.Fatalf("no JS bundle in the web client build: %v", err)
	}
	return matches[0]
}

func newHandler(t *testing.T, mutate func(*Config)) http.Handler {
	t.Helper()
	cfg := testConfig(t)
	if mutate != nil {
		mutate(&cfg)
	}
	s, err := New(cfg, discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	return s.Handler()
}

func do(h http.Handler, method, target string, hdr map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestRoutes(t *testing.T) {
	js := "/" + bundle(t)
	stale := path.Dir(js) + "/index.Zz0000Zz.js"
	cases := []struct {
		name, method, target string
		hdr                  map[string]string
		status               int
		cache                string
		ctype                string
		bodyHas              string
	}{
		{name: "root is the shell", method: "GET", target: "/", status: 200, cache: "no-cache", ctype: "text/html; charset=utf-8", bodyHas: "advancedOptions.js"},
		{name: "index.html", method: "GET", target: "/index.html", status: 200, cache: "no-cache", ctype: "text/html; charset=utf-8"},
		{name: "bundle is immutable", method: "GET", target: js, status: 200, cache: "public, max-age=31536000, immutable", ctype: "text/javascript; charset=utf-8"},
		{name: "rendered client config", method: "GET", target: "/static/js/advancedOptions.js", status: 200, cache: "no-cache", ctype: "text/javascript; charset=utf-8", bodyHas: "sipDomain"},
		{name: "localization", method: "GET", target: "/static/localization/strings-default.json", status: 200, cache: "no-cache", ctype: "application/json"},
		{name: "logo", method: "GET", target: "/images/logo.svg", status: 200, cache: "no-cache", ctype: "image/svg+xml"},
		{name: "robots", method: "GET", target: "/robots.txt", status: 200, cache: "no-cache"},
		{name: "stale hashed chunk is 404 not html", method: "GET", target: stale, status: 404},
		{name: "unknown path is 404", method: "GET", target: "/calls/42", status: 404},
		{name: "folder without index is 404", method: "GET", target: "/static/", status: 404},
		{name: "dot dot", method: "GET", target: "/static/../index.html", status: 400},
		{name: "encoded dot dot", method: "GET", target: "/static/%2e%2e/index.html", status: 400},
		{name: "encoded slash", method: "GET", target: "/static%2fjs/x.js", status: 400},
		{name: "encoded backslash", method: "GET", target: "/static%5c..%5cindex.html", status: 400},
		{name: "NUL", method: "GET", target: "/index.html%00.js", status: 400},
		{name: "double encoded is a plain 404", method: "GET", target: "/%252e%252e/index.html", status: 404},
		{name: "healthz", method: "GET", target: "/healthz", status: 200, cache: "no-store", bodyHas: "ok"},
		{name: "POST is 405", method: "POST", target: "/", status: 405},
		{name: "HEAD works", method: "HEAD", target: "/", status: 200, cache: "no-cache"},
	}
	h := newHandler(t, nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := do(h, tc.method, tc.target, tc.hdr)
			if w.Code != tc.status {
				t.Fatalf("%s %s: status = %d, want %d (body %q)", tc.method, tc.target, w.Code, tc.status, w.Body.String())
			}
			if tc.cache != "" {
				if got := w.Header().Get("Cache-Control"); got != tc.cache {
					t.Errorf("Cache-Control = %q, want %q", got, tc.cache)
				}
			}
			if tc.ctype != "" {
				if got := w.Header().Get("Content-Type"); got != tc.ctype {
					t.Errorf("Content-Type = %q, want %q", got, tc.ctype)
				}
			}
			if tc.status == 404 && strings.Contains(w.Body.String(), "<html") {
				t.Errorf("404 body is HTML, want a plain error: %q", w.Body.String())
			}
			if tc.bodyHas != "" && !strings.Contains(w.Body.String(), tc.bodyHas) {
				t.Errorf("body does not contain %q", tc.bodyHas)
			}
			if tc.method == "HEAD" && w.Body.Len() != 0 {
				t.Errorf("HEAD body has %d bytes", w.Body.Len())
			}
			if got := w.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	h := newHandler(t, func(c *Config) {
		c.Headers.FrameAncestors = []string{"'self'", "https://wwe.example.com"}
		c.Headers.ConnectSrc = []string{"https://api.example.com"}
	})
	w := do(h, "GET", "/", nil)
	csp := w.Header().Get("Content-Security-Policy")
	for _, want := range []string{
		"connect-src 'self' wss://sbc.example.com:10081 https://api.example.com",
		"frame-ancestors 'self' https://wwe.example.com",
		"script-src 'self'", "style-src 'self'", "object-src 'none'",
	} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows unsafe sources: %q", csp)
	}
	pp := w.Header().Get("Permissions-Policy")
	for _, want := range []string{"microphone=(self)", "camera=(self)", "display-capture=(self)", "autoplay=(self)"} {
		if !strings.Contains(pp, want) {
			t.Errorf("Permissions-Policy %q lacks %q", pp, want)
		}
	}
	if got := w.Header().Get("Strict-Transport-Security"); got != "max-age=63072000" {
		t.Errorf("Strict-Transport-Security = %q, want max-age=63072000", got)
	}
	if got := w.Header().Get("Referrer-Policy"); got == "" {
		t.Errorf("no Referrer-Policy")
	}

	js := do(h, "GET", "/"+bundle(t), nil)
	if got := js.Header().Get("Content-Security-Policy"); got != "" {
		t.Errorf("JS bundle carries a page CSP (%d bytes), want it on documents only", len(got))
	}
	if got := js.Header().Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("JS bundle X-Content-Type-Options = %q, want nosniff", got)
	}
	if got := do(h, "GET", "/images/logo.svg", nil).Header().Get("Content-Security-Policy"); got != csp {
		t.Errorf("SVG opened on its own lacks the CSP: %q", got)
	}

	off := newHandler(t, func(c *Config) { c.TLS.Mode = "off" })
	if got := do(off, "GET", "/", nil).Header().Get("Strict-Transport-Security"); got != "" {
		t.Errorf("HSTS sent with tls.mode off: %q", got)
	}
}

func TestBasePath(t *testing.T) {
	h := newHandler(t, func(c *Config) { c.BasePath = "/webrtc_client/" })
	cases := []struct {
		target   string
		status   int
		location string
	}{
		{"/webrtc_client", 301, "/webrtc_client/"},
		{"/webrtc_client?user=1001", 301, "/webrtc_client/?user=1001"},
		{"/webrtc_client/", 200, ""},
		{"/webrtc_client/static/js/advancedOptions.js", 200, ""},
		{"/", 302, "/webrtc_client/"},
		{"/?user=1001", 302, "/webrtc_client/?user=1001"},
		{"/index.html", 404, ""},
		{"/webrtc_clientx/", 404, ""},
		{"/healthz", 200, ""},
		{"/webrtc_client/static/%2e%2e/%2e%2e/index.html", 400, ""},
	}
	for _, tc := range cases {
		t.Run(tc.target, func(t *testing.T) {
			w := do(h, "GET", tc.target, nil)
			if w.Code != tc.status {
				t.Fatalf("status = %d, want %d", w.Code, tc.status)
			}
			if got := w.Header().Get("Location"); got != tc.location {
				t.Errorf("Location = %q, want %q", got, tc.location)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"basePath without slashes", func(c *Config) { c.BasePath = "webrtc_client" }, `basePath: must start and end with "/"`},
		{"basePath with dot segment", func(c *Config) { c.BasePath = "/a/../b/" }, "basePath: must be a plain path"},
		{"basePath under healthz", func(c *Config) { c.BasePath = "/healthz/" }, "basePath: must not be under /healthz"},
		{"listen without port", func(c *Config) { c.Listen = "localhost" }, `listen: must be host:port such as ":8443", got "localhost"`},
		{"same ports", func(c *Config) { c.Listen = ":9000"; c.RedirectListen = ":9000" }, "redirectListen: must differ from listen"},
		{"bad frame ancestor", func(c *Config) { c.Headers.FrameAncestors = []string{"https://a; script-src *"} }, "headers.frameAncestors[0]: must be one CSP source"},
		{"bad keyword", func(c *Config) { c.Headers.ConnectSrc = []string{"'unsafe-inline'"} }, "headers.connectSrc[0]: keyword must be 'self' or 'none'"},
		{"log format", func(c *Config) { c.Log.Format = "xml" }, `log.format: must be one of text, json, got "xml"`},
		{"log level", func(c *Config) { c.Log.Level = "loud" }, `log.level: must be one of debug, info, warn, error, got "loud"`},
		{"timeout", func(c *Config) { c.Timeouts.Read = 0 }, "timeouts.read: must be a positive duration"},
		{"hsts", func(c *Config) { c.Headers.HSTSMaxAge = -1 }, "headers.hstsMaxAge: must be 0 (off) or a number of seconds, got -1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t)
			tc.mutate(&cfg)
			err := cfg.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tc.want)
			}
		})
	}
	cfg := testConfig(t)
	if err := cfg.Validate(); err != nil {
		t.Fatalf("default test config: %v", err)
	}
	cfg.BasePath, cfg.Log.Format = "x", "xml"
	if err := cfg.Validate(); err == nil || strings.Count(err.Error(), "\n") < 1 {
		t.Errorf("want both errors reported at once, got %v", err)
	}
}

// TestListenersHTTP2 runs the real listeners: HTTPS with HTTP/2 and TLS
// 1.2+ only, and the plain-HTTP redirect.
func TestListenersHTTP2(t *testing.T) {
	cfg := testConfig(t)
	s, err := New(cfg, discard())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve() }()
	defer func() {
		s.Shutdown(context.Background())
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()

	base := "https://" + s.Addr().String()
	client := &http.Client{Transport: &http.Transport{
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: true},
		ForceAttemptHTTP2: true,
	}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.ProtoMajor != 2 {
		t.Errorf("protocol = %s, want HTTP/2", resp.Proto)
	}
	if resp.TLS == nil || resp.TLS.Version < tls.VersionTLS12 {
		t.Errorf("TLS version = %v, want >= 1.2", resp.TLS)
	}

	for _, v := range []uint16{tls.VersionTLS10, tls.VersionTLS11} {
		c, err := tls.Dial("tcp", s.Addr().String(), &tls.Config{InsecureSkipVerify: true, MinVersion: v, MaxVersion: v})
		if err == nil {
			c.Close()
			t.Errorf("TLS version %x accepted, want refused", v)
		}
	}

	red, err := client.Get("http://" + s.RedirectAddr().String() + "/webrtc?x=1")
	if err != nil {
		t.Fatal(err)
	}
	red.Body.Close()
	if red.StatusCode != http.StatusMovedPermanently {
		t.Errorf("redirect status = %d, want 301", red.StatusCode)
	}
	if loc := red.Header.Get("Location"); !strings.HasPrefix(loc, "https://127.0.0.1:") || !strings.HasSuffix(loc, "/webrtc?x=1") {
		t.Errorf("redirect Location = %q, want https://127.0.0.1:<port>/webrtc?x=1", loc)
	}
	bad, _ := http.NewRequest("GET", "http://"+s.RedirectAddr().String()+"/", nil)
	bad.Host = "evil.example/@x"
	if r, err := client.Do(bad); err == nil {
		r.Body.Close()
		if r.StatusCode != http.StatusBadRequest {
			t.Errorf("crafted Host: status = %d, want 400", r.StatusCode)
		}
	}
}

func TestReloadSwapsAndRefusesBadConfig(t *testing.T) {
	cfg := testConfig(t)
	s, err := New(cfg, discard())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	h := s.Handler()
	next := cfg
	next.Client.JS = []byte("var reloaded = true;\n")
	if err := s.Reload(next); err != nil {
		t.Fatal(err)
	}
	if got := do(h, "GET", "/static/js/advancedOptions.js", nil).Body.String(); got != "var reloaded = true;\n" {
		t.Errorf("after reload advancedOptions.js = %q", got)
	}
	bad := next
	bad.BasePath = "nope"
	if err := s.Reload(bad); err == nil {
		t.Fatal("Reload accepted an invalid config")
	}
	if got := do(h, "GET", "/static/js/advancedOptions.js", nil).Body.String(); got != "var reloaded = true;\n" {
		t.Errorf("after refused reload advancedOptions.js = %q, want the previous one", got)
	}
	missing := next
	missing.Branding.Dir = t.TempDir() + "/nope"
	if err := s.Reload(missing); err == nil || !strings.Contains(err.Error(), "branding.dir") {
		t.Errorf("Reload with a missing branding.dir = %v, want a branding.dir error", err)
	}
}

// TestMetricsListener serves real requests, then scrapes /metrics on its
// own listener and finds them counted.
func TestMetricsListener(t *testing.T) {
	cfg := testConfig(t)
	cfg.Metrics.Listen = "127.0.0.1:0"
	cfg.Build.Version = "v9.9.9-test"
	s, err := New(cfg, discard())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve() }()
	defer func() {
		s.Shutdown(context.Background())
		<-done
	}()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	for _, p := range []string{"/", "/", "/nope.js", "/healthz"} {
		resp, err := client.Get("https://" + s.Addr().String() + p)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	resp, err := http.Get("http://" + s.metricsLn.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`softphone_http_requests_total{code="200",route="shell"} 2`,
		`softphone_http_requests_total{code="404",route="asset"} 1`,
		`softphone_http_requests_total{code="200",route="health"} 1`,
		`softphone_build_info{`,
		`version="v9.9.9-test"`,
		`softphone_tls_certificate_expiry_seconds{`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("/metrics:\n%s", body)
	}
}
