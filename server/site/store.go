package site

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// GeneratedConfigPath is the served path of the client config that softphone
// renders from softphone.yaml. It is never read from a file: a file at this
// path in any layer is ignored (and reported by Build).
const GeneratedConfigPath = "static/js/advancedOptions.js"

// minCompressSize is the smallest body worth compressing, as NGINX's
// gzip_min_length 1024 in the vendor manual: below it, headers dominate.
const minCompressSize = 1024

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

	identity rep
	br       *rep
	gzip     *rep
}

type rep struct {
	data []byte
	etag string
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
	switch coding {
	case encBrotli:
		if f.br != nil {
			return f.br.data, true
		}
	case encGzip:
		if f.gzip != nil {
			return f.gzip.data, true
		}
	}
	return nil, false
}

// Store is an immutable set of served files. Build makes a new one for
// every config (re)load; the server swaps it in atomically.
type Store struct {
	files map[string]*File
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

// Build reads every layer and precomputes each file's representations.
// Compression runs on all cores; files unchanged since opts.Previous reuse
// its results.
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
	var work []*File
	for name, src := range sources {
		f := &File{
			Name:         name,
			ContentType:  contentType(name),
			CacheControl: cachePolicy(name),
			Layer:        src.layer,
			identity:     rep{data: src.data, etag: etagOf(src.data)},
		}
		s.files[name] = f
		if !compressible(f.ContentType) || len(src.data) < minCompressSize {
			continue
		}
		if opts.Previous != nil {
			if old := opts.Previous.files[name]; old != nil && old.identity.etag == f.identity.etag {
				f.br, f.gzip = old.br, old.gzip
				continue
			}
		}
		work = append(work, f)
	}
	compressAll(work)
	return s, nil
}

// compressAll fills in the br and gzip representations, largest files first
// so the slowest job starts early, on as many goroutines as there are cores.
func compressAll(files []*File) {
	sort.Slice(files, func(i, j int) bool { return files[i].Size() > files[j].Size() })
	jobs := make(chan func())
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for job := range jobs {
				job()
			}
		})
	}
	for _, f := range files {
		jobs <- func() { f.br = compressed(f.identity, encBrotli, brotliBytes) }
		jobs <- func() { f.gzip = compressed(f.identity, encGzip, gzipBytes) }
	}
	close(jobs)
	wg.Wait()
}

// compressed returns the encoded representation, or nil when it is not
// smaller than identity (RFC 9110 does not forbid it, but it is waste).
func compressed(id rep, coding string, enc func([]byte) []byte) *rep {
	data := enc(id.data)
	if len(data) >= len(id.data) {
		return nil
	}
	// Each representation has its own strong ETag (RFC 9110 8.8.3: the
	// entity tag identifies the selected representation, so a br body and a
	// gzip body of one file must differ); it derives from the identity hash
	// so it changes whenever the content does.
	return &rep{data: data, etag: strings.TrimSuffix(id.etag, `"`) + "-" + coding + `"`}
}

func brotliBytes(b []byte) []byte {
	var buf bytes.Buffer
	w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: 22})
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
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
