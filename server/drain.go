package server

import (
	"context"
	"net"
	"net/http"
	"sync"
	"time"
)

// firstRequestGrace bounds how long Shutdown waits, after the listeners
// have closed, for connections accepted just before to send their first
// request. A client that connected has sent it within a round trip or
// two; only a silent (or slowloris) client waits out the whole grace.
const firstRequestGrace = time.Second

// reconnectGrace bounds how long Shutdown waits, after the listeners have
// closed, for keep-alive connections to end after a response that told
// their client to reconnect. A busy client sends its next request within
// milliseconds; an idle one is closed by http.Server.Shutdown after this.
const reconnectGrace = time.Second

// stoppableListener separates "refuse new connections" from "tell
// http.Server the listener is gone". stop closes the socket, so new
// connections are refused at once, while Accept keeps blocking until
// http.Server.Shutdown calls Close; Serve therefore does not end early with
// an accept error, and the connections it holds keep being served.
type stoppableListener struct {
	net.Listener
	stopOnce, closeOnce sync.Once
	stopped, closed     chan struct{}
}

func newStoppableListener(ln net.Listener) *stoppableListener {
	return &stoppableListener{Listener: ln, stopped: make(chan struct{}), closed: make(chan struct{})}
}

func (l *stoppableListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		select {
		case <-l.stopped:
			<-l.closed
			return nil, net.ErrClosed
		default:
		}
	}
	return c, err
}

// stop closes the socket: new connections are refused from here on.
func (l *stoppableListener) stop() error {
	var err error
	l.stopOnce.Do(func() {
		close(l.stopped)
		err = l.Listener.Close()
	})
	return err
}

// Close stops the listener and releases Accept.
func (l *stoppableListener) Close() error {
	err := l.stop()
	l.closeOnce.Do(func() { close(l.closed) })
	return err
}

// connTracker knows which connections have not yet sent their first
// request (http.StateNew), through http.Server.ConnState.
//
// net/http's HTTP/1 server closes, without an answer, a connection whose
// request it reads once Shutdown has begun (net/http server.go, conn.serve:
// "if c.server.shuttingDown() { return }" right after readRequest). A
// client that connected just before the listener closed would lose its
// request. So Shutdown first stops the listeners, waits until every
// accepted connection has sent its first request (or the grace ends),
// and only then calls http.Server.Shutdown.
//
// It also counts the open connections, so that Shutdown can let those that
// were told to reconnect close themselves.
type connTracker struct {
	mu    sync.Mutex
	fresh map[net.Conn]struct{}
	open  int
}

func (t *connTracker) hook(c net.Conn, st http.ConnState) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch st {
	case http.StateNew:
		if t.fresh == nil {
			t.fresh = map[net.Conn]struct{}{}
		}
		t.fresh[c] = struct{}{}
		t.open++
		return
	case http.StateClosed, http.StateHijacked:
		t.open--
	}
	delete(t.fresh, c)
}

func (t *connTracker) openCount() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.open
}

// waitClosed returns once no connection is open, or after grace, or when
// ctx ends.
func (t *connTracker) waitClosed(ctx context.Context, grace time.Duration) {
	deadline := time.NewTimer(grace)
	defer deadline.Stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for t.openCount() > 0 {
		select {
		case <-ctx.Done():
			return
		case <-deadline.C:
			return
		case <-tick.C:
		}
	}
}

func (t *connTracker) freshCount() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.fresh)
}

// waitFresh returns once no connection is waiting for its first request
// at two polls in a row (the second poll lets a connection that has just
// turned active pass net/http's shutdown check), or after grace, or when
// ctx ends.
func (t *connTracker) waitFresh(ctx context.Context, grace time.Duration) {
	deadline := time.NewTimer(grace)
	defer deadline.Stop()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	quiet := 0
	for quiet < 2 {
		if t.freshCount() == 0 {
			quiet++
		} else {
			quiet = 0
		}
		select {
		case <-ctx.Done():
			return
		case <-deadline.C:
			return
		case <-tick.C:
		}
	}
}
