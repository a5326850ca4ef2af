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
	// Embedded marks a layer compiled into the binary: its files cannot
	// change while the process runs. Their bytes are read on first use, not
	// at Build, so files nobody asks for (the virtual-background model) cost
	// no memory; and a file's build-time sidecars X.br and X.gz, when
	// present, are served as its compressed forms instead of compressing at
	// start-up.
	Embedded bool
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

	identity *rep
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

// rep is one representation of a file. Its content is either made at once
// (newRep) or read on first use from an embedded layer (lazyRep).
type rep struct {
	size int
	read func() ([]byte, error) // nil for a rep made in memory
	once sync.Once
	c    *content // set by newRep, or by the first get of a lazy rep
	err  error    // a lazy rep that could not be read
}

// content is a representation's bytes with its prepared header values
// (see File.ServeHTTP).
type content struct {
	data               []byte
	etag               string
	etagHdr, lengthHdr []string
}

func newContent(data []byte, etag string) *content {
	return &content{data: data, etag: etag, etagHdr: []string{etag}, lengthHdr: []string{strconv.Itoa(len(data))}}
}

func newRep(data []byte, etag string) *rep {
	return &rep{size: len(data), c: newContent(data, etag)}
}

// lazyRep is a representation of size bytes that read returns when first
// needed. Its ETag is made from those bytes then, followed by tag ("-br")
// for a compressed form, so it changes when and only when they do.
func lazyRep(size int, tag string, read func() ([]byte, error)) *rep {
	r := &rep{size: size}
	r.read = func() ([]byte, error) {
		data, err := read()
		if err == nil && len(data) != size {
			err = fmt.Errorf("read %d bytes, want %d", len(data), size)
		}
		if err == nil {
			etag := etagOf(data)
			if tag != "" {
				etag = strings.TrimSuffix(etag, `"`) + "-" + tag + `"`
			}
			r.c = newContent(data, etag)
		}
		return data, err
	}
	return r
}

// get returns the content, reading a lazy representation the first time.
// Concurrent first callers wait for the one read.
func (r *rep) get() (*content, error) {
	if r.read != nil {
		r.once.Do(func() { _, r.err = r.read() })
	}
	return r.c, r.err
}

// mustGet is get for callers outside serving (export, tests): the only
// lazy reps are files of the binary's own embedded layers, which Build has
// just listed, so a failed read is a broken binary.
func (r *rep) mustGet() *content {
	c, err := r.get()
	if err != nil {
		panic(fmt.Sprintf("site: reading an embedded file: %v", err))
	}
	return c
}

// Size returns the identity size in bytes.
func (f *File) Size() int { return f.identity.size }

// Bytes returns the identity content. Callers must not modify it.
func (f *File) Bytes() []byte { return f.identity.mustGet().data }

// ETag returns the strong ETag of the identity representation.
func (f *File) ETag() string { return f.identity.mustGet().etag }

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
			return e.br.mustGet().data, true
		}
	case encGzip:
		if e.gzip != nil {
			return e.gzip.mustGet().data, true
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
// Files of embedded layers are not read here (see Layer.Embedded) unless
// they need compressing at run time.
func Build(layers []Layer, opts Options) (*Store, error) {
	sources := map[string]source{}
	var errs []error
	for _, l := range layers {
		if l.FS == nil {
			continue
		}
		if err := walkLayer(l, sources); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", l.Name, err))
		}
	}
	for p, data := range opts.Generated {
		sources[p] = source{data: data, layer: "generated", size: len(data)}
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
		}
		f.Document = strings.HasPrefix(f.ContentType, "text/html") || strings.HasPrefix(f.ContentType, "image/svg+xml")
		f.hdr.cacheControl = []string{f.CacheControl}
		f.hdr.contentType = []string{f.ContentType}
		s.files[name] = f
		if src.fsys != nil {
			if old := opts.Previous.lookup(name); old != nil && old.Layer == f.Layer && old.identity.read != nil {
				// Embedded: the same bytes for the life of the process, so
				// a reload keeps what an earlier store already read and made.
				f.identity = old.identity
				f.enc.Store(old.enc.Load())
			} else {
				f.identity = lazyRep(src.size, "", func() ([]byte, error) { return fs.ReadFile(src.fsys, src.path) })
				f.enc.Store(src.sidecars())
			}
		} else {
			f.identity = newRep(src.data, etagOf(src.data))
			if old := opts.Previous.lookup(name); old != nil && old.identity.read == nil && old.ETag() == f.ETag() {
				f.enc.Store(old.enc.Load())
			}
		}
		if !compressible(f.ContentType) || src.size < minCompressSize {
			continue
		}
		if e := f.enc.Load(); e == nil || !e.best {
			s.work = append(s.work, f)
		}
	}
	sort.Slice(s.work, func(i, j int) bool { return s.work[i].Size() > s.work[j].Size() })
	// Fast variants first, so serving starts at once (startup stays well
	// under a second even with a large bundle); Optimize replaces them
	// with the best ones in the background.
	s.compress(fastLevel, func(f *File) bool { return f.enc.Load() == nil && f.Size() <= bigFileSize })
	return s, nil
}

// source is where a served path's bytes come from: data in memory, or a
// file of an embedded layer (fsys and path) with its build-time sidecars.
type source struct {
	layer    string
	size     int
	data     []byte
	fsys     fs.FS
	path     string
	br, gzip int // sizes of path+".br" and path+".gz" in fsys; 0 when absent
}

// sidecars returns the build-time compressed forms of an embedded file,
// read lazily like the file itself, or nil when it has none. A sidecar
// that is not smaller than the file is ignored, as Build would not make one.
func (src source) sidecars() *encodings {
	e := &encodings{best: true}
	if src.br > 0 && src.br < src.size {
		e.br = lazyRep(src.br, encBrotli, func() ([]byte, error) { return fs.ReadFile(src.fsys, src.path+".br") })
	}
	if src.gzip > 0 && src.gzip < src.size {
		e.gzip = lazyRep(src.gzip, encGzip, func() ([]byte, error) { return fs.ReadFile(src.fsys, src.path+".gz") })
	}
	if e.br == nil && e.gzip == nil {
		return nil
	}
	return e
}

// walkLayer adds the files of one layer to sources, replacing earlier
// layers' files at the same paths. Files of a plain layer are read now; an
// embedded layer's are listed with their sizes and read on first use, and
// its sidecars (X.br, X.gz next to X) are attached to X, not served alone.
func walkLayer(l Layer, sources map[string]source) error {
	type entry struct {
		path string
		size int
	}
	var files []entry
	sizes := map[string]int{}
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
		if !l.Embedded {
			data, err := fs.ReadFile(l.FS, p)
			if err != nil {
				return err
			}
			sources[p] = source{data: data, layer: l.Name, size: len(data)}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files = append(files, entry{p, int(info.Size())})
		sizes[p] = int(info.Size())
		return nil
	})
	for _, e := range files {
		if base, ok := sidecarOf(e.path); ok {
			if _, has := sizes[base]; has {
				continue
			}
		}
		sources[e.path] = source{layer: l.Name, size: e.size, fsys: l.FS, path: e.path, br: sizes[e.path+".br"], gzip: sizes[e.path+".gz"]}
	}
	return err
}

// sidecarOf returns the file a sidecar name belongs to ("a.js" for
// "a.js.br" or "a.js.gz").
func sidecarOf(p string) (string, bool) {
	if base, ok := strings.CutSuffix(p, ".br"); ok {
		return base, true
	}
	return strings.CutSuffix(p, ".gz")
}

// lookup is Lookup on a store that may be nil.
func (s *Store) lookup(name string) *File {
	if s == nil {
		return nil
	}
	return s.files[name]
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
func compressed(identity *rep, tag string, enc func([]byte) []byte) *rep {
	id := identity.mustGet()
	data := enc(id.data)
	if len(data) >= len(id.data) {
		return nil
	}
	// Each representation has its own strong ETag (RFC 9110 8.8.3: the
	// entity tag identifies the selected representation, so a br body and a
	// gzip body of one file must differ); it derives from the identity hash
	// so it changes whenever the content does.
	// The fast and best levels differ in bytes, so in tags too ("-brf", "-br").
	return newRep(data, strings.TrimSuffix(id.etag, `"`)+"-"+tag+`"`)
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
