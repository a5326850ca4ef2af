package site

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/andybalholm/brotli"
)

// bigJS is compressible text over the 1 KiB threshold.
var bigJS = []byte(strings.Repeat("export const answer = 42; // softphone\n", 200))

func testStore(t *testing.T) *Store {
	t.Helper()
	client := fstest.MapFS{
		"index.html":                     {Data: []byte("<!doctype html><title>softphone</title>" + strings.Repeat(" ", 2000))},
		"static/js/index.CxqYZM6S.js":    {Data: bigJS},
		"static/css/index.C3Wp3JfD.css":  {Data: []byte(strings.Repeat("body{color:red}\n", 200))},
		"static/js/advancedOptions.js":   {Data: []byte("var fromDisk = true;")},
		"static/js/notabundle.js":        {Data: []byte("x")},
		"static/js/index.C3Wp3JfD.css":   {Data: []byte("misplaced")},
		"favicon.ico":                    {Data: bytes.Repeat([]byte{0}, 2048)},
		"robots.txt":                     {Data: []byte("User-agent: *\nDisallow: /\n")},
		".hidden":                        {Data: []byte("secret")},
		"images/photo.jpg":               {Data: bytes.Repeat([]byte{0xff, 0xd8}, 2048)},
		"static/localization/strings.js": {Data: []byte("small")},
	}
	assets := fstest.MapFS{
		"images/logo.svg":                          {Data: []byte("<svg viewBox='0 0 241 34'></svg>")},
		"static/localization/strings-default.json": {Data: []byte(`{"A":"b"}`)},
	}
	brand := fstest.MapFS{
		"images/logo.svg": {Data: []byte("<svg viewBox='0 0 100 20'>brand</svg>")},
	}
	s, err := Build([]Layer{{Name: "webclient", FS: client}, {Name: "assets", FS: assets}, {Name: "branding", FS: brand}}, Options{
		Generated: map[string][]byte{GeneratedConfigPath: []byte("var defaultServerConfig = {};\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBuildLayersAndPolicies(t *testing.T) {
	s := testStore(t)
	cases := []struct {
		name, cache, ctype, layer string
		missing                   bool
	}{
		{name: "index.html", cache: CacheRevalidate, ctype: "text/html; charset=utf-8", layer: "webclient"},
		{name: "static/js/index.CxqYZM6S.js", cache: CacheImmutable, ctype: "text/javascript; charset=utf-8", layer: "webclient"},
		{name: "static/css/index.C3Wp3JfD.css", cache: CacheImmutable, ctype: "text/css; charset=utf-8", layer: "webclient"},
		{name: "static/js/notabundle.js", cache: CacheRevalidate, ctype: "text/javascript; charset=utf-8", layer: "webclient"},
		{name: "static/js/index.C3Wp3JfD.css", cache: CacheRevalidate, ctype: "text/css; charset=utf-8", layer: "webclient"},
		{name: GeneratedConfigPath, cache: CacheRevalidate, ctype: "text/javascript; charset=utf-8", layer: "generated"},
		{name: "images/logo.svg", cache: CacheRevalidate, ctype: "image/svg+xml", layer: "branding"},
		{name: "static/localization/strings-default.json", cache: CacheRevalidate, ctype: "application/json", layer: "assets"},
		{name: "favicon.ico", cache: CacheRevalidate, ctype: "image/x-icon", layer: "webclient"},
		{name: ".hidden", missing: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := s.Lookup(tc.name)
			if tc.missing {
				if f != nil {
					t.Fatalf("Lookup(%q) found a file from %s, want none", tc.name, f.Layer)
				}
				return
			}
			if f == nil {
				t.Fatalf("Lookup(%q) = nil", tc.name)
			}
			if f.CacheControl != tc.cache {
				t.Errorf("CacheControl = %q, want %q", f.CacheControl, tc.cache)
			}
			if f.ContentType != tc.ctype {
				t.Errorf("ContentType = %q, want %q", f.ContentType, tc.ctype)
			}
			if f.Layer != tc.layer {
				t.Errorf("Layer = %q, want %q", f.Layer, tc.layer)
			}
		})
	}
	if got := string(s.Lookup(GeneratedConfigPath).Bytes()); strings.Contains(got, "fromDisk") {
		t.Errorf("advancedOptions.js came from a layer, want the generated one: %q", got)
	}
	if got := string(s.Lookup("images/logo.svg").Bytes()); !strings.Contains(got, "brand") {
		t.Errorf("logo.svg = %q, want the branding overlay's", got)
	}
}

func TestCompressionVariants(t *testing.T) {
	s := testStore(t)
	cases := []struct {
		name     string
		br, gzip bool
	}{
		{"static/js/index.CxqYZM6S.js", true, true},
		{"index.html", true, true},
		{"favicon.ico", true, true},         // icons compress well
		{"robots.txt", false, false},        // under 1 KiB
		{"images/photo.jpg", false, false},  // already compressed format
		{"images/logo.svg", false, false},   // under 1 KiB
		{GeneratedConfigPath, false, false}, // under 1 KiB
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := s.Lookup(tc.name)
			_, br := f.Encoded("br")
			_, gz := f.Encoded("gzip")
			if br != tc.br || gz != tc.gzip {
				t.Errorf("br, gzip = %v, %v, want %v, %v", br, gz, tc.br, tc.gzip)
			}
		})
	}
	f := s.Lookup("static/js/index.CxqYZM6S.js")
	brData, _ := f.Encoded("br")
	plain, err := io.ReadAll(brotli.NewReader(bytes.NewReader(brData)))
	if err != nil || !bytes.Equal(plain, bigJS) {
		t.Errorf("brotli variant does not decode to the original (err %v)", err)
	}
	gzData, _ := f.Encoded("gzip")
	zr, err := gzip.NewReader(bytes.NewReader(gzData))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ = io.ReadAll(zr)
	if !bytes.Equal(plain, bigJS) {
		t.Errorf("gzip variant does not decode to the original")
	}
}

func TestRebuildReusesUnchangedCompression(t *testing.T) {
	client := fstest.MapFS{"index.html": {Data: bigJS}, "static/js/a.12345678.js": {Data: bigJS}}
	first, err := Build([]Layer{{Name: "webclient", FS: client}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	client["index.html"] = &fstest.MapFile{Data: append([]byte("changed"), bigJS...)}
	second, err := Build([]Layer{{Name: "webclient", FS: client}}, Options{Previous: first})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := first.Lookup("static/js/a.12345678.js").Encoded("br")
	b, _ := second.Lookup("static/js/a.12345678.js").Encoded("br")
	if &a[0] != &b[0] {
		t.Errorf("unchanged file was recompressed, want its br bytes reused")
	}
	a, _ = first.Lookup("index.html").Encoded("br")
	b, _ = second.Lookup("index.html").Encoded("br")
	if bytes.Equal(a, b) {
		t.Errorf("changed file kept its old br bytes")
	}
}

func TestOptimizeSwapsInBestVariants(t *testing.T) {
	s := testStore(t)
	js := s.Lookup("static/js/index.CxqYZM6S.js")
	fastTag := serve(js, "GET", map[string]string{"Accept-Encoding": "br"}).Header().Get("ETag")
	if !strings.HasSuffix(fastTag, `-brf"`) || s.Optimized() {
		t.Fatalf("before Optimize: br ETag %s, Optimized %v; want the fast variant", fastTag, s.Optimized())
	}
	fast, _ := js.Encoded("br")
	s.Optimize(context.Background())
	if !s.Optimized() {
		t.Fatal("Optimized() = false after Optimize")
	}
	w := serve(js, "GET", map[string]string{"Accept-Encoding": "br"})
	if tag := w.Header().Get("ETag"); !strings.HasSuffix(tag, `-br"`) || tag == fastTag {
		t.Errorf("after Optimize: br ETag %s, want a new tag ending in -br", tag)
	}
	if best, _ := js.Encoded("br"); bytes.Equal(best, fast) {
		t.Errorf("br bytes unchanged by Optimize")
	}
	plain, err := io.ReadAll(brotli.NewReader(bytes.NewReader(w.Body.Bytes())))
	if err != nil || !bytes.Equal(plain, bigJS) {
		t.Errorf("served best br does not decode to the original (err %v)", err)
	}
	// The stale fast tag no longer matches: the client gets the new bytes.
	if w := serve(js, "GET", map[string]string{"Accept-Encoding": "br", "If-None-Match": fastTag}); w.Code != 200 {
		t.Errorf("If-None-Match with the fast tag after Optimize: status %d, want 200", w.Code)
	}
}

func serve(f *File, method string, hdr map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "/x", nil)
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	f.ServeHTTP(w, r)
	return w
}

func TestServeNegotiationConditionalRange(t *testing.T) {
	s := testStore(t)
	js := s.Lookup("static/js/index.CxqYZM6S.js")
	brData, _ := js.Encoded("br")
	gzData, _ := js.Encoded("gzip")
	brTag := serve(js, "GET", map[string]string{"Accept-Encoding": "br"}).Header().Get("ETag")
	idTag := js.ETag()

	cases := []struct {
		name     string
		method   string
		hdr      map[string]string
		status   int
		encoding string
		body     []byte // nil: not checked
		bodyLen  int    // -1: not checked
		extra    map[string]string
	}{
		{name: "no Accept-Encoding gives identity", method: "GET", status: 200, encoding: "", body: bigJS, bodyLen: -1},
		{name: "br preferred on a tie", method: "GET", hdr: map[string]string{"Accept-Encoding": "gzip, deflate, br"}, status: 200, encoding: "br", body: brData, bodyLen: -1},
		{name: "gzip only", method: "GET", hdr: map[string]string{"Accept-Encoding": "gzip"}, status: 200, encoding: "gzip", body: gzData, bodyLen: -1},
		{name: "q-values favour gzip", method: "GET", hdr: map[string]string{"Accept-Encoding": "br;q=0.5, gzip;q=0.9"}, status: 200, encoding: "gzip", body: gzData, bodyLen: -1},
		{name: "br refused with q=0", method: "GET", hdr: map[string]string{"Accept-Encoding": "br;q=0, gzip"}, status: 200, encoding: "gzip", body: gzData, bodyLen: -1},
		{name: "wildcard", method: "GET", hdr: map[string]string{"Accept-Encoding": "*"}, status: 200, encoding: "br", body: brData, bodyLen: -1},
		{name: "wildcard refused but identity allowed", method: "GET", hdr: map[string]string{"Accept-Encoding": "*;q=0, identity"}, status: 200, encoding: "", body: bigJS, bodyLen: -1},
		{name: "everything refused still gets identity", method: "GET", hdr: map[string]string{"Accept-Encoding": "*;q=0"}, status: 200, encoding: "", body: bigJS, bodyLen: -1},
		{name: "unknown coding only", method: "GET", hdr: map[string]string{"Accept-Encoding": "zstd"}, status: 200, encoding: "", body: bigJS, bodyLen: -1},
		{name: "malformed q is refusal", method: "GET", hdr: map[string]string{"Accept-Encoding": "br;q=abc, gzip"}, status: 200, encoding: "gzip", body: gzData, bodyLen: -1},
		{name: "If-None-Match identity 304", method: "GET", hdr: map[string]string{"If-None-Match": idTag}, status: 304, bodyLen: 0},
		{name: "If-None-Match br 304", method: "GET", hdr: map[string]string{"Accept-Encoding": "br", "If-None-Match": brTag}, status: 304, bodyLen: 0},
		{name: "If-None-Match list 304", method: "GET", hdr: map[string]string{"Accept-Encoding": "br", "If-None-Match": `"nope", ` + brTag}, status: 304, bodyLen: 0},
		{name: "If-None-Match star 304", method: "GET", hdr: map[string]string{"If-None-Match": "*"}, status: 304, bodyLen: 0},
		{name: "identity tag does not match br", method: "GET", hdr: map[string]string{"Accept-Encoding": "br", "If-None-Match": idTag}, status: 200, encoding: "br", body: brData, bodyLen: -1},
		{name: "stale tag 200", method: "GET", hdr: map[string]string{"If-None-Match": `"stale"`}, status: 200, body: bigJS, bodyLen: -1},
		{name: "range first bytes", method: "GET", hdr: map[string]string{"Range": "bytes=0-9"}, status: 206, body: bigJS[:10], bodyLen: -1, extra: map[string]string{"Content-Range": "bytes 0-9/" + itoa(len(bigJS))}},
		{name: "range suffix", method: "GET", hdr: map[string]string{"Range": "bytes=-5"}, status: 206, body: bigJS[len(bigJS)-5:], bodyLen: -1},
		{name: "range open end", method: "GET", hdr: map[string]string{"Range": "bytes=7790-"}, status: 206, body: bigJS[7790:], bodyLen: -1},
		{name: "range unsatisfiable", method: "GET", hdr: map[string]string{"Range": "bytes=999999-"}, status: 416, bodyLen: -1, extra: map[string]string{"Content-Range": "bytes */" + itoa(len(bigJS))}},
		{name: "range on br representation", method: "GET", hdr: map[string]string{"Accept-Encoding": "br", "Range": "bytes=0-3"}, status: 206, encoding: "br", body: brData[:4], bodyLen: -1, extra: map[string]string{"Content-Length": "4"}},
		{name: "If-Range stale ignores range", method: "GET", hdr: map[string]string{"Range": "bytes=0-3", "If-Range": `"old"`}, status: 200, body: bigJS, bodyLen: -1},
		{name: "If-Range current honours range", method: "GET", hdr: map[string]string{"Range": "bytes=0-3", "If-Range": idTag}, status: 206, body: bigJS[:4], bodyLen: -1},
		{name: "conditional miss on br keeps Content-Length", method: "GET", hdr: map[string]string{"Accept-Encoding": "br", "If-None-Match": `"old"`}, status: 200, encoding: "br", body: brData, bodyLen: -1, extra: map[string]string{"Content-Length": itoa(len(brData))}},
		{name: "HEAD has headers, no body", method: "HEAD", hdr: map[string]string{"Accept-Encoding": "br"}, status: 200, encoding: "br", bodyLen: 0, extra: map[string]string{"Content-Length": itoa(len(brData))}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := serve(js, tc.method, tc.hdr)
			if w.Code != tc.status {
				t.Fatalf("status = %d, want %d", w.Code, tc.status)
			}
			if got := w.Header().Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary = %q, want Accept-Encoding", got)
			}
			if tc.status == 200 || tc.status == 206 || tc.status == 304 {
				if got := w.Header().Get("Cache-Control"); got != CacheImmutable {
					t.Errorf("Cache-Control = %q, want %q", got, CacheImmutable)
				}
				if w.Header().Get("ETag") == "" {
					t.Errorf("no ETag")
				}
			}
			if tc.status != 304 && tc.status != 416 {
				if got := w.Header().Get("Content-Encoding"); got != tc.encoding {
					t.Errorf("Content-Encoding = %q, want %q", got, tc.encoding)
				}
			}
			if tc.body != nil && !bytes.Equal(w.Body.Bytes(), tc.body) {
				t.Errorf("body differs: got %d bytes, want %d", w.Body.Len(), len(tc.body))
			}
			if tc.bodyLen >= 0 && w.Body.Len() != tc.bodyLen {
				t.Errorf("body length = %d, want %d", w.Body.Len(), tc.bodyLen)
			}
			for k, v := range tc.extra {
				if got := w.Header().Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestETagsDifferPerRepresentationAndContent(t *testing.T) {
	s := testStore(t)
	js := s.Lookup("static/js/index.CxqYZM6S.js")
	tags := map[string]string{}
	for _, enc := range []string{"", "br", "gzip"} {
		tag := serve(js, "GET", map[string]string{"Accept-Encoding": enc}).Header().Get("ETag")
		if !strings.HasPrefix(tag, `"`) || strings.HasPrefix(tag, "W/") {
			t.Errorf("ETag %q for %q is not a strong validator", tag, enc)
		}
		for other, ot := range tags {
			if ot == tag {
				t.Errorf("ETag for %q equals ETag for %q: %s", enc, other, tag)
			}
		}
		tags[enc] = tag
	}
	if js.ETag() == s.Lookup("index.html").ETag() {
		t.Errorf("different files share an ETag")
	}
}

func TestResolve(t *testing.T) {
	cases := []struct {
		rel, escaped string
		want         string
		bad          bool
	}{
		{rel: "/", escaped: "/", want: "index.html"},
		{rel: "", escaped: "", want: "index.html"},
		{rel: "/static/js/a.js", escaped: "/static/js/a.js", want: "static/js/a.js"},
		{rel: "/images/", escaped: "/images/", want: "images/index.html"},
		{rel: "/../etc/passwd", escaped: "/../etc/passwd", bad: true},
		{rel: "/static/../../etc/passwd", escaped: "/static/%2e%2e/%2e%2e/etc/passwd", bad: true},
		{rel: "/static/./js/a.js", escaped: "/static/./js/a.js", bad: true},
		{rel: "/static//js/a.js", escaped: "/static//js/a.js", bad: true},
		{rel: "/static/js/a.js", escaped: "/static%2fjs/a.js", bad: true},
		{rel: "/static/js/a.js", escaped: "/static%2Fjs/a.js", bad: true},
		{rel: "/static\\..\\etc", escaped: "/static%5c..%5cetc", bad: true},
		{rel: "/static\\js", escaped: "/static\\js", bad: true},
		{rel: "/a\x00.js", escaped: "/a%00.js", bad: true},
		{rel: "/a\n.js", escaped: "/a%0a.js", bad: true},
		{rel: "/\xc0\xaf", escaped: "/%c0%af", bad: true},
		{rel: "/%2e%2e/x", escaped: "/%252e%252e/x", want: "%2e%2e/x"}, // double-encoded: a literal name, not a dot segment
		{rel: "/" + strings.Repeat("a", 2000), escaped: "/" + strings.Repeat("a", 2000), bad: true},
		{rel: "/sounds/ring\uFFFD.wav", escaped: "/sounds/ring%EF%BF%BD.wav", want: "sounds/ring\uFFFD.wav"},
	}
	for _, tc := range cases {
		t.Run(tc.escaped, func(t *testing.T) {
			got, err := Resolve(tc.rel, tc.escaped)
			if tc.bad {
				if err == nil {
					t.Fatalf("Resolve(%q) = %q, want ErrBadPath", tc.rel, got)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Resolve(%q) = %q, %v, want %q", tc.rel, got, err, tc.want)
			}
		})
	}
}

func FuzzResolve(f *testing.F) {
	for _, seed := range []string{"/", "/static/js/a.js", "/../x", "/%2e%2e/", "/a%2fb", "/\\x", "/\xc0\xaf", "/a%2Fb", "/%%5C", "/x%0", "/x%00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, p string) {
		name, err := Resolve(p, p)
		lower := strings.ToLower(p)
		if err == nil && (strings.Contains(lower, "%2f") || strings.Contains(lower, "%5c") || strings.Contains(lower, "%00")) {
			t.Fatalf("Resolve(%q) = %q: an encoded slash, backslash or NUL was let through", p, name)
		}
		if err != nil {
			return
		}
		for seg := range strings.SplitSeq(name, "/") {
			if seg == ".." || seg == "." || seg == "" {
				t.Fatalf("Resolve(%q) = %q: dot or empty segment escaped", p, name)
			}
		}
		if strings.ContainsAny(name, "\\\x00") || strings.HasPrefix(name, "/") {
			t.Fatalf("Resolve(%q) = %q: separator or NUL escaped", p, name)
		}
	})
}

func FuzzNegotiateEncoding(f *testing.F) {
	for _, seed := range []string{"", "br", "gzip;q=0.5, br;q=1", "*;q=0", "identity;q=0, *;q=0", "br;q=NaN", ",,;;=="} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got := negotiateEncoding(h, true, true)
		switch got {
		case encBrotli, encGzip, encIdentity:
		default:
			t.Fatalf("negotiateEncoding(%q) = %q", h, got)
		}
		if negotiateEncoding(h, false, false) != encIdentity {
			t.Fatalf("negotiateEncoding(%q) without variants picked a coding", h)
		}
	})
}

func FuzzServeRange(f *testing.F) {
	s, err := Build([]Layer{{Name: "webclient", FS: fstest.MapFS{"a.js": {Data: bigJS}}}}, Options{})
	if err != nil {
		f.Fatal(err)
	}
	file := s.Lookup("a.js")
	for _, seed := range []string{"bytes=0-9", "bytes=-5", "bytes=5-", "bytes=0-1,3-4", "bytes=9-1", "bytes=a-b", "items=0-1"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, rng string) {
		r := httptest.NewRequest("GET", "/a.js", nil)
		r.Header.Set("Range", rng)
		w := httptest.NewRecorder()
		file.ServeHTTP(w, r)
		switch w.Code {
		case http.StatusOK:
			if !bytes.Equal(w.Body.Bytes(), bigJS) {
				t.Fatalf("Range %q: 200 with a partial body", rng)
			}
		case http.StatusPartialContent, http.StatusRequestedRangeNotSatisfiable:
		default:
			t.Fatalf("Range %q: status %d", rng, w.Code)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }
