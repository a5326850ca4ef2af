package service

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
)

// eventSink is a system event log: the Windows Event Log's *eventlog.Log
// has exactly these methods.
type eventSink interface {
	Info(eid uint32, msg string) error
	Warning(eid uint32, msg string) error
	Error(eid uint32, msg string) error
}

// Event IDs softphone writes under its event source.
const (
	eventIDInfo    = 1
	eventIDWarning = 2
	eventIDError   = 3
)

// eventLogHandler formats records like the text log and writes each as one
// event, at the event level matching the record's level.
type eventLogHandler struct {
	mu    *sync.Mutex
	buf   *bytes.Buffer
	inner slog.Handler // a TextHandler writing into buf
	sink  eventSink
}

// newEventLogHandler writes through logTo, the application's logger
// factory, into a buffer that becomes one event per record.
func newEventLogHandler(sink eventSink, logTo func(w io.Writer, format, level string) *slog.Logger, format, level string) *eventLogHandler {
	buf := &bytes.Buffer{}
	// The event log stamps each event itself; the text keeps level and message.
	inner := logTo(buf, format, level).Handler()
	return &eventLogHandler{mu: &sync.Mutex{}, buf: buf, inner: inner, sink: sink}
}

func (h *eventLogHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.inner.Enabled(ctx, l)
}

func (h *eventLogHandler) Handle(ctx context.Context, r slog.Record) error {
	h.mu.Lock()
	h.buf.Reset()
	err := h.inner.Handle(ctx, r)
	msg := strings.TrimRight(h.buf.String(), "\n")
	h.mu.Unlock()
	if err != nil {
		return err
	}
	switch {
	case r.Level >= slog.LevelError:
		return h.sink.Error(eventIDError, msg)
	case r.Level >= slog.LevelWarn:
		return h.sink.Warning(eventIDWarning, msg)
	}
	return h.sink.Info(eventIDInfo, msg)
}

func (h *eventLogHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &eventLogHandler{mu: h.mu, buf: h.buf, inner: h.inner.WithAttrs(attrs), sink: h.sink}
}

func (h *eventLogHandler) WithGroup(name string) slog.Handler {
	return &eventLogHandler{mu: h.mu, buf: h.buf, inner: h.inner.WithGroup(name), sink: h.sink}
}

var _ slog.Handler = (*eventLogHandler)(nil)
