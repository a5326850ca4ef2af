package server

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/softphone/softphone/server/auth/htpasswd"
)

// joined runs Validate and Warnings and returns their messages.
func joined(t *testing.T, cfg Config) (errs, warns string) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		errs = err.Error()
	}
	return errs, strings.Join(cfg.Warnings(), "\n")
}

func writeFile(t *testing.T, name, data string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return p
}

// TestBroadCSPSourcesWarn: sources that let any site frame the page or the
// page connect anywhere, and 'none' mixed with others, are called out.
func TestBroadCSPSourcesWarn(t *testing.T) {
	tests := []struct {
		key  string
		srcs []string
		want string // "" for no warning
	}{
		{"frameAncestors", []string{"'self'", "https://wwe.example.com"}, ""},
		{"frameAncestors", []string{"https://*"}, `headers.frameAncestors[0]: "https://*"`},
		{"frameAncestors", []string{"http:"}, `headers.frameAncestors[0]: "http:"`},
		{"frameAncestors", []string{"'self'", "*.com"}, `headers.frameAncestors[1]: "*.com"`},
		{"frameAncestors", []string{"data:"}, `headers.frameAncestors[0]: "data:"`},
		{"frameAncestors", []string{"'none'", "https://wwe.example.com"}, `headers.frameAncestors: 'none' together with other sources`},
		{"connectSrc", []string{"https://crm.example.com"}, ""},
		{"connectSrc", []string{"*"}, `headers.connectSrc[0]: "*"`},
		{"connectSrc", []string{"https:"}, `headers.connectSrc[0]: "https:"`},
		{"connectSrc", []string{"wss://*"}, `headers.connectSrc[0]: "wss://*"`},
		{"connectSrc", []string{"data:"}, `headers.connectSrc[0]: "data:"`},
		{"connectSrc", []string{"https://*.co.uk"}, `headers.connectSrc[0]: "https://*.co.uk"`},
	}
	for _, tc := range tests {
		cfg := testConfig(t)
		if tc.key == "frameAncestors" {
			cfg.Headers.FrameAncestors = tc.srcs
		} else {
			cfg.Headers.ConnectSrc = tc.srcs
		}
		errs, warns := joined(t, cfg)
		if errs != "" {
			t.Errorf("%s %q: unexpected errors: %s", tc.key, tc.srcs, errs)
		}
		if tc.want == "" && strings.Contains(warns, "headers.") {
			t.Errorf("%s %q: unexpected warning: %s", tc.key, tc.srcs, warns)
		}
		if tc.want != "" && !strings.Contains(warns, tc.want) {
			t.Errorf("%s %q: warnings\n%s\nwant one starting %q", tc.key, tc.srcs, warns, tc.want)
		}
	}
}

// TestExposureWarnings: secret files others can read and metrics on every
// interface are called out.
func TestExposureWarnings(t *testing.T) {
	line, err := htpasswd.HashLine("agent", "pw", 10)
	if err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t)
	cfg.Access.BasicAuth.HtpasswdFile = writeFile(t, "htpasswd", line+"\n", 0o644)
	cfg.Access.JWT.HMACSecretFile = writeFile(t, "jwt-secret", strings.Repeat("s", 40), 0o640)
	cfg.Access.ApplyDefaults()
	cfg.Metrics.Listen = ":9464"
	errs, warns := joined(t, cfg)
	if errs != "" {
		t.Fatalf("unexpected errors: %s", errs)
	}
	for _, want := range []string{
		"access.basicAuth.htpasswdFile: " + cfg.Access.BasicAuth.HtpasswdFile + " can be read by other users (mode 0644)",
		"access.jwt.hmacSecretFile: " + cfg.Access.JWT.HMACSecretFile + " can be read by other users (mode 0640)",
		`metrics.listen: ":9464" listens on every interface`,
	} {
		if !strings.Contains(warns, want) {
			t.Errorf("warnings\n%s\nwant %q", warns, want)
		}
	}
	cfg.Metrics.Listen = "127.0.0.1:9464"
	os.Chmod(cfg.Access.BasicAuth.HtpasswdFile, 0o600)
	os.Chmod(cfg.Access.JWT.HMACSecretFile, 0o400)
	if _, warns := joined(t, cfg); strings.Contains(warns, "can be read by other users") || strings.Contains(warns, "metrics.listen") {
		t.Errorf("private files and loopback metrics still warned:\n%s", warns)
	}

	conf := writeFile(t, "softphone.yaml", "listen: \":8443\"\n", 0o666)
	if w := strings.Join(ConfigFileWarnings(conf), "\n"); !strings.Contains(w, "can be changed by any user (mode 0666)") {
		t.Errorf("ConfigFileWarnings(world-writable) = %q, want it called out", w)
	}
	os.Chmod(conf, 0o644)
	if w := ConfigFileWarnings(conf); len(w) != 0 {
		t.Errorf("ConfigFileWarnings(0644) = %q, want none", w)
	}
}

// TestDemoCredentials: the secrets published in examples/access are an
// error outside a demo (a self-signed certificate or a loopback listener)
// and a loud warning in one.
func TestDemoCredentials(t *testing.T) {
	t.Chdir(filepath.Join("..")) // the repository root, as the examples expect
	for _, tc := range []struct {
		name string
		set  func(*Config)
		key  string
	}{
		{"demo JWT secret file", func(c *Config) { c.Access.JWT.HMACSecretFile = "examples/access/demo-jwt-secret" }, "access.jwt.hmacSecretFile"},
		{"demo JWT secret inline", func(c *Config) { c.Access.JWT.HMACSecret = "demo-only-NOT-SECRET-0123456789-abcdefghijklmnop" }, "access.jwt.hmacSecret"},
		{"demo htpasswd", func(c *Config) { c.Access.BasicAuth.HtpasswdFile = "examples/access/htpasswd" }, "access.basicAuth.htpasswdFile"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t)
			tc.set(&cfg)
			cfg.Access.ApplyDefaults()
			errs, warns := joined(t, cfg) // self-signed, loopback: a demo
			if errs != "" || !strings.Contains(warns, tc.key+": DEMO ONLY") {
				t.Errorf("in a demo: errors %q, warnings\n%s\nwant a %s: DEMO ONLY warning", errs, warns, tc.key)
			}
			cfg.TLS.Mode = "off"
			cfg.Listen = ":8443"
			errs, _ = joined(t, cfg)
			if !strings.Contains(errs, tc.key+": is a published demo credential") {
				t.Errorf("outside a demo: errors %q, want %s: is a published demo credential", errs, tc.key)
			}
		})
	}
}

// TestHtpasswdHashWarnings: weak and cheap hashes are warned by the config
// check (softphone check and serve), not only by the server's log; users
// whose hash is cheaper than the file's dearest are named, as timing tells
// them apart from unknown users.
func TestHtpasswdHashWarnings(t *testing.T) {
	good, _ := htpasswd.HashLine("agent", "pw", 10)
	cheap, _ := htpasswd.HashLine("cheap", "pw", 4)
	cfg := testConfig(t)
	cfg.Access.BasicAuth.HtpasswdFile = writeFile(t, "htpasswd", good+"\n"+cheap+"\nold:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n", 0o600)
	cfg.Access.ApplyDefaults()
	errs, warns := joined(t, cfg)
	if errs != "" {
		t.Fatalf("unexpected errors: %s", errs)
	}
	for _, want := range []string{
		"access.basicAuth.htpasswdFile: users with weak (unsalted or MD5) hashes: old",
		"access.basicAuth.htpasswdFile: users with a bcrypt cost below 10: cheap",
		"access.basicAuth.htpasswdFile: users whose hash is cheaper to check than the dearest in the file: cheap, old",
	} {
		if !strings.Contains(warns, want) {
			t.Errorf("warnings\n%s\nwant %q", warns, want)
		}
	}
}
