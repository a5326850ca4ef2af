package server

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestRedirectIgnoresHost sends plain-HTTP requests with a foreign Host to
// the redirect listener: the Location is built from publicURL, or without
// it from the address the connection arrived on, never from the Host.
func TestRedirectIgnoresHost(t *testing.T) {
	tests := []struct {
		name      string
		publicURL string
		host      string
		want      func(httpsPort string) string
	}{
		{"foreign Host, no publicURL", "", "evil.example", func(p string) string { return "https://127.0.0.1:" + p + "/webrtc?x=1" }},
		{"foreign Host with port, no publicURL", "", "evil.example:8080", func(p string) string { return "https://127.0.0.1:" + p + "/webrtc?x=1" }},
		{"foreign Host, publicURL", "https://softphone.example.com", "evil.example", func(string) string { return "https://softphone.example.com/webrtc?x=1" }},
		{"Host names publicURL", "https://softphone.example.com:8443/", "softphone.example.com:8443", func(string) string { return "https://softphone.example.com:8443/webrtc?x=1" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.PublicURL = tc.publicURL
			s, err := New(cfg, discard())
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Open(); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- s.Serve() }()
			t.Cleanup(func() { s.Shutdown(context.Background()); <-done })
			_, httpsPort, _ := net.SplitHostPort(s.Addr().String())

			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			req, _ := http.NewRequest(http.MethodGet, "http://"+s.RedirectAddr().String()+"/webrtc?x=1", nil)
			req.Host = tc.host
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if want := tc.want(httpsPort); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
				t.Errorf("Host %q: status %d Location %q, want 301 %q", tc.host, res.StatusCode, res.Header.Get("Location"), want)
			}
		})
	}
}

func TestPublicURLValidation(t *testing.T) {
	for _, tc := range []struct{ value, err string }{
		{"https://softphone.example.com", ""},
		{"https://softphone.example.com:8443/", ""},
		{"http://localhost:8443", ""},
		{"http://softphone.example.com", "publicURL: must be the origin agents use"},
		{"https://softphone.example.com/webrtc_client/", "publicURL: must be the origin agents use"},
		{"https://user@softphone.example.com", "publicURL: must be the origin agents use"},
		{"softphone.example.com", "publicURL: must be the origin agents use"},
		{"https://softphone.example.com/?x", "publicURL: must be the origin agents use"},
	} {
		cfg := testConfig(t)
		cfg.PublicURL = tc.value
		err := cfg.Validate()
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("publicURL %q: %v, want no error", tc.value, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("publicURL %q: error %v, want %q", tc.value, err, tc.err)
		}
	}
}
