package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

func jwksConfig(ks *keySet) Config {
	return Config{JWT: JWTConfig{
		Issuer:              ks.issuer,
		Audience:            []string{"softphone"},
		JWKSURL:             ks.srv.URL + "/keys",
		RequiredClaims:      []RequiredClaim{{Claim: "groups", Contains: []string{"webrtc-agents"}}},
		AllowedEmailDomains: []string{"Example.com"},
	}}
}

func bearer(tok string) *http.Request {
	return get("/app/index.html", "Authorization", "Bearer "+tok)
}

func TestJWTAccepts(t *testing.T) {
	ks := newKeySet(t)
	now := time.Now()
	g := newGate(t, jwksConfig(ks), "/app/")

	discovery := jwksConfig(ks)
	discovery.JWT.JWKSURL = ""
	gd := newGate(t, discovery, "/app/")

	hmacCfg := Config{JWT: JWTConfig{HMACSecret: testSecret, Algorithms: []string{"HS256", "HS512"}}}
	hmacCfg.JWT.HMACSecret = strings.Repeat("s", 64)
	gh := newGate(t, hmacCfg, "/app/")

	secretFile := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secretFile, []byte(testSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	gf := newGate(t, Config{JWT: JWTConfig{HMACSecretFile: secretFile}}, "/app/")

	expiredWithinLeeway := claims(now, ks.issuer)
	expiredWithinLeeway["exp"] = now.Add(-30 * time.Second).Unix()
	audList := claims(now, ks.issuer)
	audList["aud"] = []string{"other", "softphone"}
	groupString := claims(now, ks.issuer)
	groupString["groups"] = "webrtc-agents"

	tests := []struct {
		name string
		g    *Gate
		tok  string
	}{
		{"RS256 with kid", g, sign(t, jose.RS256, ks.rsa, "rsa-1", claims(now, ks.issuer))},
		{"ES256 with kid", g, sign(t, jose.ES256, ks.ec, "ec-1", claims(now, ks.issuer))},
		{"RS256 without kid", g, sign(t, jose.RS256, ks.rsa, "", claims(now, ks.issuer))},
		{"keys from discovery", gd, sign(t, jose.ES256, ks.ec, "ec-1", claims(now, ks.issuer))},
		{"expired within leeway", g, sign(t, jose.RS256, ks.rsa, "rsa-1", expiredWithinLeeway)},
		{"audience list", g, sign(t, jose.RS256, ks.rsa, "rsa-1", audList)},
		{"groups as a string", g, sign(t, jose.RS256, ks.rsa, "rsa-1", groupString)},
		{"HS256", gh, sign(t, jose.HS256, []byte(hmacCfg.JWT.HMACSecret), "", claims(now, "anyone"))},
		{"HS256, secret from a file", gf, sign(t, jose.HS256, []byte(testSecret), "", claims(now, "anyone"))},
		{"HS512", gh, sign(t, jose.HS512, []byte(hmacCfg.JWT.HMACSecret), "", claims(now, "anyone"))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := do(tc.g, bearer(tc.tok))
			if res.code != http.StatusOK || !res.hit {
				t.Fatalf("status = %d (gate %q), want 200", res.code, res.info.Gate)
			}
			if res.info.User != "agent-7" || res.info.Gate != "jwt" {
				t.Errorf("reqinfo = %+v, want User agent-7, Gate jwt", res.info)
			}
		})
	}
}

// noneToken builds an unsigned token by hand; no library will make one.
func noneToken(c map[string]any) string {
	h, _ := json.Marshal(map[string]string{"alg": "none", "typ": "JWT"})
	p, _ := json.Marshal(c)
	enc := base64.RawURLEncoding.EncodeToString
	return enc(h) + "." + enc(p) + "."
}

func TestJWTAttacks(t *testing.T) {
	ks := newKeySet(t)
	now := time.Now()
	g := newGate(t, jwksConfig(ks), "/app/")

	// Both a secret and a key set: HS256 is allowed, so the RSA public key
	// as an HMAC secret must fail on the signature, not on the algorithm.
	both := jwksConfig(ks)
	both.JWT.HMACSecret = testSecret
	gboth := newGate(t, both, "/app/")

	pubDER, _ := x509.MarshalPKIXPublicKey(&ks.rsa.PublicKey)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	other, _ := rsa.GenerateKey(rand.Reader, 2048)

	mod := func(f func(c map[string]any)) map[string]any {
		c := claims(now, ks.issuer)
		f(c)
		return c
	}
	big := mod(func(c map[string]any) { c["pad"] = strings.Repeat("A", 100<<10) })

	tests := []struct {
		name   string
		g      *Gate
		tok    string
		reason string
	}{
		{"alg none", g, noneToken(claims(now, ks.issuer)), "malformed"},
		{"alg none, both key sources", gboth, noneToken(claims(now, ks.issuer)), "malformed"},
		{"HS256 with the RSA public key (PEM)", g, sign(t, jose.HS256, pubPEM, "rsa-1", claims(now, ks.issuer)), "malformed"},
		{"HS256 with the RSA public key (DER)", g, sign(t, jose.HS256, pubDER, "rsa-1", claims(now, ks.issuer)), "malformed"},
		{"HS256 with the RSA public key, secret configured", gboth, sign(t, jose.HS256, pubPEM, "rsa-1", claims(now, ks.issuer)), "signature"},
		{"RS256 by another key, known kid", g, sign(t, jose.RS256, other, "rsa-1", claims(now, ks.issuer)), "signature"},
		{"expired", g, sign(t, jose.RS256, ks.rsa, "rsa-1", mod(func(c map[string]any) { c["exp"] = now.Add(-2 * time.Minute).Unix() })), "expired"},
		{"missing exp", g, sign(t, jose.RS256, ks.rsa, "rsa-1", mod(func(c map[string]any) { delete(c, "exp") })), "no-exp"},
		{"nbf in the future", g, sign(t, jose.RS256, ks.rsa, "rsa-1", mod(func(c map[string]any) { c["nbf"] = now.Add(5 * time.Minute).Unix() })), "not-yet-valid"},
		{"iat in the future", g, sign(t, jose.RS256, ks.rsa, "rsa-1", mod(func(c map[string]any) { c["iat"] = now.Add(5 * time.Minute).Unix() })), "not-yet-valid"},
		{"wrong iss", g, sign(t, jose.RS256, ks.rsa, "rsa-1", mod(func(c map[string]any) { c["iss"] = "https://evil.example" })), "issuer"},
		{"wrong aud", g, sign(t, jose.RS256, ks.rsa, "rsa-1", mod(func(c map[string]any) { c["aud"] = "other-app" })), "audience"},
		{"no aud", g, sign(t, jose.RS256, ks.rsa, "rsa-1", mod(func(c map[string]any) { delete(c, "aud") })), "audience"},
		{"kid with path characters", g, sign(t, jose.RS256, ks.rsa, "../../../../etc/passwd", claims(now, ks.issuer)), "kid"},
		{"kid with a backslash", g, sign(t, jose.RS256, ks.rsa, `..\keys\rsa-1`, claims(now, ks.issuer)), "kid"},
		{"100 KB token", g, sign(t, jose.RS256, ks.rsa, "rsa-1", big), "too-large"},
		{"group missing", g, sign(t, jose.RS256, ks.rsa, "rsa-1", mod(func(c map[string]any) { c["groups"] = []string{"staff"} })), "claims"},
		{"group claim absent", g, sign(t, jose.RS256, ks.rsa, "rsa-1", mod(func(c map[string]any) { delete(c, "groups") })), "claims"},
		{"group claim with another case", g, sign(t, jose.RS256, ks.rsa, "rsa-1", mod(func(c map[string]any) { delete(c, "groups"); c["Groups"] = []string{"webrtc-agents"} })), "claims"},
		{"email domain", g, sign(t, jose.RS256, ks.rsa, "rsa-1", mod(func(c map[string]any) { c["email"] = "agent@evil.example" })), "claims"},
		{"email domain as a suffix", g, sign(t, jose.RS256, ks.rsa, "rsa-1", mod(func(c map[string]any) { c["email"] = "agent@evilexample.com" })), "claims"},
		{"email not verified", g, sign(t, jose.RS256, ks.rsa, "rsa-1", mod(func(c map[string]any) { c["email_verified"] = false })), "claims"},
		{"garbage", g, "not.a.token", "malformed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := ks.hits.Load()
			res := do(tc.g, bearer(tc.tok))
			if res.code != http.StatusUnauthorized || res.hit {
				t.Fatalf("status = %d, handler ran = %v; want 401 and no handler", res.code, res.hit)
			}
			if want := "denied:jwt-" + tc.reason; res.info.Gate != want {
				t.Errorf("reqinfo.Gate = %q, want %q", res.info.Gate, want)
			}
			if res.info.User != "" {
				t.Errorf("reqinfo.User = %q for a refused token", res.info.User)
			}
			if got := res.hdr.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer ") || !strings.Contains(got, `error="invalid_token"`) {
				t.Errorf("WWW-Authenticate = %q, want a Bearer invalid_token challenge", got)
			}
			if strings.Contains(tc.name, "kid") && ks.hits.Load() != before {
				t.Errorf("a refused kid caused %d key-set fetches", ks.hits.Load()-before)
			}
		})
	}
}

func TestJWTUnknownKidFlood(t *testing.T) {
	ks := newKeySet(t)
	now := time.Now()
	g := newGate(t, jwksConfig(ks), "/app/")
	if res := do(g, bearer(sign(t, jose.RS256, ks.rsa, "rsa-1", claims(now, ks.issuer)))); res.code != http.StatusOK {
		t.Fatalf("valid token: status %d", res.code)
	}
	start := ks.hits.Load()
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	for i := range 500 {
		tok := sign(t, jose.RS256, other, "made-up-"+randomID(), claims(now, ks.issuer))
		res := do(g, bearer(tok))
		if res.code != http.StatusUnauthorized || res.info.Gate != "denied:jwt-unknown-key" {
			t.Fatalf("flood token %d: status %d gate %q, want 401 denied:jwt-unknown-key", i, res.code, res.info.Gate)
		}
	}
	// All within one minRefreshInterval (1m) of the first fetch: no refetch.
	if got := ks.hits.Load() - start; got > 0 {
		t.Errorf("500 unknown kids caused %d key-set fetches within one interval, want 0", got)
	}
}

// A key added to the issuer's set after startup is found through one refresh.
func TestJWTKeyRotation(t *testing.T) {
	ks := newKeySet(t)
	cfg := jwksConfig(ks)
	cfg.JWT.MinRefreshInterval = time.Second
	cfg.JWT.RefreshInterval = time.Hour
	g := newGate(t, cfg, "/app/")
	now := time.Now()
	if res := do(g, bearer(sign(t, jose.RS256, ks.rsa, "rsa-1", claims(now, ks.issuer)))); res.code != http.StatusOK {
		t.Fatalf("valid token: status %d", res.code)
	}
	next, _ := rsa.GenerateKey(rand.Reader, 2048)
	ks.extra.Store(&[]jose.JSONWebKey{{Key: &next.PublicKey, KeyID: "rsa-2", Algorithm: "RS256", Use: "sig"}})
	tok := sign(t, jose.RS256, next, "rsa-2", claims(now, ks.issuer))
	deadline := time.Now().Add(10 * time.Second)
	for {
		res := do(g, bearer(tok))
		if res.code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("token with the rotated-in key still refused (%s)", res.info.Gate)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// FuzzVerify feeds arbitrary strings to the token verifier: it must never
// panic, and never accept anything but a token signed with the secret.
func FuzzVerify(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	cfg := Config{JWT: JWTConfig{HMACSecret: testSecret}}
	cfg.ApplyDefaults()
	v := newVerifier(cfg.JWT, []byte(testSecret), nil, nil)
	v.now = func() time.Time { return now }
	f.Add(sign(f, jose.HS256, []byte(testSecret), "", claims(now, "x")))
	f.Add(noneToken(claims(now, "x")))
	f.Add("eyJhbGciOiJIUzI1NiJ9.e30.")
	f.Add(strings.Repeat("a.", 5000))
	f.Fuzz(func(t *testing.T, raw string) {
		id, err := v.verify(t.Context(), raw)
		if err != nil {
			return
		}
		// Accepted: it must really carry an HMAC signature by the secret.
		tok, perr := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.HS256})
		if perr != nil {
			t.Fatalf("verify accepted %q (%+v) that go-jose cannot parse as HS256", raw, id)
		}
		var c jwt.Claims
		if err := tok.Claims([]byte(testSecret), &c); err != nil || c.Expiry == nil {
			t.Fatalf("verify accepted %q without a valid signature and exp", raw)
		}
	})
}
