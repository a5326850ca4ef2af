package auth

import (
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/softphone/softphone/server/auth/htpasswd"
)

func basicReq(user, pass, remote string) *http.Request {
	r := get("/index.html")
	r.SetBasicAuth(user, pass)
	r.RemoteAddr = remote
	return r
}

func TestBasicAuth(t *testing.T) {
	path := writeHtpasswd(t, hashLine(t, "agent", "right"), hashLine(t, "Ägent", "other"))
	g := newGate(t, Config{BasicAuth: BasicAuthConfig{HtpasswdFile: path}}, "/")

	tests := []struct {
		name     string
		req      *http.Request
		code     int
		user     string
		gate     string
		wantAuth string // WWW-Authenticate
	}{
		{"right password", basicReq("agent", "right", "192.0.2.1:1"), 200, "agent", "basic", ""},
		{"wrong password", basicReq("agent", "wrong", "192.0.2.2:1"), 401, "", "denied:basic", `Basic realm="Restricted Content", charset="UTF-8"`},
		{"unknown user", basicReq("nobody", "right", "192.0.2.3:1"), 401, "", "denied:basic", `Basic realm="Restricted Content", charset="UTF-8"`},
		{"no credentials", get("/index.html"), 401, "", "denied:no-credentials", `Basic realm="Restricted Content", charset="UTF-8"`},
		{"bearer instead", get("/index.html", "Authorization", "Bearer abc"), 401, "", "denied:no-credentials", `Basic realm="Restricted Content", charset="UTF-8"`},
		{"malformed basic", get("/index.html", "Authorization", "Basic !!!"), 401, "", "denied:basic", `Basic realm="Restricted Content", charset="UTF-8"`},
		{"health check needs none", get("/healthz"), 200, "", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := do(g, tc.req)
			if res.code != tc.code {
				t.Fatalf("status = %d, want %d", res.code, tc.code)
			}
			if res.info.User != tc.user || res.info.Gate != tc.gate {
				t.Errorf("reqinfo = {User:%q Gate:%q}, want {%q %q}", res.info.User, res.info.Gate, tc.user, tc.gate)
			}
			if got := res.hdr.Get("WWW-Authenticate"); got != tc.wantAuth {
				t.Errorf("WWW-Authenticate = %q, want %q", got, tc.wantAuth)
			}
			if res.hit != (tc.code == 200) {
				t.Errorf("protected handler ran = %v, want %v", res.hit, tc.code == 200)
			}
		})
	}
}

// TestBasicBruteForce runs a password-guessing loop from one client and
// checks it is throttled with 429 and Retry-After, while another client
// and the right password from elsewhere are unaffected.
func TestBasicBruteForce(t *testing.T) {
	path := writeHtpasswd(t, hashLine(t, "agent", "right"))
	g := newGate(t, Config{BasicAuth: BasicAuthConfig{HtpasswdFile: path, FailureBurst: 5, FailureInterval: time.Minute}}, "/")
	now := time.Unix(1_800_000_000, 0)
	g.now = func() time.Time { return now }

	counts := map[int]int{}
	var retryAfter string
	for i := range 200 {
		res := do(g, basicReq("agent", "guess"+strconv.Itoa(i), "198.51.100.7:5555"))
		counts[res.code]++
		if res.code == http.StatusTooManyRequests {
			retryAfter = res.hdr.Get("Retry-After")
			if res.info.Gate != "denied:rate-limit" {
				t.Errorf("429 with reqinfo.Gate %q, want denied:rate-limit", res.info.Gate)
			}
		}
	}
	if counts[401] != 5 || counts[429] != 195 || counts[200] != 0 {
		t.Errorf("200 guesses: %v, want 5×401 then 195×429", counts)
	}
	if secs, err := strconv.Atoi(retryAfter); err != nil || secs < 1 || secs > 60 {
		t.Errorf("Retry-After = %q, want 1..60 seconds", retryAfter)
	}
	// Even the right password waits while the client is blocked: a guesser
	// cannot learn it by watching for a 200.
	if res := do(g, basicReq("agent", "right", "198.51.100.7:5555")); res.code != http.StatusTooManyRequests {
		t.Errorf("right password from a blocked client: status %d, want 429", res.code)
	}
	// The same /64 of IPv6 is one client; another address is not.
	if res := do(g, basicReq("agent", "right", "203.0.113.9:1")); res.code != http.StatusOK {
		t.Errorf("right password from another client: status %d, want 200", res.code)
	}
	for i := range 5 {
		do(g, basicReq("agent", "guess", "[2001:db8:1:2::"+strconv.Itoa(i+1)+"]:1"))
	}
	if res := do(g, basicReq("agent", "guess", "[2001:db8:1:2:ffff::1]:1")); res.code != http.StatusTooManyRequests {
		t.Errorf("6th guess from the same IPv6 /64: status %d, want 429", res.code)
	}
	// After the interval one more try is allowed.
	now = now.Add(61 * time.Second)
	if res := do(g, basicReq("agent", "right", "198.51.100.7:5555")); res.code != http.StatusOK {
		t.Errorf("right password after waiting: status %d, want 200", res.code)
	}
}

func TestBasicCacheFollowsFile(t *testing.T) {
	path := writeHtpasswd(t, hashLine(t, "agent", "one"))
	g := newGate(t, Config{BasicAuth: BasicAuthConfig{HtpasswdFile: path}}, "/")
	if res := do(g, basicReq("agent", "one", "192.0.2.1:1")); res.code != 200 {
		t.Fatalf("status %d, want 200", res.code)
	}
	if g.basic.cache.Len() != 1 {
		t.Errorf("cache holds %d entries after one login, want 1", g.basic.cache.Len())
	}
	for _, k := range g.basic.cache.Keys() {
		if strings.Contains(string(k[:]), "one") {
			t.Errorf("cache key contains the password")
		}
	}
	// The password changes on disk: the remembered login must not outlive it.
	if err := os.WriteFile(path, []byte(hashLine(t, "agent", "two")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for do(g, basicReq("agent", "two", "192.0.2.1:1")).code != 200 {
		if time.Now().After(deadline) {
			t.Fatalf("new password not accepted after the file changed")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if res := do(g, basicReq("agent", "one", "192.0.2.1:1")); res.code != 401 {
		t.Errorf("old password after file change: status %d, want 401", res.code)
	}
}

func BenchmarkBasicCached(b *testing.B) {
	path := writeHtpasswdB(b, hashLine(b, "agent", "right"))
	cfg := Config{BasicAuth: BasicAuthConfig{HtpasswdFile: path}}
	cfg.ApplyDefaults()
	g, err := New(cfg, "/", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer g.Close()
	h := g.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	r := basicReq("agent", "right", "192.0.2.1:1")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		h.ServeHTTP(discard{}, r)
	}
}

func BenchmarkBasicBcryptCost12Uncached(b *testing.B) {
	line, err := htpasswd.HashLine("agent", "right", htpasswd.DefaultCost)
	if err != nil {
		b.Fatal(err)
	}
	path := writeHtpasswdB(b, line)
	cfg := Config{BasicAuth: BasicAuthConfig{HtpasswdFile: path}}
	cfg.ApplyDefaults()
	g, err := New(cfg, "/", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer g.Close()
	for b.Loop() {
		g.basic.file.Table().Match("agent", "right")
	}
}

type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) WriteHeader(int)             {}

func writeHtpasswdB(b *testing.B, line string) string {
	path := b.TempDir() + "/htpasswd"
	if err := os.WriteFile(path, []byte(line+"\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	return path
}
