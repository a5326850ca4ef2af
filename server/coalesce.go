package server

import (
	"net"
	"sync"
	"time"
)

// crypto/tls writes every TLS record with its own write call: a 70 KB
// bundle becomes five system calls of 16 KB, each paying the kernel's
// per-call cost. coalescingConn sits under tls.Conn and sends the full-size
// records of one tls.Conn.Write together with the record that ends it, in
// one call. It needs no help from crypto/tls: a tls.Conn.Write splits its
// data into full records and then one shorter last record (or the last one
// is full when the data is an exact multiple of the record size).
//
// So a full-size application-data record is held; any other write (the
// short last record, an alert, a handshake flight) sends what is held and
// itself at once. Held records are also sent
//   - when coalesceMaxHeld records are waiting,
//   - before any deadline changes (net/http sets the read deadline as soon
//     as a response is finished, and tls.Conn sets the write deadline
//     before its close alert), so held bytes go out under the deadline
//     they were written under,
//   - before Close,
//   - and, for data that ended on a full record with nothing after it,
//     coalesceDelay after they were held.
//
// Records shorter than the maximum (the dynamic record sizing crypto/tls
// uses at the start of a connection, so the first bytes reach a browser
// early) are never held. A write error of a held record is returned by the
// next Write; tls.Conn treats it as fatal, as it would have at once.
type coalescingConn struct {
	net.Conn

	mu    sync.Mutex
	held  *[]byte // pooled; nil while nothing is held
	n     int     // records in held
	err   error   // sticky error of a deferred write
	timer *time.Timer
	delay time.Duration // coalesceDelay when zero
}

const (
	// coalesceMaxHeld bounds what one connection holds: four full records
	// (64 KiB of content); the fifth is sent with them.
	coalesceMaxHeld = 4
	// coalesceDelay bounds how long a held record may wait when the data
	// written ended exactly on a record boundary.
	coalesceDelay = time.Millisecond

	recordHeaderLen = 5
	maxPlaintext    = 16384
	recordTypeData  = 23
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

var heldPool = sync.Pool{New: func() any {
	b := make([]byte, 0, (coalesceMaxHeld+1)*(recordHeaderLen+maxPlaintext+8+16))
	return &b
}}

// isFullRecord reports whether p is exactly one full-size application-data
// record (its header's length field matches the rest of p).
func isFullRecord(p []byte) bool {
	return fullRecordLen(len(p)) && p[0] == recordTypeData &&
		int(p[3])<<8|int(p[4]) == len(p)-recordHeaderLen
}

func (c *coalescingConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return 0, c.err
	}
	if isFullRecord(p) && c.n < coalesceMaxHeld {
		if c.held == nil {
			c.held = heldPool.Get().(*[]byte)
			c.armLocked()
		}
		*c.held = append(*c.held, p...)
		c.n++
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

// armLocked starts the timer that sends held records if nothing else does.
func (c *coalescingConn) armLocked() {
	d := c.delay
	if d == 0 {
		d = coalesceDelay
	}
	if c.timer == nil {
		c.timer = time.AfterFunc(d, c.flushHeld)
		return
	}
	c.timer.Reset(d)
}

func (c *coalescingConn) flushHeld() {
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
	c.held, c.n = nil, 0
	if err != nil {
		c.err = err
	}
	return err
}

func (c *coalescingConn) SetDeadline(t time.Time) error {
	c.flushHeld()
	return c.Conn.SetDeadline(t)
}

func (c *coalescingConn) SetReadDeadline(t time.Time) error {
	c.flushHeld()
	return c.Conn.SetReadDeadline(t)
}

func (c *coalescingConn) SetWriteDeadline(t time.Time) error {
	c.flushHeld()
	return c.Conn.SetWriteDeadline(t)
}

func (c *coalescingConn) Close() error {
	c.flushHeld()
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
