package auth

import (
	"net/url"
	"path"
	"strings"
)

// maxReturnTo bounds the length of a return_to target.
const maxReturnTo = 2048

// safeReturnTo returns target if it is a same-origin path under basePath,
// with any jwt query parameter removed, and basePath otherwise.
//
// Browsers read "//host" and "/\host" as another origin, strip tabs and
// newlines before parsing, and some decode %2F; so a target is accepted only
// if it starts with a single "/", has no backslash, whitespace or control
// character anywhere, parses with no scheme, host or user, and its decoded
// path neither starts with "//" nor climbs out of basePath.
func safeReturnTo(target, basePath string) string {
	if target == "" || len(target) > maxReturnTo || target[0] != '/' || strings.HasPrefix(target, "//") {
		return basePath
	}
	for _, c := range []byte(target) {
		if c <= ' ' || c == 0x7f || c == '\\' || c >= 0x80 {
			return basePath
		}
	}
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return basePath
	}
	if strings.HasPrefix(u.Path, "//") || strings.Contains(u.Path, "\\") {
		return basePath
	}
	clean := path.Clean(u.Path)
	if strings.HasSuffix(u.Path, "/") && clean != "/" {
		clean += "/"
	}
	if clean != u.Path || !(strings.HasPrefix(clean, basePath) || clean+"/" == basePath) {
		return basePath
	}
	if u.RawQuery != "" {
		q := u.Query()
		if q.Has("jwt") {
			q.Del("jwt")
			u.RawQuery = q.Encode()
		}
	}
	u.Fragment, u.RawFragment = "", ""
	return u.RequestURI()
}
