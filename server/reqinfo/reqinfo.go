// Package reqinfo carries per-request facts between middleware layers that
// do not otherwise know each other: the access gate records who the request
// was let in as, and the access log prints it.
package reqinfo

import (
	"context"
	"net/http"
)

// Info is filled in while a request travels through the middleware chain.
// It is created once per request by the outermost layer (the access log).
type Info struct {
	// User is the authenticated name: the basic-auth user or the JWT subject.
	// It is never a password or a token.
	User string
	// Gate names the gate that let the request in ("basic", "jwt", "oidc"),
	// or why it was turned away ("denied:ip", "denied:jwt-expired"...).
	Gate string
}

type ctxKey struct{}

// Attach returns r with a fresh Info in its context, and that Info.
func Attach(r *http.Request) (*http.Request, *Info) {
	info := &Info{}
	return r.WithContext(context.WithValue(r.Context(), ctxKey{}, info)), info
}

// From returns the Info attached to ctx, or a throwaway one when none was
// attached (a handler tested on its own), so callers never check for nil.
func From(ctx context.Context) *Info {
	if info, ok := ctx.Value(ctxKey{}).(*Info); ok {
		return info
	}
	return &Info{}
}
