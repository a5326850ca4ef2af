package tlsconf

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/acme/autocert"
)

func TestIsCertKey(t *testing.T) {
	for key, want := range map[string]bool{
		"example.com":           true,
		"example.com+rsa":       true,
		"acme_account+key":      false,
		"example.com+token":     false,
		"abc+http-01":           false,
		"../x":                  false,
		"":                      false,
		"xn--bcher-kva.example": true,
		"xn--bcher-kva.ex+rsa":  true,
		"/well-known/x+http-01": false,
		`a\b`:                   false,
	} {
		if got := isCertKey(key); got != want {
			t.Errorf("isCertKey(%q) = %v, want %v", key, got, want)
		}
	}
}

// TestSharedCacheWaitsForOrder: a second cache on the same folder waits
// while the first holds the order lock, then gets what the first put; a
// failed order (release without Put) lets the next one order at once.
func TestSharedCacheWaitsForOrder(t *testing.T) {
	dir := t.TempDir()
	a, b := newSharedCache(dir), newSharedCache(dir)
	ctx := context.Background()
	if _, err := a.Get(ctx, "x.test"); !errors.Is(err, autocert.ErrCacheMiss) {
		t.Fatalf("first Get: %v, want a miss (a orders)", err)
	}
	waiting := make(chan struct{})
	b.onWait = func(string) { close(waiting) }
	got := make(chan []byte, 1)
	go func() {
		data, err := b.Get(ctx, "x.test")
		if err != nil {
			t.Errorf("b.Get after a's Put: %v", err)
		}
		got <- data
	}()
	select {
	case <-waiting: // b found the lock taken
	case data := <-got:
		t.Fatalf("b.Get returned %q without waiting for a's order", data)
	case <-time.After(10 * time.Second):
		t.Fatal("b neither waited nor returned within 10 s")
	}
	if err := a.Put(ctx, "x.test", []byte("cert")); err != nil {
		t.Fatal(err)
	}
	select {
	case data := <-got:
		if string(data) != "cert" {
			t.Errorf("b got %q, want a's certificate", data)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("b still waiting 10 s after a's Put")
	}

	// A failed order: a releases without a Put; b then orders itself.
	if _, err := a.Get(ctx, "y.test"); !errors.Is(err, autocert.ErrCacheMiss) {
		t.Fatalf("a.Get(y): %v", err)
	}
	a.release("y.test")
	short, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := b.Get(short, "y.test"); !errors.Is(err, autocert.ErrCacheMiss) {
		t.Fatalf("b.Get(y) after a's failed order: %v, want a miss (b orders)", err)
	}
	// The account key is never locked.
	if _, err := a.Get(ctx, "acme_account+key"); !errors.Is(err, autocert.ErrCacheMiss) {
		t.Fatalf("account key: %v", err)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "acme_account*.lock")); len(matches) != 0 {
		t.Errorf("lock files for the account key: %v", matches)
	}
}
