package site

import (
	"mime"
	"path"
	"strings"
)

// contentTypes pins the types of the files the softphone serves, so the
// answer does not depend on the host's mime.types (Go falls back to
// /etc/mime.types, which differs between machines and misses some).
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".json":        "application/json",
	".map":         "application/json",
	".webmanifest": "application/manifest+json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".wav":         "audio/wav",
	".mp3":         "audio/mpeg",
	".ogg":         "audio/ogg",
	".oga":         "audio/ogg",
	".opus":        "audio/ogg",
	".m4a":         "audio/mp4",
	".webm":        "audio/webm",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".ttf":         "font/ttf",
	".txt":         "text/plain; charset=utf-8",
	".xml":         "application/xml",
	".wasm":        "application/wasm",
}

// contentType returns the Content-Type for a served path.
func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if ct, ok := contentTypes[ext]; ok {
		return ct
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// compressible reports whether a type gains from brotli/gzip. Images other
// than SVG and icons, audio and fonts are already compressed formats.
func compressible(ct string) bool {
	base, _, _ := strings.Cut(ct, ";")
	switch {
	case strings.HasPrefix(base, "text/"):
		return true
	case base == "application/json", base == "application/manifest+json",
		base == "application/xml", base == "application/wasm",
		base == "image/svg+xml", base == "image/x-icon", base == "font/ttf", base == "audio/wav":
		return true
	}
	return false
}
