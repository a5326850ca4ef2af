package server

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/softphone/softphone/server/tlsconf"
)

// countingConn counts the write calls that reach the socket.
type countingConn struct {
	net.Conn
	mu     sync.Mutex
	writes int
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.writes++
	c.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *countingConn) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writes
}

// pattern is n deterministic bytes starting at offset off of the stream.
func pattern(off, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte((off + i) * 7 % 251)
	}
	return b
}

// patternWriter writes the pattern stream in pieces and counts what it sent.
type patternWriter struct {
	t    *testing.T
	w    io.Writer
	sent int
}

func (p *patternWriter) write(n int) {
	p.t.Helper()
	if _, err := p.w.Write(pattern(p.sent, n)); err != nil {
		p.t.Fatal(err)
	}
	p.sent += n
}

// tlsPair connects a real TLS client and server over loopback TCP, with
// the server's socket under a coalescingConn that holds records for delay.
// The client asks for protocol proto (none when empty), as browsers ask
// for "h2".
func tlsPair(t *testing.T, delay time.Duration, proto string) (srv *tls.Conn, cc *coalescingConn, counter *countingConn, client *tls.Conn) {
	t.Helper()
	cfg := testConfig(t)
	m, err := tlsconf.New(cfg.TLS, tlsconf.Options{StateDir: cfg.StateDir}, discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dialed := make(chan *tls.Conn, 1)
	go func() {
		cfg := &tls.Config{InsecureSkipVerify: true}
		if proto != "" {
			cfg.NextProtos = []string{proto}
		}
		c, err := tls.Dial("tcp", ln.Addr().String(), cfg)
		if err != nil {
			t.Error(err)
		}
		dialed <- c
	}()
	raw, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	counter = &countingConn{Conn: raw}
	cc = &coalescingConn{Conn: counter, delay: delay}
	sc := m.TLSConfig().Clone()
	sc.NextProtos = append(sc.NextProtos, "h2", "http/1.1") // as http.Server.ServeTLS does
	srv = tls.Server(cc, sc)
	if err := srv.Handshake(); err != nil {
		t.Fatal(err)
	}
	client = <-dialed
	if client == nil {
		t.FailNow()
	}
	t.Cleanup(func() { client.Close(); srv.Close() })
	return srv, cc, counter, client
}

// TestCoalescingOverTLS writes through crypto/tls onto a real socket and
// checks both what the client reads (every byte, in order) and how many
// write calls the socket saw.
func TestCoalescingOverTLS(t *testing.T) {
	srv, cc, counter, client := tlsPair(t, time.Hour, "") // only hooks send held records here
	var mu sync.Mutex
	var got bytes.Buffer
	readDone := make(chan error, 1)
	go func() {
		buf := make([]byte, 64<<10)
		for {
			n, err := client.Read(buf)
			mu.Lock()
			got.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				readDone <- err
				return
			}
		}
	}()
	received := func() int { mu.Lock(); defer mu.Unlock(); return got.Len() }
	waitFor := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); received() < n; {
			if time.Now().After(deadline) {
				t.Fatalf("client received %d bytes, want %d", received(), n)
			}
			time.Sleep(time.Millisecond)
		}
	}
	out := &patternWriter{t: t, w: srv}
	write := out.write

	// crypto/tls starts with small records (dynamic record sizing); none
	// are full, so none are held and the client gets everything.
	write(200 << 10)
	waitFor(out.sent)

	steps := []struct {
		name   string
		n      int
		writes int // write calls on the socket
		held   bool
	}{
		{"a 70 KB response: four full records and a short one", 70_000, 1, false},
		{"six records: four held, the fifth sent with them, then the short one", 5*16384 + 100, 2, false},
		{"a small write passes through", 300, 1, false},
		{"an exact multiple of the record size is held", 2 * 16384, 0, true},
	}
	for _, s := range steps {
		before := counter.count()
		write(s.n)
		if d := counter.count() - before; d != s.writes {
			t.Errorf("%s: %d write calls, want %d", s.name, d, s.writes)
		}
		if !s.held {
			waitFor(out.sent)
		}
	}
	// The held records go out when net/http moves the read deadline after
	// the response, without waiting for the timer.
	before := counter.count()
	if err := srv.SetReadDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	if counter.count() != before+1 {
		t.Errorf("SetReadDeadline did not send the held records")
	}
	waitFor(out.sent)

	// Close sends what is held before the close alert.
	write(16384)
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-readDone; !errors.Is(err, io.EOF) {
		t.Errorf("client read ended with %v, want EOF after the close alert", err)
	}
	if !bytes.Equal(got.Bytes(), pattern(0, out.sent)) {
		t.Fatalf("client received %d bytes that differ from the %d sent", got.Len(), out.sent)
	}
	if cc.held != nil {
		t.Error("records still held after Close")
	}
}

// TestCoalescingTimerSendsHeldRecords: data that ends on a record boundary
// with nothing after it still reaches the client, within the delay.
func TestCoalescingTimerSendsHeldRecords(t *testing.T) {
	srv, _, counter, client := tlsPair(t, 20*time.Millisecond, "")
	warm := pattern(0, 200<<10)
	go srv.Write(warm)
	if _, err := io.ReadFull(client, make([]byte, len(warm))); err != nil {
		t.Fatal(err)
	}
	before := counter.count()
	want := pattern(len(warm), 16384)
	if _, err := srv.Write(want); err != nil {
		t.Fatal(err)
	}
	if counter.count() != before {
		t.Fatal("a full record was sent at once, not held")
	}
	client.SetReadDeadline(time.Now().Add(10 * time.Second))
	got := make([]byte, len(want))
	if _, err := io.ReadFull(client, got); err != nil {
		t.Fatalf("held record never arrived: %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("held record arrived changed")
	}
}

// failingConn refuses every write; a socket whose peer vanished does the
// same, but only after the kernel buffer fills, which a test cannot time.
type failingConn struct{ net.Conn }

var errGone = errors.New("peer gone")

func (failingConn) Write([]byte) (int, error) { return 0, errGone }

func TestCoalescingDeferredErrorIsReturned(t *testing.T) {
	a, b := net.Pipe()
	defer b.Close()
	c := &coalescingConn{Conn: failingConn{a}, delay: time.Hour}
	rec := fullRecord()
	if n, err := c.Write(rec); err != nil || n != len(rec) {
		t.Fatalf("held write = %d, %v", n, err)
	}
	c.SetWriteDeadline(time.Time{}) // sends the held record, which fails
	if _, err := c.Write([]byte{21, 3, 3, 0, 2, 1, 0}); !errors.Is(err, errGone) {
		t.Fatalf("next write = %v, want the held record's error", err)
	}
}

// dataRecord is an application-data record of n bytes on the wire.
func dataRecord(n int) []byte {
	rec := make([]byte, n)
	rec[0], rec[1], rec[2] = recordTypeData, 3, 3
	rec[3], rec[4] = byte((n-recordHeaderLen)>>8), byte(n-recordHeaderLen)
	return rec
}

// fullRecord is a full TLS 1.3 record: content type byte and 16-byte tag.
func fullRecord() []byte { return dataRecord(recordHeaderLen + maxPlaintext + 1 + 16) }

func TestIsFullRecord(t *testing.T) {
	rec := fullRecord()
	handshake := append([]byte{22}, rec[1:]...)
	badLength := append([]byte(nil), rec...)
	badLength[4]++
	tls12 := dataRecord(recordHeaderLen + 8 + maxPlaintext + 16)
	for _, tc := range []struct {
		name string
		p    []byte
		want bool
	}{
		{"TLS 1.3 full record", rec, true},
		{"TLS 1.2 AES-GCM full record", tls12, true},
		{"handshake record of the same size", handshake, false},
		{"length field disagrees", badLength, false},
		{"two records' worth", append(rec, rec...), false},
		{"short record", rec[:100], false},
	} {
		if got := isFullRecord(tc.p); got != tc.want {
			t.Errorf("%s: isFullRecord = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestCoalescingHTTP2 follows what the HTTP/2 server writes: one frame per
// tls.Conn.Write, so a 16 KB DATA frame (plus its 9-byte header) is a full
// record and a short one; small frames are written together when its
// buffer is flushed. On an h2 connection the whole run goes out in one call,
// and the flush of small frames is never delayed.
func TestCoalescingHTTP2(t *testing.T) {
	for _, tc := range []struct {
		proto string
		batch bool
	}{{"h2", true}, {"http/1.1", false}} {
		t.Run(tc.proto, func(t *testing.T) {
			srv, cc, counter, client := tlsPair(t, time.Hour, tc.proto)
			coalescingState(srv, http.StateActive)
			if cc.batchAll.Load() != tc.batch {
				t.Fatalf("batchAll = %v after %s became active, want %v", cc.batchAll.Load(), tc.proto, tc.batch)
			}
			out := &patternWriter{t: t, w: srv}
			write := out.write
			write(200 << 10) // past dynamic record sizing
			read := make(chan []byte)
			go func() {
				got, _ := io.ReadAll(client)
				read <- got
			}()

			before := counter.count()
			for range 3 {
				write(9 + 16384) // a DATA frame: a full record and a 9-byte one
			}
			write(60) // the flush of small frames (END_STREAM, WINDOW_UPDATE)
			want := 1
			if !tc.batch {
				want = 4 // each frame's 9-byte tail sends its full record
			}
			if got := counter.count() - before; got != want {
				t.Errorf("%d write calls for three DATA frames and a flush, want %d", got, want)
			}

			// A small write on its own, not after a full record, is sent at
			// once on h2 too: it is the server flushing its buffer.
			before = counter.count()
			write(200)
			if got := counter.count() - before; got != 1 {
				t.Errorf("a lone small write made %d write calls, want 1 at once", got)
			}
			srv.Close()
			if got := <-read; !bytes.Equal(got, pattern(0, out.sent)) {
				t.Fatalf("client received %d bytes that differ from the %d sent", len(got), out.sent)
			}
		})
	}
}
