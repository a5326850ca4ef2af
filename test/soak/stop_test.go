package soak

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestGracefulStop sends SIGTERM while slow clients download the largest
// file (uncompressed, through a 4 KiB receive buffer, a few KiB per tick)
// and other clients keep loading pages: every slow download completes
// with the right bytes, every request on a connection the server accepted
// gets its full answer, and the only refusals are connections refused
// once the listener has closed.
func TestGracefulStop(t *testing.T) {
	var (
		slow    = pick(40, 8)
		loaders = pick(6, 3)
	)
	s := startServer(t, "", serverConfig{body: clientSection("stop.example.com")})
	bundle := s.bundlePath(t, "/")
	want := identityBody(t, s, bundle)
	wantSum := sha256.Sum256(want)

	// Slow downloads, half over HTTP/1.1, half over HTTP/2 (flow control
	// holds the server back there, the TCP window does for HTTP/1.1).
	type result struct {
		n   int
		sum [32]byte
		err error
	}
	results := make(chan result, slow)
	started := make(chan struct{}, slow)
	for i := range slow {
		go func() {
			body, err := slowDownload(t.Context(), s.addr, bundle, i%2 == 1, started)
			results <- result{len(body), sha256.Sum256(body), err}
		}()
	}
	for range slow {
		select {
		case <-started:
		case <-time.After(15 * time.Second):
			t.Fatal("slow downloads did not start within 15 s")
		}
	}

	// Page loaders: keep-alive HTTP/1.1, a new connection per request, HTTP/2.
	var (
		stopLoad                 = make(chan struct{})
		ok, refused, unconnected atomic.Int64
		okAfterTerm              atomic.Int64
		terminated               atomic.Bool
		failMu                   sync.Mutex
		failures                 []string
		lwg                      sync.WaitGroup
	)
	for i := range loaders {
		tr := &http.Transport{
			TLSClientConfig:   &tls.Config{InsecureSkipVerify: true},
			ForceAttemptHTTP2: i%3 == 2,
			DisableKeepAlives: i%3 == 1,
		}
		if i%3 != 2 {
			tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
		}
		client := &http.Client{Transport: tr, Timeout: 20 * time.Second}
		lwg.Go(func() {
			defer tr.CloseIdleConnections()
			for {
				select {
				case <-stopLoad:
					return
				default:
				}
				connected, err := loadOnce(client, s.url("/"))
				switch {
				case err == nil:
					ok.Add(1)
					if terminated.Load() {
						okAfterTerm.Add(1)
					}
				case isRefused(err):
					refused.Add(1)
					time.Sleep(10 * time.Millisecond)
				case !connected:
					// The TCP handshake completed into the listen backlog
					// but the server never accepted the connection: it was
					// reset when the listener closed. No request was taken.
					unconnected.Add(1)
				default:
					failMu.Lock()
					failures = append(failures, fmt.Sprintf("loader %d (after SIGTERM: %v): %v", i, terminated.Load(), err))
					failMu.Unlock()
				}
			}
		})
	}
	time.Sleep(pick(2*time.Second, 500*time.Millisecond))
	before := ok.Load()

	// Probe for the moment new connections are refused.
	var refusedAt atomic.Int64
	term := time.Now()
	go func() {
		for {
			c, err := net.DialTimeout("tcp", s.addr, time.Second)
			if err == nil {
				c.Close()
			} else if isRefused(err) {
				refusedAt.Store(int64(time.Since(term)))
				return
			}
			select {
			case <-s.exited:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	terminated.Store(true)
	s.signal(t, syscall.SIGTERM)

	var slowDone time.Duration
	for i := range slow {
		r := <-results
		if r.err != nil {
			t.Errorf("slow download %d: %v", i, r.err)
		} else if r.n != len(want) || r.sum != wantSum {
			t.Errorf("slow download %d: %d bytes, want %d (sha256 equal: %v)", i, r.n, len(want), r.sum == wantSum)
		}
	}
	slowDone = time.Since(term)
	exitErr, exited := s.waitExit(20 * time.Second)
	exitAfter := time.Since(term)
	time.Sleep(200 * time.Millisecond)
	close(stopLoad)
	lwg.Wait()

	if !exited {
		t.Fatalf("softphone still running %v after SIGTERM", exitAfter)
	}
	if exitErr != nil {
		t.Errorf("softphone exit after SIGTERM: %v", exitErr)
	}
	if before == 0 {
		t.Errorf("no page load succeeded before SIGTERM")
	}
	if refusedAt.Load() == 0 {
		t.Errorf("no new connection was refused after SIGTERM")
	}
	if refused.Load() == 0 {
		t.Errorf("no loader saw a refused connection after SIGTERM")
	}
	for _, f := range failures {
		t.Errorf("request failed on an accepted connection: %s", f)
	}
	if s.logs.count("shutting down") == 0 {
		t.Errorf("no shutdown logged")
	}
	reportLine(t, "%d slow downloads of %d KiB all complete %s after SIGTERM; page loads: %d ok (%d after SIGTERM), %d failed on accepted connections, %d refused after the listener closed (first refusal %s after SIGTERM), %d reset in the listen backlog; exit %s after SIGTERM",
		slow, len(want)/1024, ms(slowDone), ok.Load(), okAfterTerm.Load(), len(failures), refused.Load(),
		ms(time.Duration(refusedAt.Load())), unconnected.Load(), ms(exitAfter))
}

// identityBody fetches path uncompressed.
func identityBody(t testing.TB, s *server, path string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", s.url(path), nil)
	req.Header.Set("Accept-Encoding", "identity")
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "" {
		t.Fatalf("GET %s identity: %d %q %v", path, resp.StatusCode, resp.Header.Get("Content-Encoding"), err)
	}
	return b
}

// loadOnce loads url and reads the whole body. connected reports whether
// the last attempt got a connection through its TLS handshake, that is
// one the server accepted.
func loadOnce(client *http.Client, url string) (connected bool, err error) {
	var got atomic.Bool
	trace := &httptrace.ClientTrace{
		ConnectStart: func(string, string) { got.Store(false) },
		GotConn:      func(httptrace.GotConnInfo) { got.Store(true) },
	}
	req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", url, nil)
	resp, err := client.Do(req)
	if err != nil {
		return got.Load(), err
	}
	defer resp.Body.Close()
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return true, err
	}
	if resp.StatusCode != 200 {
		return true, fmt.Errorf("status %d", resp.StatusCode)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return true, fmt.Errorf("%d of %d bytes", n, resp.ContentLength)
	}
	return true, nil
}

// smallReceiveBuffer makes the kernel advertise a small TCP window, so
// the server has to wait for a slow reader.
func smallReceiveBuffer(_, _ string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
	})
	return errors.Join(err, serr)
}

// slowDownload fetches path uncompressed and reads 4 KiB every 40 ms
// (about 100 KiB/s). started gets a value once the headers are in.
func slowDownload(ctx context.Context, addr, path string, h2 bool, started chan<- struct{}) ([]byte, error) {
	dialer := &net.Dialer{Control: smallReceiveBuffer}
	var body io.ReadCloser
	if h2 {
		tr := &http.Transport{
			DialContext:       dialer.DialContext,
			TLSClientConfig:   &tls.Config{InsecureSkipVerify: true},
			ForceAttemptHTTP2: true,
			HTTP2:             &http.HTTP2Config{MaxReceiveBufferPerStream: 16 << 10, MaxReceiveBufferPerConnection: 64 << 10},
		}
		defer tr.CloseIdleConnections()
		req, _ := http.NewRequestWithContext(ctx, "GET", "https://"+addr+path, nil)
		req.Header.Set("Accept-Encoding", "identity")
		resp, err := tr.RoundTrip(req)
		if err != nil {
			started <- struct{}{}
			return nil, err
		}
		if resp.ProtoMajor != 2 {
			resp.Body.Close()
			started <- struct{}{}
			return nil, fmt.Errorf("got %s, want HTTP/2", resp.Proto)
		}
		body = resp.Body
	} else {
		raw, err := dialer.DialContext(ctx, "tcp", addr)
		if err != nil {
			started <- struct{}{}
			return nil, err
		}
		c := tls.Client(raw, &tls.Config{InsecureSkipVerify: true, NextProtos: []string{"http/1.1"}})
		fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nAccept-Encoding: identity\r\n\r\n", path, addr)
		resp, err := http.ReadResponse(bufio.NewReaderSize(c, 4096), nil)
		if err != nil {
			c.Close()
			started <- struct{}{}
			return nil, err
		}
		body = struct {
			io.Reader
			io.Closer
		}{resp.Body, c}
	}
	defer body.Close()
	started <- struct{}{}
	var out bytes.Buffer
	buf := make([]byte, 4096)
	for {
		n, err := io.ReadFull(body, buf)
		out.Write(buf[:n])
		// The end of the body, or a truncated one (the caller checks the
		// length and the hash).
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return out.Bytes(), nil
		}
		if err != nil {
			return out.Bytes(), err
		}
		time.Sleep(40 * time.Millisecond)
	}
}
