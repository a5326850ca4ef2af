package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"
)

// busyNeighbour appends to another file in dir without pause until the
// test ends, as an access log or a redirected stdout beside the config does
// under traffic.
func busyNeighbour(t *testing.T, dir string) *atomic.Int64 {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(dir, "access.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	var writes atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			f.WriteString("127.0.0.1 - - \"GET / HTTP/2.0\" 200\n")
			writes.Add(1)
			time.Sleep(time.Millisecond)
		}
	}()
	t.Cleanup(func() { cancel(); <-done; f.Close() })
	return &writes
}

// waitUntil polls cond until it holds or the deadline passes.
func waitUntil(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestWatchFileUnderNeighbourWrites changes the config while another file
// in its folder is appended to continuously: the reload must still happen.
func TestWatchFileUnderNeighbourWrites(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "softphone.yaml")
	if err := os.WriteFile(file, []byte("listen: \":8443\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	writes := busyNeighbour(t, dir)
	waitUntil(t, "neighbour writing", 10*time.Second, func() bool { return writes.Load() > 10 })

	var changes atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		watchFile(ctx, file, slog.New(slog.DiscardHandler), func() { changes.Add(1) })
	}()
	t.Cleanup(func() { cancel(); <-done })

	// The watcher starts asynchronously: keep rewriting until it notices.
	before := writes.Load()
	n := 0
	waitUntil(t, "reload after the config changed beside a busy log", 20*time.Second, func() bool {
		if changes.Load() > 0 {
			return true
		}
		n++
		os.WriteFile(file, []byte("listen: \":"+string(rune('0'+n%10))+"443\"\n"), 0o600)
		time.Sleep(300 * time.Millisecond)
		return changes.Load() > 0
	})
	// The neighbour kept writing while the change waited out its debounce
	// (150 ms; it writes about every millisecond), which is what starved it.
	if w := writes.Load() - before; w < 5 {
		t.Fatalf("the neighbour wrote only %d times while the change was pending; the test did not load the folder", w)
	}
}

// TestWatchFileConfigMapSwap replaces the config the way a Kubernetes
// ConfigMap volume does (a new timestamped folder, then an atomic rename
// of the ..data symlink) while a neighbour writes, and expects a reload.
func TestWatchFileConfigMapSwap(t *testing.T) {
	dir := t.TempDir()
	mkVersion := func(name, body string) {
		t.Helper()
		if err := os.Mkdir(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name, "softphone.yaml"), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	mkVersion("..v1", "listen: \":8443\"\n")
	if err := os.Symlink("..v1", filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "softphone.yaml")
	if err := os.Symlink(filepath.Join("..data", "softphone.yaml"), file); err != nil {
		t.Fatal(err)
	}
	busyNeighbour(t, dir)

	var changes atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		watchFile(ctx, file, slog.New(slog.DiscardHandler), func() { changes.Add(1) })
	}()
	t.Cleanup(func() { cancel(); <-done })

	v := 1
	waitUntil(t, "reload after the ConfigMap swap", 20*time.Second, func() bool {
		v++
		name := "..v" + string(rune('0'+v))
		mkVersion(name, "listen: \":"+string(rune('0'+v))+"443\"\n")
		tmp := filepath.Join(dir, "..data_tmp")
		if err := os.Symlink(name, tmp); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, filepath.Join(dir, "..data")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		return changes.Load() > 0
	})
}
