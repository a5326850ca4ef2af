package auth

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// parsePrefix accepts a CIDR or a single address (taken as /32 or /128).
// IPv4-mapped IPv6 forms are stored as IPv4, and host bits are masked off.
func parsePrefix(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("must be an IP address or CIDR such as \"10.0.0.0/8\" or \"2001:db8::/32\", got %q", s)
		}
		if p.Addr().Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("must be an IP address or CIDR such as \"10.0.0.0/8\" or \"2001:db8::/32\", got %q", s)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func parsePrefixes(list []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for i, s := range list {
		p, err := parsePrefix(s)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", i, err)
		}
		out = append(out, p)
	}
	return out, nil
}

func containsAddr(list []netip.Prefix, a netip.Addr) bool {
	for _, p := range list {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ClientIP returns the address of the client that made r. The TCP peer is
// the client unless it is one of the trusted proxies; then X-Forwarded-For
// is read from right to left (each proxy appends the address it saw), and
// the first address that is not a trusted proxy is the client. A malformed
// entry where the client should be yields the zero Addr, which no
// allow-list contains: an unreadable chain is refused, not guessed.
func ClientIP(r *http.Request, trusted []netip.Prefix) netip.Addr {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	var addr netip.Addr
	if err == nil {
		addr = peer.Addr().Unmap().WithZone("")
	} else if a, err := netip.ParseAddr(r.RemoteAddr); err == nil {
		addr = a.Unmap().WithZone("")
	} else {
		return netip.Addr{}
	}
	if !containsAddr(trusted, addr) {
		return addr
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := parseHop(strings.TrimSpace(hops[i]))
		if err != nil {
			return netip.Addr{}
		}
		addr = a.Unmap().WithZone("")
		if !containsAddr(trusted, addr) {
			return addr
		}
	}
	// Every hop is a trusted proxy: the leftmost is as close to the client as we know.
	return addr
}

// parseHop reads one X-Forwarded-For entry: an address, or an address with
// a port as some proxies write it ("192.0.2.1:4711", "[2001:db8::1]:4711").
func parseHop(s string) (netip.Addr, error) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a, nil
	}
	ap, err := netip.ParseAddrPort(s)
	return ap.Addr(), err
}
