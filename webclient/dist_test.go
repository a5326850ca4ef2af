package webclient

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/softphone/softphone/internal/testenv"
)

// TestDistServedTree checks the layout the server relies on.
func TestDistServedTree(t *testing.T) {
	d := Dist()
	for _, name := range []string{"index.html", "manifest.json", "favicon.ico", "robots.txt"} {
		if _, err := fs.Stat(d, name); err != nil {
			t.Errorf("dist/%s: %v", name, err)
		}
	}
	if _, err := fs.Stat(d, "static/js/advancedOptions.js"); err == nil {
		t.Error("dist/static/js/advancedOptions.js exists, want it absent: the server renders it")
	}
	for _, pattern := range []string{"static/js/*.*.js", "static/css/*.*.css"} {
		m, err := fs.Glob(d, pattern)
		if err != nil || len(m) == 0 {
			t.Errorf("dist/%s: no match (err %v)", pattern, err)
		}
	}
	// The server sends these instead of compressing at start-up
	// (server/site, Layer.Embedded); the list is the server's compressible
	// types and 1 KiB floor, mirrored in vite.config.ts.
	compressible := regexp.MustCompile(`\.(html|m?js|css|json|map|webmanifest|svg|ico|ttf|txt|xml|wasm|wav)$`)
	err := fs.WalkDir(d, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !compressible.MatchString(p) {
			return err
		}
		info, err := e.Info()
		if err != nil || info.Size() < 1024 {
			return err
		}
		for _, ext := range []string{".br", ".gz"} {
			if _, err := fs.Stat(d, p+ext); err != nil {
				t.Errorf("dist/%s (%d bytes) has no %s sidecar: run `npm run build` in webclient", p, info.Size(), ext)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	index, err := fs.ReadFile(d, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	html := string(index)
	ao := strings.Index(html, `<script src="static/js/advancedOptions.js"></script>`)
	app := strings.Index(html, `<script type="module"`)
	if ao < 0 || app < 0 || ao > app {
		t.Errorf("index.html: advancedOptions.js classic script at %d, app module at %d; want both, advancedOptions first", ao, app)
	}
	for _, inline := range []string{"<style", " style=", "<script>", "javascript:"} {
		if strings.Contains(html, inline) {
			t.Errorf("index.html contains %q, want no inline script or style (strict CSP)", inline)
		}
	}
}

// TestDistIsFresh rebuilds the app into a temporary directory and compares
// it with the committed dist/, file by file.
func TestDistIsFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the web client with npm; skipped in -short mode")
	}
	npm := testenv.LookPath(t, "npm", "npm")
	if _, err := os.Stat("node_modules/.bin/vite"); err != nil {
		testenv.Missing(t, "the web client's npm packages (make node-deps runs npm ci in webclient/)")
	}
	out := t.TempDir()
	run(t, npm, "run", "build", "--", "--outDir", out, "--emptyOutDir")
	want := tree(t, os.DirFS("dist"))
	got := tree(t, os.DirFS(out))
	for name, g := range got {
		w, ok := want[name]
		switch {
		case !ok:
			t.Errorf("fresh build has %s, committed dist/ lacks it: run `npm run build` in webclient and commit dist/", name)
		case !bytes.Equal(g, w) && !sameDecoded(t, name, g, w):
			t.Errorf("dist/%s differs from a fresh build: run `npm run build` in webclient and commit dist/", name)
		}
	}
	// Each sidecar is its file, compressed: the server sends it in the
	// file's place without looking.
	for name, data := range want {
		base, coding := strings.TrimSuffix(name, filepath.Ext(name)), filepath.Ext(name)
		if coding != ".br" && coding != ".gz" {
			continue
		}
		if orig, ok := want[base]; ok && !bytes.Equal(decode(t, name, data), orig) {
			t.Errorf("dist/%s does not decode to dist/%s", name, base)
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("committed dist/ has %s, a fresh build does not: run `npm run build` in webclient and commit dist/", name)
		}
	}
}

// sameDecoded reports whether two sidecars (X.br, X.gz) hold the same
// content: the bytes of a compressor may differ between Node.js releases
// (the build uses Node's zlib) where what they decode to does not.
func sameDecoded(t *testing.T, name string, a, b []byte) bool {
	if !strings.HasSuffix(name, ".br") && !strings.HasSuffix(name, ".gz") {
		return false
	}
	return bytes.Equal(decode(t, name, a), decode(t, name, b))
}

func decode(t *testing.T, name string, data []byte) []byte {
	t.Helper()
	var r io.Reader = brotli.NewReader(bytes.NewReader(data))
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			return nil
		}
		r = zr
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Errorf("%s: %v", name, err)
	}
	return out
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
}

func tree(t *testing.T, fsys fs.FS) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		files[p] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	t.Logf("%d files: %s", len(names), strings.Join(names, ", "))
	return files
}

// TestInitialLoadSize keeps the first load small: index.html plus the
// scripts and styles it references, brotli-compressed as the server sends
// them, must stay within 150 KB.
func TestInitialLoadSize(t *testing.T) {
	const budget = 150 * 1024
	d := Dist()
	index, err := fs.ReadFile(d, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"index.html"}
	for _, m := range regexp.MustCompile(`(?:src|href)="\.?/?(static/(?:js|css)/[^"]+\.[0-9A-Za-z_-]+\.(?:js|css))"`).FindAllStringSubmatch(string(index), -1) {
		files = append(files, m[1])
	}
	if len(files) < 3 {
		t.Fatalf("index.html references %v, want the app script and stylesheet", files[1:])
	}
	total := 0
	for _, name := range files {
		b, err := fs.ReadFile(d, name)
		if err != nil {
			t.Fatalf("index.html references %s: %v", name, err)
		}
		var buf bytes.Buffer
		w := brotli.NewWriterLevel(&buf, brotli.BestCompression)
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d bytes, %d brotli", name, len(b), buf.Len())
		total += buf.Len()
	}
	t.Logf("initial load: %d bytes brotli (budget %d)", total, budget)
	if total > budget {
		t.Errorf("initial load = %d bytes brotli, want at most %d", total, budget)
	}
}
