package auth

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

const (
	testClientID     = "softphone"
	testClientSecret = "op-test-client-secret-0123456789"
)

// testOP is a small OpenID Provider on loopback for unit tests: discovery,
// keys, and a token endpoint that checks the code, redirect URI, client
// secret and PKCE verifier like a real provider, and whose id tokens a
// test can bend (wrong nonce, other audience...). The sign-in itself is
// op.authorize, called with the URL the gate redirected to.
type testOP struct {
	t         *testing.T
	ks        *keySet
	srv       *httptest.Server
	issuer    string
	endSess   atomic.Bool
	tokenHits atomic.Int64

	mu     sync.Mutex
	codes  map[string]grantReq
	claims func(c map[string]any) // changes the next id tokens' claims
}

type grantReq struct {
	clientID, redirectURI, challenge, method, nonce string
}

func newTestOP(t *testing.T) *testOP {
	t.Helper()
	op := &testOP{t: t, ks: newKeySet(t), codes: map[string]grantReq{}}
	op.endSess.Store(true)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		doc := map[string]any{
			"issuer":                           op.issuer,
			"authorization_endpoint":           op.issuer + "/authorize?tenant=acme",
			"token_endpoint":                   op.issuer + "/token",
			"jwks_uri":                         op.issuer + "/keys",
			"response_types_supported":         []string{"code"},
			"code_challenge_methods_supported": []string{"S256"},
		}
		if op.endSess.Load() {
			doc["end_session_endpoint"] = op.issuer + "/logout"
		}
		json.NewEncoder(w).Encode(doc)
	})
	mux.HandleFunc("GET /keys", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(op.ks.publicSet())
	})
	mux.HandleFunc("POST /token", op.token)
	op.srv = httptest.NewServer(mux)
	op.issuer = op.srv.URL
	t.Cleanup(op.srv.Close)
	return op
}

// authorize plays the user signing in: it checks the authorization
// request the gate sent the browser with, and returns the callback query
// the provider would send the browser back with.
func (op *testOP) authorize(authURL *url.URL) (redirectURI string, callback url.Values) {
	op.t.Helper()
	q := authURL.Query()
	if q.Get("response_type") != "code" || q.Get("client_id") != testClientID || q.Get("tenant") != "acme" {
		op.t.Fatalf("authorization request %s: want response_type=code, client_id=%s and the endpoint's own tenant=acme", authURL, testClientID)
	}
	code := randomID()
	op.mu.Lock()
	op.codes[code] = grantReq{q.Get("client_id"), q.Get("redirect_uri"), q.Get("code_challenge"), q.Get("code_challenge_method"), q.Get("nonce")}
	op.mu.Unlock()
	return q.Get("redirect_uri"), url.Values{"code": {code}, "state": {q.Get("state")}, "iss": {op.issuer}}
}

func (op *testOP) token(w http.ResponseWriter, r *http.Request) {
	op.tokenHits.Add(1)
	fail := func(code string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": code})
	}
	user, pass, ok := r.BasicAuth()
	if !ok || user != testClientID || subtle.ConstantTimeCompare([]byte(pass), []byte(testClientSecret)) != 1 {
		fail("invalid_client")
		return
	}
	if r.PostFormValue("grant_type") != "authorization_code" {
		fail("unsupported_grant_type")
		return
	}
	op.mu.Lock()
	g, ok := op.codes[r.PostFormValue("code")]
	delete(op.codes, r.PostFormValue("code")) // codes work once
	op.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	switch {
	case !ok, g.redirectURI != r.PostFormValue("redirect_uri"):
		fail("invalid_grant")
		return
	case g.method != "S256" || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		fail("invalid_grant") // RFC 7636 section 4.6
		return
	}
	c := claims(time.Now(), op.issuer)
	c["aud"] = testClientID
	c["nonce"] = g.nonce
	c["email_verified"] = true
	op.mu.Lock()
	if op.claims != nil {
		op.claims(c)
	}
	op.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"access_token": "opaque-access-token", "token_type": "Bearer", "expires_in": 300,
		"id_token": sign(op.t, jose.RS256, op.ks.rsa, "rsa-1", c),
	})
}

// bend makes the next id tokens' claims pass through f.
func (op *testOP) bend(f func(c map[string]any)) {
	op.mu.Lock()
	op.claims = f
	op.mu.Unlock()
}

func oidcTestConfig(op *testOP) Config {
	// The origin agents use, as the server derives it from publicURL.
	return Config{OIDC: OIDCConfig{Issuer: op.issuer, ClientID: testClientID, ClientSecret: testClientSecret},
		PublicOrigins: []string{"https://example.com"}}
}

// startSignIn makes an unauthenticated navigation to target and returns
// the redirect to the provider and the pending sign-in's cookie.
func startSignIn(t *testing.T, g *Gate, target string) (*url.URL, *http.Cookie) {
	t.Helper()
	res := do(g, get(target, "Accept", "text/html", "Sec-Fetch-Mode", "navigate"))
	if res.code != http.StatusFound {
		t.Fatalf("navigation to %s: status %d (%s), want 302\n%s", target, res.code, res.info.Gate, res.body)
	}
	loc, err := url.Parse(res.hdr.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	state := loc.Query().Get("state")
	c := cookieNamed(res.hdr, "softphone_session_oidc_"+state)
	if c == nil {
		t.Fatalf("no pending sign-in cookie for state %q; Set-Cookie = %q", state, res.hdr.Values("Set-Cookie"))
	}
	return loc, c
}

// callback brings the browser back with query q and cookies.
func callback(g *Gate, redirectURI string, q url.Values, cookies ...*http.Cookie) result {
	u, _ := url.Parse(redirectURI)
	r := get(u.Path + "?" + q.Encode())
	for _, c := range cookies {
		r.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	return do(g, r)
}
