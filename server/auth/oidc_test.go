package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

func TestOIDCSignIn(t *testing.T) {
	op := newTestOP(t)
	g := newGate(t, oidcTestConfig(op), "/webrtc_client/")

	authURL, pending := startSignIn(t, g, "/webrtc_client/index.html?lang=fr")
	if !strings.HasPrefix(authURL.String(), op.issuer+"/authorize?") {
		t.Fatalf("Location = %s, want the provider's authorization_endpoint", authURL)
	}
	q := authURL.Query()
	for k, want := range map[string]string{
		"scope": "openid profile email", "code_challenge_method": "S256",
		"redirect_uri": "https://example.com/webrtc_client/auth/oidc/callback",
	} {
		if got := q.Get(k); got != want {
			t.Errorf("authorization request %s = %q, want %q", k, got, want)
		}
	}
	if !validState(q.Get("state")) || len(q.Get("nonce")) < 32 || q.Get("state") == q.Get("nonce") {
		t.Errorf("state %q, nonce %q: want two different random values", q.Get("state"), q.Get("nonce"))
	}
	if pending.Path != "/webrtc_client/auth/oidc/callback" || !pending.HttpOnly || !pending.Secure ||
		pending.SameSite != http.SameSiteLaxMode || pending.MaxAge != 600 {
		t.Errorf("pending sign-in cookie = %+v, want HttpOnly Secure SameSite=Lax Max-Age=600 on the callback path", pending)
	}
	for _, secret := range []string{q.Get("nonce"), q.Get("code_challenge")} {
		if strings.Contains(pending.Value, secret) {
			t.Errorf("pending sign-in cookie shows %q in clear", secret)
		}
	}

	redirectURI, cb := op.authorize(authURL)
	res := callback(g, redirectURI, cb, pending)
	if res.code != http.StatusSeeOther || res.hdr.Get("Location") != "/webrtc_client/index.html?lang=fr" {
		t.Fatalf("callback: status %d (%s), Location %q; want 303 to the page first asked for\n%s", res.code, res.info.Gate, res.hdr.Get("Location"), res.body)
	}
	if res.info.User != "agent-7" || res.info.Gate != "oidc" {
		t.Errorf("callback reqinfo = %+v, want User agent-7, Gate oidc", res.info)
	}
	if c := cookieNamed(res.hdr, pending.Name); c == nil || c.MaxAge >= 0 {
		t.Errorf("pending sign-in cookie not cleared: %+v", c)
	}
	sess := cookieNamed(res.hdr, "softphone_session")
	if sess == nil || sess.Path != "/webrtc_client/" || !sess.HttpOnly || !sess.Secure {
		t.Fatalf("session cookie = %+v, want HttpOnly Secure on basePath", sess)
	}
	if d := time.Duration(sess.MaxAge) * time.Second; d < 7*time.Hour || d > 8*time.Hour {
		t.Errorf("session Max-Age = %s, want about 8h", d)
	}
	res = do(g, get("/webrtc_client/static/js/advancedOptions.js", "Cookie", "softphone_session="+sess.Value))
	if res.code != http.StatusOK || !res.hit || res.info.Gate != "oidc" {
		t.Errorf("request with the session: status %d, gate %q; want 200 oidc", res.code, res.info.Gate)
	}
}

func TestOIDCWithoutSession(t *testing.T) {
	op := newTestOP(t)
	g := newGate(t, oidcTestConfig(op), "/")
	tests := []struct {
		name string
		req  *http.Request
		want int
	}{
		{"navigation", get("/", "Sec-Fetch-Mode", "navigate", "Accept", "text/html"), http.StatusFound},
		{"old browser navigation", get("/index.html", "Accept", "text/html"), http.StatusFound},
		{"script", get("/static/js/main.js", "Accept", "*/*", "Sec-Fetch-Mode", "no-cors"), http.StatusUnauthorized},
		{"fetch of a page", get("/", "Accept", "text/html", "Sec-Fetch-Mode", "cors"), http.StatusUnauthorized},
		{"post", httptestRequest(http.MethodPost, "/", "Sec-Fetch-Mode", "navigate"), http.StatusUnauthorized},
		{"foreign session cookie", get("/static/js/main.js", "Cookie", "softphone_session=eyJhbGciOiJIUzI1NiJ9.e30.x"), http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := do(g, tc.req)
			if res.code != tc.want || res.hit {
				t.Fatalf("status %d (%s), want %d", res.code, res.info.Gate, tc.want)
			}
			if tc.want == http.StatusUnauthorized && !strings.HasPrefix(res.hdr.Get("WWW-Authenticate"), "Bearer ") {
				t.Errorf("WWW-Authenticate = %q, want a Bearer challenge", res.hdr.Get("WWW-Authenticate"))
			}
			if got := res.hdr.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
		})
	}
}

func httptestRequest(method, target string, hdr ...string) *http.Request {
	r := get(target, hdr...)
	r.Method = method
	return r
}

// TestOIDCStateChecks: the callback is refused, before the code is
// redeemed, unless it carries a state this browser started, unaltered,
// in time, and for the first time.
func TestOIDCStateChecks(t *testing.T) {
	op := newTestOP(t)
	g := newGate(t, oidcTestConfig(op), "/")

	otherURL, otherCookie := startSignIn(t, g, "/")
	otherState := otherURL.Query().Get("state")

	tests := []struct {
		name   string
		mangle func(q url.Values, c *http.Cookie) []*http.Cookie
		now    time.Duration // added to the clock at the callback
		want   string
	}{
		{"missing state", func(q url.Values, c *http.Cookie) []*http.Cookie { q.Del("state"); return []*http.Cookie{c} }, 0, "state-missing"},
		{"malformed state", func(q url.Values, c *http.Cookie) []*http.Cookie {
			q.Set("state", "../"+q.Get("state")[3:])
			return []*http.Cookie{c}
		}, 0, "state-malformed"},
		{"no cookie (another browser)", func(q url.Values, c *http.Cookie) []*http.Cookie { return nil }, 0, "state-unknown"},
		{"mismatched state (the cookie is another sign-in's)", func(q url.Values, c *http.Cookie) []*http.Cookie {
			q.Set("state", otherState)
			return []*http.Cookie{c}
		}, 0, "state-unknown"},
		{"cookie of another sign-in under this state's name", func(q url.Values, c *http.Cookie) []*http.Cookie {
			return []*http.Cookie{{Name: c.Name, Value: otherCookie.Value}}
		}, 0, "state-mismatch"},
		{"tampered cookie", func(q url.Values, c *http.Cookie) []*http.Cookie {
			v := []byte(c.Value)
			v[len(v)-30] ^= 1
			return []*http.Cookie{{Name: c.Name, Value: string(v)}}
		}, 0, "state-invalid"},
		{"expired", func(q url.Values, c *http.Cookie) []*http.Cookie { return []*http.Cookie{c} }, pendingTTL + time.Second, "state-expired"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			authURL, c := startSignIn(t, g, "/")
			redirectURI, q := op.authorize(authURL)
			cookies := tc.mangle(q, c)
			g.now = func() time.Time { return time.Now().Add(tc.now) }
			defer func() { g.now = time.Now }()
			hits := op.tokenHits.Load()
			res := callback(g, redirectURI, q, cookies...)
			if res.code != http.StatusBadRequest || res.info.Gate != "denied:oidc-"+tc.want {
				t.Fatalf("status %d, gate %q; want 400 denied:oidc-%s\n%s", res.code, res.info.Gate, tc.want, res.body)
			}
			if n := op.tokenHits.Load() - hits; n != 0 {
				t.Errorf("token endpoint called %d times, want 0: the code must not be redeemed", n)
			}
			if cookieNamed(res.hdr, "softphone_session") != nil {
				t.Error("a session cookie was set")
			}
		})
	}

	t.Run("replayed", func(t *testing.T) {
		authURL, c := startSignIn(t, g, "/")
		redirectURI, q := op.authorize(authURL)
		if res := callback(g, redirectURI, q, c); res.code != http.StatusSeeOther {
			t.Fatalf("first callback: status %d (%s), want 303", res.code, res.info.Gate)
		}
		hits := op.tokenHits.Load()
		// An attacker who kept the cookie and the URL tries again.
		res := callback(g, redirectURI, q, c)
		if res.code != http.StatusBadRequest || res.info.Gate != "denied:oidc-state-replayed" {
			t.Errorf("second callback: status %d, gate %q; want 400 denied:oidc-state-replayed", res.code, res.info.Gate)
		}
		if op.tokenHits.Load() != hits {
			t.Error("the token endpoint was called for a replayed state")
		}
	})
}

// TestOIDCIDTokenChecks: the id token must carry this sign-in's nonce and
// pass the verifier's checks.
func TestOIDCIDTokenChecks(t *testing.T) {
	op := newTestOP(t)
	cfg := oidcTestConfig(op)
	cfg.OIDC.RequiredClaims = []RequiredClaim{{Claim: "groups", Contains: []string{"webrtc-agents"}}}
	g := newGate(t, cfg, "/")
	tests := []struct {
		name string
		bend func(c map[string]any)
		want string
	}{
		{"valid", func(c map[string]any) {}, ""},
		{"no nonce", func(c map[string]any) { delete(c, "nonce") }, "nonce-missing"},
		{"nonce of another sign-in", func(c map[string]any) { c["nonce"] = randomToken(stateBytes) }, "nonce-mismatch"},
		{"other audience", func(c map[string]any) { c["aud"] = "another-app" }, "id-token-audience"},
		{"several audiences without azp", func(c map[string]any) { c["aud"] = []string{testClientID, "another-app"} }, "azp"},
		{"azp of another client", func(c map[string]any) { c["azp"] = "another-app" }, "azp"},
		{"several audiences with our azp", func(c map[string]any) { c["aud"] = []string{testClientID, "api"}; c["azp"] = testClientID }, ""},
		{"other issuer", func(c map[string]any) { c["iss"] = "https://evil.example" }, "id-token-issuer"},
		{"expired", func(c map[string]any) { c["exp"] = time.Now().Add(-time.Hour).Unix() }, "id-token-expired"},
		{"required claim missing", func(c map[string]any) { c["groups"] = []string{"staff"} }, "id-token-claims"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			op.bend(tc.bend)
			authURL, c := startSignIn(t, g, "/")
			redirectURI, q := op.authorize(authURL)
			res := callback(g, redirectURI, q, c)
			if tc.want == "" {
				if res.code != http.StatusSeeOther || cookieNamed(res.hdr, "softphone_session") == nil {
					t.Fatalf("status %d (%s), want 303 with a session\n%s", res.code, res.info.Gate, res.body)
				}
				return
			}
			if res.code != http.StatusUnauthorized || res.info.Gate != "denied:oidc-"+tc.want {
				t.Fatalf("status %d, gate %q; want 401 denied:oidc-%s\n%s", res.code, res.info.Gate, tc.want, res.body)
			}
			if cookieNamed(res.hdr, "softphone_session") != nil {
				t.Error("a session cookie was set")
			}
		})
	}
}

// TestOIDCPKCE: the challenge is S256 of the verifier the gate later
// sends, and a wrong verifier makes the provider refuse the code.
func TestOIDCPKCE(t *testing.T) {
	op := newTestOP(t)
	g := newGate(t, oidcTestConfig(op), "/")

	authURL, c := startSignIn(t, g, "/")
	p, err := g.oidc.sealer.open(c.Value)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Verifier) < 43 || len(p.Verifier) > 128 {
		t.Errorf("verifier is %d characters, RFC 7636 section 4.1 wants 43 to 128", len(p.Verifier))
	}
	sum := sha256.Sum256([]byte(p.Verifier))
	if got, want := authURL.Query().Get("code_challenge"), base64.RawURLEncoding.EncodeToString(sum[:]); got != want {
		t.Errorf("code_challenge = %q, want BASE64URL(SHA256(verifier)) = %q", got, want)
	}
	if p.Nonce != authURL.Query().Get("nonce") || p.State != authURL.Query().Get("state") {
		t.Error("the pending sign-in does not hold the state and nonce that were sent")
	}

	// A pending sign-in sealed with another verifier (as if an attacker
	// had the code but not the verifier).
	p.Verifier = strings.Repeat("A", 43)
	forged, err := g.oidc.sealer.seal(p)
	if err != nil {
		t.Fatal(err)
	}
	redirectURI, q := op.authorize(authURL)
	res := callback(g, redirectURI, q, &http.Cookie{Name: c.Name, Value: forged})
	if res.code != http.StatusUnauthorized || res.info.Gate != "denied:oidc-token-invalid_grant" {
		t.Errorf("wrong verifier: status %d, gate %q; want 401 denied:oidc-token-invalid_grant", res.code, res.info.Gate)
	}
}

func TestOIDCCallbackErrors(t *testing.T) {
	op := newTestOP(t)
	g := newGate(t, oidcTestConfig(op), "/")
	tests := []struct {
		name   string
		method string
		mangle func(q url.Values)
		code   int
		gate   string
	}{
		{"access denied", "GET", func(q url.Values) {
			q.Del("code")
			q.Set("error", "access_denied")
			q.Set("error_description", "user cancelled\nlogin")
		}, http.StatusForbidden, "denied:oidc-provider-access_denied"},
		{"odd error code", "GET", func(q url.Values) { q.Del("code"); q.Set("error", "<script>") }, http.StatusForbidden, "denied:oidc-provider-other"},
		{"no code", "GET", func(q url.Values) { q.Del("code") }, http.StatusBadRequest, "denied:oidc-code-missing"},
		{"code the provider does not know", "GET", func(q url.Values) { q.Set("code", "made-up") }, http.StatusUnauthorized, "denied:oidc-token-invalid_grant"},
		{"response from another issuer (mix-up)", "GET", func(q url.Values) { q.Set("iss", "https://evil.example") }, http.StatusBadRequest, "denied:oidc-issuer-mismatch"},
		{"HEAD", "HEAD", func(q url.Values) {}, http.StatusMethodNotAllowed, "denied:oidc-method"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			authURL, c := startSignIn(t, g, "/")
			redirectURI, q := op.authorize(authURL)
			tc.mangle(q)
			u, _ := url.Parse(redirectURI)
			r := httptestRequest(tc.method, u.Path+"?"+q.Encode())
			r.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
			res := do(g, r)
			if res.code != tc.code || res.info.Gate != tc.gate || res.hit {
				t.Fatalf("status %d, gate %q; want %d %s\n%s", res.code, res.info.Gate, tc.code, tc.gate, res.body)
			}
			if strings.Contains(res.body, "<script>") {
				t.Errorf("body reflects the provider's error: %q", res.body)
			}
			if cookieNamed(res.hdr, "softphone_session") != nil {
				t.Error("a session cookie was set")
			}
		})
	}

	t.Run("token endpoint unreachable", func(t *testing.T) {
		authURL, c := startSignIn(t, g, "/") // discovery is cached by now
		redirectURI, q := op.authorize(authURL)
		op.srv.CloseClientConnections()
		op.srv.Close()
		res := callback(g, redirectURI, q, c)
		if res.code != http.StatusBadGateway || res.info.Gate != "denied:oidc-token-exchange" {
			t.Errorf("status %d, gate %q; want 502 denied:oidc-token-exchange", res.code, res.info.Gate)
		}
	})
}

func TestOIDCDiscoveryFailures(t *testing.T) {
	tests := []struct {
		name   string
		issuer func(op *testOP) string
	}{
		{"issuer differs from the document's", func(op *testOP) string { return op.issuer + "/other" }},
		{"provider down", func(op *testOP) string { op.srv.Close(); return op.issuer }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			op := newTestOP(t)
			cfg := oidcTestConfig(op)
			cfg.OIDC.Issuer = tc.issuer(op)
			g := newGate(t, cfg, "/")
			res := do(g, get("/", "Accept", "text/html"))
			if res.code != http.StatusBadGateway || res.info.Gate != "denied:oidc-discovery" {
				t.Errorf("status %d, gate %q; want 502 denied:oidc-discovery", res.code, res.info.Gate)
			}
		})
	}
}

// TestOIDCOpenRedirect: after sign-in the browser only ever goes to a
// same-origin path under basePath, whatever it first asked for.
func TestOIDCOpenRedirect(t *testing.T) {
	op := newTestOP(t)
	g := newGate(t, oidcTestConfig(op), "/webrtc_client/")
	tests := []struct{ target, want string }{
		{"/webrtc_client/index.html?lang=fr#x", "/webrtc_client/index.html?lang=fr"},
		{"/webrtc_client//evil.example/", "/webrtc_client/"},
		{"/webrtc_client/%2F%2Fevil.example", "/webrtc_client/"},
		{"/webrtc_client/..%2F..%2Fevil", "/webrtc_client/"},
		{"/webrtc_client/%5Cevil.example", "/webrtc_client/"},
		{"/webrtc_client/sounds/ring.mp3?next=https://evil.example", "/webrtc_client/sounds/ring.mp3?next=https://evil.example"},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			authURL, c := startSignIn(t, g, tc.target)
			redirectURI, q := op.authorize(authURL)
			res := callback(g, redirectURI, q, c)
			if res.code != http.StatusSeeOther {
				t.Fatalf("status %d (%s), want 303", res.code, res.info.Gate)
			}
			if got := res.hdr.Get("Location"); got != tc.want {
				t.Errorf("Location = %q, want %q", got, tc.want)
			}
		})
	}

	t.Run("return_to in the callback query is ignored", func(t *testing.T) {
		authURL, c := startSignIn(t, g, "/webrtc_client/")
		redirectURI, q := op.authorize(authURL)
		q.Set("return_to", "https://evil.example/")
		res := callback(g, redirectURI, q, c)
		if got := res.hdr.Get("Location"); got != "/webrtc_client/" {
			t.Errorf("Location = %q, want /webrtc_client/", got)
		}
	})

	t.Run("bad Host header", func(t *testing.T) {
		r := get("/webrtc_client/", "Accept", "text/html")
		r.Host = "evil.example/@x"
		if res := do(g, r); res.code != http.StatusBadRequest {
			t.Errorf("Host %q: status %d, want 400", r.Host, res.code)
		}
	})
}

func TestOIDCLogout(t *testing.T) {
	op := newTestOP(t)
	cfg := oidcTestConfig(op)
	cfg.JWT = JWTConfig{HMACSecret: testSecret, CookieName: "jwt_session"}
	g := newGate(t, cfg, "/webrtc_client/")
	if _, err := g.oidc.disc.get(t.Context()); err != nil {
		t.Fatal(err)
	}

	res := do(g, get("/webrtc_client/auth/logout", "Cookie", "softphone_session=x; jwt_session=y"))
	if res.code != http.StatusSeeOther || res.hit {
		t.Fatalf("logout: status %d, want 303", res.code)
	}
	loc, _ := url.Parse(res.hdr.Get("Location"))
	if !strings.HasPrefix(loc.String(), op.issuer+"/logout?") || loc.Query().Get("client_id") != testClientID ||
		loc.Query().Get("post_logout_redirect_uri") != "https://example.com/webrtc_client/" {
		t.Errorf("Location = %s, want the end_session_endpoint with client_id and post_logout_redirect_uri", loc)
	}
	for _, name := range []string{"softphone_session", "jwt_session"} {
		if c := cookieNamed(res.hdr, name); c == nil || c.MaxAge >= 0 || c.Path != "/webrtc_client/" {
			t.Errorf("cookie %s not cleared on basePath: %+v", name, c)
		}
	}

	op.endSess.Store(false)
	g2 := newGate(t, oidcTestConfig(op), "/webrtc_client/")
	res = do(g2, httptestRequest(http.MethodPost, "/webrtc_client/auth/logout"))
	if res.code != http.StatusOK || !strings.Contains(res.body, `href="/webrtc_client/"`) {
		t.Errorf("logout without end_session_endpoint: status %d, body %q; want 200 with a link back", res.code, res.body)
	}
	if c := cookieNamed(res.hdr, "softphone_session"); c == nil || c.MaxAge >= 0 {
		t.Errorf("session cookie not cleared: %+v", c)
	}
	res = do(g2, httptestRequest(http.MethodPut, "/webrtc_client/auth/logout"))
	if res.code != http.StatusMethodNotAllowed || res.hdr.Get("Allow") != "GET, POST" {
		t.Errorf("PUT logout: status %d, Allow %q; want 405 GET, POST", res.code, res.hdr.Get("Allow"))
	}
}

// TestOIDCWithJWT: both gates on; a bearer token, a JWT session and an
// OIDC session each let a request in, and navigation goes to OIDC sign-in.
func TestOIDCWithJWT(t *testing.T) {
	op := newTestOP(t)
	cfg := oidcTestConfig(op)
	cfg.JWT = JWTConfig{HMACSecret: testSecret}
	g := newGate(t, cfg, "/")

	tok := sign(t, jose.HS256, []byte(testSecret), "", claims(time.Now(), ""))
	if res := do(g, get("/", "Authorization", "Bearer "+tok)); res.code != http.StatusOK || res.info.Gate != "jwt" {
		t.Errorf("bearer token: status %d, gate %q; want 200 jwt", res.code, res.info.Gate)
	}
	res := do(g, get("/auth/callback?jwt="+tok))
	jwtSession := cookieNamed(res.hdr, "softphone_session")
	if res.code != http.StatusSeeOther || jwtSession == nil {
		t.Fatalf("JWT callback: status %d (%s), want 303 with a session", res.code, res.info.Gate)
	}
	if res := do(g, get("/x", "Cookie", "softphone_session="+jwtSession.Value)); res.code != http.StatusOK {
		t.Errorf("JWT session: status %d, want 200", res.code)
	}

	authURL, c := startSignIn(t, g, "/")
	redirectURI, q := op.authorize(authURL)
	res = callback(g, redirectURI, q, c)
	oidcSession := cookieNamed(res.hdr, "softphone_session")
	if res.code != http.StatusSeeOther || oidcSession == nil {
		t.Fatalf("OIDC callback: status %d (%s), want 303 with a session", res.code, res.info.Gate)
	}
	if res := do(g, get("/x", "Cookie", "softphone_session="+oidcSession.Value)); res.code != http.StatusOK {
		t.Errorf("OIDC session: status %d, want 200", res.code)
	}
}

// TestOIDCReload: a reload with the same access.oidc keeps sessions and
// pending sign-ins; a change to who may get in ends the sessions.
func TestOIDCReload(t *testing.T) {
	op := newTestOP(t)
	cfg := oidcTestConfig(op)
	cfg.ApplyDefaults()
	g1 := newGate(t, cfg, "/")

	authURL, c := startSignIn(t, g1, "/")
	redirectURI, q := op.authorize(authURL)
	res := callback(g1, redirectURI, q, c)
	sess := cookieNamed(res.hdr, "softphone_session")
	if sess == nil {
		t.Fatalf("no session: status %d (%s)", res.code, res.info.Gate)
	}
	pendingURL, pending := startSignIn(t, g1, "/later")

	g2, err := New(cfg, "/", nil, WithPrevious(g1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g2.Close() })
	if res := do(g2, get("/", "Cookie", "softphone_session="+sess.Value)); res.code != http.StatusOK {
		t.Errorf("session after an unchanged reload: status %d, want 200", res.code)
	}
	redirectURI, q = op.authorize(pendingURL)
	if res := callback(g2, redirectURI, q, pending); res.code != http.StatusSeeOther || res.hdr.Get("Location") != "/later" {
		t.Errorf("sign-in started before the reload: status %d (%s), Location %q; want 303 /later", res.code, res.info.Gate, res.hdr.Get("Location"))
	}
	if res := callback(g2, redirectURI, q, pending); res.info.Gate != "denied:oidc-state-replayed" {
		t.Errorf("state used before the reload, again after it: gate %q, want denied:oidc-state-replayed", res.info.Gate)
	}

	cfg.OIDC.AllowedEmailDomains = []string{"example.org"}
	g3, err := New(cfg, "/", nil, WithPrevious(g2))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g3.Close() })
	if res := do(g3, get("/x", "Cookie", "softphone_session="+sess.Value)); res.code != http.StatusUnauthorized {
		t.Errorf("session after allowedEmailDomains changed: status %d, want 401", res.code)
	}
}

// FuzzOIDCCallback: whatever a browser sends to the callback, no session
// is set and the code is never redeemed without a pending sign-in this
// server sealed.
func FuzzOIDCCallback(f *testing.F) {
	f.Add("state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&code=x", "softphone_session_oidc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z")
	f.Add("error=access_denied&state=", "x", "")
	f.Add("state=%00&iss=http://x", "softphone_session", "a.b.c")
	op := newTestOP(&testing.T{})
	cfg := oidcTestConfig(op)
	cfg.ApplyDefaults()
	g, err := New(cfg, "/", nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { g.Close(); op.srv.Close() })
	f.Fuzz(func(t *testing.T, query, cookieName, cookieValue string) {
		r := get("/auth/oidc/callback")
		r.URL.RawQuery = query
		if (&http.Cookie{Name: cookieName, Value: cookieValue}).Valid() == nil {
			r.AddCookie(&http.Cookie{Name: cookieName, Value: cookieValue})
		}
		res := do(g, r)
		if res.code < 400 || res.hit || cookieNamed(res.hdr, "softphone_session") != nil {
			t.Fatalf("query %q cookie %s=%q: status %d, a session or the page; want a refusal", query, cookieName, cookieValue, res.code)
		}
		if op.tokenHits.Load() != 0 {
			t.Fatal("the token endpoint was called")
		}
	})
}

// TestOIDCDiscoveryCancelled: a discovery cut short by its caller (a gate
// closed on reload while it fetched) does not hold back the next one.
func TestOIDCDiscoveryCancelled(t *testing.T) {
	op := newTestOP(t)
	cfg := oidcTestConfig(op)
	cfg.ApplyDefaults()
	d := newDiscovery(op.issuer, providerClient(time.Second), cfg.OIDC, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := d.get(ctx); err == nil {
		t.Fatal("discovery with a cancelled context succeeded")
	}
	if _, err := d.get(t.Context()); err != nil {
		t.Errorf("discovery right after a cancelled one: %v, want the document", err)
	}
}
