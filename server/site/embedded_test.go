package site

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// countingFS records which files are opened, to show what Build and
// serving read from an embedded layer.
type countingFS struct {
	fstest.MapFS
	mu     sync.Mutex
	opened map[string]int
	fail   map[string]bool
}

func newCountingFS(files fstest.MapFS) *countingFS {
	return &countingFS{MapFS: files, opened: map[string]int{}, fail: map[string]bool{}}
}

func (c *countingFS) Open(name string) (fs.File, error) {
	f, err := c.MapFS.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && !st.IsDir() {
		c.mu.Lock()
		c.opened[name]++
		fail := c.fail[name]
		c.mu.Unlock()
		if fail {
			f.Close()
			return nil, errors.New("unreadable")
		}
	}
	return f, nil
}

// ReadFile hides MapFS's own, which fs.ReadFile would call instead of Open.
func (c *countingFS) ReadFile(name string) ([]byte, error) {
	f, err := c.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func (c *countingFS) count(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.opened[name]
}

func gzipOf(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// An embedded layer's files are read on first use, and their build-time
// sidecars are served as their compressed forms, not as files of their own.
func TestEmbeddedLayerIsLazyAndUsesSidecars(t *testing.T) {
	br := brotliBytes(bigJS, 11)
	gz := gzipOf(t, bigJS)
	css := []byte(strings.Repeat("body{color:red}\n", 200))
	client := newCountingFS(fstest.MapFS{
		"static/js/app.CxqYZM6S.js":       {Data: bigJS},
		"static/js/app.CxqYZM6S.js.br":    {Data: br},
		"static/js/app.CxqYZM6S.js.gz":    {Data: gz},
		"static/css/app.C3Wp3JfD.css":     {Data: css}, // no sidecars: compressed by Build
		"static/media/tone.wav":           {Data: bytes.Repeat([]byte{1, 2}, 4096)},
		"static/media/tone.wav.br":        {Data: bytes.Repeat([]byte{1, 2}, 4096)}, // not smaller: ignored
		"downloads/archive.tar.gz":        {Data: []byte("a gzip file with no base file")},
		"static/mediapipe/model.wasm":     {Data: bytes.Repeat([]byte{7}, 4096)},
		"static/mediapipe/model.wasm.br":  {Data: brotliBytes(bytes.Repeat([]byte{7}, 4096), 11)},
		"static/mediapipe/unused.tflite":  {Data: bytes.Repeat([]byte{9}, 4096)},
		"static/mediapipe/unused.tflite2": {Data: []byte("x")},
	})
	s, err := Build([]Layer{{Name: "webclient", FS: client, Embedded: true}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"static/js/app.CxqYZM6S.js", "static/js/app.CxqYZM6S.js.br", "static/mediapipe/model.wasm", "static/mediapipe/unused.tflite"} {
		if n := client.count(name); n != 0 {
			t.Errorf("Build opened %s %d times, want 0: embedded files are read on first use", name, n)
		}
	}
	if n := client.count("static/css/app.C3Wp3JfD.css"); n != 1 {
		t.Errorf("Build opened the stylesheet without sidecars %d times, want 1 (to compress it)", n)
	}
	for _, sidecar := range []string{"static/js/app.CxqYZM6S.js.br", "static/js/app.CxqYZM6S.js.gz", "static/mediapipe/model.wasm.br"} {
		if s.Lookup(sidecar) != nil {
			t.Errorf("%s is served as a file of its own, want it only as its file's compressed form", sidecar)
		}
	}
	if s.Lookup("downloads/archive.tar.gz") == nil {
		t.Error("downloads/archive.tar.gz has no base file and must be served as itself")
	}

	js := s.Lookup("static/js/app.CxqYZM6S.js")
	w := serve(js, "GET", map[string]string{"Accept-Encoding": "br"})
	if w.Code != http.StatusOK || w.Header().Get("Content-Encoding") != "br" || !bytes.Equal(w.Body.Bytes(), br) {
		t.Fatalf("br request: %d, Content-Encoding %q, %d bytes; want 200 with the .br sidecar's %d bytes",
			w.Code, w.Header().Get("Content-Encoding"), w.Body.Len(), len(br))
	}
	brTag := w.Header().Get("Etag")
	if !strings.HasSuffix(brTag, `-br"`) || brTag != strings.TrimSuffix(etagOf(br), `"`)+`-br"` {
		t.Errorf("br ETag = %s, want the sidecar's own hash with -br", brTag)
	}
	if client.count("static/js/app.CxqYZM6S.js") != 0 || client.count("static/js/app.CxqYZM6S.js.gz") != 0 {
		t.Error("a br request read the identity or gzip bytes too")
	}
	w = serve(js, "GET", map[string]string{"Accept-Encoding": "gzip"})
	if w.Header().Get("Content-Encoding") != "gzip" || !bytes.Equal(w.Body.Bytes(), gz) {
		t.Errorf("gzip request: Content-Encoding %q, want the .gz sidecar", w.Header().Get("Content-Encoding"))
	}
	w = serve(js, "GET", nil)
	if w.Header().Get("Content-Encoding") != "" || !bytes.Equal(w.Body.Bytes(), bigJS) || w.Header().Get("Etag") != etagOf(bigJS) {
		t.Errorf("identity request: Content-Encoding %q, ETag %s; want the file with its own hash", w.Header().Get("Content-Encoding"), w.Header().Get("Etag"))
	}
	// Conditional requests on a lazily read representation.
	w = serve(js, "GET", map[string]string{"Accept-Encoding": "br", "If-None-Match": brTag})
	if w.Code != http.StatusNotModified {
		t.Errorf("If-None-Match with the br ETag: %d, want 304", w.Code)
	}
	// Many first requests at once read the file once.
	var wg sync.WaitGroup
	wasm := s.Lookup("static/mediapipe/model.wasm")
	for range 8 {
		wg.Go(func() { serve(wasm, "GET", map[string]string{"Accept-Encoding": "br"}) })
	}
	wg.Wait()
	if n := client.count("static/mediapipe/model.wasm.br"); n != 1 {
		t.Errorf("8 concurrent first requests read the sidecar %d times, want 1", n)
	}
	if w := serve(s.Lookup("static/media/tone.wav"), "GET", map[string]string{"Accept-Encoding": "br"}); w.Header().Get("Content-Encoding") == "br" && bytes.Equal(w.Body.Bytes(), bytes.Repeat([]byte{1, 2}, 4096)) {
		t.Error("a sidecar no smaller than its file was served as br")
	}
	if s.Lookup("static/mediapipe/unused.tflite").Size() != 4096 {
		t.Error("Size of an unread embedded file is wrong")
	}
	if client.count("static/mediapipe/unused.tflite") != 0 {
		t.Error("a file nobody asked for was read")
	}
	if css := s.Lookup("static/css/app.C3Wp3JfD.css"); !bytes.Equal(mustEncoded(t, css, "br"), brotliBytes(css.Bytes(), 4)) {
		t.Error("a file without sidecars was not compressed at Build")
	}

	// A reload keeps what was read: no file is read again.
	before := client.count("static/js/app.CxqYZM6S.js.br")
	again, err := Build([]Layer{{Name: "webclient", FS: client, Embedded: true}}, Options{Previous: s})
	if err != nil {
		t.Fatal(err)
	}
	serve(again.Lookup("static/js/app.CxqYZM6S.js"), "GET", map[string]string{"Accept-Encoding": "br"})
	if client.count("static/js/app.CxqYZM6S.js.br") != before {
		t.Error("after a reload the sidecar was read again")
	}
	if n := client.count("static/css/app.C3Wp3JfD.css"); n != 1 {
		t.Errorf("after a reload the stylesheet was read %d times in all, want 1", n)
	}
}

func mustEncoded(t *testing.T, f *File, coding string) []byte {
	t.Helper()
	b, ok := f.Encoded(coding)
	if !ok {
		t.Fatalf("%s has no %s form", f.Name, coding)
	}
	return b
}

// A file an embedded layer cannot read is a 500 that names it, with none of
// the file's cache headers; other files are unaffected.
func TestEmbeddedReadFailure(t *testing.T) {
	client := newCountingFS(fstest.MapFS{
		"static/js/app.CxqYZM6S.js":    {Data: bigJS},
		"static/js/app.CxqYZM6S.js.br": {Data: brotliBytes(bigJS, 11)},
		"robots.txt":                   {Data: []byte("User-agent: *\n")},
	})
	s, err := Build([]Layer{{Name: "webclient", FS: client, Embedded: true}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	client.fail["static/js/app.CxqYZM6S.js.br"] = true
	w := serve(s.Lookup("static/js/app.CxqYZM6S.js"), "GET", map[string]string{"Accept-Encoding": "br"})
	if w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), "static/js/app.CxqYZM6S.js") {
		t.Errorf("unreadable sidecar: %d %q, want 500 naming the file", w.Code, w.Body.String())
	}
	if cc := w.Header().Get("Cache-Control"); cc != "" {
		t.Errorf("the 500 carries Cache-Control %q, want none (an immutable error would be cached)", cc)
	}
	if w := serve(s.Lookup("robots.txt"), "GET", nil); w.Code != http.StatusOK {
		t.Errorf("another file: %d, want 200", w.Code)
	}
}
