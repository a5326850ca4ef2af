package server

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/softphone/softphone/server/auth"
	"github.com/softphone/softphone/server/tlsconf"
)

// publicOrigins lists the origins agents use, which redirects to HTTPS and
// the OIDC redirect_uri are built on instead of the Host header: publicURL,
// else https://<domain>[:port] for each ACME domain, else none.
func (c *Config) publicOrigins() []string {
	if c.PublicURL != "" {
		return []string{strings.TrimSuffix(c.PublicURL, "/")}
	}
	if c.TLS.Mode != tlsconf.ModeACME {
		return nil
	}
	_, port, _ := net.SplitHostPort(c.Listen)
	var list []string
	for _, d := range c.TLS.ACME.Domains {
		if port != "443" && port != "https" {
			d = net.JoinHostPort(d, port)
		}
		list = append(list, "https://"+d)
	}
	return list
}

// checkPublicURL accepts an origin: https (or http to a loopback host),
// a host, an optional port, and no path, query, fragment or user.
func checkPublicURL(s string) error {
	u, err := url.Parse(s)
	bad := err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" ||
		(u.Path != "" && u.Path != "/") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "#")
	if !bad {
		switch u.Scheme {
		case "https":
		case "http":
			bad = u.Hostname() != "localhost" && !isLoopbackIP(u.Hostname())
		default:
			bad = true
		}
	}
	if bad {
		return fmt.Errorf("must be the origin agents use, such as \"https://softphone.example.com\" or \"https://softphone.example.com:8443\" (no path; basePath is added), got %q", s)
	}
	return nil
}

func isLoopbackIP(h string) bool {
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// httpsTarget is where the plain-HTTP listener sends r: the configured
// origin the Host names, else the first configured one; with none, a
// loopback Host on the HTTPS port, or else the address the connection
// arrived on with the HTTPS port. Never a name only the Host header gave.
func httpsTarget(r *http.Request, origins []string, httpsPort string) (string, bool) {
	if len(origins) > 0 {
		return auth.Origin(r, origins, "https")
	}
	host, ok := requestHost(r.Host)
	if !ok {
		return "", false
	}
	if !(host == "localhost" || isLoopbackIP(host)) {
		local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
		if !ok {
			return "", false
		}
		if host, _, ok = strings.Cut(local.String(), "]"); ok { // IPv6 "[addr]:port"
			host = strings.TrimPrefix(host, "[")
		} else {
			host, _, _ = net.SplitHostPort(local.String())
		}
	}
	if httpsPort == "443" || httpsPort == "https" {
		if strings.Contains(host, ":") {
			return "https://[" + host + "]", true
		}
		return "https://" + host, true
	}
	return "https://" + net.JoinHostPort(host, httpsPort), true
}
