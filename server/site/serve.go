package site

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ServeHTTP answers for one file: it picks the representation from
// Accept-Encoding and sets the cache and validator headers. A plain GET or
// HEAD is answered directly; conditional and range requests go to
// http.ServeContent (If-None-Match -> 304, If-Match, If-Range, 206 and 416
// with multipart ranges).
func (f *File) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	chosen, coding := f.identity, []string(nil)
	if e := f.enc.Load(); e != nil {
		switch negotiateEncoding(get(r.Header, "Accept-Encoding"), e.br != nil, e.gzip != nil) {
		case encBrotli:
			chosen, coding = e.br, contentEncodingBrotli
		case encGzip:
			chosen, coding = e.gzip, contentEncodingGzip
		}
	}
	c, err := chosen.get()
	if err != nil {
		// Only an embedded file is read here, so this is a broken binary.
		http.Error(w, "500 internal server error: "+f.Name+" could not be read", http.StatusInternalServerError)
		return
	}

	h := w.Header()
	// Header values are prepared once per file and assigned directly: no
	// allocation or canonicalisation per request. The slices have len ==
	// cap, so an Add elsewhere reallocates instead of writing into them.
	//
	// Vary on every response, compressed or not: a shared cache must not
	// hand a br body to a client that asked for identity (RFC 9110 12.5.5).
	h["Vary"] = varyAcceptEncoding
	h["Cache-Control"] = f.hdr.cacheControl
	h["Content-Type"] = f.hdr.contentType
	if coding != nil {
		h["Content-Encoding"] = coding
	}
	h["Etag"] = c.etagHdr

	if !conditional(r) {
		h["Accept-Ranges"] = acceptRangesBytes
		h["Content-Length"] = c.lengthHdr
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			w.Write(c.data)
		}
		return
	}
	http.ServeContent(&lengthWriter{ResponseWriter: w, size: len(c.data)}, r, "", time.Time{}, bytes.NewReader(c.data))
}

var (
	varyAcceptEncoding    = []string{"Accept-Encoding"}
	contentEncodingBrotli = []string{encBrotli}
	contentEncodingGzip   = []string{encGzip}
	acceptRangesBytes     = []string{"bytes"}
)

// conditional reports whether a request needs ServeContent's logic.
func conditional(r *http.Request) bool {
	h := r.Header
	return get(h, "Range") != "" || get(h, "If-None-Match") != "" || get(h, "If-Match") != "" ||
		get(h, "If-Modified-Since") != "" || get(h, "If-Unmodified-Since") != "" || get(h, "If-Range") != ""
}

// get is Header.Get for a key already in canonical form, as every key of
// a request net/http parsed is, without canonicalising it again on each
// request.
func get(h http.Header, canonicalKey string) string {
	if v := h[canonicalKey]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// lengthWriter restores Content-Length on encoded responses. ServeContent
// omits it whenever Content-Encoding is set, assuming a wrapper compresses
// on the fly; here the body is a stored representation of known size, and
// without the length HTTP/1.1 falls back to chunked encoding.
type lengthWriter struct {
	http.ResponseWriter
	size int
}

func (l *lengthWriter) WriteHeader(code int) {
	h := l.Header()
	if h.Get("Content-Length") == "" && h.Get("Content-Encoding") != "" {
		switch code {
		case http.StatusOK:
			h.Set("Content-Length", strconv.Itoa(l.size))
		case http.StatusPartialContent:
			if n, ok := singleRangeLength(h.Get("Content-Range")); ok {
				h.Set("Content-Length", strconv.Itoa(n))
			}
		}
	}
	l.ResponseWriter.WriteHeader(code)
}

func (l *lengthWriter) Write(b []byte) (int, error) {
	return l.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (l *lengthWriter) Unwrap() http.ResponseWriter { return l.ResponseWriter }

// singleRangeLength returns the length of "bytes a-b/n".
func singleRangeLength(cr string) (int, bool) {
	spec, ok := strings.CutPrefix(cr, "bytes ")
	if !ok {
		return 0, false
	}
	spec, _, _ = strings.Cut(spec, "/")
	a, b, ok := strings.Cut(spec, "-")
	if !ok {
		return 0, false
	}
	start, err1 := strconv.Atoi(a)
	end, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || end < start {
		return 0, false
	}
	return end - start + 1, true
}

var _ http.Handler = (*File)(nil)
