package site

import "regexp"

// Cache-Control values of the served-tree table in docs/architecture.md.
const (
	// CacheRevalidate makes browsers revalidate with the ETag before every
	// use: a changed config or brand file reaches agents at the next load,
	// and an unchanged one costs a 304 of a few hundred bytes.
	CacheRevalidate = "no-cache"
	// CacheImmutable is for content-hashed bundles: their name changes when
	// their bytes do, so they can be kept for a year without a revalidation.
	CacheImmutable = "public, max-age=31536000, immutable"
)

// hashedBundle matches bundler output such as static/js/index.B4x_9fQe.js:
// a name, a dot, a hash of at least 8 URL-safe characters, and the
// extension. Only these are safe to mark immutable.
var hashedBundle = regexp.MustCompile(`^static/(js|css)/[^/]+[.-][A-Za-z0-9_-]{8,}\.(js|css)$`)

// cachePolicy returns the Cache-Control value for a served path.
func cachePolicy(name string) string {
	if name == GeneratedConfigPath {
		return CacheRevalidate
	}
	// The folder must match the extension: a .css under static/js is not a bundle.
	if m := hashedBundle.FindStringSubmatch(name); m != nil && m[1] == m[2] {
		return CacheImmutable
	}
	return CacheRevalidate
}
