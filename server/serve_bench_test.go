package server

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"
)

// discardWriter is a ResponseWriter that keeps nothing, so the benchmarks
// below measure the request pipeline rather than a recorder's buffer.
type discardWriter struct {
	h      http.Header
	status int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) WriteHeader(code int)        { d.status = code }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }

// BenchmarkPipeline measures the in-process cost (time and allocations) of
// one request through the whole pipeline (access log to a file, security
// headers, routing, store lookup, encoding choice), without the network.
// Throughput against nginx is `make bench`'s job; this one shows where the
// per-request work goes.
func BenchmarkPipeline(b *testing.B) {
	for _, tc := range []struct{ name, target string }{
		{"bundle", "/" + bundle(b)},
		{"index", "/index.html"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			cfg := testConfig(b)
			cfg.Log.Access = filepath.Join(b.TempDir(), "access.log")
			s, err := New(cfg, discard())
			if err != nil {
				b.Fatal(err)
			}
			defer s.Shutdown(b.Context())
			// Measure the steady state, after the background brotli 11 pass.
			for !s.current.Load().store.Optimized() {
				time.Sleep(10 * time.Millisecond)
			}
			h := s.Handler()
			r := httptest.NewRequest("GET", "https://localhost"+tc.target, nil)
			r.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
			r.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/142.0")
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				w.status = 0
				h.ServeHTTP(w, r)
			}
			if w.status != 0 && w.status != http.StatusOK {
				b.Fatalf("status %d", w.status)
			}
		})
	}
}
