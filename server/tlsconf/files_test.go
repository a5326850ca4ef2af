package tlsconf

import (
	"crypto"
	"crypto/tls"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/softphone/softphone/internal/testenv"
)

// servedSerial connects to addr and returns the serial of the served certificate.
func servedSerial(t *testing.T, addr string, ca *testCA) string {
	t.Helper()
	st, err := handshake(addr, &tls.Config{RootCAs: ca.pool, ServerName: "a.example.com"})
	if err != nil {
		t.Fatalf("handshake: %v", err)
	}
	return st.PeerCertificates[0].SerialNumber.String()
}

func TestFilesRotationWithoutRestart(t *testing.T) {
	dir := t.TempDir()
	ca := newTestCA(t)
	certPath, keyPath := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	c1, k1 := ca.issue(t, 101, 90*24*time.Hour, "a.example.com")
	writeFile(t, certPath, c1)
	writeFile(t, keyPath, k1)

	log, logs := testLogger(t)
	m, err := New(Config{Mode: ModeFiles, CertFile: certPath, KeyFile: keyPath},
		Options{ReloadInterval: 20 * time.Millisecond}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	addr := serveTLS(t, m.TLSConfig())
	if got := servedSerial(t, addr, ca); got != "101" {
		t.Fatalf("served serial = %s, want 101", got)
	}

	// New files: served without a restart.
	c2, k2 := ca.issue(t, 102, 90*24*time.Hour, "a.example.com")
	writeFile(t, keyPath, k2)
	writeFile(t, certPath, c2)
	eventually(t, "the new certificate to be served", func() bool { return servedSerial(t, addr, ca) == "102" })

	// A broken new file keeps the current certificate and says why.
	writeFile(t, certPath, []byte("-----BEGIN CERTIFICATE-----\ngarbage\n-----END CERTIFICATE-----\n"))
	eventually(t, "the broken file to be logged", func() bool { return strings.Contains(logs.String(), "do not load") })
	if got := servedSerial(t, addr, ca); got != "102" {
		t.Errorf("after a broken file, served serial = %s, want the previous 102", got)
	}

	// A certificate near expiry loads and is warned about.
	c3, k3 := ca.issue(t, 103, 5*24*time.Hour, "a.example.com")
	writeFile(t, keyPath, k3)
	writeFile(t, certPath, c3)
	eventually(t, "the short-lived certificate to be served", func() bool { return servedSerial(t, addr, ca) == "103" })
	if !strings.Contains(logs.String(), "expires in less than 14 days") {
		t.Errorf("no expiry warning for a certificate valid 5 days; logs:\n%s", logs)
	}
	st := m.Status()
	if len(st.Certificates) != 1 || st.Certificates[0].Source != certPath {
		t.Fatalf("Status().Certificates = %+v, want one from %s", st.Certificates, certPath)
	}
	if d := time.Until(st.Certificates[0].NotAfter); d > 5*24*time.Hour || d < 4*24*time.Hour {
		t.Errorf("Status NotAfter in %v, want about 5 days", d)
	}
	if lines := strings.Join(m.Describe(), "\n"); !strings.Contains(lines, "in 4 days") || !strings.Contains(lines, "a.example.com") {
		t.Errorf("Describe() = %q, want names and days left", lines)
	}
}

// TestPFX loads bundles made by openssl the way Windows/IIS exports them.
func TestPFX(t *testing.T) {
	openssl := testenv.LookPath(t, "openssl")
	dir := t.TempDir()
	ca := newTestCA(t)
	c, k := ca.issue(t, 201, 90*24*time.Hour, "a.example.com")
	p := tmpPaths(dir, "cert.pem", "key.pem")
	writeFile(t, p[0], c)
	writeFile(t, p[1], k)

	tests := []struct {
		name     string
		args     []string // extra openssl pkcs12 -export arguments
		password string
		use      string // password given to softphone
		wantErr  string
	}{
		{name: "aes (openssl 3 default)", password: "s3cret", use: "s3cret"},
		{name: "3des sha1 (windows legacy export)", args: []string{"-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1"}, password: "s3cret", use: "s3cret"},
		{name: "empty password", password: "", use: ""},
		{name: "wrong password", password: "s3cret", use: "guess", wantErr: "wrong tls.pfxPassword"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pfx := filepath.Join(dir, "site"+string(rune('a'+i))+".pfx")
			args := append([]string{"pkcs12", "-export", "-in", p[0], "-inkey", p[1], "-out", pfx, "-passout", "pass:" + tc.password}, tc.args...)
			if out, err := exec.Command(openssl, args...).CombinedOutput(); err != nil {
				t.Fatalf("openssl %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			log, _ := testLogger(t)
			m, err := New(Config{Mode: ModeFiles, PFXFile: pfx, PFXPassword: tc.use}, Options{}, log)
			if tc.wantErr != "" {
				if err == nil {
					m.Close()
					t.Fatalf("New() succeeded, want error %q", tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("New() error = %q, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			addr := serveTLS(t, m.TLSConfig())
			if got := servedSerial(t, addr, ca); got != "201" {
				t.Errorf("served serial = %s, want 201", got)
			}
		})
	}
}

func TestPFXRotation(t *testing.T) {
	openssl := testenv.LookPath(t, "openssl")
	dir := t.TempDir()
	ca := newTestCA(t)
	pfx := filepath.Join(dir, "site.pfx")
	export := func(serial int64) {
		c, k := ca.issue(t, serial, 90*24*time.Hour, "a.example.com")
		p := tmpPaths(dir, "c.pem", "k.pem", "tmp.pfx")
		writeFile(t, p[0], c)
		writeFile(t, p[1], k)
		if out, err := exec.Command(openssl, "pkcs12", "-export", "-in", p[0], "-inkey", p[1], "-out", p[2], "-passout", "pass:pw").CombinedOutput(); err != nil {
			t.Fatalf("openssl: %v\n%s", err, out)
		}
		if err := os.Rename(p[2], pfx); err != nil {
			t.Fatal(err)
		}
	}
	export(301)
	log, _ := testLogger(t)
	m, err := New(Config{Mode: ModeFiles, PFXFile: pfx, PFXPassword: "pw"}, Options{ReloadInterval: 20 * time.Millisecond}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	addr := serveTLS(t, m.TLSConfig())
	if got := servedSerial(t, addr, ca); got != "301" {
		t.Fatalf("served serial = %s, want 301", got)
	}
	export(302)
	eventually(t, "the new PFX to be served", func() bool { return servedSerial(t, addr, ca) == "302" })
}

// FuzzPFX feeds arbitrary bytes as a .pfx: loading must fail cleanly or
// give a certificate whose key matches, never panic.
func FuzzPFX(f *testing.F) {
	f.Add([]byte("not a pfx"), "")
	f.Add([]byte{0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x03}, "pw")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		path := filepath.Join(dir, "fuzz.pfx")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := loadPFX(path, password)
		if err != nil {
			return
		}
		if !publicKeysMatch(c.Leaf.PublicKey, c.PrivateKey.(interface{ Public() crypto.PublicKey }).Public()) {
			t.Fatalf("loadPFX returned a key that does not match the certificate")
		}
	})
}
