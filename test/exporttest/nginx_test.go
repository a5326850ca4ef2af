package exporttest

import (
	"bytes"
	"compress/gzip"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/softphone/softphone/internal/testenv"
	"github.com/softphone/softphone/server"
	"github.com/softphone/softphone/server/site"
)

const brotliModule = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"

// repoRoot is the module root, two levels up from this package.
var repoRoot = filepath.Join("..", "..")

func TestExportServedByNginx(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the softphone and runs nginx; skipped in -short mode")
	}
	nginx := testenv.LookPath(t, "nginx", "nginx", "libnginx-mod-http-brotli-static")
	if _, err := os.Stat(brotliModule); err != nil {
		testenv.Missing(t, "nginx brotli_static module (Debian: libnginx-mod-http-brotli-static)")
	}

	work := t.TempDir()
	// nginx's workers run as an unprivileged user when started as root:
	// they must be able to read the tree.
	os.Chmod(work, 0o755)
	os.Chmod(filepath.Dir(work), 0o755)
	brandDir, _ := filepath.Abs(filepath.Join(repoRoot, "examples", "brand", "files"))
	export := filepath.Join(work, "www")
	exportTree(t, work, export, brandDir)

	oracle := softphoneStore(t, export, brandDir)
	if n := len(oracle.Names()); n < 10 {
		t.Fatalf("the served tree has %d files, want the client, assets and brand", n)
	}

	httpsPort, httpPort := freePort(t), freePort(t)
	pool := startNginx(t, nginx, work, export, httpsPort, httpPort)
	client := &http.Client{
		Transport: &http.Transport{
			TLSClientConfig:    &tls.Config{RootCAs: pool, ServerName: "softphone.example.com"},
			DisableCompression: true, // see Content-Encoding as sent
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
	base := fmt.Sprintf("https://127.0.0.1:%d/", httpsPort)

	checkFiles(t, client, base, export, oracle)

	t.Run("revalidation", func(t *testing.T) {
		res, _ := get(t, client, base+site.GeneratedConfigPath, "")
		req, _ := http.NewRequest(http.MethodGet, base+site.GeneratedConfigPath, nil)
		req.Header.Set("If-None-Match", res.Header.Get("ETag"))
		res2, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res2.Body.Close()
		if res2.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match with the ETag: status %d, want 304", res2.StatusCode)
		}
		if got := res2.Header.Get("Cache-Control"); got != site.CacheRevalidate {
			t.Errorf("304 Cache-Control = %q, want %q", got, site.CacheRevalidate)
		}
	})
	t.Run("root is index.html", func(t *testing.T) {
		res, body := get(t, client, base, "")
		if res.StatusCode != http.StatusOK || !bytes.Equal(body, readFile(t, export, "index.html")) {
			t.Errorf("GET /: status %d, body is not index.html", res.StatusCode)
		}
		if got := res.Header.Get("Cache-Control"); got != site.CacheRevalidate {
			t.Errorf("GET /: Cache-Control = %q, want %q", got, site.CacheRevalidate)
		}
	})
	t.Run("missing file is 404, not the SPA shell", func(t *testing.T) {
		for _, p := range []string{"static/js/index.Gone1234.js", "images/none.svg", "static/"} {
			res, body := get(t, client, base+p, "")
			if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusForbidden {
				t.Errorf("GET /%s: status %d, want 404", p, res.StatusCode)
			}
			if bytes.Contains(body, []byte("<div id=")) {
				t.Errorf("GET /%s: answered with the SPA shell", p)
			}
		}
	})
	t.Run("plain HTTP redirects to HTTPS", func(t *testing.T) {
		plain := &http.Client{CheckRedirect: client.CheckRedirect, Timeout: 10 * time.Second}
		res, err := plain.Get(fmt.Sprintf("http://127.0.0.1:%d/images/logo.svg?x=1", httpPort))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if want := "https://127.0.0.1/images/logo.svg?x=1"; res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
			t.Errorf("status %d Location %q, want 301 %q", res.StatusCode, res.Header.Get("Location"), want)
		}
	})
	t.Run("under a sub-path", func(t *testing.T) {
		// As the example says: export into ROOT/webrtc_client, root at ROOT.
		subRoot := filepath.Join(work, "subroot")
		os.Mkdir(subRoot, 0o755)
		if err := os.Symlink(export, filepath.Join(subRoot, "webrtc_client")); err != nil {
			t.Fatal(err)
		}
		subWork := filepath.Join(work, "sub")
		os.Mkdir(subWork, 0o755)
		port := freePort(t)
		pool := startNginx(t, nginx, subWork, subRoot, port, freePort(t))
		sub := &http.Client{Transport: &http.Transport{
			TLSClientConfig:    &tls.Config{RootCAs: pool, ServerName: "softphone.example.com"},
			DisableCompression: true,
		}, CheckRedirect: client.CheckRedirect, Timeout: 10 * time.Second}
		checkFiles(t, sub, fmt.Sprintf("https://127.0.0.1:%d/webrtc_client/", port), export, oracle)
		res, _ := get(t, sub, fmt.Sprintf("https://127.0.0.1:%d/webrtc_client", port), "")
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusMovedPermanently || !strings.HasSuffix(loc, "/webrtc_client/") {
			t.Errorf("GET /webrtc_client: status %d Location %q, want 301 to /webrtc_client/", res.StatusCode, loc)
		}
	})
}

// checkFiles fetches every served file from base, with and without
// Accept-Encoding, and compares bytes and headers with the export and with
// what the softphone itself would send.
func checkFiles(t *testing.T, client *http.Client, base, export string, oracle *site.Store) {
	t.Helper()
	for _, name := range oracle.Names() {
		t.Run(name, func(t *testing.T) {
			want := oracle.Lookup(name)
			identity := readFile(t, export, name)
			_, hasBr := sidecar(t, export, name, ".br")
			_, hasGz := sidecar(t, export, name, ".gz")
			tests := []struct {
				acceptEncoding string
				coding         string // expected Content-Encoding
			}{
				{"", ""},
				{"br, gzip", pick(hasBr, "br", pick(hasGz, "gzip", ""))},
				{"gzip", pick(hasGz, "gzip", "")},
				{"identity", ""},
			}
			for _, tc := range tests {
				res, body := get(t, client, base+name, tc.acceptEncoding)
				ae := fmt.Sprintf("Accept-Encoding %q", tc.acceptEncoding)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("%s: status %d, want 200", ae, res.StatusCode)
				}
				if got := res.Header.Get("Content-Encoding"); got != tc.coding {
					t.Errorf("%s: Content-Encoding = %q, want %q", ae, got, tc.coding)
				}
				if got := decode(t, tc.coding, body); !bytes.Equal(got, identity) {
					t.Errorf("%s: decoded body (%d bytes) differs from the exported file (%d bytes)", ae, len(got), len(identity))
				}
				if tc.coding != "" {
					if sc, _ := sidecar(t, export, name, map[string]string{"br": ".br", "gzip": ".gz"}[tc.coding]); !bytes.Equal(body, sc) {
						t.Errorf("%s: body is not the exported %s sidecar: compressed on the fly instead of precompressed", ae, tc.coding)
					}
				}
				if got := res.Header.Get("Content-Type"); got != want.ContentType {
					t.Errorf("%s: Content-Type = %q, want %q (what softphone sends)", ae, got, want.ContentType)
				}
				if got := res.Header.Get("Cache-Control"); got != want.CacheControl {
					t.Errorf("%s: Cache-Control = %q, want %q (what softphone sends)", ae, got, want.CacheControl)
				}
				if (hasBr || hasGz) && !strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "Accept-Encoding") {
					t.Errorf("%s: Vary = %q, want Accept-Encoding for a file with compressed variants", ae, res.Header.Values("Vary"))
				}
				if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
					t.Errorf("%s: X-Content-Type-Options = %q, want nosniff", ae, got)
				}
				if res.Header.Get("ETag") == "" {
					t.Errorf("%s: no ETag", ae)
				}
			}
		})
	}

}

// exportTree builds the softphone and runs `softphone export` with the
// minimal example config and the example brand.
func exportTree(t *testing.T, work, export, brandDir string) {
	t.Helper()
	bin := filepath.Join(work, "softphone")
	build := exec.Command("go", "build", "-o", bin, "./cmd/softphone")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/softphone: %v\n%s", err, out)
	}
	config, _ := filepath.Abs(filepath.Join(repoRoot, "examples", "minimal.yaml"))
	cmd := exec.Command(bin, "export", "--config", config, "--branding-dir", brandDir, export)
	cmd.Dir = work
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("softphone export: %v\n%s", err, out)
	} else {
		t.Logf("%s", bytes.TrimSpace(out))
	}
	filepath.WalkDir(export, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			os.Chmod(p, map[bool]os.FileMode{true: 0o755, false: 0o644}[d.IsDir()])
		}
		return nil
	})
}

// softphoneStore is what the softphone itself would serve for the same
// config: the oracle for Content-Type and Cache-Control.
func softphoneStore(t *testing.T, export, brandDir string) *site.Store {
	t.Helper()
	js := readFile(t, export, site.GeneratedConfigPath)
	store, err := site.Build(server.Layers(brandDir), site.Options{Generated: map[string][]byte{site.GeneratedConfigPath: js}})
	if err != nil {
		t.Fatal(err)
	}
	// Every served file was exported, and nothing else (sidecars aside).
	var exported []string
	filepath.WalkDir(export, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".br") && !strings.HasSuffix(p, ".gz") {
			rel, _ := filepath.Rel(export, p)
			exported = append(exported, filepath.ToSlash(rel))
		}
		return nil
	})
	if got, want := strings.Join(exported, "\n"), strings.Join(store.Names(), "\n"); got != want {
		t.Fatalf("exported files:\n%s\nwant the served tree:\n%s", got, want)
	}
	return store
}

// startNginx runs nginx in the foreground with the example site, its
// listen ports, root and certificate paths swapped for the test's (its
// files go to work), and returns a pool trusting its certificate.
func startNginx(t *testing.T, nginx, work, root string, httpsPort, httpPort int) *x509.CertPool {
	t.Helper()
	certFile, keyFile, pool := selfSigned(t, work)
	example, err := os.ReadFile(filepath.Join(repoRoot, "examples", "nginx", "softphone-export.conf"))
	if err != nil {
		t.Fatal(err)
	}
	site := string(example)
	for _, r := range []struct{ old, new string }{
		{"    listen [::]:80;\n", ""},
		{"    listen [::]:443 ssl http2;\n", ""},
		{"listen 80;", fmt.Sprintf("listen 127.0.0.1:%d;", httpPort)},
		{"listen 443 ssl http2;", fmt.Sprintf("listen 127.0.0.1:%d ssl;", httpsPort)},
		{"/etc/ssl/certs/softphone.example.com.pem", certFile},
		{"/etc/ssl/private/softphone.example.com.key", keyFile},
		{"root  /var/www/softphone;", "root  " + root + ";"},
	} {
		if !strings.Contains(site, r.old) {
			t.Fatalf("examples/nginx/softphone-export.conf no longer has %q; update this test with it", r.old)
		}
		site = strings.ReplaceAll(site, r.old, r.new)
	}
	sitePath := filepath.Join(work, "site.conf")
	os.WriteFile(sitePath, []byte(site), 0o644)
	conf := fmt.Sprintf(`load_module %[1]s;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path %[2]s/tmp-body;
    proxy_temp_path %[2]s/tmp-proxy;
    fastcgi_temp_path %[2]s/tmp-fastcgi;
    uwsgi_temp_path %[2]s/tmp-uwsgi;
    scgi_temp_path %[2]s/tmp-scgi;
    include %[3]s;
}
`, brotliModule, work, sitePath)
	confPath := filepath.Join(work, "nginx.conf")
	os.WriteFile(confPath, []byte(conf), 0o644)

	if out, err := exec.Command(nginx, "-t", "-q", "-c", confPath, "-p", work, "-e", filepath.Join(work, "error.log")).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t rejects the example: %v\n%s\n%s", err, out, site)
	}
	cmd := exec.Command(nginx, "-c", confPath, "-p", work, "-e", filepath.Join(work, "error.log"), "-g", "daemon off;")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", httpsPort))
		if err == nil {
			c.Close()
			return pool
		}
		select {
		case <-done:
			log, _ := os.ReadFile(filepath.Join(work, "error.log"))
			t.Fatalf("nginx exited: %s\n%s", stderr.String(), log)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx not listening on %d after 10s: %v", httpsPort, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func selfSigned(t *testing.T, dir string) (string, string, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "softphone.example.com"},
		DNSNames:     []string{"softphone.example.com"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
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

func get(t *testing.T, c *http.Client, url, acceptEncoding string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func decode(t *testing.T, coding string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	switch coding {
	case "":
		return body
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("gzip body: %v", err)
		}
		r = zr
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s body: %v", coding, err)
	}
	return out
}

func readFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sidecar(t *testing.T, dir, name, ext string) ([]byte, bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)+ext))
	return b, err == nil
}

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}
