package auth

import (
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Origin is the origin (scheme://host[:port]) that redirect URIs are built
// on, never taken from the Host header unchecked: the Host when it names
// one of the configured origins (publicURL, or the ACME domains), else the
// first configured origin. With none configured, a loopback Host (a local
// test) is kept and any other gives way to the address the connection
// arrived on. scheme is the scheme used for the latter two.
func Origin(r *http.Request, origins []string, scheme string) (string, bool) {
	host, ok := validHost(r.Host)
	if !ok {
		return "", false
	}
	for _, o := range origins {
		if u, err := url.Parse(o); err == nil && strings.EqualFold(u.Host, host) {
			return o, true
		}
	}
	if len(origins) > 0 {
		return origins[0], true
	}
	if u, err := url.Parse("//" + host); err == nil && isLoopbackHost(u.Hostname()) {
		return scheme + "://" + host, true
	}
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok {
		return "", false
	}
	return scheme + "://" + local.String(), true
}

// validHost returns h when it is a syntactically valid host[:port].
func validHost(h string) (string, bool) {
	if h == "" || len(h) > 255 {
		return "", false
	}
	for _, c := range []byte(h) {
		if !(('0' <= c && c <= '9') || ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || c == '-' || c == '.' || c == ':' || c == '[' || c == ']') {
			return "", false
		}
	}
	if u, err := url.Parse("//" + h); err != nil || u.Host != h {
		return "", false
	}
	return h, true
}
