package auth

import (
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

func newFileKey() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// writeKeys replaces the key file by rename, as a rotation does.
func writeKeys(t *testing.T, path string, keys ...string) {
	t.Helper()
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte("# session keys, newest first\n"+strings.Join(keys, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
}

// TestSessionKeyFile: gates that share the file (other instances, a
// restart) accept each other's sessions and sealed sign-in state; a gate
// with its own key does not; rotation keeps old sessions and signs new
// ones with the new key; a changed access policy ends sessions.
func TestSessionKeyFile(t *testing.T) {
	ks := newKeySet(t)
	path := filepath.Join(t.TempDir(), "session-keys")
	oldKey, newKey := newFileKey(), newFileKey()
	writeKeys(t, path, oldKey)
	cfg := ssoConfig(ks)
	cfg.SessionKeyFile = path
	a, b := newGate(t, cfg, "/"), newGate(t, cfg, "/")
	own := newGate(t, ssoConfig(ks), "/")

	mint := func(g *Gate) *http.Cookie {
		t.Helper()
		res := do(g, get("/auth/callback?jwt="+sign(t, jose.RS256, ks.rsa, "rsa-1", claims(time.Now(), ks.issuer))))
		c := cookieNamed(res.hdr, DefaultCookieName)
		if c == nil {
			t.Fatalf("no session cookie from the callback (status %d, %s)", res.code, res.info.Gate)
		}
		return c
	}
	status := func(g *Gate, c *http.Cookie) int {
		r := get("/index.html")
		r.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
		return do(g, r).code
	}
	s1 := mint(a)
	if got := status(b, s1); got != 200 {
		t.Errorf("a session from another gate with the same key file: status %d, want 200", got)
	}
	if got := status(own, s1); got != 401 {
		t.Errorf("a session from a gate with another key: status %d, want 401", got)
	}

	sealed, err := a.sealer().seal(pendingSignIn{State: "s", Expiry: time.Now().Add(time.Minute).Unix()})
	if err != nil {
		t.Fatal(err)
	}
	if p, err := b.sealer().open(sealed); err != nil || p.State != "s" {
		t.Errorf("sign-in state sealed by another gate with the same key file: %+v, %v", p, err)
	}

	// Rotation: the new key first, the old one kept.
	writeKeys(t, path, newKey, oldKey)
	var s2 *http.Cookie
	if !waitUntil(func() bool { return signedWithFirstKey(b, mint(b)) == nil && signedWithFirstKey(b, s1) != nil }) {
		t.Fatal("the rotated key file was not read within 5s")
	}
	s2 = mint(b)
	for name, g := range map[string]*Gate{"a": a, "b": b} {
		if got := status(g, s1); got != 200 {
			t.Errorf("gate %s: a session signed with the old key after rotation: status %d, want 200", name, got)
		}
		if got := status(g, s2); got != 200 {
			t.Errorf("gate %s: a session signed after rotation: status %d, want 200", name, got)
		}
	}
	if _, err := a.sealer().open(sealed); err != nil {
		t.Errorf("sign-in state sealed with the old key after rotation: %v", err)
	}
	// The old key removed: only the session signed after rotation stays,
	// which proves it was signed with the new key.
	writeKeys(t, path, newKey)
	if !waitUntil(func() bool { return status(a, s1) == 401 }) {
		t.Fatal("a session signed with a removed key is still accepted after 5s")
	}
	if got := status(a, s2); got != 200 {
		t.Errorf("a session signed after rotation, the old key removed: status %d, want 200", got)
	}

	// A reload that reads the file again and keeps the policy keeps s2; one
	// that tightens the policy ends it.
	same, err := New(a.cfg, "/", slog.New(slog.DiscardHandler), WithPrevious(a))
	if err != nil {
		t.Fatal(err)
	}
	defer same.Close()
	if got := status(same, s2); got != 200 {
		t.Errorf("after a reload with the same policy: status %d, want 200", got)
	}
	stricter := a.cfg
	stricter.JWT.RequiredClaims = []RequiredClaim{{Claim: "groups", Contains: []string{"supervisors"}}}
	g3, err := New(stricter, "/", slog.New(slog.DiscardHandler), WithPrevious(a))
	if err != nil {
		t.Fatal(err)
	}
	defer g3.Close()
	if got := status(g3, s2); got != 401 {
		t.Errorf("after requiredClaims changed: status %d, want 401", got)
	}
}

// signedWithFirstKey verifies c under the first key of g's ring only.
func signedWithFirstKey(g *Gate, c *http.Cookie) error {
	s := newSessions(time.Hour, &keyRing{fixed: g.sessions.ring.keys()[:1]})
	_, err := s.verify(c.Value, 1<<16)
	return err
}

// sealer is a stateSealer with the gate's sign-in state keys, as OIDC uses.
func (g *Gate) sealer() *stateSealer {
	if g.oidc != nil {
		return g.oidc.sealer
	}
	return &stateSealer{ring: fileRing(g.keyFile, purposeState)}
}

func TestSessionKeyFileErrors(t *testing.T) {
	ks := newKeySet(t)
	dir := t.TempDir()
	open := filepath.Join(dir, "open")
	if err := os.WriteFile(open, []byte(newFileKey()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte("# keys\n"+newFileKey()+"\nsecret-but-short\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, want string }{
		{open, "access.sessionKeyFile: " + open + ": has mode 0644"},
		{bad, "access.sessionKeyFile: " + bad + ":3: must be the base64 of at least 32 random bytes"},
		{filepath.Join(dir, "missing"), "access.sessionKeyFile: open " + filepath.Join(dir, "missing")},
	} {
		cfg := ssoConfig(ks)
		cfg.SessionKeyFile = tc.path
		cfg.ApplyDefaults()
		if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate: %v, want %q", err, tc.want)
		}
		if _, err := New(cfg, "/", nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New: %v, want %q", err, tc.want)
		}
	}
}

// waitUntil polls cond for up to 5 s.
func waitUntil(cond func() bool) bool {
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cond()
}

// TestProcessKeyNote: without access.sessionKeyFile, a gate with sessions
// says at start that they end on restart; with the file, or with no
// sessions at all, it does not.
func TestProcessKeyNote(t *testing.T) {
	ks := newKeySet(t)
	path := filepath.Join(t.TempDir(), "session-keys")
	writeKeys(t, path, newFileKey())
	const note = "access.sessionKeyFile is not set"
	for _, tc := range []struct {
		name string
		cfg  Config
		want bool
	}{
		{"jwt without key file", ssoConfig(ks), true},
		{"jwt with key file", func() Config { c := ssoConfig(ks); c.SessionKeyFile = path; return c }(), false},
		{"no sessions", Config{AllowedIPs: []string{"10.0.0.0/8"}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs strings.Builder
			cfg := tc.cfg
			cfg.ApplyDefaults()
			g, err := New(cfg, "/", slog.New(slog.NewTextHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			g.Close()
			if got := strings.Contains(logs.String(), note); got != tc.want {
				t.Errorf("start-up note %q logged: %v, want %v; log:\n%s", note, got, tc.want, logs.String())
			}
		})
	}
}
