package auth

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"testing"
)

// TestOIDCRedirectURIIgnoresHost: the redirect_uri sent to the identity
// provider is built from the configured origins or the address the
// connection arrived on, whatever Host the request claims.
func TestOIDCRedirectURIIgnoresHost(t *testing.T) {
	op := newTestOP(t)
	local := &net.TCPAddr{IP: net.ParseIP("192.0.2.80"), Port: 8443}
	tests := []struct {
		name    string
		origins []string
		host    string
		want    string
	}{
		{"foreign Host, publicURL set", []string{"https://softphone.example.com"}, "evil.example", "https://softphone.example.com/auth/oidc/callback"},
		{"foreign Host with port", []string{"https://softphone.example.com"}, "evil.example:8443", "https://softphone.example.com/auth/oidc/callback"},
		{"Host names a second configured origin", []string{"https://a.example.com", "https://b.example.com"}, "B.example.com", "https://b.example.com/auth/oidc/callback"},
		{"foreign Host, nothing configured: the listener's address", nil, "evil.example", "https://192.0.2.80:8443/auth/oidc/callback"},
		{"loopback Host, nothing configured (a local test)", nil, "localhost:8443", "http://localhost:8443/auth/oidc/callback"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := oidcTestConfig(op)
			cfg.PublicOrigins = tc.origins
			g := newGate(t, cfg, "/")
			r := get("/", "Accept", "text/html", "Sec-Fetch-Mode", "navigate")
			r.Host = tc.host
			r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, net.Addr(local)))
			res := do(g, r)
			if res.code != http.StatusFound {
				t.Fatalf("status %d (%s), want 302", res.code, res.info.Gate)
			}
			loc, err := url.Parse(res.hdr.Get("Location"))
			if err != nil {
				t.Fatal(err)
			}
			if got := loc.Query().Get("redirect_uri"); got != tc.want {
				t.Errorf("redirect_uri = %q, want %q", got, tc.want)
			}
		})
	}
}
