package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
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

// TestDurationNeedsUnit: "read: 30" was 30 nanoseconds, which timed every
// request out while check said ok; a number without a unit is an error
// naming the key, from the file and from the environment alike.
func TestDurationNeedsUnit(t *testing.T) {
	cases := []struct {
		name, body string
		environ    []string
		want       string
	}{
		{"file", minimal + "timeouts:\n  read: 30\n", nil, `softphone.yaml:8:9: timeouts.read: must be a duration with a unit such as "30s"`},
		{"quoted in the file", minimal + "timeouts:\n  idle: \"120\"\n", nil, `softphone.yaml:8:9: timeouts.idle: must be a duration with a unit such as "120s"`},
		{"environment", minimal, []string{"SOFTPHONE_TIMEOUTS_WRITE=60"}, `environment variable SOFTPHONE_TIMEOUTS_WRITE: timeouts.write: must be a duration with a unit`},
		{"nested key", minimal + "access:\n  basicAuth:\n    cacheTTL: 300\n", nil, `access.basicAuth.cacheTTL: must be a duration with a unit`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tryLoad(t, tc.body, tc.environ)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load error = %v, want one containing %q", err, tc.want)
			}
		})
	}
	l := mustLoad(t, minimal+"timeouts:\n  shutdown: 90s\n  read: 1m30s\n", nil)
	if l.Server.Timeouts.Shutdown.String() != "1m30s" || l.Server.Timeouts.Read.String() != "1m30s" {
		t.Errorf("timeouts = %+v, want shutdown and read 1m30s", l.Server.Timeouts)
	}
}

// TestErrorsComeWithWarnings: a refused config still reports its
// warnings, after the errors, each with its severity.
func TestErrorsComeWithWarnings(t *testing.T) {
	_, err := tryLoad(t, minimal+"basePath: nope\nheaders:\n  hstsMaxAge: 0\n", nil)
	var ce Errors
	if !errors.As(err, &ce) {
		t.Fatalf("Load = %v, want Errors", err)
	}
	var sevs []string
	for _, d := range ce {
		sevs = append(sevs, d.Severity.String()+" "+d.Path)
	}
	want := "error basePath, warning headers.hstsMaxAge"
	if got := strings.Join(sevs, ", "); got != want {
		t.Errorf("diagnostics = %s, want %s\n%v", got, want, err)
	}
	if lines := strings.Split(err.Error(), "\n"); !strings.HasPrefix(lines[len(lines)-1], "warning: ") ||
		!strings.Contains(lines[len(lines)-1], "softphone.yaml:9:3: headers.hstsMaxAge: 0 disables HSTS") {
		t.Errorf("Error() = %q, want the warning with its position", err)
	}
}

// TestYAMLSyntaxErrors: a syntax error carries its line, a column and a
// hint in an admin's terms.
func TestYAMLSyntaxErrors(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"tab indent", "tls:\n\tmode: off\n", "softphone.yaml:2:1: YAML syntax: found character that cannot start any token (hint: indent with spaces, not tabs"},
		{"unquoted colon", "listen: :8443\nbasePath: a: b\n", `softphone.yaml:2:1: YAML syntax: mapping values are not allowed in this context (hint: a value containing ": " must be quoted`},
		{"bad indent", "tls:\n    mode: off\n  certFile: x\n", "softphone.yaml:3:3: YAML syntax: did not find expected key (hint: this line's indentation does not match"},
		{"unclosed list", "headers:\n  connectSrc: [a, b\n", "YAML syntax: did not find expected ',' or ']' (hint: a [ list is not closed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tryLoad(t, tc.body, nil)
			var ce Errors
			if !errors.As(err, &ce) || len(ce) != 1 {
				t.Fatalf("Load = %v, want one diagnostic", err)
			}
			if !strings.HasSuffix(ce[0].File, "softphone.yaml") || ce[0].Line == 0 || ce[0].Col == 0 || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v (line %d, col %d), want one containing %q", err, ce[0].Line, ce[0].Col, tc.want)
			}
		})
	}
}

// TestEnvNameSpellings: each key of a variable's name may be written in
// upper snake case or in upper case without word breaks, for server and
// client keys alike; docs/configuration.md gives SOFTPHONE_ACCESS_JWT_HMACSECRET.
func TestEnvNameSpellings(t *testing.T) {
	secret := "an-hmac-secret-of-at-least-thirty-two-bytes"
	for _, name := range []string{"SOFTPHONE_ACCESS_JWT_HMACSECRET", "SOFTPHONE_ACCESS_JWT_HMAC_SECRET"} {
		t.Run(name, func(t *testing.T) {
			l := mustLoad(t, minimal, []string{name + "=" + secret, "SOFTPHONE_ACCESS_JWT_ISSUER=https://idp.example.com"})
			if l.Server.Access.JWT.HMACSecret != secret {
				t.Errorf("access.jwt.hmacSecret = %q, want the variable's value", l.Server.Access.JWT.HMACSecret)
			}
		})
	}
	l := mustLoad(t, minimal, []string{"SOFTPHONE_BASEPATH=/a/", "SOFTPHONE_ACCESS_BASICAUTH_REALM=Agents"})
	if l.Server.BasePath != "/a/" || l.Server.Access.BasicAuth.Realm != "Agents" {
		t.Errorf("basePath %q realm %q, want /a/ and Agents from the environment", l.Server.BasePath, l.Server.Access.BasicAuth.Realm)
	}
}

// TestTLSModeOverride: --tls-mode (or SOFTPHONE_TLS_MODE) over a config of
// another mode drops the file's keys of that mode with a warning, instead
// of failing on them.
func TestTLSModeOverride(t *testing.T) {
	files := minimal + "tls:\n  mode: files\n  certFile: /etc/softphone/cert.pem\n  keyFile: /etc/softphone/key.pem\n"
	l := mustLoad(t, files, nil, "--tls-mode", "self-signed")
	if l.Server.TLS.Mode != "self-signed" || l.Server.TLS.CertFile != "" || l.Server.TLS.KeyFile != "" {
		t.Errorf("tls = %+v, want self-signed without the file's certificate", l.Server.TLS)
	}
	w := diagLines(l.Warnings)
	for _, want := range []string{
		"softphone.yaml:9:3: tls.certFile: ignored: flag --tls-mode sets tls.mode to self-signed",
		"softphone.yaml:10:3: tls.keyFile: ignored: flag --tls-mode sets tls.mode to self-signed",
	} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings:\n%s\nwant %q", w, want)
		}
	}
	acme := minimal + "tls:\n  mode: acme\n  acme:\n    domains: [softphone.example.com]\n"
	if l := mustLoad(t, acme, []string{"SOFTPHONE_TLS_MODE=off"}); l.Server.TLS.Mode != "off" || len(l.Server.TLS.ACME.Domains) != 0 {
		t.Errorf("tls = %+v, want off without the file's acme section", l.Server.TLS)
	}
	// The same mode keeps the file's keys; without an override nothing is dropped.
	if l := mustLoad(t, files, nil, "--tls-mode", "files"); l.Server.TLS.CertFile == "" {
		t.Errorf("--tls-mode files dropped tls.certFile")
	}
	if _, err := tryLoad(t, minimal+"tls:\n  certFile: /etc/softphone/cert.pem\n", nil); err == nil || !strings.Contains(err.Error(), "tls.certFile: only used when tls.mode is files") {
		t.Errorf("a certFile without files mode in the file = %v, want refused", err)
	}
}

// TestDiagnosticOrderIsStable: the same config gives the same diagnostics
// in the same order, however the environment is ordered.
func TestDiagnosticOrderIsStable(t *testing.T) {
	body := minimal + "log:\n  format: xml\n  level: loud\ntimeouts:\n  read: -1s\n  write: -1s\n  idle: -1s\nheaders:\n  hstsMaxAge: -1\n"
	environ := []string{"SOFTPHONE_TLS_MOD=off", "SOFTPHONE_LISTN=:1", "SOFTPHONE_ADVANCEDOPTIONS_NOPE=1"}
	file := writeConfig(t, body)
	_, first := Load(file, nil, environ)
	if first == nil {
		t.Fatal("Load accepted a bad config")
	}
	for i := range 20 {
		slices.Reverse(environ)
		if _, err := Load(file, nil, environ); err == nil || err.Error() != first.Error() {
			t.Fatalf("run %d:\n%v\nwant the first run's order:\n%v", i, err, first)
		}
	}
	lines := strings.Split(first.Error(), "\n")
	if !strings.Contains(lines[0], "log.format") || !strings.Contains(lines[len(lines)-1], "SOFTPHONE_TLS_MOD") {
		t.Errorf("order:\n%s\nwant the file's errors by position, then the environment's by name", first)
	}
}
