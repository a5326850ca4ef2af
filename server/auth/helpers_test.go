package auth

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/softphone/softphone/server/auth/htpasswd"
	"github.com/softphone/softphone/server/reqinfo"
)

const testSecret = "0123456789abcdef0123456789abcdef-test-secret"

// keySet is an identity provider's signing keys, served as a JWKS by an
// httptest server on loopback.
type keySet struct {
	rsa    *rsa.PrivateKey
	ec     *ecdsa.PrivateKey
	srv    *httptest.Server
	hits   atomic.Int64
	extra  atomic.Pointer[[]jose.JSONWebKey]
	issuer string
}

func newKeySet(t *testing.T) *keySet {
	t.Helper()
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ks := &keySet{rsa: rk, ec: ek}
	mux := http.NewServeMux()
	mux.HandleFunc("/keys", func(w http.ResponseWriter, r *http.Request) {
		ks.hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(ks.publicSet())
	})
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{"issuer": ks.issuer, "jwks_uri": ks.srv.URL + "/keys"})
	})
	ks.srv = httptest.NewServer(mux)
	ks.issuer = ks.srv.URL
	t.Cleanup(ks.srv.Close)
	return ks
}

func (ks *keySet) publicSet() jose.JSONWebKeySet {
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &ks.rsa.PublicKey, KeyID: "rsa-1", Algorithm: "RS256", Use: "sig"},
		{Key: &ks.ec.PublicKey, KeyID: "ec-1", Algorithm: "ES256", Use: "sig"},
	}}
	if extra := ks.extra.Load(); extra != nil {
		set.Keys = append(set.Keys, *extra...)
	}
	return set
}

// claims builds a typical, valid claim set; tests then break one thing.
func claims(now time.Time, iss string) map[string]any {
	return map[string]any{
		"iss":    iss,
		"aud":    "softphone",
		"sub":    "agent-7",
		"email":  "agent7@example.com",
		"groups": []string{"staff", "webrtc-agents"},
		"iat":    now.Unix(),
		"nbf":    now.Unix(),
		"exp":    now.Add(5 * time.Minute).Unix(),
		"jti":    randomID(),
	}
}

func randomID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// sign mints a compact JWT with alg, key and optional kid.
func sign(t testing.TB, alg jose.SignatureAlgorithm, key any, kid string, c map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(c).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func writeHtpasswd(t *testing.T, lines ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "htpasswd")
	var data string
	for _, l := range lines {
		data += l + "\n"
	}
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func hashLine(t testing.TB, user, password string) string {
	t.Helper()
	l, err := htpasswd.HashLine(user, password, htpasswd.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// newGate builds a Gate from cfg after defaults and validation.
func newGate(t *testing.T, cfg Config, basePath string) *Gate {
	t.Helper()
	cfg.ApplyDefaults()
	if err := cfg.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	g, err := New(cfg, basePath, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { g.Close() })
	return g
}

// result is what one request through the gate produced.
type result struct {
	code int
	hdr  http.Header
	body string
	info reqinfo.Info
	hit  bool // the protected handler ran
}

func do(g *Gate, r *http.Request) result {
	var hit bool
	h := g.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hit = true
		io.WriteString(w, "protected")
	}))
	r, info := reqinfo.Attach(r)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return result{code: w.Code, hdr: w.Header(), body: w.Body.String(), info: *info, hit: hit}
}

func get(target string, hdr ...string) *http.Request {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.RemoteAddr = "192.0.2.10:40000"
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Add(hdr[i], hdr[i+1])
	}
	return r
}
