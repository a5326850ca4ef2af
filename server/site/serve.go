package site

import (
	"bytes"
	"net/http"
	"time"
)

// ServeHTTP answers for one file: it picks the representation from
// Accept-Encoding, sets the cache and validator headers, and lets
// http.ServeContent do conditional requests (If-None-Match -> 304,
// If-Match/If-Range), ranges (206 and 416, multipart included) and HEAD.
func (f *File) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Vary on every response, compressed or not: a shared cache must not
	// hand a br body to a client that asked for identity (RFC 9110 12.5.5).
	h.Set("Vary", "Accept-Encoding")
	h.Set("Cache-Control", f.CacheControl)
	h.Set("Content-Type", f.ContentType)

	chosen := f.identity
	switch negotiateEncoding(r.Header.Get("Accept-Encoding"), f.br != nil, f.gzip != nil) {
	case encBrotli:
		chosen = *f.br
		h.Set("Content-Encoding", encBrotli)
	case encGzip:
		chosen = *f.gzip
		h.Set("Content-Encoding", encGzip)
	}
	h.Set("ETag", chosen.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(chosen.data))
}

var _ http.Handler = (*File)(nil)
