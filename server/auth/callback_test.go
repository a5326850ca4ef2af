package auth

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

func ssoConfig(ks *keySet) Config {
	cfg := jwksConfig(ks)
	cfg.JWT.LoginURL = "https://idp.example.com/login?tenant=acme"
	return cfg
}

func cookieNamed(hdr http.Header, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: hdr}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func TestBrowserSignIn(t *testing.T) {
	ks := newKeySet(t)
	g := newGate(t, ssoConfig(ks), "/webrtc_client/")

	// 1. An unauthenticated navigation goes to the identity provider.
	res := do(g, get("/webrtc_client/index.html?lang=fr", "Accept", "text/html,application/xhtml+xml"))
	if res.code != http.StatusFound || res.hit {
		t.Fatalf("navigation: status %d, want 302", res.code)
	}
	loc, err := url.Parse(res.hdr.Get("Location"))
	if err != nil || loc.Host != "idp.example.com" || loc.Path != "/login" {
		t.Fatalf("Location = %q, want the login URL", res.hdr.Get("Location"))
	}
	if got := loc.Query().Get("return_to"); got != "/webrtc_client/index.html?lang=fr" {
		t.Errorf("return_to = %q, want /webrtc_client/index.html?lang=fr", got)
	}
	if got := loc.Query().Get("tenant"); got != "acme" {
		t.Errorf("login URL lost its own query: tenant = %q", got)
	}
	ret := cookieNamed(res.hdr, "softphone_session_return")
	if ret == nil || ret.Path != "/webrtc_client/auth/callback" || !ret.HttpOnly || !ret.Secure {
		t.Errorf("return cookie = %+v, want HttpOnly Secure on the callback path", ret)
	}

	// 2. Other unauthenticated requests get 401 with a Bearer challenge.
	res = do(g, get("/webrtc_client/static/js/main.js", "Accept", "*/*"))
	if res.code != http.StatusUnauthorized || !strings.HasPrefix(res.hdr.Get("WWW-Authenticate"), "Bearer ") {
		t.Errorf("script request: status %d, WWW-Authenticate %q; want 401 Bearer", res.code, res.hdr.Get("WWW-Authenticate"))
	}
	res = do(g, get("/webrtc_client/", "Accept", "text/html", "Sec-Fetch-Mode", "cors"))
	if res.code != http.StatusUnauthorized {
		t.Errorf("fetch() with Accept text/html but Sec-Fetch-Mode cors: status %d, want 401", res.code)
	}

	// 3. The identity provider comes back with a token.
	tok := sign(t, jose.ES256, ks.ec, "ec-1", claims(time.Now(), ks.issuer))
	cb := "/webrtc_client/auth/callback?jwt=" + tok + "&return_to=" + url.QueryEscape("/webrtc_client/index.html?lang=fr&jwt=leak")
	res = do(g, get(cb, "Accept", "text/html"))
	if res.code != http.StatusSeeOther {
		t.Fatalf("callback: status %d (%s), want 303", res.code, res.info.Gate)
	}
	if got := res.hdr.Get("Location"); got != "/webrtc_client/index.html?lang=fr" {
		t.Errorf("callback Location = %q, want the original page without jwt", got)
	}
	if res.info.User != "agent-7" || res.info.Gate != "jwt" {
		t.Errorf("callback reqinfo = %+v", res.info)
	}
	if got := res.hdr.Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy = %q, want no-referrer", got)
	}
	sess := cookieNamed(res.hdr, "softphone_session")
	if sess == nil {
		t.Fatalf("no session cookie set; Set-Cookie = %q", res.hdr.Values("Set-Cookie"))
	}
	if !sess.HttpOnly || !sess.Secure || sess.SameSite != http.SameSiteLaxMode || sess.Path != "/webrtc_client/" {
		t.Errorf("session cookie = %+v, want HttpOnly, Secure, SameSite=Lax, Path=/webrtc_client/", sess)
	}
	if sess.Value == tok || strings.Contains(sess.Value, tok) {
		t.Errorf("session cookie carries the identity provider's token")
	}

	// 4. The cookie lets the browser in.
	r := get("/webrtc_client/index.html")
	r.AddCookie(&http.Cookie{Name: sess.Name, Value: sess.Value})
	res = do(g, r)
	if res.code != http.StatusOK || res.info.User != "agent-7" {
		t.Errorf("with session cookie: status %d user %q, want 200 agent-7", res.code, res.info.User)
	}

	// 5. The same token again is a replay.
	res = do(g, get(cb))
	if res.code != http.StatusUnauthorized || res.info.Gate != "denied:jwt-replay" {
		t.Errorf("replayed callback: status %d gate %q, want 401 denied:jwt-replay", res.code, res.info.Gate)
	}
	if cookieNamed(res.hdr, "softphone_session") != nil {
		t.Errorf("replayed callback set a session cookie")
	}

	// 6. A tampered or foreign cookie is no session.
	for _, bad := range []string{sess.Value + "x", tok} {
		r := get("/webrtc_client/index.html", "Accept", "text/html")
		r.AddCookie(&http.Cookie{Name: sess.Name, Value: bad})
		if res := do(g, r); res.code != http.StatusFound || res.hit {
			t.Errorf("bad session cookie: status %d, want 302 to sign in", res.code)
		}
	}
}

func TestCallbackRefusals(t *testing.T) {
	ks := newKeySet(t)
	g := newGate(t, ssoConfig(ks), "/")
	now := time.Now()
	noJTI := claims(now, ks.issuer)
	delete(noJTI, "jti")
	expired := claims(now, ks.issuer)
	expired["exp"] = now.Add(-time.Hour).Unix()

	tests := []struct {
		name   string
		method string
		target string
		code   int
		gate   string
	}{
		{"no token", "GET", "/auth/callback", 400, "denied:jwt-missing"},
		{"POST", "POST", "/auth/callback?jwt=x", 405, "denied:jwt-method"},
		{"HEAD does not use up the token", "HEAD", "/auth/callback?jwt=" + sign(t, jose.RS256, ks.rsa, "rsa-1", claims(now, ks.issuer)), 405, "denied:jwt-method"},
		{"no jti", "GET", "/auth/callback?jwt=" + sign(t, jose.RS256, ks.rsa, "rsa-1", noJTI), 401, "denied:jwt-no-jti"},
		{"expired", "GET", "/auth/callback?jwt=" + sign(t, jose.RS256, ks.rsa, "rsa-1", expired), 401, "denied:jwt-expired"},
		{"alg none", "GET", "/auth/callback?jwt=" + noneToken(claims(now, ks.issuer)), 401, "denied:jwt-malformed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := get(tc.target)
			r.Method = tc.method
			res := do(g, r)
			if res.code != tc.code || res.info.Gate != tc.gate {
				t.Errorf("status %d gate %q, want %d %q", res.code, res.info.Gate, tc.code, tc.gate)
			}
			if cookieNamed(res.hdr, "softphone_session") != nil {
				t.Errorf("refused callback set a session cookie")
			}
			if res.hit {
				t.Errorf("callback reached the protected handler")
			}
		})
	}
}

// TestReturnToAttacks sends each hostile return_to through a real callback:
// the browser must land on a same-origin path under basePath.
func TestReturnToAttacks(t *testing.T) {
	ks := newKeySet(t)
	g := newGate(t, ssoConfig(ks), "/app/")
	attacks := []string{
		"//evil.example",
		"//evil.example/app/",
		`/\evil.example`,
		`/app/\evil.example`,
		"https://evil.example",
		"https://evil.example/app/",
		"%2F%2Fevil.example",
		"/%2F%2Fevil.example",
		"/%2Fevil.example",
		"/%5Cevil.example",
		" //evil.example",
		"\t/app/",
		"\x00//evil.example",
		"/\t/evil.example",
		"/\n/evil.example",
		"/app/\r\nSet-Cookie: x=y",
		"javascript:alert(1)",
		"/app/../../etc/passwd",
		"/app/%2e%2e/%2e%2e/other",
		"/other/",
		"http:/evil.example",
		"///evil.example",
		"/app/" + strings.Repeat("a", 3000),
		"/app/\u00e9",
	}
	for _, target := range attacks {
		t.Run(target, func(t *testing.T) {
			tok := sign(t, jose.RS256, ks.rsa, "rsa-1", claims(time.Now(), ks.issuer))
			res := do(g, get("/app/auth/callback?jwt="+tok+"&return_to="+url.QueryEscape(target)))
			if res.code != http.StatusSeeOther {
				t.Fatalf("status %d (%s), want 303", res.code, res.info.Gate)
			}
			if got := res.hdr.Get("Location"); got != "/app/" {
				t.Errorf("Location = %q, want /app/", got)
			}
		})
	}
	// Also through the return cookie, for identity providers that drop return_to.
	tok := sign(t, jose.RS256, ks.rsa, "rsa-1", claims(time.Now(), ks.issuer))
	r := get("/app/auth/callback?jwt=" + tok)
	r.AddCookie(&http.Cookie{Name: "softphone_session_return", Value: url.QueryEscape("//evil.example")})
	if got := do(g, r).hdr.Get("Location"); got != "/app/" {
		t.Errorf("hostile return cookie: Location = %q, want /app/", got)
	}
	tok = sign(t, jose.RS256, ks.rsa, "rsa-1", claims(time.Now(), ks.issuer))
	r = get("/app/auth/callback?jwt=" + tok)
	r.AddCookie(&http.Cookie{Name: "softphone_session_return", Value: url.QueryEscape("/app/settings?tab=audio")})
	if got := do(g, r).hdr.Get("Location"); got != "/app/settings?tab=audio" {
		t.Errorf("return cookie: Location = %q, want /app/settings?tab=audio", got)
	}
}

func TestSafeReturnToKeeps(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/app/", "/app/"},
		{"/app", "/app"},
		{"/app/index.html?a=1&b=2", "/app/index.html?a=1&b=2"},
		{"/app/x?jwt=secret&a=1", "/app/x?a=1"},
		{"/app/sub/dir/", "/app/sub/dir/"},
		{"/app/a%20b", "/app/a%20b"},
	} {
		if got := safeReturnTo(tc.in, "/app/"); got != tc.want {
			t.Errorf("safeReturnTo(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzSafeReturnTo(f *testing.F) {
	for _, s := range []string{"/app/x", "//evil", `/\evil`, "/app/%2F%2Fx", "https://x", "/app/?jwt=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := safeReturnTo(in, "/app/")
		if out == "/app/" {
			return
		}
		u, err := url.Parse(out)
		switch {
		case err != nil:
			t.Fatalf("safeReturnTo(%q) = %q, which does not parse", in, out)
		case !strings.HasPrefix(out, "/app"), strings.HasPrefix(out, "//"):
			t.Fatalf("safeReturnTo(%q) = %q, not under /app", in, out)
		case u.Host != "" || u.Scheme != "":
			t.Fatalf("safeReturnTo(%q) = %q has a host or scheme", in, out)
		case strings.ContainsAny(out, "\\\t\r\n \x00"):
			t.Fatalf("safeReturnTo(%q) = %q has a forbidden character", in, out)
		case u.Query().Has("jwt"):
			t.Fatalf("safeReturnTo(%q) = %q keeps a jwt parameter", in, out)
		}
	})
}

// TestCallbackTokenNotReusableAsBearer: a sign-in token the callback has
// used up is refused on the Bearer path too, while a token never used at
// the callback still works there (API clients send theirs repeatedly).
func TestCallbackTokenNotReusableAsBearer(t *testing.T) {
	ks := newKeySet(t)
	g := newGate(t, ssoConfig(ks), "/")
	tok := sign(t, jose.ES256, ks.ec, "ec-1", claims(time.Now(), ks.issuer))
	if res := do(g, get("/auth/callback?jwt="+tok)); res.code != http.StatusSeeOther {
		t.Fatalf("callback: status %d (%s), want 303", res.code, res.info.Gate)
	}
	res := do(g, get("/index.html", "Authorization", "Bearer "+tok))
	if res.code != http.StatusUnauthorized || res.info.Gate != "denied:jwt-replay" || res.hit {
		t.Errorf("used callback token as Bearer: status %d gate %q, want 401 denied:jwt-replay", res.code, res.info.Gate)
	}
	api := sign(t, jose.ES256, ks.ec, "ec-1", claims(time.Now(), ks.issuer))
	for i := range 2 {
		if res := do(g, get("/index.html", "Authorization", "Bearer "+api)); res.code != http.StatusOK {
			t.Errorf("Bearer token never used at the callback, request %d: status %d (%s), want 200", i+1, res.code, res.info.Gate)
		}
	}
}
