package auth

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-viper/mapstructure/v2"
	yaml "go.yaml.in/yaml/v3"
)

// loadExample decodes the access: section of an example config the way the
// configuration loader does (mapstructure, durations from strings).
func loadExample(t *testing.T, name string) Config {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("examples", "access", name))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Access          map[string]any `yaml:"access"`
		AdvancedOptions struct {
			AuthProvidersConfig struct {
				Providers []struct {
					Name      string `yaml:"providerLoginName"`
					Type      string `yaml:"providerType"`
					Authority string `yaml:"authority"`
					Realm     string `yaml:"realm"`
					ClientID  string `yaml:"clientId"`
				} `yaml:"providers"`
			} `yaml:"authProvidersConfig"`
		} `yaml:"advancedOptions"`
	}
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var cfg Config
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		DecodeHook:  mapstructure.StringToTimeDurationHookFunc(),
		ErrorUnused: true,
		Result:      &cfg,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := dec.Decode(doc.Access); err != nil {
		t.Fatalf("%s: access: %v", name, err)
	}
	// What the configuration loader copies from the client config.
	for _, p := range doc.AdvancedOptions.AuthProvidersConfig.Providers {
		cfg.ClientProviders = append(cfg.ClientProviders, ProviderRef{Name: p.Name, Type: p.Type, Authority: p.Authority, Realm: p.Realm, ClientID: p.ClientID})
	}
	cfg.ApplyDefaults()
	return cfg
}

// TestExamples checks every examples/access config against this package's
// schema and validation, from the repository root as the examples say.
func TestExamples(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	files, _ := filepath.Glob(filepath.Join("examples", "access", "*.yaml"))
	if len(files) < 4 {
		t.Fatalf("found %d example configs, want at least 4", len(files))
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			cfg := loadExample(t, name)
			if !cfg.Enabled() {
				t.Errorf("example enables no gate")
			}
			if err := cfg.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}

	t.Run("basic-auth demo password", func(t *testing.T) {
		g := newGate(t, loadExample(t, "basic-auth.yaml"), "/webrtc_client/")
		r := get("/webrtc_client/")
		r.SetBasicAuth("agent", "demo-only-change-me")
		if res := do(g, r); res.code != http.StatusOK {
			t.Errorf("documented demo credentials: status %d, want 200", res.code)
		}
	})

	t.Run("jwt-hmac demo token", func(t *testing.T) {
		needPyJWT(t)
		g := newGate(t, loadExample(t, "jwt-hmac.yaml"), "/")
		out, err := exec.Command(debianPython, filepath.Join("examples", "access", "mint-demo-token.py")).Output()
		if err != nil {
			t.Fatalf("mint-demo-token.py: %v", err)
		}
		u, err := url.Parse(string(bytes.TrimSpace(out)))
		if err != nil || !strings.HasSuffix(u.Path, "/auth/callback") {
			t.Fatalf("mint-demo-token.py printed %q, want a callback URL", out)
		}
		res := do(g, get(u.RequestURI()))
		if res.code != http.StatusSeeOther || res.hdr.Get("Location") != "/" || res.info.User != "agent-42" {
			t.Errorf("demo callback: status %d Location %q user %q (%s), want 303 / agent-42",
				res.code, res.hdr.Get("Location"), res.info.User, res.info.Gate)
		}
	})
}

// TestDemoCredentialsMatchExamples keeps the published demo credentials
// DemoCredentials knows in step with the files in examples/access.
func TestDemoCredentialsMatchExamples(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	cfg := Config{
		BasicAuth: BasicAuthConfig{HtpasswdFile: filepath.Join("examples", "access", "htpasswd")},
		JWT:       JWTConfig{HMACSecretFile: filepath.Join("examples", "access", "demo-jwt-secret")},
	}
	got := map[string]string{}
	for _, d := range cfg.DemoCredentials() {
		got[d.Key] = d.What
	}
	if _, ok := got["access.jwt.hmacSecretFile"]; !ok {
		t.Errorf("examples/access/demo-jwt-secret is not recognised as the demo secret")
	}
	if w := got["access.basicAuth.htpasswdFile"]; !strings.Contains(w, "agent, wde") {
		t.Errorf("examples/access/htpasswd: %q, want users agent, wde named", w)
	}
	own := Config{JWT: JWTConfig{HMACSecret: strings.Repeat("x", 48)}}
	if d := own.DemoCredentials(); len(d) != 0 {
		t.Errorf("a secret of one's own is reported as a demo credential: %v", d)
	}
}
