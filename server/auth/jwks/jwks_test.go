package jwks

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

type idp struct {
	srv       *httptest.Server
	keyHits   atomic.Int64
	set       atomic.Pointer[jose.JSONWebKeySet]
	issuer    string // in the discovery document; "" means the server's URL
	bigBody   bool
	keyStatus int
}

func newIDP(t *testing.T, keys ...jose.JSONWebKey) *idp {
	t.Helper()
	p := &idp{keyStatus: http.StatusOK}
	p.set.Store(&jose.JSONWebKeySet{Keys: keys})
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		iss := p.issuer
		if iss == "" {
			iss = p.srv.URL
		}
		json.NewEncoder(w).Encode(map[string]string{"issuer": iss, "jwks_uri": p.srv.URL + "/keys"})
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) {
		p.keyHits.Add(1)
		if p.bigBody {
			w.Write([]byte(`{"keys":[],"pad":"` + strings.Repeat("x", maxDocument) + `"}`))
			return
		}
		w.WriteHeader(p.keyStatus)
		json.NewEncoder(w).Encode(p.set.Load())
	})
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func ecKey(t *testing.T, kid string) (*ecdsa.PrivateKey, jose.JSONWebKey) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k, jose.JSONWebKey{Key: k, KeyID: kid, Algorithm: "ES256", Use: "sig"}
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newCache(p *idp, url string, clk *clock) *Cache {
	c := New(Options{URL: url, Issuer: p.srv.URL, MaxAge: time.Hour, MinInterval: time.Minute, Timeout: 5 * time.Second})
	c.now = clk.now
	return c
}

func TestUnknownKidFloodFetchesOncePerInterval(t *testing.T) {
	_, jwk := ecKey(t, "k1")
	p := newIDP(t, jwk)
	clk := &clock{time.Unix(1_800_000_000, 0)}
	c := newCache(p, p.srv.URL+"/keys", clk)
	ctx := context.Background()

	keys, err := c.Keys(ctx, "k1")
	if err != nil || len(keys) != 1 {
		t.Fatalf("Keys(k1) = %d keys, %v; want 1 key", len(keys), err)
	}
	if keys[0].IsPublic() != true {
		t.Errorf("returned key is not public-only")
	}
	clk.t = clk.t.Add(2 * time.Minute)
	for i := range 1000 {
		keys, _ := c.Keys(ctx, "unknown-"+string(rune('a'+i%26)))
		if len(keys) != 0 {
			t.Fatalf("unknown kid returned %d keys", len(keys))
		}
	}
	if got := p.keyHits.Load(); got != 2 {
		t.Errorf("key set fetched %d times for 1 known + 1000 unknown kids, want 2 (initial + one refresh)", got)
	}
	clk.t = clk.t.Add(time.Minute)
	c.Keys(ctx, "still-unknown")
	if got := p.keyHits.Load(); got != 3 {
		t.Errorf("after MinInterval, fetches = %d, want 3", got)
	}
}

func TestRotationPickedUp(t *testing.T) {
	_, k1 := ecKey(t, "k1")
	_, k2 := ecKey(t, "k2")
	p := newIDP(t, k1)
	clk := &clock{time.Unix(1_800_000_000, 0)}
	c := newCache(p, "", clk) // through discovery
	if keys, _ := c.Keys(context.Background(), "k1"); len(keys) != 1 {
		t.Fatalf("Keys(k1) = %d keys, want 1", len(keys))
	}
	p.set.Store(&jose.JSONWebKeySet{Keys: []jose.JSONWebKey{k1, k2}})
	clk.t = clk.t.Add(61 * time.Second)
	if keys, _ := c.Keys(context.Background(), "k2"); len(keys) != 1 {
		t.Errorf("Keys(k2) after rotation = %d keys, want 1", len(keys))
	}
}

func TestFetchFailures(t *testing.T) {
	_, jwk := ecKey(t, "k1")
	tests := []struct {
		name  string
		setup func(p *idp) string // returns the URL option
		want  string
	}{
		{"issuer mismatch", func(p *idp) string { p.issuer = "https://evil.example"; return "" }, "no key set"},
		{"server error", func(p *idp) string { p.keyStatus = http.StatusInternalServerError; return p.srv.URL + "/keys" }, "no key set"},
		{"oversized", func(p *idp) string { p.bigBody = true; return p.srv.URL + "/keys" }, "no key set"},
		{"symmetric keys only", func(p *idp) string {
			p.set.Store(&jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: []byte(strings.Repeat("k", 32)), KeyID: "h", Algorithm: "HS256"}}})
			return p.srv.URL + "/keys"
		}, "no key set"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newIDP(t, jwk)
			u := tc.setup(p)
			c := newCache(p, u, &clock{time.Unix(1_800_000_000, 0)})
			keys, err := c.Keys(context.Background(), "k1")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Keys = %d keys, %v; want error %q", len(keys), err, tc.want)
			}
		})
	}
}

func TestFetchTimesOut(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	c := New(Options{URL: srv.URL, MaxAge: time.Hour, MinInterval: time.Minute, Timeout: 200 * time.Millisecond})
	done := make(chan error, 1)
	go func() { _, err := c.Keys(context.Background(), "k"); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Errorf("Keys against a hanging server = nil error")
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("Keys did not return although the fetch should have timed out")
	}
}

func TestCheckURL(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"https://idp.example.com/keys", true},
		{"http://127.0.0.1:8080/keys", true},
		{"http://[::1]/keys", true},
		{"http://localhost/keys", true},
		{"http://idp.example.com/keys", false},
		{"ftp://idp.example.com/keys", false},
		{"https:///keys", false},
		{"file:///etc/passwd", false},
	}
	for _, tc := range tests {
		if err := CheckURL(tc.url); (err == nil) != tc.ok {
			t.Errorf("CheckURL(%q) = %v, want ok=%v", tc.url, err, tc.ok)
		}
	}
}

// TestStaleSetDoesNotBlock: while one caller re-fetches a set older than
// MaxAge from a slow server, others keep verifying with the set they have.
func TestStaleSetDoesNotBlock(t *testing.T) {
	_, jwk := ecKey(t, "k1")
	p := newIDP(t, jwk)
	release := make(chan struct{})
	arrived := make(chan struct{}, 1)
	var slow atomic.Bool
	inner := p.srv.Config.Handler
	p.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slow.Load() {
			arrived <- struct{}{}
			<-release
		}
		inner.ServeHTTP(w, r)
	})
	clk := &clock{time.Unix(1_800_000_000, 0)}
	c := newCache(p, p.srv.URL+"/keys", clk)
	if keys, _ := c.Keys(context.Background(), "k1"); len(keys) != 1 {
		t.Fatalf("Keys(k1) = %d keys, want 1", len(keys))
	}
	clk.t = clk.t.Add(2 * time.Hour) // before the goroutine starts: no race on clk
	slow.Store(true)
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.Keys(context.Background(), "k1") // takes the refresh and hangs on the server
	}()
	<-arrived
	got := make(chan int, 1)
	go func() {
		keys, _ := c.Keys(context.Background(), "k1")
		got <- len(keys)
	}()
	select {
	case n := <-got:
		if n != 1 {
			t.Errorf("Keys(k1) during a refresh = %d keys, want 1 from the stale set", n)
		}
	case <-time.After(10 * time.Second):
		t.Errorf("Keys(k1) waited for a refresh of a stale set")
	}
	close(release)
	<-done
}
