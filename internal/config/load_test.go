package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "softphone.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func mustLoad(t *testing.T, body string, environ []string, flagArgs ...string) *Loaded {
	t.Helper()
	l, err := tryLoad(t, body, environ, flagArgs...)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return l
}

func tryLoad(t *testing.T, body string, environ []string, flagArgs ...string) (*Loaded, error) {
	t.Helper()
	fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
	var cfgPath string
	AddFlags(fs, &cfgPath, ServeKeys()...)
	if err := fs.Parse(flagArgs); err != nil {
		t.Fatal(err)
	}
	return Load(writeConfig(t, body), fs, environ)
}

const minimal = `
stateDir: /tmp/softphone-test-state
advancedOptions:
  defaultServerConfig:
    sipDomain: example.com
    sipServerAddress: ["wss://sbc.example.com:10081"]
`

func TestLoadDefaultsAndPrecedence(t *testing.T) {
	l := mustLoad(t, minimal, nil)
	if l.Server.Listen != ":8443" || l.Server.RedirectListen != ":8080" || l.Server.BasePath != "/" || l.Server.TLS.Mode != "self-signed" {
		t.Errorf("defaults: listen %q redirect %q basePath %q tls %q", l.Server.Listen, l.Server.RedirectListen, l.Server.BasePath, l.Server.TLS.Mode)
	}
	if l.Server.Timeouts.Read.String() != "30s" {
		t.Errorf("timeouts.read = %s, want 30s", l.Server.Timeouts.Read)
	}

	body := minimal + "listen: \":9443\"\nbasePath: /from-file/\nheaders:\n  frameAncestors: [\"https://wwe.example.com\"]\n"
	l = mustLoad(t, body, []string{"SOFTPHONE_LISTEN=:7443", "SOFTPHONE_TLS_MODE=off", "SOFTPHONE_TIMEOUTS_READ=5s",
		"SOFTPHONE_HEADERS_CONNECT_SRC=https://a.example,https://b.example"}, "--listen", ":6443")
	if l.Server.Listen != ":6443" {
		t.Errorf("listen = %q, want the flag's :6443", l.Server.Listen)
	}
	if l.Server.TLS.Mode != "off" {
		t.Errorf("tls.mode = %q, want the env's off", l.Server.TLS.Mode)
	}
	if l.Server.BasePath != "/from-file/" {
		t.Errorf("basePath = %q, want the file's", l.Server.BasePath)
	}
	if l.Server.Timeouts.Read.String() != "5s" {
		t.Errorf("timeouts.read = %s, want the env's 5s", l.Server.Timeouts.Read)
	}
	if got := strings.Join(l.Server.Headers.ConnectSrc, " "); got != "https://a.example https://b.example" {
		t.Errorf("headers.connectSrc = %q, want the env's comma-separated list", got)
	}
	if got := strings.Join(l.Server.Headers.FrameAncestors, " "); got != "https://wwe.example.com" {
		t.Errorf("headers.frameAncestors = %q, want the file's list replacing the default", got)
	}
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name    string
		body    string
		environ []string
		want    []string
	}{
		{
			name: "unknown key with did-you-mean and position",
			body: minimal + "tls:\n  mode: files\n  certFle: a.pem\n",
			want: []string{`softphone.yaml:9:3: tls.certFle: unknown key, did you mean "tls.certFile"?`},
		},
		{
			name: "right key in the wrong place",
			body: minimal + "htpasswdFile: /etc/htpasswd\n",
			want: []string{`htpasswdFile: unknown key here, did you mean "access.basicAuth.htpasswdFile"?`},
		},
		{
			name: "unknown top-level key lists known ones",
			body: minimal + "zzz: 1\n",
			want: []string{"zzz: unknown key; known top-level keys are listen,"},
		},
		{
			name:    "env typo",
			body:    minimal,
			environ: []string{"SOFTPHONE_TLS_MOD=off"},
			want:    []string{"environment variable SOFTPHONE_TLS_MOD: matches no config key, did you mean SOFTPHONE_TLS_MODE?"},
		},
		{
			name: "validation errors all at once with positions",
			body: minimal + "basePath: webrtc\nlog:\n  format: xml\n",
			want: []string{`softphone.yaml:7:1: basePath: must start and end with "/"`, `softphone.yaml:9:3: log.format: must be one of text, json, got "xml"`},
		},
		{
			name: "wrong type",
			body: minimal + "timeouts:\n  read: soon\n",
			want: []string{"timeouts.read"},
		},
		{
			name: "not a mapping",
			body: "- a\n- b\n",
			want: []string{"the config must be a mapping of keys"},
		},
		{
			name: "client config error is reported too",
			body: "advancedOptions:\n  defaultServerConfig:\n    sipServerAddress: [\"http://sbc:8080\"]\n",
			want: []string{"advancedOptions.defaultServerConfig.sipServerAddress[0]"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tryLoad(t, tc.body, tc.environ)
			var ce Errors
			if !errors.As(err, &ce) {
				t.Fatalf("Load = %v, want Errors", err)
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("errors:\n%s\nwant one containing %q", err, want)
				}
			}
		})
	}
}

func TestClientConfigKeepsCase(t *testing.T) {
	l := mustLoad(t, minimal+"  customerInfoContextDisplayMapping:\n    VIPLevel: Customer tier\n", nil)
	js := string(l.Client.JS)
	if !strings.Contains(js, `"VIPLevel"`) {
		t.Errorf("rendered advancedOptions.js lost the key's case:\n%s", js)
	}
}

func TestEmbeddedDefault(t *testing.T) {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	if _, err := os.Stat("/etc/softphone/softphone.yaml"); err == nil {
		t.Skip("this machine has /etc/softphone/softphone.yaml, which would be loaded instead")
	}
	l, err := Load("", nil, nil)
	if err != nil {
		t.Fatalf("embedded default: %v", err)
	}
	if l.File != "" || len(l.Client.JS) == 0 || !strings.Contains(string(l.Client.JS), "defaultServerConfig") {
		t.Errorf("embedded default: file %q, %d bytes of client config", l.File, len(l.Client.JS))
	}
}

func TestEnvName(t *testing.T) {
	cases := map[string]string{
		"tls.mode":                      "SOFTPHONE_TLS_MODE",
		"redirectListen":                "SOFTPHONE_REDIRECT_LISTEN",
		"access.basicAuth.htpasswdFile": "SOFTPHONE_ACCESS_BASIC_AUTH_HTPASSWD_FILE",
		"access.jwt.jwksURL":            "SOFTPHONE_ACCESS_JWT_JWKS_URL",
		"tls.acme.directoryURL":         "SOFTPHONE_TLS_ACME_DIRECTORY_URL",
		"access.allowedIPs":             "SOFTPHONE_ACCESS_ALLOWED_IPS",
		"access.basicAuth.cacheTTL":     "SOFTPHONE_ACCESS_BASIC_AUTH_CACHE_TTL",
	}
	for in, want := range cases {
		if got := EnvName(in); got != want {
			t.Errorf("EnvName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoadConfigBrandingDir(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "images"), 0o755)
	os.MkdirAll(filepath.Join(dir, "static", "localization"), 0o755)
	os.WriteFile(filepath.Join(dir, "static", "localization", "strings-default.json"), []byte(`{"HANGUP": "Auflegen"}`), 0o644)
	src := []byte("branding:\n  dir: " + dir + "\n")
	l, err := LoadBytes("softphone.yaml", src, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if w := diagLines(l.Warnings); !strings.Contains(w, `softphone.yaml:2:3: branding.dir: static/localization/strings-default.json: HANGUP: unknown key, did you mean "HANG_UP"?`) {
		t.Errorf("Warnings = %q, want the unknown key with its position", l.Warnings)
	}
	if len(l.Upgrade.Strings) != 1 || l.Upgrade.Strings[0].Unused[0] != "HANGUP" {
		t.Errorf("Upgrade = %+v, want HANGUP unused", l.Upgrade)
	}
	os.WriteFile(filepath.Join(dir, "images", "logo.svg"), []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 40"/>`), 0o644)
	if _, err = LoadBytes("softphone.yaml", src, nil, nil); err == nil || !strings.Contains(err.Error(), "softphone.yaml:2:3: branding.dir: images/logo.svg: viewBox 0 0 300 40 is larger than 241x34") {
		t.Errorf("error = %v, want the logo refused with the key's position", err)
	}
}

// diagLines prints diagnostics one a line, as check does.
func diagLines(ds []Diagnostic) string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}
