package advancedoptions

import (
	"net"
	"strconv"
	"strings"
)

// server checks defaultServerConfig.
func (v *validator) server(sc *ServerConfig) {
	if sc == nil {
		return
	}
	if sc.SIPDomain != "" {
		if strings.Contains(sc.SIPDomain, "://") {
			v.errorf(p("defaultServerConfig", "sipDomain"), "must be a domain name such as example.com, not a URL, got %q", sc.SIPDomain)
		} else if !validHost(sc.SIPDomain) {
			v.errorf(p("defaultServerConfig", "sipDomain"), "must be a domain name or IP address such as example.com, got %q", sc.SIPDomain)
		}
	}
	primary := v.sbcList(p("defaultServerConfig", "sipServerAddress"), sc.SIPServerAddress)
	v.sbcList(p("defaultServerConfig", "backupSipServerAddress"), sc.BackupSIPServerAddress)
	for i, s := range sc.BackupSIPServerAddress {
		if j, ok := primary[normalizeSBC(s)]; ok {
			v.errorf(idx(p("defaultServerConfig", "backupSipServerAddress"), i),
				"must differ from the primary servers, %q is also sipServerAddress[%d]", s, j)
		}
	}
	if len(sc.SIPServerAddress) == 0 {
		locked := (sc.GUIEnabled != nil && !*sc.GUIEnabled) || (sc.DisableEditing != nil && *sc.DisableEditing)
		if locked {
			v.errorf(p("defaultServerConfig", "sipServerAddress"), "must list at least one wss:// SBC address when guiEnabled is false or disableEditing is true (users could never set a server)")
		} else {
			v.warnf(p("defaultServerConfig", "sipServerAddress"), "no SBC address set: every user must enter one in Settings")
		}
	}
	if len(sc.SIPServerAddress) > 0 && sc.SIPDomain == "" {
		locked := (sc.GUIEnabled != nil && !*sc.GUIEnabled) || (sc.DisableEditing != nil && *sc.DisableEditing)
		if locked {
			v.errorf(p("defaultServerConfig", "sipDomain"), "must be set when guiEnabled is false or disableEditing is true: REGISTER and INVITE need the SIP domain")
		} else {
			v.warnf(p("defaultServerConfig", "sipDomain"), "not set: every user must enter the SIP domain in Settings")
		}
	}
	if len(sc.BackupSIPServerAddress) > 0 && len(sc.SIPServerAddress) == 0 {
		v.errorf(p("defaultServerConfig", "backupSipServerAddress"), "needs sipServerAddress: dual registration registers to a primary and a backup server")
	}
	for i, s := range sc.SIPIceServers {
		if msg := checkICE(s); msg != "" {
			v.errorf(idx(p("defaultServerConfig", "sipIceServers"), i), "%s, got %q", msg, s)
		}
	}
}

// sbcList checks a list of SBC WebSocket URLs and returns the index of each
// normalized address.
func (v *validator) sbcList(path string, list []string) map[string]int {
	seen := map[string]int{}
	for i, s := range list {
		ip := idx(path, i)
		u, err := parseAbsURL(s, "a wss:// URL", "wss", "ws")
		if err != nil {
			v.errorf(ip, "%v", err)
			continue
		}
		if strings.EqualFold(u.Scheme, "ws") {
			v.warnf(ip, "unencrypted ws:// URL %q: browsers refuse it from an https page and SIP credentials would travel in clear; use wss://", s)
		}
		n := normalizeSBC(s)
		if j, dup := seen[n]; dup {
			v.errorf(ip, "must be unique, %q is also [%d]", s, j)
			continue
		}
		seen[n] = i
	}
	return seen
}

// normalizeSBC makes equal addresses compare equal: case of scheme and
// host, and a trailing slash, do not matter.
func normalizeSBC(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), "/")
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return strings.ToLower(s)
	}
	host, path, _ := strings.Cut(rest, "/")
	return strings.ToLower(scheme) + "://" + strings.ToLower(host) + "/" + path
}

// checkICE checks an ICE server URL (RFC 7064, RFC 7065): stun:host[:port],
// turn:host[:port][?transport=udp|tcp] or turns:.... It returns what is
// wrong, or "" when s is fine.
func checkICE(s string) string {
	const want = "must be a stun:, turn: or turns: URL such as stun:stun.example.com:3478"
	scheme, rest, ok := strings.Cut(s, ":")
	scheme = strings.ToLower(scheme)
	if !ok || (scheme != "stun" && scheme != "turn" && scheme != "turns") {
		return want
	}
	if strings.HasPrefix(rest, "//") {
		return "must not have // after the scheme (write " + scheme + ":host:port)"
	}
	hostport, query, hasQuery := strings.Cut(rest, "?")
	if hasQuery {
		if scheme == "stun" {
			return "stun: URLs take no query"
		}
		if query != "transport=udp" && query != "transport=tcp" {
			return "the only query allowed is transport=udp or transport=tcp"
		}
	}
	host, port := hostport, ""
	if h, pt, err := net.SplitHostPort(hostport); err == nil {
		host, port = h, pt
	} else if strings.Contains(strings.Trim(hostport, "[]"), ":") && net.ParseIP(strings.Trim(hostport, "[]")) == nil {
		return want
	}
	host = strings.Trim(host, "[]")
	if !validHost(host) {
		return "must name a valid host"
	}
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "port must be between 1 and 65535"
		}
	}
	return ""
}
