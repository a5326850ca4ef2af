package advancedoptions

import (
	"fmt"
	"strings"

	"github.com/softphone/softphone/internal/didyoumean"
)

// validator checks decoded, defaulted options. It collects every error and
// warning; positions come from the decoder.
type validator struct {
	d     *decoder
	errs  Errors
	warns []Diagnostic
}

func (v *validator) diag(path, format string, args []any) Diagnostic {
	m := v.d.lookup(path)
	return Diagnostic{File: v.d.file, Line: m.line, Col: m.col, Path: path, Message: fmt.Sprintf(format, args...)}
}

func (v *validator) errorf(path, format string, args ...any) {
	v.errs = append(v.errs, v.diag(path, format, args))
}

func (v *validator) warnf(path, format string, args ...any) {
	v.warns = append(v.warns, v.diag(path, format, args))
}

// intRange checks that *p, when set, lies in [lo, hi].
func (v *validator) intRange(path string, p *int, lo, hi int) {
	if p != nil && (*p < lo || *p > hi) {
		v.errorf(path, "must be between %d and %d, got %d", lo, hi, *p)
	}
}

// oneOf checks that s, when set, is one of allowed.
func (v *validator) oneOf(path, s string, allowed ...string) bool {
	if s == "" {
		return true
	}
	for _, a := range allowed {
		if s == a {
			return true
		}
	}
	msg := "must be one of " + quoteList(allowed) + ", got %q"
	if sug := didyoumean.Closest(s, allowed); sug != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", sug)
	}
	v.errorf(path, msg, s)
	return false
}

func quoteList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func p(parts ...string) string {
	return rootPath + "." + strings.Join(parts, ".")
}

func idx(path string, i int) string {
	return fmt.Sprintf("%s[%d]", path, i)
}

// validate checks o after defaults were filled in.
func (v *validator) validate(o *Options) {
	v.server(o.DefaultServerConfig)
	if sc := o.StorageConfig; sc != nil {
		v.oneOf(p("storageConfig", "location"), sc.Location, "localStorage", "sessionStorage")
	}
	v.timing(o)
	if o.DebugMode != nil && *o.DebugMode {
		v.warnf(p("debugMode"), "debug mode is for debugging only and must not be set on customer deployments")
	}
	v.sipHeaders(p("customGeneralSIPHeaders"), o.CustomGeneralSIPHeaders)
	v.media(o)
	v.agentAssist(o)
	v.contactCenter(o.ContactCenterConfig)
	v.auth(o)
}

// timing checks the ranges of integer keys (from the client contract) and
// the order of the reconnect intervals.
func (v *validator) timing(o *Options) {
	v.ranges(o)
	if lo, hi := o.ReconnectIntervalMin, o.ReconnectIntervalMax; lo != nil && hi != nil && *lo > *hi {
		v.errorf(p("reconnectIntervalMin"), "must be at most reconnectIntervalMax (%d), got %d", *hi, *lo)
	}
}
