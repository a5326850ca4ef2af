package server

import (
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"os"
	"strings"
	"testing"
	"time"
)

// TestReadyzAndShutdownDelay: /readyz is 503 until the server serves, 200
// while it does, and 503 from the moment Shutdown begins; during
// timeouts.shutdownDelay the server still accepts and serves, and tells
// HTTP/1.1 clients (Connection: close) and HTTP/2 clients (GOAWAY) to
// reconnect; /healthz stays 200; then it stops.
func TestReadyzAndShutdownDelay(t *testing.T) {
	// Long enough for the requests made during it on a loaded machine under
	// the race detector; the test waits for it only once, at the end.
	const delay = 6 * time.Second
	cfg := testConfig(t)
	cfg.Timeouts.ShutdownDelay = delay
	cfg.BasePath = "/webrtc_client/"
	s, err := New(cfg, discard())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != 503 || rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("/readyz before Serve: %d, Cache-Control %q; want 503, no-store", rec.Code, rec.Header().Get("Cache-Control"))
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve() }()

	h1 := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{}}}
	h2 := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, ForceAttemptHTTP2: true}}
	base := "https://" + s.Addr().String()
	type answer struct {
		code   int
		body   string
		close  bool
		reused bool
		proto  string
	}
	get := func(c *http.Client, path string) answer {
		t.Helper()
		var a answer
		ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) { a.reused = i.Reused }})
		req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		a.code, a.body, a.close, a.proto = resp.StatusCode, string(b), resp.Close, resp.Proto
		return a
	}
	deadline := time.Now().Add(5 * time.Second)
	for get(h1, "/readyz").code != 200 {
		if time.Now().After(deadline) {
			t.Fatal("/readyz not 200 within 5 s of Serve")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if a := get(h1, "/readyz"); a.body != "ready\n" || a.close {
		t.Errorf("/readyz while serving: %q, close %v; want \"ready\\n\" on a kept-alive connection", a.body, a.close)
	}
	if a := get(h2, "/webrtc_client/"); a.code != 200 || a.proto != "HTTP/2.0" {
		t.Fatalf("page over HTTP/2: %d %s", a.code, a.proto)
	}
	if a := get(h2, "/webrtc_client/"); !a.reused {
		t.Fatal("the HTTP/2 connection was not reused while serving")
	}

	start := time.Now()
	stopped := make(chan error, 1)
	go func() { stopped <- s.Shutdown(context.Background()) }()
	deadline = time.Now().Add(5 * time.Second)
	for s.ready.state.Load() != stateDraining {
		if time.Now().After(deadline) {
			t.Fatal("Shutdown did not start within 5 s")
		}
		time.Sleep(time.Millisecond)
	}
	// A new connection is still accepted during the delay.
	if a := get(h1, "/readyz"); a.code != 503 || a.body != "shutting down\n" || !a.close {
		t.Errorf("/readyz during the delay: %d %q, Connection: close %v; want 503 \"shutting down\\n\", close", a.code, a.body, a.close)
	}
	if a := get(h1, "/healthz"); a.code != 200 || !a.close {
		t.Errorf("/healthz during the delay: %d, close %v; want 200 with Connection: close", a.code, a.close)
	}
	if a := get(h1, "/webrtc_client/"); a.code != 200 || !a.close {
		t.Errorf("page during the delay: %d, close %v; want 200 with Connection: close", a.code, a.close)
	}
	// HTTP/2: the response comes on the old connection, then GOAWAY makes
	// the next request open a new one.
	if a := get(h2, "/webrtc_client/"); a.code != 200 || !a.reused {
		t.Errorf("HTTP/2 page during the delay: %d, reused %v; want 200 on the open connection", a.code, a.reused)
	}
	h2again := get(h2, "/readyz")
	for end := time.Now().Add(time.Second); h2again.reused && time.Now().Before(end); {
		time.Sleep(5 * time.Millisecond) // the client reads GOAWAY after the response
		h2again = get(h2, "/readyz")
	}
	if h2again.reused {
		t.Error("HTTP/2: requests still reuse the connection after a response during the delay; want GOAWAY")
	}
	if h2again.code != 503 || h2again.proto != "HTTP/2.0" {
		t.Errorf("HTTP/2 /readyz during the delay: %d %s, want 503 over HTTP/2", h2again.code, h2again.proto)
	}

	select {
	case err := <-stopped:
		t.Fatalf("Shutdown returned (%v) after %s, before the %s delay", err, time.Since(start), delay)
	default:
	}
	if err := <-stopped; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if took := time.Since(start); took < delay {
		t.Errorf("Shutdown took %s, want at least the %s delay", took, delay)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

func TestShutdownDelayValidation(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, `timeouts.shutdownDelay: must be between 0s and 5m0s, such as "5s", got "-1s"`},
		{6 * time.Minute, `timeouts.shutdownDelay: must be between 0s and 5m0s, such as "5s", got "6m0s"`},
		{0, ""},
		{5 * time.Second, ""},
	} {
		cfg := testConfig(t)
		cfg.Timeouts.ShutdownDelay = tc.d
		err := cfg.Validate()
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("shutdownDelay %s: Validate = %v, want %q", tc.d, err, tc.want)
		}
	}
}

// TestReadyzOutsideGate: with basePath "/" and a gate on, /readyz (like
// /healthz) needs no credentials, while a page does.
func TestReadyzOutsideGate(t *testing.T) {
	dir := t.TempDir()
	htpasswd := dir + "/htpasswd"
	if err := os.WriteFile(htpasswd, []byte("agent:$2y$05$Vw3h0Cz9oT8mJq7N0v5p4eJ1G7uYb1m0qQ1yWZ8kFJ1b0oYcJ8p3C\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHandler(t, func(c *Config) {
		c.BasePath = "/"
		c.Access.BasicAuth.HtpasswdFile = htpasswd
		c.Access.ApplyDefaults()
	})
	if w := do(h, "GET", "/index.html", nil); w.Code != 401 {
		t.Fatalf("page without credentials: %d, want 401", w.Code)
	}
	for _, path := range []string{"/readyz", "/healthz"} {
		// Before Serve: /readyz says 503 (not ready), never 401.
		if w := do(h, "GET", path, nil); w.Code == 401 || w.Code == 403 {
			t.Errorf("%s without credentials: %d, want it outside the gate", path, w.Code)
		}
	}
	if w := do(h, "GET", "/readyz", nil); w.Code != 503 || w.Body.String() != "starting\n" {
		t.Errorf("/readyz before Serve: %d %q, want 503 \"starting\\n\"", w.Code, w.Body.String())
	}
}
