package soak

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestHostilePaths sends a traversal and path-normalisation corpus
// (encoded, double-encoded, overlong UTF-8, mixed slashes, NUL, very long
// paths) over HTTP/1.1 and HTTP/2: no answer is a 5xx, every 200 is a file
// of the served tree (as `softphone export` writes it), and nothing
// outside the tree (a canary file next to the brand folder, /etc/passwd)
// is ever served.
func TestHostilePaths(t *testing.T) {
	dir := t.TempDir()
	canary := fmt.Sprintf("SOAK-CANARY-%d", time.Now().UnixNano())
	for name, body := range map[string]string{
		"secret.txt":                  canary,
		"brand/images/soak-brand.txt": "brand file\n",
		"brand/static/secret-sub.txt": "inside the brand tree\n",
		"webrtc_client/secret.txt":    canary,
		"brand/../brand-sibling.txt":  canary,
	} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const base = "/webrtc_client/"
	body := fmt.Sprintf("basePath: %q\nbranding:\n  dir: %q\n", base, filepath.Join(dir, "brand")) + clientSection("hostile.example.com")
	s := startServer(t, dir, serverConfig{body: body})
	tree := exportedTree(t, s.cfgPath)

	corpus := hostileCorpus(base)
	statuses := map[int]int{}
	check := func(proto, target string, status int, loc string, body []byte) {
		statuses[status]++
		switch {
		case status >= 500:
			t.Errorf("%s %q: status %d", proto, target, status)
		case status == 200 && !tree[sha256.Sum256(body)]:
			t.Errorf("%s %q: 200 with %d bytes that are no file of the served tree: %.80q", proto, target, len(body), body)
		case bytes.Contains(body, []byte(canary)) || bytes.Contains(body, []byte("root:x:0:0")):
			t.Errorf("%s %q: served a file from outside the tree", proto, target)
		case status == 301 && (!strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\")):
			t.Errorf("%s %q: redirect to %q leaves the site", proto, target, loc)
		case !slices.Contains([]int{200, 301, 304, 400, 404, 405, 414, 431}, status):
			t.Errorf("%s %q: unexpected status %d", proto, target, status)
		}
	}

	// HTTP/1.1: the request line exactly as written, on keep-alive
	// connections (reopened when the server closes one).
	h1 := 0
	var conn *h1Conn
	defer func() {
		if conn != nil {
			conn.c.Close()
		}
	}()
	for _, target := range corpus {
		if conn == nil {
			c, err := dialTLS(t.Context(), s.addr)
			if err != nil {
				t.Fatal(err)
			}
			conn = &h1Conn{c: c, r: bufio.NewReader(c)}
		}
		resp, body, err := conn.do(target)
		if err != nil {
			t.Fatalf("HTTP/1.1 %q: %v", target, err)
		}
		h1++
		check("HTTP/1.1", target, resp.StatusCode, resp.Header.Get("Location"), body)
		if resp.Close {
			conn.c.Close()
			conn = nil
		}
	}

	// HTTP/2: the same targets as :path, frame by frame.
	h2, resets, goaways := 0, 0, 0
	var hc *h2Conn
	defer func() {
		if hc != nil {
			hc.Close()
		}
	}()
	for _, target := range corpus {
		if hc == nil {
			var err error
			if hc, err = dialH2(t.Context(), s.addr); err != nil {
				t.Fatal(err)
			}
		}
		a, err := hc.get(target)
		switch {
		case errors.Is(err, errGoAway):
			goaways++
			hc.Close()
			hc = nil
			continue
		case err != nil:
			t.Fatalf("HTTP/2 %q: %v", target, err)
		case a.reset:
			resets++
			continue
		}
		h2++
		check("HTTP/2", target, a.status, a.location, a.body)
	}
	var hist []string
	for code, n := range statuses {
		hist = append(hist, fmt.Sprintf("%d x%d", code, n))
	}
	slices.Sort(hist)
	if statuses[200] == 0 || statuses[400] == 0 {
		t.Errorf("the corpus reached no file or was never refused: %v", hist)
	}
	reportLine(t, "%d hostile paths: %d answered over HTTP/1.1, %d over HTTP/2 (+%d streams reset, %d connections ended by GOAWAY); statuses %s; 0 outside the tree, 0 5xx",
		len(corpus), h1, h2, resets, goaways, strings.Join(hist, ", "))
}

// h1Conn is a keep-alive HTTP/1.1 connection written by hand, so the
// request target goes out exactly as given.
type h1Conn struct {
	c interface {
		io.ReadWriteCloser
		SetDeadline(time.Time) error
	}
	r *bufio.Reader
}

func (h *h1Conn) do(target string) (*http.Response, []byte, error) {
	h.c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := fmt.Fprintf(h.c, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: identity\r\n\r\n", target); err != nil {
		return nil, nil, err
	}
	resp, err := http.ReadResponse(h.r, &http.Request{Method: "GET"})
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	return resp, b, err
}

// exportedTree is the SHA-256 of every file `softphone export` writes for
// the config: the served tree.
func exportedTree(t *testing.T, cfgPath string) map[[32]byte]bool {
	t.Helper()
	out := filepath.Join(t.TempDir(), "export")
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if b, err := exec.CommandContext(ctx, binary, "export", "--config", cfgPath, out).CombinedOutput(); err != nil {
		t.Fatalf("softphone export: %v\n%s", err, b)
	}
	tree := map[[32]byte]bool{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		tree[sha256.Sum256(b)] = true
		return err
	})
	if err != nil || len(tree) < 5 {
		t.Fatalf("exported tree: %d files, %v", len(tree), err)
	}
	return tree
}

// hostileCorpus builds request targets that try to leave the tree under
// base or confuse path normalisation.
func hostileCorpus(base string) []string {
	dots := []string{"..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e", "%%32%65%%32%65",
		"%c0%ae%c0%ae", "%e0%80%ae%e0%80%ae", "%f0%80%80%ae%f0%80%80%ae", "%uff0e%uff0e", "%ef%bc%8e%ef%bc%8e",
		"..%00", "..%01", "...", "....", ".", "%2e", ".. ", "..%20", "..;", "..%3b"}
	seps := []string{"/", "%2f", "%2F", "%252f", "\\", "%5c", "%5C", "%255c", "%c0%af", "%e0%80%af", "%c1%9c",
		"%c0%5c", "%ef%bc%8f", "//", "/./", ";/", "\\/", "/\\"}
	targets := []string{"etc/passwd", "secret.txt", "brand-sibling.txt", "webrtc_client/secret.txt"}
	prefixes := []string{base, "/", base + "static/js/"}
	depths := []int{2}
	if full {
		prefixes = append(prefixes, base+"images/", strings.TrimSuffix(base, "/"))
		depths = []int{1, 3, 8}
	}
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, p := range prefixes {
		for _, d := range dots {
			for _, sep := range seps {
				for _, depth := range depths {
					for _, tgt := range targets {
						add(p + strings.Repeat(d+sep, depth) + tgt)
					}
				}
			}
		}
	}
	long := strings.Repeat("a/", 600)
	for _, s := range []string{
		base + "index.html", base, base + "static/js/advancedOptions.js", base + "images/soak-brand.txt",
		base + "index.html%00", base + "index.html%00.js", base + "index.html\x00", base + "\x00",
		base + "%00../../etc/passwd", base + "index.html%2500", base + "index%2ehtml", base + "%69ndex.html",
		base + "INDEX.HTML", base + "index.html/", base + "index.html/.", base + "index.html/..", base + "./index.html",
		base + "static//js/advancedOptions.js", base + "static/./js/advancedOptions.js", base + "static/js/../js/advancedOptions.js",
		base + "static%2fjs%2fadvancedOptions.js", base + "static\\js\\advancedOptions.js", base + "static%5cjs%5cadvancedOptions.js",
		base + "%c0%af", base + "%ff", base + "%fe%ff", base + "%ed%a0%80", base + "%f4%90%80%80", base + "\xc0\xaf",
		base + "\xff", base + "\tindex.html", base + "%09index.html", base + "%0d%0aSet-Cookie:%20x=1", base + "%0aX:%20y",
		base + "index.html?../../etc/passwd", base + "index.html#../../etc/passwd", base + "?file=../../secret.txt",
		base + "auth/callback?return_to=//evil.example", base + "auth/callback?return_to=https://evil.example/",
		"//etc/passwd", "///etc/passwd", "/\\etc/passwd", "/..", "/../", "/%2e%2e", "/%2e%2e/", "..", "../../etc/passwd",
		"*", "https://127.0.0.1/" + "../../etc/passwd", "https://evil.example" + base, "http://127.0.0.1" + base + "..%2fsecret.txt",
		"/webrtc_client", "/webrtc_client?x=//evil", "/webrtc_client%2f", "/webrtc_client%2e", "/webrtc_client/.", "/webrtc_client/..",
		"/WEBRTC_CLIENT/", "/webrtc_client;/secret.txt", "/healthz/../webrtc_client/", "/healthz%2f..%2fsecret.txt",
		base + long + "index.html", base + strings.Repeat("../", 400) + "etc/passwd", base + strings.Repeat("%2e%2e%2f", 400) + "etc/passwd",
		base + strings.Repeat("a", 1023), base + strings.Repeat("a", 1025), base + strings.Repeat("%41", 1000),
		base + strings.Repeat("/", 5000), base + strings.Repeat("x", 60<<10), base + strings.Repeat("x", 70<<10),
	} {
		add(s)
	}
	return out
}
