package tlsconf

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/softphone/softphone/internal/testenv"
)

// pebbleCA is a running Pebble ACME server with pebble-challtestsrv as its
// DNS server, answering 127.0.0.1 for every name.
type pebbleCA struct {
	dirURL   string
	bundle   string // PEM file of the CA that signed Pebble's HTTPS certificate
	root     *x509.CertPool
	httpPort int // where Pebble sends http-01 validations
	tlsPort  int // where Pebble sends tls-alpn-01 validations
	log      *testenv.Buffer
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func loopback(port int) string { return "127.0.0.1:" + strconv.Itoa(port) }

// startProcess runs a program until the test ends, its output in the test
// log when the test fails, and returned.
func startProcess(t *testing.T, env []string, name string, args ...string) *testenv.Buffer {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), env...)
	out := &testenv.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("%s output:\n%s", filepath.Base(name), out)
		}
	})
	return out
}

func startPebble(t *testing.T) *pebbleCA {
	t.Helper()
	pebble := testenv.LookPath(t, "pebble")
	challtestsrv := testenv.LookPath(t, "pebble-challtestsrv", "pebble")
	dir := t.TempDir()

	// Pebble's own HTTPS certificate, from a CA the test writes as the bundle
	// softphone is told to trust (tls.acme.caBundle).
	ca := newTestCA(t)
	certPEM, keyPEM := ca.issue(t, 7, 24*time.Hour, "localhost", "127.0.0.1")
	p := tmpPaths(dir, "pebble.crt", "pebble.key", "ca.pem", "pebble.json")
	writeFile(t, p[0], certPEM)
	writeFile(t, p[1], keyPEM)
	writeFile(t, p[2], pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.cert.Raw}))

	pc := &pebbleCA{bundle: p[2], httpPort: freePort(t), tlsPort: freePort(t)}
	listen, mgmt, dns, dnsMgmt := freePort(t), freePort(t), freePort(t), freePort(t)
	conf, _ := json.Marshal(map[string]any{"pebble": map[string]any{
		"listenAddress":                  loopback(listen),
		"managementListenAddress":        loopback(mgmt),
		"certificate":                    p[0],
		"privateKey":                     p[1],
		"httpPort":                       pc.httpPort,
		"tlsPort":                        pc.tlsPort,
		"ocspResponderURL":               "",
		"externalAccountBindingRequired": false,
	}})
	writeFile(t, p[3], conf)

	startProcess(t, nil, challtestsrv,
		"-dns01", loopback(dns), "-management", loopback(dnsMgmt),
		"-http01", "", "-https01", "", "-tlsalpn01", "",
		"-defaultIPv4", "127.0.0.1", "-defaultIPv6", "")
	pc.log = startProcess(t, []string{
		"PEBBLE_VA_NOSLEEP=1",      // validate at once
		"PEBBLE_WFE_NONCEREJECT=0", // no random badNonce
		"PEBBLE_AUTHZREUSE=0",      // every order is validated afresh
	}, pebble, "-config", p[3], "-dnsserver", loopback(dns))

	pc.dirURL = fmt.Sprintf("https://localhost:%d/dir", listen)
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.pool}}}
	eventually(t, "pebble to answer", func() bool {
		resp, err := client.Get(pc.dirURL)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	// The root Pebble issues under, generated at each start.
	resp, err := client.Get(fmt.Sprintf("https://localhost:%d/roots/0", mgmt))
	if err != nil {
		t.Fatalf("pebble root: %v", err)
	}
	defer resp.Body.Close()
	rootPEM, _ := io.ReadAll(resp.Body)
	pc.root = x509.NewCertPool()
	if !pc.root.AppendCertsFromPEM(rootPEM) {
		t.Fatalf("pebble root is not PEM: %q", rootPEM)
	}
	return pc
}

// acmeServer is softphone's HTTPS listener (and optionally the plain-HTTP
// one) for a Manager in acme mode, as the server wires them.
type acmeServer struct {
	m          *Manager
	httpsAddr  string
	alpnHellos atomic.Int32 // tls-alpn-01 validation handshakes seen
	httpTokens atomic.Int32 // http-01 validation requests seen
}

func newACMEManager(t *testing.T, dirURL, bundle, cacheDir, domain string, warmup time.Duration) (*Manager, *testenv.Buffer) {
	t.Helper()
	log, logs := testLogger(t)
	m, err := New(Config{Mode: ModeACME, ACME: ACMEConfig{
		Domains:      []string{domain},
		Email:        "admin@softphone.test",
		DirectoryURL: dirURL,
		CABundle:     bundle,
		CacheDir:     cacheDir,
	}}, Options{ACMEWarmup: warmup}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m, logs
}

// serveACME listens for HTTPS on httpsPort (0: any) and, when httpPort is
// not 0, for plain HTTP with the ACME handler.
func serveACME(t *testing.T, m *Manager, httpsPort, httpPort int) *acmeServer {
	t.Helper()
	s := &acmeServer{m: m}
	cfg := m.TLSConfig()
	get := cfg.GetCertificate
	cfg.GetCertificate = func(h *tls.ClientHelloInfo) (*tls.Certificate, error) {
		if len(h.SupportedProtos) == 1 && h.SupportedProtos[0] == "acme-tls/1" {
			s.alpnHellos.Add(1)
		}
		return get(h)
	}
	l, err := net.Listen("tcp", loopback(httpsPort))
	if err != nil {
		t.Fatal(err)
	}
	s.httpsAddr = l.Addr().String()
	srv := &http.Server{TLSConfig: cfg, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello over %s", r.Proto)
	})}
	go srv.ServeTLS(l, "", "")
	t.Cleanup(func() { srv.Close() })
	if httpPort != 0 {
		hl, err := net.Listen("tcp", loopback(httpPort))
		if err != nil {
			t.Fatal(err)
		}
		h := m.HTTPHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://"+r.Host+r.URL.RequestURI(), http.StatusMovedPermanently)
		}))
		hsrv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/.well-known/acme-challenge/") {
				s.httpTokens.Add(1)
			}
			h.ServeHTTP(w, r)
		})}
		go hsrv.Serve(hl)
		t.Cleanup(func() { hsrv.Close() })
	}
	return s
}

// get makes an HTTPS request for domain to the server, verifying against roots.
func (s *acmeServer) get(domain string, roots *x509.CertPool) (*http.Response, string, error) {
	_, port, _ := net.SplitHostPort(s.httpsAddr)
	client := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: roots},
		ForceAttemptHTTP2: true,
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, s.httpsAddr)
		},
	}}
	resp, err := client.Get("https://" + domain + ":" + port + "/")
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, string(body), err
}

func TestACMEWithPebble(t *testing.T) {
	ca := startPebble(t)

	alpnCache := filepath.Join(t.TempDir(), "acme")
	var alpnSerial string

	t.Run("tls-alpn-01 on the HTTPS listener", func(t *testing.T) {
		const domain = "alpn.softphone.test"
		m, logs := newACMEManager(t, ca.dirURL, ca.bundle, alpnCache, domain, -1)
		// HTTPS on Pebble's tls-alpn-01 port, no plain-HTTP listener at all.
		s := serveACME(t, m, ca.tlsPort, 0)
		resp, body, err := s.get(domain, ca.root)
		if err != nil {
			t.Fatalf("HTTPS request verified against Pebble's root: %v", err)
		}
		if body != "hello over HTTP/2.0" {
			t.Errorf("body = %q, want %q", body, "hello over HTTP/2.0")
		}
		leaf := resp.TLS.PeerCertificates[0]
		alpnSerial = leaf.SerialNumber.String()
		if err := leaf.VerifyHostname(domain); err != nil {
			t.Errorf("served certificate: %v", err)
		}
		if n := s.alpnHellos.Load(); n == 0 {
			t.Errorf("tls-alpn-01 validation handshakes = 0, want at least 1")
		}
		if !strings.Contains(logs.String(), "tls acme certificate in use") {
			t.Errorf("no log of the new certificate's expiry; logs:\n%s", logs)
		}
		st := m.Status()
		if len(st.Certificates) != 1 || st.Certificates[0].NotAfter != leaf.NotAfter {
			t.Errorf("Status().Certificates = %+v, want the served one expiring %v", st.Certificates, leaf.NotAfter)
		}

		// A name outside tls.acme.domains gets no certificate.
		if _, _, err := s.get("other.softphone.test", ca.root); err == nil {
			t.Errorf("request for a name not in tls.acme.domains succeeded, want a refused handshake")
		}
		if got := len(m.Status().Certificates); got != 1 {
			t.Errorf("certificates in cache = %d after a request for an unlisted name, want 1", got)
		}
	})

	t.Run("http-01 on the redirect listener, obtained at start", func(t *testing.T) {
		const domain = "http.softphone.test"
		m, logs := newACMEManager(t, ca.dirURL, ca.bundle, filepath.Join(t.TempDir(), "acme"), domain, 10*time.Millisecond)
		// Nothing listens on Pebble's tls-alpn-01 port: that challenge fails
		// (and its reason is logged), then http-01 on the plain-HTTP listener succeeds.
		s := serveACME(t, m, 0, ca.httpPort)
		eventually(t, "the certificate to be obtained in the background", func() bool {
			return len(m.Status().Certificates) == 1
		})
		if n := s.httpTokens.Load(); n == 0 {
			t.Errorf("http-01 validation requests = 0, want at least 1")
		}
		if !strings.Contains(logs.String(), "tls acme: validation failed") || !strings.Contains(logs.String(), "tls-alpn-01") {
			t.Errorf("the failed tls-alpn-01 validation was not logged with its reason; logs:\n%s", logs)
		}
		_, body, err := s.get(domain, ca.root)
		if err != nil {
			t.Fatalf("HTTPS request verified against Pebble's root: %v", err)
		}
		if body != "hello over HTTP/2.0" {
			t.Errorf("body = %q, want %q", body, "hello over HTTP/2.0")
		}
		fi, err := os.Stat(m.acmeState.cacheDir)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o700 {
			t.Errorf("cache folder mode = %v, want 0700", fi.Mode().Perm())
		}
	})

	t.Run("restart with the CA unreachable serves the cached certificate", func(t *testing.T) {
		if alpnSerial == "" {
			t.Skip("needs the tls-alpn-01 subtest's certificate")
		}
		const domain = "alpn.softphone.test"
		down := fmt.Sprintf("https://localhost:%d/dir", freePort(t))
		m, logs := newACMEManager(t, down, ca.bundle, alpnCache, domain, 10*time.Millisecond)
		if !strings.Contains(logs.String(), "tls acme certificate in cache") {
			t.Errorf("cached certificate not logged at start; logs:\n%s", logs)
		}
		s := serveACME(t, m, 0, 0)
		resp, _, err := s.get(domain, ca.root)
		if err != nil {
			t.Fatalf("HTTPS request with the CA down: %v", err)
		}
		if got := resp.TLS.PeerCertificates[0].SerialNumber.String(); got != alpnSerial {
			t.Errorf("served serial = %s, want the cached %s", got, alpnSerial)
		}

		// softphone check sees the cached certificate too.
		st, err := Inspect(Config{Mode: ModeACME, ACME: ACMEConfig{Domains: []string{domain}, CacheDir: alpnCache}}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Certificates) != 1 || st.Certificates[0].NotAfter != resp.TLS.PeerCertificates[0].NotAfter {
			t.Errorf("Inspect().Certificates = %+v, want the cached certificate", st.Certificates)
		}
	})
}
