package tlsconf

import (
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want []string // substrings, each must appear; none means valid
	}{
		{name: "empty is self-signed", cfg: Config{}},
		{name: "off", cfg: Config{Mode: ModeOff}},
		{name: "files pem", cfg: Config{Mode: ModeFiles, CertFile: "c.pem", KeyFile: "k.pem"}},
		{name: "files pfx", cfg: Config{Mode: ModeFiles, PFXFile: "s.pfx", PFXPassword: "x"}},
		{name: "acme", cfg: Config{Mode: ModeACME, ACME: ACMEConfig{Domains: []string{"softphone.example.com"}, Email: "admin@example.com"}}},
		{name: "unknown mode", cfg: Config{Mode: "auto"},
			want: []string{`tls.mode: must be one of self-signed, files, acme, off, got "auto"`}},
		{name: "cert without key", cfg: Config{Mode: ModeFiles, CertFile: "c.pem"},
			want: []string{`tls.certFile and tls.keyFile must both be set, got certFile "c.pem" and keyFile ""`}},
		{name: "files without any", cfg: Config{Mode: ModeFiles},
			want: []string{"tls.mode files: set tls.certFile and tls.keyFile, or tls.pfxFile"}},
		{name: "pem and pfx", cfg: Config{Mode: ModeFiles, CertFile: "c", KeyFile: "k", PFXFile: "p"},
			want: []string{"tls.pfxFile and tls.certFile/tls.keyFile: set either"}},
		{name: "password without pfx", cfg: Config{Mode: ModeFiles, CertFile: "c", KeyFile: "k", PFXPassword: "x"},
			want: []string{"tls.pfxPassword: set without tls.pfxFile"}},
		{name: "files keys in self-signed mode", cfg: Config{Mode: ModeSelfSigned, CertFile: "c", PFXFile: "p"},
			want: []string{`tls.certFile: only used when tls.mode is files, got mode "self-signed"`,
				`tls.pfxFile: only used when tls.mode is files, got mode "self-signed"`}},
		{name: "acme keys in files mode", cfg: Config{Mode: ModeFiles, CertFile: "c", KeyFile: "k", ACME: ACMEConfig{Domains: []string{"a.example.com"}, DirectoryURL: "https://ca/dir"}},
			want: []string{`tls.acme.domains: only used when tls.mode is acme, got mode "files"`,
				`tls.acme.directoryURL: only used when tls.mode is acme, got mode "files"`}},
		{name: "acme renewBefore too long", cfg: Config{Mode: ModeACME, ACME: ACMEConfig{Domains: []string{"a.example.com"}, RenewBefore: 90 * 24 * time.Hour}},
			want: []string{"tls.acme.renewBefore: must be between 24h and 720h (30 days), got 2160h0m0s"}},
		{name: "acme renewBefore in range", cfg: Config{Mode: ModeACME, ACME: ACMEConfig{Domains: []string{"a.example.com"}, RenewBefore: 240 * time.Hour}}},
		{name: "acme without domains", cfg: Config{Mode: ModeACME},
			want: []string{"tls.acme.domains: at least one host name is required"}},
		{name: "acme bad values all reported", cfg: Config{Mode: ModeACME, ACME: ACMEConfig{
			Domains:      []string{"ok.example.com", "*.example.com", "192.0.2.1", "localhost", "https://x.example.com", "OK.example.com."},
			Email:        "Admin <admin@example.com>",
			DirectoryURL: "http://ca.example.com/dir",
			RenewBefore:  -time.Hour,
		}}, want: []string{
			`tls.acme.domains[1]: wildcard names need the dns-01 challenge`,
			`tls.acme.domains[2]: must be a host name, not an IP address, got "192.0.2.1"`,
			`tls.acme.domains[3]: must be a fully qualified host name with a dot`,
			`tls.acme.domains[4]: must be a bare host name without scheme, port or path, got "https://x.example.com"`,
			`tls.acme.domains[5]: "OK.example.com." repeats tls.acme.domains[0]`,
			`tls.acme.email: must be a plain e-mail address like admin@example.com, got "Admin <admin@example.com>"`,
			`tls.acme.directoryURL: must be an https:// URL, got "http://ca.example.com/dir"`,
			`tls.acme.renewBefore: must be between 24h and 720h (30 days), got -1h0m0s`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.SetDefaults()
			err := cfg.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want errors %q", tc.want)
			}
			got := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("Validate() = %q\nwant it to contain %q", got, w)
				}
			}
			if n := len(strings.Split(got, "\n")); n != len(tc.want) {
				t.Errorf("Validate() reported %d problems, want %d:\n%s", n, len(tc.want), got)
			}
		})
	}
}

func TestSetDefaults(t *testing.T) {
	var c Config
	c.SetDefaults()
	if c.Mode != ModeSelfSigned {
		t.Errorf("Mode = %q, want %q", c.Mode, ModeSelfSigned)
	}
	if c.ACME.DirectoryURL != "" {
		t.Errorf("ACME.DirectoryURL = %q outside acme mode, want empty", c.ACME.DirectoryURL)
	}
	a := Config{Mode: ModeACME}
	a.SetDefaults()
	if a.ACME.DirectoryURL != LetsEncryptURL {
		t.Errorf("ACME.DirectoryURL = %q, want %q", a.ACME.DirectoryURL, LetsEncryptURL)
	}
}
