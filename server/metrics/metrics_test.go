package metrics

import (
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"golang.org/x/crypto/bcrypt"

	"github.com/softphone/softphone/server/auth"
	"github.com/softphone/softphone/server/reqinfo"
	"github.com/softphone/softphone/server/tlsconf"
)

// site is a stand-in for the served tree: a body per path, 404 otherwise.
var site = map[string]string{
	"/app/":                             "<!doctype html><title>softphone</title>",
	"/app/static/js/index.Bl_dAoUW.js":  "console.log('bundle');",
	"/app/static/js/advancedOptions.js": "var advancedOptions = {};",
	"/app/images/logo.png":              "PNG....",
}

// newPipeline builds what the server does: reqinfo attached outside (the
// access log), metrics next, then a real basic-auth gate on /app/.
func newPipeline(t *testing.T, m *Metrics) http.Handler {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte("agent-pw"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	htpasswd := filepath.Join(t.TempDir(), "htpasswd")
	if err := os.WriteFile(htpasswd, []byte("agent:"+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := auth.Config{BasicAuth: auth.BasicAuthConfig{HtpasswdFile: htpasswd}}
	cfg.ApplyDefaults()
	gate, err := auth.New(cfg, "/app/", nil)
	if err != nil {
		t.Fatalf("auth.New: %v", err)
	}
	t.Cleanup(func() { gate.Close() })
	files := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := site[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, body)
	})
	mux := http.NewServeMux()
	mux.Handle("/app/", gate.Middleware(files))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	inner := m.Middleware(RouteClasses("/app/"))(mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, _ = reqinfo.Attach(r)
		inner.ServeHTTP(w, r)
	})
}

func scrape(t *testing.T, m *Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	srv := httptest.NewServer(m.Mux())
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: status %d", resp.StatusCode)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("parse /metrics: %v", err)
	}
	return fams
}

// value finds the sample of family name whose labels include want; ok is
// false when there is none.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) (*dto.Metric, bool) {
	f := fams[name]
	if f == nil {
		return nil, false
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if have[k] != v {
				continue next
			}
		}
		return m, true
	}
	return nil, false
}

func number(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	t.Helper()
	m, ok := value(fams, name, labels)
	if !ok {
		t.Fatalf("%s%v: not in the scrape", name, labels)
	}
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	}
	t.Fatalf("%s%v: unexpected type", name, labels)
	return 0
}

func TestMiddlewareAfterRealRequests(t *testing.T) {
	m := New(Config{Listen: "127.0.0.1:0"}, BuildInfo{Version: "v9.8.7", Commit: "abc123", Date: "2026-01-02T03:04:05Z"})
	srv := httptest.NewServer(newPipeline(t, m))
	defer srv.Close()

	requests := []struct {
		path, user, pass string
		want             int
	}{
		{"/app/", "agent", "agent-pw", 200},
		{"/app/", "agent", "agent-pw", 200},
		{"/app/static/js/index.Bl_dAoUW.js", "agent", "agent-pw", 200},
		{"/app/static/js/advancedOptions.js", "agent", "agent-pw", 200},
		{"/app/images/logo.png", "", "", 401},
		{"/app/images/logo.png", "agent", "wrong", 401},
		{"/app/images/missing.png", "agent", "agent-pw", 404},
		{"/healthz", "", "", 200},
		{"/elsewhere", "", "", 404},
	}
	for _, rq := range requests {
		req, _ := http.NewRequest("GET", srv.URL+rq.path, nil)
		if rq.user != "" {
			req.SetBasicAuth(rq.user, rq.pass)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != rq.want {
			t.Fatalf("GET %s as %q: status %d, want %d", rq.path, rq.user, resp.StatusCode, rq.want)
		}
	}
	fams := scrape(t, m)

	counts := []struct {
		code, route string
		want        float64
	}{
		{"200", RouteShell, 2},
		{"200", RouteBundle, 1},
		{"200", RouteConfig, 1},
		{"401", RouteAsset, 2},
		{"404", RouteAsset, 1},
		{"200", RouteHealth, 1},
		{"404", RouteOther, 1},
	}
	for _, c := range counts {
		t.Run("requests_"+c.code+"_"+c.route, func(t *testing.T) {
			got := number(t, fams, "softphone_http_requests_total", map[string]string{"code": c.code, "route": c.route})
			if got != c.want {
				t.Errorf("softphone_http_requests_total{code=%q,route=%q} = %v, want %v", c.code, c.route, got, c.want)
			}
		})
	}
	if got, want := number(t, fams, "softphone_http_response_bytes_total", map[string]string{"route": RouteShell}), float64(2*len(site["/app/"])); got != want {
		t.Errorf("softphone_http_response_bytes_total{route=shell} = %v, want %v", got, want)
	}
	if got, want := number(t, fams, "softphone_http_response_bytes_total", map[string]string{"route": RouteBundle}), float64(len(site["/app/static/js/index.Bl_dAoUW.js"])); got != want {
		t.Errorf("softphone_http_response_bytes_total{route=bundle} = %v, want %v", got, want)
	}
	if got := number(t, fams, "softphone_http_request_duration_seconds", map[string]string{"route": RouteAsset}); got != 3 {
		t.Errorf("softphone_http_request_duration_seconds{route=asset} count = %v, want 3", got)
	}
	for reason, want := range map[string]float64{"no-credentials": 1, "basic": 1} {
		if got := number(t, fams, "softphone_gate_denials_total", map[string]string{"reason": reason}); got != want {
			t.Errorf("softphone_gate_denials_total{reason=%q} = %v, want %v", reason, got, want)
		}
	}
	bi, ok := value(fams, "softphone_build_info", map[string]string{"version": "v9.8.7", "commit": "abc123", "date": "2026-01-02T03:04:05Z"})
	if !ok || bi.Gauge.GetValue() != 1 {
		t.Errorf("softphone_build_info{version=v9.8.7,commit=abc123,...} missing or not 1: %v", bi)
	}
	if _, ok := fams["go_goroutines"]; !ok {
		t.Error("go_goroutines missing: the Go collector is not registered")
	}
}

func TestConfigReloads(t *testing.T) {
	m := New(Config{Listen: ":0"}, BuildInfo{})
	fams := scrape(t, m)
	for _, result := range []string{"ok", "failed"} {
		if got := number(t, fams, "softphone_config_reloads_total", map[string]string{"result": result}); got != 0 {
			t.Errorf("before any reload: softphone_config_reloads_total{result=%q} = %v, want 0", result, got)
		}
	}
	m.ConfigReload(true)
	m.ConfigReload(true)
	m.ConfigReload(false)
	fams = scrape(t, m)
	if got := number(t, fams, "softphone_config_reloads_total", map[string]string{"result": "ok"}); got != 2 {
		t.Errorf("softphone_config_reloads_total{result=ok} = %v, want 2", got)
	}
	if got := number(t, fams, "softphone_config_reloads_total", map[string]string{"result": "failed"}); got != 1 {
		t.Errorf("softphone_config_reloads_total{result=failed} = %v, want 1", got)
	}
	if got := number(t, fams, "softphone_config_last_reload_successful", nil); got != 0 {
		t.Errorf("softphone_config_last_reload_successful = %v after a failed reload, want 0", got)
	}
	m.ConfigReload(true)
	if got := number(t, scrape(t, m), "softphone_config_last_reload_successful", nil); got != 1 {
		t.Errorf("softphone_config_last_reload_successful = %v after a good reload, want 1", got)
	}
}

func TestCertificateExpiry(t *testing.T) {
	m := New(Config{Listen: ":0"}, BuildInfo{})
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	m.now = func() time.Time { return now }
	if _, ok := scrape(t, m)["softphone_tls_certificate_expiry_seconds"]; ok {
		t.Error("softphone_tls_certificate_expiry_seconds reported before WatchCertificates")
	}
	certs := []tlsconf.CertInfo{
		{Names: []string{"softphone.example.com", "10.0.0.5"}, NotAfter: now.Add(10 * 24 * time.Hour)},
		{Names: []string{"old.example.com"}, NotAfter: now.Add(-time.Hour)},
	}
	m.WatchCertificates(func() []tlsconf.CertInfo { return certs })
	fams := scrape(t, m)
	tests := []struct {
		names string
		left  float64
	}{
		{"softphone.example.com,10.0.0.5", 864000},
		{"old.example.com", -3600},
	}
	for _, tc := range tests {
		if got := number(t, fams, "softphone_tls_certificate_expiry_seconds", map[string]string{"names": tc.names}); got != tc.left {
			t.Errorf("softphone_tls_certificate_expiry_seconds{names=%q} = %v, want %v", tc.names, got, tc.left)
		}
	}
	if got, want := number(t, fams, "softphone_tls_certificate_not_after_timestamp_seconds", map[string]string{"names": "old.example.com"}), float64(now.Add(-time.Hour).Unix()); got != want {
		t.Errorf("softphone_tls_certificate_not_after_timestamp_seconds{names=old.example.com} = %v, want %v", got, want)
	}
	// A renewal shows at the next scrape without another call.
	certs = []tlsconf.CertInfo{{Names: []string{"softphone.example.com", "10.0.0.5"}, NotAfter: now.Add(90 * 24 * time.Hour)}}
	if got := number(t, scrape(t, m), "softphone_tls_certificate_expiry_seconds", nil); got != 90*86400 {
		t.Errorf("after renewal: softphone_tls_certificate_expiry_seconds = %v, want %v", got, 90*86400)
	}
}

func TestOwnRegistry(t *testing.T) {
	// Two instances in one process must not collide (the global registry would panic).
	a, b := New(Config{Listen: ":0"}, BuildInfo{}), New(Config{Listen: ":0"}, BuildInfo{})
	a.ConfigReload(false)
	if got := number(t, scrape(t, b), "softphone_config_reloads_total", map[string]string{"result": "failed"}); got != 0 {
		t.Errorf("b counted a's reload: softphone_config_reloads_total{result=failed} = %v, want 0", got)
	}
}

func TestNilMetricsIsOff(t *testing.T) {
	var m *Metrics
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	rec := httptest.NewRecorder()
	m.Middleware(RouteClasses("/"))(next).ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusTeapot {
		t.Errorf("status through a nil Metrics' middleware = %d, want 418", rec.Code)
	}
	m.ConfigReload(true)
	m.GateDenied("ip")
	m.WatchCertificates(nil)
}

func TestGateDeniedBoundsReasons(t *testing.T) {
	m := New(Config{Listen: ":0"}, BuildInfo{})
	for _, r := range []string{"ip", "jwt-expired", "Evil Reason", strings.Repeat("x", 100), ""} {
		m.GateDenied(r)
	}
	fams := scrape(t, m)
	for reason, want := range map[string]float64{"ip": 1, "jwt-expired": 1, "other": 3} {
		if got := number(t, fams, "softphone_gate_denials_total", map[string]string{"reason": reason}); got != want {
			t.Errorf("softphone_gate_denials_total{reason=%q} = %v, want %v", reason, got, want)
		}
	}
	if n := len(fams["softphone_gate_denials_total"].GetMetric()); n != 3 {
		t.Errorf("softphone_gate_denials_total has %d label sets, want 3", n)
	}
}

func TestHTTPServer(t *testing.T) {
	m := New(Config{Listen: "127.0.0.1:0"}, BuildInfo{Version: "v1"})
	srv := m.HTTPServer(slog.New(slog.DiscardHandler))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	for path, want := range map[string]int{"/metrics": 200, "/": 404, "/metrics/x": 404} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s = %d, want %d", path, resp.StatusCode, want)
		}
		if want == 200 && !strings.Contains(string(body), `softphone_build_info{`) {
			t.Errorf("GET %s lacks softphone_build_info", path)
		}
	}
	resp, err := http.Post(base+"/metrics", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /metrics = %d, want 405", resp.StatusCode)
	}
}
