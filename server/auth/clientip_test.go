package auth

import (
	"net/http"
	"net/netip"
	"testing"
)

func TestClientIP(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	tests := []struct {
		name   string
		remote string
		xff    []string
		want   string // "" = invalid
	}{
		{"direct", "192.0.2.1:1234", nil, "192.0.2.1"},
		{"direct ignores forged XFF", "192.0.2.1:1234", []string{"10.1.1.1"}, "192.0.2.1"},
		{"direct ignores XFF claiming an allowed address", "198.51.100.9:1", []string{"192.0.2.1"}, "198.51.100.9"},
		{"through a trusted proxy", "10.0.0.5:80", []string{"192.0.2.7"}, "192.0.2.7"},
		{"rightmost untrusted hop wins", "10.0.0.5:80", []string{"6.6.6.6, 192.0.2.7, 10.0.0.9"}, "192.0.2.7"},
		{"several XFF fields", "10.0.0.5:80", []string{"6.6.6.6", "192.0.2.8"}, "192.0.2.8"},
		{"hop with port", "10.0.0.5:80", []string{"192.0.2.9:4711"}, "192.0.2.9"},
		{"ipv6 hop with port", "10.0.0.5:80", []string{"[2001:db8::7]:4711"}, "2001:db8::7"},
		{"trusted proxy, no XFF", "10.0.0.5:80", nil, "10.0.0.5"},
		{"all hops trusted", "10.0.0.5:80", []string{"10.9.9.9"}, "10.9.9.9"},
		{"malformed hop", "10.0.0.5:80", []string{"unknown"}, ""},
		{"ipv6 peer", "[2001:db8::1]:443", nil, "2001:db8::1"},
		{"ipv6 proxy", "[fd00::1]:443", []string{"2001:db8::2"}, "2001:db8::2"},
		{"v4-mapped peer", "[::ffff:192.0.2.1]:443", nil, "192.0.2.1"},
		{"v4-mapped hop", "10.0.0.5:80", []string{"::ffff:192.0.2.3"}, "192.0.2.3"},
		{"zone stripped", "[fe80::1%eth0]:443", nil, "fe80::1"},
		{"garbage peer", "not-an-address", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := http.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			got := ClientIP(r, trusted)
			if tc.want == "" {
				if got.IsValid() {
					t.Errorf("ClientIP = %v, want the invalid address", got)
				}
				return
			}
			if got.String() != tc.want {
				t.Errorf("ClientIP = %v, want %s", got, tc.want)
			}
		})
	}
}

func TestIPAllowList(t *testing.T) {
	g := newGate(t, Config{
		AllowedIPs:     []string{"192.0.2.0/24", "2001:db8:5::/48", "198.51.100.77"},
		TrustedProxies: []string{"10.0.0.1"},
	}, "/")
	tests := []struct {
		name   string
		remote string
		xff    string
		code   int
		gate   string
	}{
		{"inside v4", "192.0.2.200:1", "", 200, "ip"},
		{"single address", "198.51.100.77:1", "", 200, "ip"},
		{"outside v4", "198.51.100.78:1", "", 403, "denied:ip"},
		{"inside v6", "[2001:db8:5:ffff::1]:1", "", 200, "ip"},
		{"outside v6", "[2001:db8:6::1]:1", "", 403, "denied:ip"},
		{"v4-mapped inside", "[::ffff:192.0.2.1]:1", "", 200, "ip"},
		{"spoofed XFF from an untrusted peer", "203.0.113.1:1", "192.0.2.1", 403, "denied:ip"},
		{"XFF through the trusted proxy, inside", "10.0.0.1:1", "192.0.2.5", 200, "ip"},
		{"XFF through the trusted proxy, outside", "10.0.0.1:1", "203.0.113.1", 403, "denied:ip"},
		{"proxy itself is not on the list", "10.0.0.1:1", "", 403, "denied:ip"},
		{"unreadable XFF", "10.0.0.1:1", "192.0.2.5, junk", 403, "denied:ip"},
		{"health check from anywhere", "203.0.113.1:1", "", 200, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			target := "/index.html"
			if tc.name == "health check from anywhere" {
				target = "/healthz"
			}
			r := get(target)
			r.RemoteAddr = tc.remote
			if tc.xff != "" {
				r.Header.Set("X-Forwarded-For", tc.xff)
			}
			res := do(g, r)
			if res.code != tc.code || res.info.Gate != tc.gate {
				t.Errorf("status %d gate %q, want %d %q", res.code, res.info.Gate, tc.code, tc.gate)
			}
		})
	}
}

func FuzzClientIP(f *testing.F) {
	f.Add("10.0.0.1:80", "192.0.2.1, 10.0.0.2")
	f.Add("[fd00::1]:1", "[2001:db8::1]:5, junk")
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	f.Fuzz(func(t *testing.T, remote, xff string) {
		r, _ := http.NewRequest("GET", "/", nil)
		r.RemoteAddr = remote
		r.Header.Set("X-Forwarded-For", xff)
		got := ClientIP(r, trusted)
		if got.IsValid() && (got.Zone() != "" || got.Is4In6()) {
			t.Fatalf("ClientIP(%q, %q) = %v, want unmapped and zone-free", remote, xff, got)
		}
		peer, err := netip.ParseAddrPort(remote)
		if err == nil && !containsAddr(trusted, peer.Addr().Unmap()) && got != peer.Addr().Unmap().WithZone("") {
			t.Fatalf("untrusted peer %q: ClientIP = %v, want the peer (XFF must be ignored)", remote, got)
		}
	})
}
