package soak

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
)

// h2Conn is an HTTP/2 client connection written frame by frame, so a
// request's :path goes out exactly as given and every answer is seen as
// it is: a response, RST_STREAM or GOAWAY. (Go's own client refuses some
// paths, and retries a stream the server resets with PROTOCOL_ERROR.)
type h2Conn struct {
	c     *tls.Conn
	fr    *http2.Framer
	addr  string
	next  uint32
	block bytes.Buffer
	enc   *hpack.Encoder
}

// errGoAway means the server ended the connection.
var errGoAway = errors.New("GOAWAY")

func dialH2(ctx context.Context, addr string) (*h2Conn, error) {
	d := tls.Dialer{Config: &tls.Config{InsecureSkipVerify: true, NextProtos: []string{"h2"}}}
	raw, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	c := raw.(*tls.Conn)
	if p := c.ConnectionState().NegotiatedProtocol; p != "h2" {
		c.Close()
		return nil, fmt.Errorf("ALPN %q, want h2", p)
	}
	h := &h2Conn{c: c, fr: http2.NewFramer(c, c), addr: addr, next: 1}
	h.enc = hpack.NewEncoder(&h.block)
	h.fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	h.fr.MaxHeaderListSize = 1 << 20
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, http2.ClientPreface); err != nil {
		c.Close()
		return nil, err
	}
	// Large windows: answers are read whole without window updates per stream.
	if err := h.fr.WriteSettings(http2.Setting{ID: http2.SettingInitialWindowSize, Val: 1 << 30}); err != nil {
		c.Close()
		return nil, err
	}
	if err := h.fr.WriteWindowUpdate(0, 1<<30); err != nil {
		c.Close()
		return nil, err
	}
	return h, nil
}

func (h *h2Conn) Close() error { return h.c.Close() }

// h2Answer is the server's answer to one stream.
type h2Answer struct {
	status   int
	location string
	body     []byte
	reset    bool // RST_STREAM instead of a response
}

// get sends GET path (identity) and returns the answer, or errGoAway.
func (h *h2Conn) get(path string) (h2Answer, error) {
	var a h2Answer
	status, body, reset, err := h.exchange(path, &a.location)
	a.status, a.body, a.reset = status, body, reset
	return a, err
}

func (h *h2Conn) exchange(path string, location *string) (status int, body []byte, reset bool, err error) {
	h.c.SetDeadline(time.Now().Add(10 * time.Second))
	h.block.Reset()
	for _, f := range [][2]string{{":method", "GET"}, {":scheme", "https"}, {":authority", h.addr}, {":path", path}, {"accept-encoding", "identity"}} {
		h.enc.WriteField(hpack.HeaderField{Name: f[0], Value: f[1]})
	}
	id := h.next
	h.next += 2
	b := h.block.Bytes()
	const chunk = 16 << 10
	first := b[:min(chunk, len(b))]
	if err := h.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: first, EndStream: true, EndHeaders: len(first) == len(b)}); err != nil {
		return 0, nil, false, err
	}
	for b = b[len(first):]; len(b) > 0; {
		n := min(chunk, len(b))
		if err := h.fr.WriteContinuation(id, n == len(b), b[:n]); err != nil {
			return 0, nil, false, err
		}
		b = b[n:]
	}
	var out bytes.Buffer
	for {
		f, err := h.fr.ReadFrame()
		if err != nil {
			return 0, nil, false, err
		}
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if !f.IsAck() {
				h.fr.WriteSettingsAck()
			}
		case *http2.PingFrame:
			if !f.IsAck() {
				h.fr.WritePing(true, f.Data)
			}
		case *http2.GoAwayFrame:
			return 0, nil, false, errGoAway
		case *http2.RSTStreamFrame:
			if f.StreamID == id {
				return 0, nil, true, nil
			}
		case *http2.MetaHeadersFrame:
			if f.StreamID != id {
				continue
			}
			for _, hf := range f.RegularFields() {
				if hf.Name == "location" {
					*location = hf.Value
				}
			}
			if s := f.PseudoValue("status"); s != "" && status == 0 {
				if status, err = strconv.Atoi(s); err != nil {
					return 0, nil, false, fmt.Errorf(":status %q", s)
				}
			}
			if f.StreamEnded() {
				return status, out.Bytes(), false, nil
			}
		case *http2.DataFrame:
			if f.StreamID != id {
				continue
			}
			out.Write(f.Data())
			if n := len(f.Data()); n > 0 {
				h.fr.WriteWindowUpdate(0, uint32(n))
			}
			if f.StreamEnded() {
				return status, out.Bytes(), false, nil
			}
		}
	}
}
