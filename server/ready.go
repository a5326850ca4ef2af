package server

import (
	"net/http"
	"sync/atomic"
)

// Lifecycle states that /readyz reports.
const (
	stateStarting int32 = iota // config loaded, listeners not serving yet
	stateServing
	stateDraining // a shutdown has started
)

// readiness is what /readyz answers: 200 while serving, 503 before and
// from the moment a shutdown starts, so that a balancer (an HAProxy health
// check, a Kubernetes readiness probe) sends new connections elsewhere
// while this instance still serves the ones it has. /healthz, the liveness
// check, stays 200 throughout: the process is not broken, only leaving.
type readiness struct{ state atomic.Int32 }

func (rd *readiness) serving()  { rd.state.CompareAndSwap(stateStarting, stateServing) }
func (rd *readiness) draining() { rd.state.Store(stateDraining) }

// isDraining reports whether a shutdown has started.
func (rd *readiness) isDraining() bool { return rd.state.Load() == stateDraining }

func (rd *readiness) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	switch rd.state.Load() {
	case stateServing:
		w.Write([]byte("ready\n"))
	case stateStarting:
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("starting\n"))
	default:
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("shutting down\n"))
	}
}

// reconnectWhileDraining asks every client to reconnect once a shutdown has
// started: "Connection: close" ends an HTTP/1.1 connection after this
// response (RFC 9112 section 9.6), and Go's HTTP/2 server turns the same
// header into a graceful GOAWAY (RFC 9113 section 6.8). Behind a balancer
// the client's next connection goes to an instance that stays, instead of
// a keep-alive connection being cut under it at the end of the drain.
func (rd *readiness) reconnectWhileDraining(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rd.isDraining() {
			w.Header().Set("Connection", "close")
		}
		next.ServeHTTP(w, r)
	})
}

var _ http.Handler = (*readiness)(nil)
