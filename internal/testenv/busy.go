package testenv

import (
	"os"
	"testing"
	"time"
)

// BusyFile appends a line to the file at path every millisecond until the
// test ends, like an access log beside a watched file: the file watchers
// must tell its events from those of the file they watch.
func BusyFile(t testing.TB, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			f.WriteString("GET / 200\n")
			time.Sleep(time.Millisecond)
		}
	}()
	t.Cleanup(func() { close(stop); <-done; f.Close() })
}
