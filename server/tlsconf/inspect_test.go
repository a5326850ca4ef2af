package tlsconf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestInspect(t *testing.T) {
	dir := t.TempDir()
	ca := newTestCA(t)
	p := tmpPaths(dir, "ok.crt", "ok.key", "short.crt", "short.key", "ca.pem")
	c, k := ca.issue(t, 11, 60*24*time.Hour, "softphone.example.com")
	writeFile(t, p[0], c)
	writeFile(t, p[1], k)
	c, k = ca.issue(t, 12, 3*24*time.Hour, "softphone.example.com")
	writeFile(t, p[2], c)
	writeFile(t, p[3], k)
	writeFile(t, p[4], []byte("no pem here"))

	// A state folder with a self-signed certificate kept from a previous start.
	state := filepath.Join(dir, "state")
	log, _ := testLogger(t)
	m, err := New(Config{}, Options{StateDir: state, Hostname: "pc.example.com"}, log)
	if err != nil {
		t.Fatal(err)
	}
	m.Close()

	tests := []struct {
		name      string
		cfg       Config
		opts      Options
		wantErr   string
		wantLines []string
		wantWarn  bool
	}{
		{name: "off", cfg: Config{Mode: ModeOff}, wantLines: []string{"tls.mode: off", "proxy"}},
		{name: "self-signed kept", cfg: Config{}, opts: Options{StateDir: state, Hostname: "pc.example.com"},
			wantLines: []string{"tls.mode: self-signed", "localhost, pc.example.com, 127.0.0.1, ::1", "in 396 days"}},
		{name: "self-signed to create", cfg: Config{}, opts: Options{StateDir: filepath.Join(dir, "fresh"), Hostname: "pc.example.com"},
			wantLines: []string{"will be created in " + filepath.Join(dir, "fresh")}},
		{name: "files", cfg: Config{Mode: ModeFiles, CertFile: p[0], KeyFile: p[1]},
			wantLines: []string{"certificate for softphone.example.com, issued by test root", "in 59 days", "from " + p[0]}},
		{name: "files expiring", cfg: Config{Mode: ModeFiles, CertFile: p[2], KeyFile: p[3]},
			wantLines: []string{"in 2 days"}, wantWarn: true},
		{name: "files mismatched", cfg: Config{Mode: ModeFiles, CertFile: p[0], KeyFile: p[3]}, wantErr: "private key does not match"},
		{name: "acme empty cache", cfg: Config{Mode: ModeACME, ACME: ACMEConfig{Domains: []string{"softphone.example.com"}, CacheDir: filepath.Join(dir, "nocache")}},
			wantLines: []string{"acme domains: softphone.example.com", "acme directory: " + LetsEncryptURL, "no certificate in"}},
		{name: "acme bad bundle", cfg: Config{Mode: ModeACME, ACME: ACMEConfig{Domains: []string{"softphone.example.com"}, CacheDir: dir, CABundle: p[4]}},
			wantErr: "tls.acme.caBundle: no PEM certificate in " + p[4]},
		{name: "invalid", cfg: Config{Mode: "manual"}, wantErr: `tls.mode: must be one of`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := Inspect(tc.cfg, tc.opts)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Inspect() error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Inspect() error = %v", err)
			}
			lines := strings.Join(st.Lines(time.Now()), "\n")
			for _, w := range tc.wantLines {
				if !strings.Contains(lines, w) {
					t.Errorf("Lines() =\n%s\nwant it to contain %q", lines, w)
				}
			}
			if got := len(st.Warnings) > 0; got != tc.wantWarn {
				t.Errorf("Warnings = %q, want warnings: %v", st.Warnings, tc.wantWarn)
			}
			for _, w := range st.Warnings {
				if !strings.Contains(w, "expires in 2 days") || !strings.Contains(w, p[2]) {
					t.Errorf("warning = %q, want the file and the days left", w)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "fresh")); !os.IsNotExist(err) {
		t.Errorf("Inspect created the state folder (stat error %v); it must change nothing", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "nocache")); !os.IsNotExist(err) {
		t.Errorf("Inspect created the ACME cache folder (stat error %v); it must change nothing", err)
	}
}
