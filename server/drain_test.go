package server

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"syscall"
	"testing"
	"time"
)

// TestShutdownServesAcceptedConnection: a client that connected before
// Shutdown, and sends its request after the listener has closed, still
// gets its answer; new connections are refused; Serve ends cleanly.
func TestShutdownServesAcceptedConnection(t *testing.T) {
	cfg := testConfig(t)
	cfg.TLS.Mode = "off"
	cfg.RedirectListen = ""
	s, err := New(cfg, discard())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Open(); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve() }()
	addr := s.Addr().String()

	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	deadline := time.Now().Add(5 * time.Second)
	for s.conns.freshCount() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the server did not accept the connection within 5 s")
		}
		time.Sleep(time.Millisecond)
	}

	stopped := make(chan error, 1)
	go func() { stopped <- s.Shutdown(context.Background()) }()
	for {
		d, err := net.Dial("tcp", addr)
		if err == nil {
			d.Close()
		} else if errors.Is(err, syscall.ECONNREFUSED) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("new connections still accepted 5 s after Shutdown began")
		}
		time.Sleep(time.Millisecond)
	}

	if _, err := c.Write([]byte("GET /healthz HTTP/1.1\r\nHost: softphone\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("request on a connection accepted before Shutdown: %v, want 200", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("request on a connection accepted before Shutdown: status %d, want 200", resp.StatusCode)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve after Shutdown = %v, want nil", err)
	}
}
