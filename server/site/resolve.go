package site

import (
	"errors"
	"strings"
)

// ErrBadPath is returned by Resolve for request paths that try to leave the
// served tree or smuggle separators; the server answers them with 400.
var ErrBadPath = errors.New("path is not allowed")

// maxPathLen bounds the request path: no served name is near it, and a
// longer one is either a mistake or an attack.
const maxPathLen = 1024

// Resolve turns the part of a request path below basePath into a store key.
// rel is the decoded path (URL.Path with the basePath prefix removed) and
// escaped its escaped form (URL.EscapedPath likewise), which still shows
// encoded separators.
//
// Refused with ErrBadPath: dot segments ("..", "." — decoded, so %2e%2e is
// caught too), encoded slashes and backslashes (%2f, %5c), raw backslashes,
// NUL and other control characters, invalid UTF-8 (overlong encodings
// included) and paths over 1 KiB. Nothing is cleaned silently: a path that
// would need cleaning is not one the client ever asks for. A trailing slash
// means the folder's index.html.
func Resolve(rel, escaped string) (string, error) {
	if len(rel) > maxPathLen || len(escaped) > 3*maxPathLen {
		return "", ErrBadPath
	}
	if hasEncodedSeparator(escaped) {
		return "", ErrBadPath
	}
	if !validUTF8Path(rel) {
		return "", ErrBadPath
	}
	name := strings.TrimPrefix(rel, "/")
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	for seg := range strings.SplitSeq(name, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return "", ErrBadPath
		}
	}
	return name, nil
}

// hasEncodedSeparator reports whether an escaped path holds %2f (slash),
// %5c (backslash) or %00 (NUL), in either case: decoded, they would
// change which file the path names.
func hasEncodedSeparator(escaped string) bool {
	for i := 0; i+2 < len(escaped); i++ {
		if escaped[i] != '%' {
			continue
		}
		switch escaped[i+1 : i+3] {
		case "2f", "2F", "5c", "5C", "00":
			return true
		}
	}
	return false
}

// validUTF8Path rejects control characters, backslashes and invalid UTF-8.
// Go's decoder already refuses overlong forms such as %c0%af, which some
// servers once decoded to "/".
func validUTF8Path(p string) bool {
	for i, r := range p {
		if r == '\uFFFD' && !strings.HasPrefix(p[i:], "\uFFFD") {
			return false
		}
		if r < 0x20 || r == 0x7f || r == '\\' {
			return false
		}
	}
	return true
}
