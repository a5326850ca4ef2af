package server

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/softphone/softphone/server/auth/htpasswd"
)

// TestEncodedPathsGateAlike sends spellings of /healthz with percent-escapes
// to a gated site whose brand folder holds a file named healthz: routing
// and the gate must see the same decoded path, so the escaped spelling is
// the health check too, never the brand file past the gate.
func TestEncodedPathsGateAlike(t *testing.T) {
	dir := t.TempDir()
	brandDir := filepath.Join(dir, "brand")
	if err := os.Mkdir(brandDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(brandDir, "healthz"), []byte("BRAND FILE BEHIND THE GATE"), 0o644); err != nil {
		t.Fatal(err)
	}
	line, err := htpasswd.HashLine("agent", "right", htpasswd.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	pw := filepath.Join(dir, "htpasswd")
	if err := os.WriteFile(pw, []byte(line+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := newHandler(t, func(c *Config) {
		c.Branding.Dir = brandDir
		c.Access.BasicAuth.HtpasswdFile = pw
		c.Access.ApplyDefaults()
	})
	for _, target := range []string{"/healthz", "/%68ealthz", "/heal%74hz", "/%68%65%61%6c%74%68%7a"} {
		w := do(h, http.MethodGet, target, nil)
		if strings.Contains(w.Body.String(), "BRAND FILE") {
			t.Errorf("GET %s served the brand file without credentials", target)
		}
		if w.Code != http.StatusOK || w.Body.String() != "ok\n" {
			t.Errorf("GET %s: status %d body %q, want the health check (200 \"ok\\n\")", target, w.Code, w.Body.String())
		}
	}
	// Other escaped paths under basePath still pass the gate.
	if w := do(h, http.MethodGet, "/index%2Ehtml", nil); w.Code != http.StatusUnauthorized {
		t.Errorf("GET /index%%2Ehtml without credentials: status %d, want 401", w.Code)
	}
}

// TestBrandLinkOutIsNotServed: a link in branding.dir to a file outside
// it is not served, with or without a gate.
func TestBrandLinkOutIsNotServed(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "tls.key")
	if err := os.WriteFile(secret, []byte("SECRET KEY MATERIAL"), 0o600); err != nil {
		t.Fatal(err)
	}
	brandDir := filepath.Join(dir, "brand")
	if err := os.Mkdir(brandDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(brandDir, "robots.txt")); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t)
	cfg.Branding.Dir = brandDir
	s, err := New(cfg, discard())
	if err != nil {
		if !strings.Contains(err.Error(), "robots.txt") {
			t.Errorf("New refused the brand folder without naming the link: %v", err)
		}
		return
	}
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	if w := do(s.Handler(), http.MethodGet, "/robots.txt", nil); strings.Contains(w.Body.String(), "SECRET") {
		t.Errorf("GET /robots.txt served the file behind a link out of branding.dir")
	}
}
