package advancedoptions

import "strings"

// isToken reports whether s is a SIP token (RFC 3261 section 25.1), the
// syntax of header names.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("-.!%*_+`'~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// stackHeaders are set by the SIP stack itself; a custom header of the same
// name would corrupt the messages. Compact forms included (RFC 3261 section 7.3.3).
var stackHeaders = map[string]bool{
	"via": true, "v": true, "from": true, "f": true, "to": true, "t": true,
	"call-id": true, "i": true, "cseq": true, "contact": true, "m": true,
	"max-forwards": true, "content-length": true, "l": true, "content-type": true, "c": true,
	"route": true, "record-route": true, "authorization": true, "proxy-authorization": true,
}

// sipHeaders checks customGeneralSIPHeaders: each "Name: value", the name a
// token not managed by the stack, no CR or LF anywhere.
func (v *validator) sipHeaders(path string, headers []string) {
	seen := map[string]int{}
	for i, h := range headers {
		ip := idx(path, i)
		if strings.ContainsAny(h, "\r\n") {
			v.errorf(ip, "must be one line \"Name: value\" without CR or LF, got %q", h)
			continue
		}
		name, value, ok := strings.Cut(h, ":")
		name = strings.TrimSpace(name)
		if !ok || strings.TrimSpace(value) == "" {
			v.errorf(ip, "must be \"Name: value\", got %q", h)
			continue
		}
		if !isToken(name) {
			v.errorf(ip, "header name must be a SIP token (letters, digits, -.!%%*_+`'~), got %q", name)
			continue
		}
		lname := strings.ToLower(name)
		if stackHeaders[lname] {
			v.errorf(ip, "header %q is set by the SIP stack and cannot be added", name)
			continue
		}
		if j, dup := seen[lname]; dup {
			v.warnf(ip, "header %q is also set by [%d]; both are sent", name, j)
		}
		seen[lname] = i
	}
}

// headerName checks one SIP header name setting.
func (v *validator) headerName(path, name string) {
	if name != "" && !isToken(name) {
		v.errorf(path, "must be a SIP header name (a token: letters, digits, -.!%%*_+`'~), got %q", name)
	}
}
