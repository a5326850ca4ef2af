package tlsconf

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestSelfSignedPersistsAcrossStarts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	log, _ := testLogger(t)
	opts := Options{StateDir: dir, Hostname: "agent-pc.example.com"}

	m1, err := New(Config{}, opts, log)
	if err != nil {
		t.Fatal(err)
	}
	defer m1.Close()
	addr := serveTLS(t, m1.TLSConfig())
	st, err := handshake(addr, &tls.Config{InsecureSkipVerify: true, ServerName: "localhost"})
	if err != nil {
		t.Fatalf("handshake: %v", err)
	}
	leaf := st.PeerCertificates[0]
	for _, name := range []string{"localhost", "agent-pc.example.com"} {
		if err := leaf.VerifyHostname(name); err != nil {
			t.Errorf("self-signed certificate does not cover %s: %v", name, err)
		}
	}
	for _, ip := range []string{"127.0.0.1", "::1"} {
		if err := leaf.VerifyHostname(ip); err != nil {
			t.Errorf("self-signed certificate does not cover %s: %v", ip, err)
		}
	}
	if leaf.PublicKeyAlgorithm != x509.ECDSA {
		t.Errorf("key algorithm = %v, want ECDSA", leaf.PublicKeyAlgorithm)
	}

	for name, want := range map[string]os.FileMode{"": 0o700, selfSignedKey: 0o600} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("mode of %q = %v, want %v", filepath.Join(dir, name), got, want)
		}
	}

	// A second start reuses the kept certificate: browsers' exceptions hold.
	m2, err := New(Config{}, opts, log)
	if err != nil {
		t.Fatal(err)
	}
	defer m2.Close()
	if got, want := m2.cert.Load().Leaf.SerialNumber, leaf.SerialNumber; got.Cmp(want) != 0 {
		t.Errorf("second start serial = %v, want the kept %v", got, want)
	}

	// A new host name is not covered: a new certificate is made.
	m3, err := New(Config{}, Options{StateDir: dir, Hostname: "renamed.example.com"}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer m3.Close()
	got := m3.cert.Load().Leaf
	if got.SerialNumber.Cmp(leaf.SerialNumber) == 0 {
		t.Errorf("host name changed but the certificate was kept")
	}
	if !slices.Contains(got.DNSNames, "renamed.example.com") {
		t.Errorf("DNSNames = %v, want renamed.example.com in it", got.DNSNames)
	}
}

func TestSelfSignedReplacedNearExpiry(t *testing.T) {
	dir := t.TempDir()
	dns, ips := selfSignedNames("h.example.com")
	old, err := createSelfSigned(dns, ips, time.Now().Add(-selfSignedLifetime+10*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := storeSelfSigned(dir, filepath.Join(dir, selfSignedCert), filepath.Join(dir, selfSignedKey), old); err != nil {
		t.Fatal(err)
	}
	c, created, err := loadOrCreateSelfSigned(dir, "h.example.com", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !created || c.Leaf.SerialNumber.Cmp(old.Leaf.SerialNumber) == 0 {
		t.Errorf("certificate expiring in 10 days was kept (created = %v)", created)
	}
	if left := time.Until(c.Leaf.NotAfter); left < 300*24*time.Hour {
		t.Errorf("new certificate valid for %v, want about 397 days", left)
	}
}

func TestTLSParameters(t *testing.T) {
	log, _ := testLogger(t)
	m, err := New(Config{}, Options{StateDir: t.TempDir(), Hostname: "h.example.com"}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	addr := serveTLS(t, m.TLSConfig())

	tests := []struct {
		name      string
		client    *tls.Config
		wantErr   bool
		wantVer   uint16
		wantProto string
	}{
		{name: "tls 1.3 with h2", client: &tls.Config{NextProtos: []string{"h2", "http/1.1"}}, wantVer: tls.VersionTLS13, wantProto: "h2"},
		{name: "tls 1.2 ecdhe aes-gcm", client: &tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}}, wantVer: tls.VersionTLS12},
		{name: "tls 1.2 ecdhe chacha20", client: &tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256}}, wantVer: tls.VersionTLS12},
		{name: "http/1.1 only client", client: &tls.Config{NextProtos: []string{"http/1.1"}}, wantVer: tls.VersionTLS13, wantProto: "http/1.1"},
		{name: "tls 1.1 refused", client: &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11}, wantErr: true},
		{name: "tls 1.2 cbc refused", client: &tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256}}, wantErr: true},
		{name: "tls 1.2 rsa key exchange refused", client: &tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{tls.TLS_RSA_WITH_AES_128_GCM_SHA256}}, wantErr: true},
		{name: "p-521-only client refused", client: &tls.Config{CurvePreferences: []tls.CurveID{tls.CurveP521}}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.client.InsecureSkipVerify = true
			tc.client.ServerName = "localhost"
			st, err := handshake(addr, tc.client)
			if tc.wantErr {
				if err == nil {
					t.Fatalf("handshake succeeded with version %x suite %s, want refusal", st.Version, tls.CipherSuiteName(st.CipherSuite))
				}
				return
			}
			if err != nil {
				t.Fatalf("handshake: %v", err)
			}
			if st.Version != tc.wantVer {
				t.Errorf("version = %x, want %x", st.Version, tc.wantVer)
			}
			if st.NegotiatedProtocol != tc.wantProto {
				t.Errorf("ALPN = %q, want %q", st.NegotiatedProtocol, tc.wantProto)
			}
		})
	}
}

func TestModeOff(t *testing.T) {
	log, _ := testLogger(t)
	m, err := New(Config{Mode: ModeOff}, Options{}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if c := m.TLSConfig(); c != nil {
		t.Errorf("TLSConfig() = %v in mode off, want nil", c)
	}
	fallback := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	rec := httptest.NewRecorder()
	m.HTTPHandler(fallback).ServeHTTP(rec, httptest.NewRequest("GET", "/.well-known/acme-challenge/x", nil))
	if rec.Code != http.StatusTeapot {
		t.Errorf("HTTPHandler status = %d, want the fallback's %d", rec.Code, http.StatusTeapot)
	}
	if lines := m.Describe(); !strings.Contains(strings.Join(lines, "\n"), "tls.mode: off") {
		t.Errorf("Describe() = %q, want the mode", lines)
	}
}

func TestNewFailsOnBadFiles(t *testing.T) {
	dir := t.TempDir()
	ca := newTestCA(t)
	certPEM, keyPEM := ca.issue(t, 2, time.Hour, "a.example.com")
	_, otherKey := ca.issue(t, 3, time.Hour, "a.example.com")
	p := tmpPaths(dir, "c.pem", "k.pem", "other.pem", "garbage.pfx")
	writeFile(t, p[0], certPEM)
	writeFile(t, p[1], keyPEM)
	writeFile(t, p[2], otherKey)
	writeFile(t, p[3], []byte("not a pfx"))
	log, _ := testLogger(t)
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"missing cert", Config{Mode: ModeFiles, CertFile: filepath.Join(dir, "nope.pem"), KeyFile: p[1]}, "no such file"},
		{"key of another cert", Config{Mode: ModeFiles, CertFile: p[0], KeyFile: p[2]}, "private key does not match public key"},
		{"garbage pfx", Config{Mode: ModeFiles, PFXFile: p[3]}, "tls.pfxFile " + p[3]},
		{"invalid config", Config{Mode: ModeFiles}, "tls.mode files"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := New(tc.cfg, Options{}, log)
			if err == nil {
				m.Close()
				t.Fatalf("New() succeeded, want error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New() error = %q, want it to contain %q", err, tc.want)
			}
		})
	}
}
