package site

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
)

// TestBigFilesCompressedInBackground checks that a file over bigFileSize
// (the virtual-background model's WebAssembly) is left out of the work done
// before serving starts, served uncompressed until Optimize, and then
// compressed once, as a final ("best") variant.
func TestBigFilesCompressedInBackground(t *testing.T) {
	big := []byte(strings.Repeat("(module (func $softphone (result i32) i32.const 42))\n", bigFileSize/40))
	if len(big) <= bigFileSize {
		t.Fatalf("test file has %d bytes, want more than %d", len(big), bigFileSize)
	}
	s, err := Build([]Layer{{Name: "webclient", FS: fstest.MapFS{
		"static/mediapipe/model.wasm": {Data: big},
		"static/js/index.CxqYZM6S.js": {Data: bigJS},
	}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wasm, js := s.Lookup("static/mediapipe/model.wasm"), s.Lookup("static/js/index.CxqYZM6S.js")
	if _, ok := wasm.Encoded("br"); ok {
		t.Error("the big file was compressed before serving started")
	}
	if _, ok := js.Encoded("br"); !ok {
		t.Error("the small file has no fast br variant")
	}
	if w := serve(wasm, "GET", map[string]string{"Accept-Encoding": "br"}); w.Header().Get("Content-Encoding") != "" || !bytes.Equal(w.Body.Bytes(), big) {
		t.Errorf("before Optimize: Content-Encoding %q, want the identity body", w.Header().Get("Content-Encoding"))
	}
	if n := s.Optimize(context.Background()); n != 2 {
		t.Errorf("Optimize compressed %d files, want 2", n)
	}
	w := serve(wasm, "GET", map[string]string{"Accept-Encoding": "br"})
	if ce, tag := w.Header().Get("Content-Encoding"), w.Header().Get("ETag"); ce != "br" || !strings.HasSuffix(tag, `-br"`) {
		t.Errorf("after Optimize: Content-Encoding %q, ETag %s; want br with a final tag", ce, tag)
	}
	plain, err := io.ReadAll(brotli.NewReader(bytes.NewReader(w.Body.Bytes())))
	if err != nil || !bytes.Equal(plain, big) {
		t.Errorf("served br does not decode to the original (err %v)", err)
	}
	if !s.Optimized() || s.Optimize(context.Background()) != 0 {
		t.Error("a second Optimize found work left")
	}
}
