package advancedoptions

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// hostnameRE matches a DNS name: dot-separated labels of letters, digits and
// hyphens, not starting or ending with a hyphen.
var hostnameRE = regexp.MustCompile(`^(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$`)

// validHost reports whether h is a DNS name or an IP address (IPv6 without brackets).
func validHost(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	if net.ParseIP(h) != nil {
		return true
	}
	return hostnameRE.MatchString(h)
}

// parseAbsURL parses s as an absolute URL with one of schemes and a valid
// host, without credentials. The error says what is wrong.
// what describes the expected URL, e.g. "a wss:// URL".
func parseAbsURL(s, what string, schemes ...string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Opaque != "" {
		return nil, fmt.Errorf("must be %s, got %q", what, s)
	}
	ok := false
	for _, sc := range schemes {
		if strings.EqualFold(u.Scheme, sc) {
			ok = true
		}
	}
	if !ok {
		return nil, fmt.Errorf("must be %s, got %q", what, s)
	}
	if !validHost(u.Hostname()) {
		return nil, fmt.Errorf("must name a valid host, got %q", s)
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("port must be between 1 and 65535, got %q", s)
		}
	}
	if u.User != nil {
		return nil, fmt.Errorf("must not contain credentials, got a URL with user info")
	}
	return u, nil
}

// origin is scheme://host[:port] of u, lowercased.
func origin(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

// isLoopback reports whether the URL's host is localhost or a loopback address.
func isLoopback(u *url.URL) bool {
	h := strings.ToLower(u.Hostname())
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// httpsURL checks an https:// URL; http:// is accepted for loopback hosts only.
func (v *validator) httpsURL(path, s string) *url.URL {
	u, err := parseAbsURL(s, "an https:// URL", "https", "http")
	if err != nil {
		v.errorf(path, "%v", err)
		return nil
	}
	if strings.EqualFold(u.Scheme, "http") && !isLoopback(u) {
		v.errorf(path, "must be an https:// URL (http:// only for localhost), got %q", s)
		return nil
	}
	return u
}
