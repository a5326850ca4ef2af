package site

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/andybalholm/brotli"
)

// GeneratedConfigPath is the served path of the client config that softphone
// renders from softphone.yaml. It is never read from a file: a file at this
// path in any layer is ignored (and reported by Build).
const GeneratedConfigPath = "static/js/advancedOptions.js"

// minCompressSize is the smallest body worth compressing, as NGINX's
// gzip_min_length 1024 in the vendor manual: below it, headers dominate.
const minCompressSize = 1024

// bigFileSize is the size above which a file is compressed once, in the
// background, at a middle level (bigLevel). The web client's largest file,
// the virtual-background model's 5.6 MB WebAssembly, would take a second at
// the fast level before serving could start, and a minute of a core at
// brotli 11 for 15% fewer bytes than brotli 5 makes in a second. Until then
// it is served uncompressed: nothing asks for it at page load.
const bigFileSize = 1 << 20

// Layer is one source of served files. Later layers replace earlier ones
// path by path: web client dist, then default assets, then the brand overlay.
type Layer struct {
	// Name identifies the layer in messages ("webclient", "assets", "branding").
	Name string
	// FS holds files at their served paths.
	FS fs.FS
}

// File is one served path with all its representations.
type File struct {
	// Name is the path below basePath, without a leading slash.
	Name string
	// ContentType is the Content-Type header value.
	ContentType string
	// CacheControl is the Cache-Control header value.
	CacheControl string
	// Layer names where the file came from.
	Layer string
	// Document is true for what a browser renders as a page (HTML, and SVG
	// opened on its own), which needs the page-level security headers.
	Document bool

	identity rep
	hdr      struct{ cacheControl, contentType []string }
	// enc holds the compressed representations; Optimize swaps in better
	// ones while requests are being served, so readers load it once.
	enc atomic.Pointer[encodings]
}

// encodings are a file's compressed representations at one quality level.
type encodings struct {
	br, gzip *rep // nil when absent or not smaller than identity
	best     bool // made at the highest quality; nothing left to improve
}

type rep struct {
	data []byte
	etag string
	// Prepared header values (see File.ServeHTTP).
	etagHdr, lengthHdr []string
}

func newRep(data []byte, etag string) rep {
	return rep{data: data, etag: etag, etagHdr: []string{etag}, lengthHdr: []string{strconv.Itoa(len(data))}}
}

// Size returns the identity size in bytes.
func (f *File) Size() int { return len(f.identity.data) }

// Bytes returns the identity content. Callers must not modify it.
func (f *File) Bytes() []byte { return f.identity.data }

// ETag returns the strong ETag of the identity representation.
func (f *File) ETag() string { return f.identity.etag }

// Encoded returns the bytes of the given coding ("br" or "gzip") and
// whether that representation exists.
func (f *File) Encoded(coding string) ([]byte, bool) {
	e := f.enc.Load()
	if e == nil {
		return nil, false
	}
	switch coding {
	case encBrotli:
		if e.br != nil {
			return e.br.data, true
		}
	case encGzip:
		if e.gzip != nil {
			return e.gzip.data, true
		}
	}
	return nil, false
}

// Store is a set of served files. Build makes a new one for every config
// (re)load; the server swaps it in atomically. Its file set never changes;
// Optimize only improves the compressed representations.
type Store struct {
	files map[string]*File
	work  []*File // compressible files, largest first
}

// Lookup returns the file at a served path (no leading slash), or nil.
func (s *Store) Lookup(name string) *File { return s.files[name] }

// Names returns every served path in sorted order.
func (s *Store) Names() []string {
	names := make([]string, 0, len(s.files))
	for n := range s.files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Options tune Build.
type Options struct {
	// Generated are files made from config, added after all layers
	// (GeneratedConfigPath and nothing else today).
	Generated map[string][]byte
	// Previous, when set, lends its compressed representations to files
	// whose bytes did not change, so a reload recompresses only what changed.
	Previous *Store
}

// Build reads every layer and precomputes each file's representations:
// fast brotli and gzip variants now, on all cores (files unchanged since
// opts.Previous reuse its variants); call Optimize for the best ones.
func Build(layers []Layer, opts Options) (*Store, error) {
	type source struct {
		data  []byte
		layer string
	}
	sources := map[string]source{}
	var errs []error
	for _, l := range layers {
		if l.FS == nil {
			continue
		}
		err := fs.WalkDir(l.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != "." && strings.HasPrefix(d.Name(), ".") {
					return fs.SkipDir
				}
				return nil
			}
			if strings.HasPrefix(d.Name(), ".") || !d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0 {
				return nil
			}
			if p == GeneratedConfigPath {
				return nil
			}
			data, err := fs.ReadFile(l.FS, p)
			if err != nil {
				return err
			}
			sources[p] = source{data: data, layer: l.Name}
			return nil
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", l.Name, err))
		}
	}
	for p, data := range opts.Generated {
		sources[p] = source{data: data, layer: "generated"}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	s := &Store{files: make(map[string]*File, len(sources))}
	for name, src := range sources {
		f := &File{
			Name:         name,
			ContentType:  contentType(name),
			CacheControl: cachePolicy(name),
			Layer:        src.layer,
			identity:     newRep(src.data, etagOf(src.data)),
		}
		f.Document = strings.HasPrefix(f.ContentType, "text/html") || strings.HasPrefix(f.ContentType, "image/svg+xml")
		f.hdr.cacheControl = []string{f.CacheControl}
		f.hdr.contentType = []string{f.ContentType}
		s.files[name] = f
		if !compressible(f.ContentType) || len(src.data) < minCompressSize {
			continue
		}
		s.work = append(s.work, f)
		if opts.Previous != nil {
			if old := opts.Previous.files[name]; old != nil && old.identity.etag == f.identity.etag {
				f.enc.Store(old.enc.Load())
			}
		}
	}
	sort.Slice(s.work, func(i, j int) bool { return s.work[i].Size() > s.work[j].Size() })
	// Fast variants first, so serving starts at once (startup stays well
	// under a second even with a large bundle); Optimize replaces them
	// with the best ones in the background.
	s.compress(fastLevel, func(f *File) bool { return f.enc.Load() == nil && f.Size() <= bigFileSize })
	return s, nil
}

// Optimize recompresses every file still at the fast level with brotli
// quality 11 and gzip level 9, and compresses the files over bigFileSize
// (brotli 5, gzip 6), swapping each in as it is done. It returns
// when all are done or ctx ends. Safe to call while serving: it works on
// one file at a time, so it takes one core and bounded memory from the
// requests being served, and hands that memory back to the OS at the end.
// It returns how many files it recompressed.
func (s *Store) Optimize(ctx context.Context) int {
	n := 0
	for _, f := range s.work {
		if ctx.Err() != nil {
			break
		}
		if e := f.enc.Load(); e != nil && e.best {
			continue
		}
		lv := bestLevel
		if f.Size() > bigFileSize {
			lv = bigLevel
		}
		f.enc.Store(lv.encode(f))
		n++
	}
	if n > 0 {
		debug.FreeOSMemory()
	}
	return n
}

// Optimized reports whether every compressible file has its best variants.
func (s *Store) Optimized() bool {
	for _, f := range s.work {
		if e := f.enc.Load(); e == nil || !e.best {
			return false
		}
	}
	return true
}

// level is one set of compression settings.
type level struct {
	best     bool
	brotli   int
	gzip     int
	etagMark string // distinguishes the bytes of each level in the ETag
}

var (
	fastLevel = level{best: false, brotli: 4, gzip: gzip.DefaultCompression, etagMark: "f"}
	bestLevel = level{best: true, brotli: brotli.BestCompression, gzip: gzip.BestCompression, etagMark: ""}
	// bigLevel is the one level of files over bigFileSize.
	bigLevel = level{best: true, brotli: 5, gzip: gzip.DefaultCompression, etagMark: ""}
)

// encode makes a file's brotli and gzip representations at this level.
func (lv level) encode(f *File) *encodings {
	return &encodings{
		br:   compressed(f.identity, encBrotli+lv.etagMark, func(b []byte) []byte { return brotliBytes(b, lv.brotli) }),
		gzip: compressed(f.identity, encGzip+lv.etagMark, func(b []byte) []byte { return gzipBytes(b, lv.gzip) }),
		best: lv.best,
	}
}

// compress encodes the files that need it, on as many goroutines as there
// are cores, largest first so the slowest job starts early.
func (s *Store) compress(lv level, need func(*File) bool) {
	jobs := make(chan *File)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for f := range jobs {
				if !need(f) {
					continue
				}
				f.enc.Store(lv.encode(f))
			}
		})
	}
	for _, f := range s.work {
		jobs <- f
	}
	close(jobs)
	wg.Wait()
}

// compressed returns the encoded representation, or nil when it is not
// smaller than identity (RFC 9110 does not forbid it, but it is waste).
func compressed(id rep, tag string, enc func([]byte) []byte) *rep {
	data := enc(id.data)
	if len(data) >= len(id.data) {
		return nil
	}
	// Each representation has its own strong ETag (RFC 9110 8.8.3: the
	// entity tag identifies the selected representation, so a br body and a
	// gzip body of one file must differ); it derives from the identity hash
	// so it changes whenever the content does.
	// The fast and best levels differ in bytes, so in tags too ("-brf", "-br").
	r := newRep(data, strings.TrimSuffix(id.etag, `"`)+"-"+tag+`"`)
	return &r
}

func brotliBytes(b []byte, quality int) []byte {
	var buf bytes.Buffer
	// A window larger than the input compresses no better but costs memory
	// (quality 11 with the 4 MiB window allocates tens of MiB), so the
	// window is sized to the file: 2^lgwin >= len(b), within brotli's 10..24.
	lgwin := 10
	for lgwin < 24 && 1<<lgwin < len(b) {
		lgwin++
	}
	w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: quality, LGWin: lgwin})
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func gzipBytes(b []byte, lvl int) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, lvl)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// etagOf is a strong validator from the content's SHA-256: it changes when
// and only when the bytes do, across restarts and across replicas.
func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
}
