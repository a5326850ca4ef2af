package auth

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"go.uber.org/goleak"
)

func TestBasicOrJWT(t *testing.T) {
	ks := newKeySet(t)
	cfg := ssoConfig(ks)
	cfg.BasicAuth.HtpasswdFile = writeHtpasswd(t, hashLine(t, "wde", "cti-pass"))
	g := newGate(t, cfg, "/webrtc_client/")
	tok := sign(t, jose.RS256, ks.rsa, "rsa-1", claims(time.Now(), ks.issuer))

	basic := get("/webrtc_client/")
	basic.SetBasicAuth("wde", "cti-pass")
	badBasic := get("/webrtc_client/")
	badBasic.SetBasicAuth("wde", "nope")

	tests := []struct {
		name string
		req  *http.Request
		code int
		user string
	}{
		{"basic credentials (CTI desktop)", basic, 200, "wde"},
		{"bearer token", get("/webrtc_client/", "Authorization", "Bearer "+tok), 200, "agent-7"},
		{"wrong basic password", badBasic, 401, ""},
		{"navigation without credentials", get("/webrtc_client/", "Accept", "text/html"), 302, ""},
		{"API call without credentials", get("/webrtc_client/manifest.json"), 401, ""},
		{"healthz outside the gate", get("/healthz"), 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := do(g, tc.req)
			if res.code != tc.code || res.info.User != tc.user {
				t.Errorf("status %d user %q (gate %q), want %d %q", res.code, res.info.User, res.info.Gate, tc.code, tc.user)
			}
			if res.code == 401 {
				ch := res.hdr.Values("WWW-Authenticate")
				if len(ch) != 2 || !strings.HasPrefix(ch[0], "Basic ") || !strings.HasPrefix(ch[1], "Bearer ") {
					t.Errorf("WWW-Authenticate = %q, want a Basic and a Bearer challenge", ch)
				}
			}
		})
	}
}

func TestNoGates(t *testing.T) {
	g := newGate(t, Config{}, "/")
	if res := do(g, get("/index.html")); res.code != 200 || res.info.Gate != "" {
		t.Errorf("status %d gate %q, want 200 and no gate", res.code, res.info.Gate)
	}
	if (Config{}).Enabled() {
		t.Errorf("Config{}.Enabled() = true")
	}
}

func TestNewErrors(t *testing.T) {
	plain := writeHtpasswd(t, "agent:plaintext")
	tests := []struct {
		name     string
		cfg      Config
		basePath string
		want     string
	}{
		{"plaintext htpasswd", Config{BasicAuth: BasicAuthConfig{HtpasswdFile: plain}}, "/", plain + ":1:"},
		{"missing htpasswd", Config{BasicAuth: BasicAuthConfig{HtpasswdFile: plain + ".missing"}}, "/", "access.basicAuth.htpasswdFile"},
		{"bad basePath", Config{}, "app", "basePath"},
		{"bad CIDR", Config{AllowedIPs: []string{"10.0.0.0/33"}}, "/", "access.allowedIPs[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.ApplyDefaults()
			g, err := New(tc.cfg, tc.basePath, nil)
			if err == nil {
				g.Close()
				t.Fatalf("New = nil error, want %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New error = %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestReloadsDoNotLeak builds and closes gates as config reloads do and
// checks that no goroutine is left behind.
func TestReloadsDoNotLeak(t *testing.T) {
	ks := newKeySet(t)
	cfg := ssoConfig(ks)
	cfg.BasicAuth.HtpasswdFile = writeHtpasswd(t, hashLine(t, "wde", "cti-pass"))
	cfg.ApplyDefaults()
	var prev *Gate
	build := func() {
		g, err := New(cfg, "/", slog.New(slog.DiscardHandler), WithPrevious(prev))
		if err != nil {
			t.Fatal(err)
		}
		if prev != nil {
			prev.Close()
		}
		prev = g
	}
	build()
	// What runs now (the key server, the first gate's connections to it)
	// is the baseline; 50 reloads and the last Close must leave nothing more.
	baseline := goleak.IgnoreCurrent()
	for range 50 {
		build()
	}
	prev.Close()
	// Key-set fetches share http.DefaultTransport: its idle keep-alive
	// connections belong to no gate. Closing them leaves only what a gate
	// would have leaked.
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	goleak.VerifyNone(t, baseline)
}

func TestWithPreviousKeepsSessions(t *testing.T) {
	ks := newKeySet(t)
	cfg := ssoConfig(ks)
	cfg.ApplyDefaults()
	g1, err := New(cfg, "/", nil)
	if err != nil {
		t.Fatal(err)
	}
	tok := sign(t, jose.RS256, ks.rsa, "rsa-1", claims(time.Now(), ks.issuer))
	res := do(g1, get("/auth/callback?jwt="+tok))
	sess := cookieNamed(res.hdr, cfg.JWT.CookieName)
	if sess == nil {
		t.Fatalf("no session cookie from callback (status %d, %s)", res.code, res.info.Gate)
	}
	withCookie := func() *http.Request {
		r := get("/index.html")
		r.AddCookie(&http.Cookie{Name: sess.Name, Value: sess.Value})
		return r
	}
	hitsBefore := ks.hits.Load()

	g2, err := New(cfg, "/", nil, WithPrevious(g1))
	if err != nil {
		t.Fatal(err)
	}
	g1.Close()
	defer g2.Close()
	if res := do(g2, withCookie()); res.code != 200 {
		t.Errorf("session after an unchanged reload: status %d, want 200", res.code)
	}
	if res := do(g2, get("/auth/callback?jwt="+tok)); res.info.Gate != "denied:jwt-replay" {
		t.Errorf("token replayed across a reload: gate %q, want denied:jwt-replay", res.info.Gate)
	}
	if ks.hits.Load() != hitsBefore {
		t.Errorf("reload re-fetched the key set (%d fetches), want it carried over", ks.hits.Load()-hitsBefore)
	}

	// A tightened policy ends existing sessions.
	stricter := cfg
	stricter.JWT.RequiredClaims = []RequiredClaim{{Claim: "groups", Contains: []string{"supervisors"}}}
	g3, err := New(stricter, "/", nil, WithPrevious(g2))
	if err != nil {
		t.Fatal(err)
	}
	defer g3.Close()
	if res := do(g3, withCookie()); res.code != 401 {
		t.Errorf("session after requiredClaims changed: status %d, want 401", res.code)
	}
}
