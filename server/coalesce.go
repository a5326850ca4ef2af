package server

import (
	"crypto/tls"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// crypto/tls writes every TLS record with its own write call: a 70 KB
// bundle becomes six system calls, each paying the kernel's per-call cost.
// coalescingConn sits under tls.Conn and sends records together.
//
// HTTP/1.1: a tls.Conn.Write splits its data into full-size records and a
// shorter last one (or ends on a full one when the data is an exact
// multiple of the record size). A full-size application-data record is
// held; the next record that is not full sends what is held and itself in
// one call. net/http moves the read deadline as soon as a response is
// finished, and held records go out before any deadline changes, so a
// response never waits.
//
// HTTP/2: the server writes one frame per tls.Conn.Write, so a 16 KB DATA
// frame with its 9-byte header is a full record and a short one, and every
// frame would cost a call. On an HTTP/2 connection (batchAll, set by
// coalescingState) the short record that follows a full one is held too.
// A short record that does not follow a full one is the server flushing
// its frame buffer, which it does when it has nothing more to write: that
// sends everything at once. A response is then about four calls instead of
// seven, and in the usual flow nothing waits for the timer below.
//
// Held records are also sent
//   - when holding the next one would pass coalesceMaxHeld bytes,
//   - before any deadline changes (held bytes go out under the deadline
//     they were written under; tls.Conn sets one before its close alert),
//   - before Close,
//   - and at the latest coalesceDelay after the first of them was held.
//
// Records of other types (handshake, alerts) are never held. A write error
// of held records is returned by the next Write; tls.Conn treats it as
// fatal, as it would have at once.
type coalescingConn struct {
	net.Conn

	// batchAll also holds a short record right after a full one: set for
	// HTTP/2 connections.
	batchAll  atomic.Bool
	protoSeen atomic.Bool // the negotiated protocol was looked at

	mu   sync.Mutex
	held *[]byte // pooled; nil while nothing is held
	err  error   // sticky error of a deferred write
	// afterFull: the last record written was full-size, so the next one
	// is most likely the end of the same tls.Conn.Write.
	afterFull bool
	timer     *time.Timer
	delay     time.Duration // coalesceDelay when zero
}

const (
	recordHeaderLen = 5
	maxPlaintext    = 16384
	recordTypeData  = 23
	// maxRecordLen is the longest record of the suites the server offers:
	// TLS 1.2 AES-GCM adds an 8-byte explicit nonce and a 16-byte tag.
	maxRecordLen = recordHeaderLen + 8 + maxPlaintext + 16

	// coalesceMaxHeld bounds what one connection holds: four full records
	// (64 KiB of content). One write call sends at most this plus one record.
	coalesceMaxHeld = 4 * maxRecordLen
	// coalesceDelay bounds how long held records may wait when nothing
	// else sends them.
	coalesceDelay = time.Millisecond
)

// fullRecordLen reports whether n is the wire length of an application-data
// record carrying the most plaintext TLS allows, for the suites the server
// offers: TLS 1.3 (content type byte + 16-byte tag), TLS 1.2 AES-GCM
// (8-byte explicit nonce + tag) and TLS 1.2 ChaCha20-Poly1305 (tag).
func fullRecordLen(n int) bool {
	switch n - recordHeaderLen - maxPlaintext {
	case 1 + 16, 8 + 16, 16:
		return true
	}
	return false
}

// isDataRecord reports whether p is exactly one application-data record
// (its header's length field matches the rest of p).
func isDataRecord(p []byte) bool {
	return len(p) > recordHeaderLen && p[0] == recordTypeData &&
		int(p[3])<<8|int(p[4]) == len(p)-recordHeaderLen
}

// isFullRecord reports whether p is exactly one full-size application-data
// record.
func isFullRecord(p []byte) bool {
	return fullRecordLen(len(p)) && isDataRecord(p)
}

var heldPool = sync.Pool{New: func() any {
	b := make([]byte, 0, coalesceMaxHeld+maxRecordLen)
	return &b
}}

func (c *coalescingConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return 0, c.err
	}
	full := isFullRecord(p)
	holdable := full || (c.afterFull && c.batchAll.Load() && isDataRecord(p))
	c.afterFull = full
	if holdable && c.heldLen()+len(p) <= coalesceMaxHeld {
		if c.held == nil {
			c.held = heldPool.Get().(*[]byte)
			c.armLocked()
		}
		*c.held = append(*c.held, p...)
		return len(p), nil
	}
	if c.held == nil {
		return c.Conn.Write(p)
	}
	*c.held = append(*c.held, p...)
	if err := c.flushLocked(); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (c *coalescingConn) heldLen() int {
	if c.held == nil {
		return 0
	}
	return len(*c.held)
}

// armLocked starts the timer that sends held records if nothing else does.
func (c *coalescingConn) armLocked() {
	d := c.delay
	if d == 0 {
		d = coalesceDelay
	}
	if c.timer == nil {
		c.timer = time.AfterFunc(d, c.flush)
		return
	}
	c.timer.Reset(d)
}

// flush sends held records now.
func (c *coalescingConn) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held != nil {
		c.flushLocked()
	}
}

// flushLocked writes what is held in one call and returns the buffer to
// the pool. A failure is remembered for the next Write.
func (c *coalescingConn) flushLocked() error {
	c.timer.Stop()
	_, err := c.Conn.Write(*c.held)
	*c.held = (*c.held)[:0]
	heldPool.Put(c.held)
	c.held = nil
	if err != nil {
		c.err = err
	}
	return err
}

func (c *coalescingConn) SetDeadline(t time.Time) error {
	c.flush()
	return c.Conn.SetDeadline(t)
}

func (c *coalescingConn) SetReadDeadline(t time.Time) error {
	c.flush()
	return c.Conn.SetReadDeadline(t)
}

func (c *coalescingConn) SetWriteDeadline(t time.Time) error {
	c.flush()
	return c.Conn.SetWriteDeadline(t)
}

func (c *coalescingConn) Close() error {
	c.flush()
	return c.Conn.Close()
}

// coalescingListener wraps each accepted connection in a coalescingConn.
// It goes under tls.NewListener, never on a plain-HTTP listener, whose
// writes are not TLS records.
type coalescingListener struct{ net.Listener }

func (l coalescingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &coalescingConn{Conn: c}, nil
}

// coalescingState is the http.Server.ConnState hook of coalescing: when a
// connection first becomes active, an HTTP/2 one switches to batchAll.
func coalescingState(c net.Conn, st http.ConnState) {
	tc, ok := c.(*tls.Conn)
	if !ok {
		return
	}
	cc, ok := tc.NetConn().(*coalescingConn)
	if !ok {
		return
	}
	if st == http.StateActive && !cc.protoSeen.Swap(true) && tc.ConnectionState().NegotiatedProtocol == "h2" {
		cc.batchAll.Store(true)
	}
}
