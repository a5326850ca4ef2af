package auth

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/softphone/softphone/server/reqinfo"
	"github.com/softphone/softphone/test/oidctest"
)

// oidcProviderDir holds the Node harness around oidc-provider.

// browser is a cookie-keeping HTTP client that follows no redirect by
// itself, so each hop can be checked.
type browser struct {
	t      *testing.T
	client *http.Client
}

func newBrowser(t *testing.T, srv *httptest.Server) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := srv.Client()
	c.Jar = jar
	c.Timeout = 15 * time.Second
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &browser{t: t, client: c}
}

// page is one response, body read.
type page struct {
	status int
	url    *url.URL
	loc    *url.URL
	body   string
}

func (b *browser) do(method, target string, form url.Values) page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	req.Header.Set("Sec-Fetch-Mode", "navigate")
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	p := page{status: resp.StatusCode, url: req.URL, body: string(data)}
	if l := resp.Header.Get("Location"); l != "" {
		p.loc, err = req.URL.Parse(l)
		if err != nil {
			b.t.Fatalf("%s %s: bad Location %q", method, target, l)
		}
	}
	return p
}

// follow makes GET requests along redirects until a page that is not a
// redirect, or one whose URL starts with stop.
func (b *browser) follow(p page, stop string) page {
	b.t.Helper()
	for i := 0; p.loc != nil && p.status >= 300 && p.status < 400; i++ {
		if i == 20 {
			b.t.Fatalf("more than 20 redirects, last to %s", p.loc)
		}
		if stop != "" && strings.HasPrefix(p.loc.String(), stop) {
			return p
		}
		p = b.do(http.MethodGet, p.loc.String(), nil)
	}
	return p
}

var formAction = regexp.MustCompile(`action="([^"]+)"`)

// submit posts the page's form whose action ends with suffix.
func (b *browser) submit(p page, suffix string, form url.Values) page {
	b.t.Helper()
	for _, m := range formAction.FindAllStringSubmatch(p.body, -1) {
		if strings.HasSuffix(m[1], suffix) {
			target, err := p.url.Parse(m[1])
			if err != nil {
				b.t.Fatal(err)
			}
			return b.do(http.MethodPost, target.String(), form)
		}
	}
	b.t.Fatalf("no form with action ending %q on %s:\n%s", suffix, p.url, p.body)
	return page{}
}

func (b *browser) cookie(u, name string) *http.Cookie {
	pu, _ := url.Parse(u)
	for _, c := range b.client.Jar.Cookies(pu) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// TestOIDCRealProvider signs in through oidc-provider, a certified OpenID
// Provider, as a browser would: the gate sends the browser to sign in, the
// provider's login and consent forms are filled in, the callback sets the
// session, and sign-out ends it at both ends.
func TestOIDCRealProvider(t *testing.T) {
	const base = "/webrtc_client/"
	var handler atomic.Pointer[http.Handler]
	var last atomic.Pointer[reqinfo.Info]
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, info := reqinfo.Attach(r)
		(*handler.Load()).ServeHTTP(w, r)
		last.Store(info)
	}))
	srv.StartTLS()
	t.Cleanup(srv.Close)

	opIssuer := oidctest.Start(t, map[string]any{
		"clients": []map[string]any{{
			"client_id":                 "softphone",
			"client_secret":             "softphone-test-client-secret-0123456789",
			"redirect_uris":             []string{srv.URL + base + "auth/oidc/callback"},
			"post_logout_redirect_uris": []string{srv.URL + base},
			"grant_types":               []string{"authorization_code"},
			"response_types":            []string{"code"},
		}, {
			"client_id":                  "softphone-public",
			"token_endpoint_auth_method": "none",
			"redirect_uris":              []string{srv.URL + base + "auth/oidc/callback"},
			"grant_types":                []string{"authorization_code"},
			"response_types":             []string{"code"},
		}},
		"users": []map[string]any{
			{"login": "agent7", "password": "agent7-password", "claims": map[string]any{
				"email": "agent7@example.com", "email_verified": true, "name": "Agent Seven",
				"sip_dn": "1007", "sip_password": "sip-secret-1007",
			}},
			{"login": "visitor", "password": "visitor-password", "claims": map[string]any{
				"email": "visitor@example.com", "email_verified": true,
			}},
		},
	})

	secretFile := filepath.Join(t.TempDir(), "client-secret")
	os.WriteFile(secretFile, []byte("softphone-test-client-secret-0123456789\n"), 0o600)
	cfg := Config{OIDC: OIDCConfig{
		Provider:            "Corporate sign-in",
		ClientSecretFile:    secretFile,
		Scopes:              []string{"openid", "profile", "email", "sip"},
		RequiredClaims:      []RequiredClaim{{Claim: "sip_dn"}},
		AllowedEmailDomains: []string{"example.com"},
	}, ClientProviders: []ProviderRef{{Name: "Corporate sign-in", Type: "OIDC", Authority: opIssuer, ClientID: "softphone"}}}
	g := newGate(t, cfg, base)
	var h http.Handler = g.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "protected "+r.URL.RequestURI())
	}))
	handler.Store(&h)

	client, scope := "softphone", "openid profile email sip" // what the authorization request must ask for
	signIn := func(b *browser, user, password string) page {
		t.Helper()
		p := b.do(http.MethodGet, srv.URL+base+"index.html?lang=fr", nil)
		if p.status != http.StatusFound || p.loc == nil || !strings.HasPrefix(p.loc.String(), opIssuer+"/auth?") {
			t.Fatalf("unauthenticated page: status %d, Location %v; want 302 to %s/auth", p.status, p.loc, opIssuer)
		}
		q := p.loc.Query()
		for k, want := range map[string]string{
			"response_type": "code", "client_id": client, "code_challenge_method": "S256",
			"redirect_uri": srv.URL + base + "auth/oidc/callback", "scope": scope,
		} {
			if got := q.Get(k); got != want {
				t.Errorf("authorization request %s = %q, want %q", k, got, want)
			}
		}
		for _, k := range []string{"state", "nonce", "code_challenge"} {
			if len(q.Get(k)) < 32 {
				t.Errorf("authorization request %s = %q, want a random value", k, q.Get(k))
			}
		}
		login := b.follow(p, "")
		if login.status != http.StatusOK || !strings.Contains(login.body, "Sign in") {
			t.Fatalf("provider login page: status %d at %s:\n%s", login.status, login.url, login.body)
		}
		if password == "" {
			return login
		}
		p = b.submit(login, "/login", url.Values{"login": {user}, "password": {"wrong"}})
		if !strings.Contains(p.body, "Wrong login or password") {
			t.Fatalf("a wrong password was not refused by the provider: status %d:\n%s", p.status, p.body)
		}
		p = b.follow(b.submit(p, "/login", url.Values{"login": {user}, "password": {password}}), "")
		if !strings.Contains(p.body, "Allow access") {
			t.Fatalf("provider consent page: status %d at %s:\n%s", p.status, p.url, p.body)
		}
		return b.follow(b.submit(p, "/confirm", nil), srv.URL+base+"auth/oidc/callback")
	}

	b := newBrowser(t, srv)
	cb := signIn(b, "agent7", "agent7-password")
	if cb.loc == nil || cb.loc.Path != base+"auth/oidc/callback" || cb.loc.Query().Get("code") == "" {
		t.Fatalf("provider did not send the browser back with a code: status %d, Location %v", cb.status, cb.loc)
	}
	callbackURL := cb.loc.String()
	p := b.do(http.MethodGet, callbackURL, nil)
	if p.status != http.StatusSeeOther || p.loc == nil || p.loc.RequestURI() != base+"index.html?lang=fr" {
		t.Fatalf("callback: status %d (%s), Location %v; want 303 to %sindex.html?lang=fr\n%s", p.status, last.Load().Gate, p.loc, base, p.body)
	}
	if info := last.Load(); info.User != "agent7" || info.Gate != "oidc" {
		t.Errorf("callback reqinfo = %+v, want User agent7, Gate oidc", *info)
	}
	sess := b.cookie(srv.URL+base, "softphone_session")
	if sess == nil {
		t.Fatal("no session cookie after the callback")
	}
	p = b.do(http.MethodGet, p.loc.String(), nil)
	if p.status != http.StatusOK || p.body != "protected "+base+"index.html?lang=fr" {
		t.Fatalf("page after sign-in: status %d, body %q; want 200 protected", p.status, p.body)
	}
	if info := last.Load(); info.User != "agent7" || info.Gate != "oidc" {
		t.Errorf("page reqinfo = %+v, want User agent7, Gate oidc", *info)
	}

	// The same callback again (a browser's back button, or a stolen URL)
	// is refused: its state is used up.
	p = b.do(http.MethodGet, callbackURL, nil)
	if p.status != http.StatusBadRequest || !strings.Contains(last.Load().Gate, "state-") {
		t.Errorf("replayed callback: status %d, gate %q; want 400 with a state refusal", p.status, last.Load().Gate)
	}

	// Sign-out: the session cookie goes, the provider ends its session and
	// sends the browser back to basePath, which asks for a sign-in again.
	p = b.do(http.MethodGet, srv.URL+base+"auth/logout", nil)
	if p.status != http.StatusSeeOther || p.loc == nil || !strings.HasPrefix(p.loc.String(), opIssuer+"/session/end?") {
		t.Fatalf("logout: status %d, Location %v; want 303 to the end_session_endpoint", p.status, p.loc)
	}
	if got := p.loc.Query().Get("post_logout_redirect_uri"); got != srv.URL+base {
		t.Errorf("post_logout_redirect_uri = %q, want %q", got, srv.URL+base)
	}
	if c := b.cookie(srv.URL+base, "softphone_session"); c != nil {
		t.Errorf("session cookie still set after logout: %v", c)
	}
	confirm := b.follow(p, "")
	xsrf := regexp.MustCompile(`name="xsrf" value="([^"]+)"`).FindStringSubmatch(confirm.body)
	if confirm.status != http.StatusOK || xsrf == nil {
		t.Fatalf("provider logout page: status %d:\n%s", confirm.status, confirm.body)
	}
	p = b.follow(b.submit(confirm, "/session/end/confirm", url.Values{"xsrf": {xsrf[1]}, "logout": {"yes"}}), srv.URL+base)
	if p.loc == nil || p.loc.String() != srv.URL+base {
		t.Fatalf("provider did not send the browser back to %s after logout: status %d, Location %v", srv.URL+base, p.status, p.loc)
	}
	p = b.do(http.MethodGet, p.loc.String(), nil)
	if p.status != http.StatusFound || p.loc == nil || !strings.HasPrefix(p.loc.String(), opIssuer+"/auth?") {
		t.Fatalf("basePath after logout: status %d, Location %v; want 302 to sign in", p.status, p.loc)
	}
	if again := b.follow(p, ""); !strings.Contains(again.body, "Sign in") {
		t.Errorf("after logout the provider signed the browser in without asking: status %d at %s", again.status, again.url)
	}

	t.Run("cancel", func(t *testing.T) {
		b := newBrowser(t, srv)
		login := signIn(b, "agent7", "")
		p := b.follow(b.submit(login, "/abort", nil), srv.URL+base+"auth/oidc/callback")
		if p.loc == nil || p.loc.Query().Get("error") != "access_denied" {
			t.Fatalf("cancel: provider sent Location %v, want the callback with error=access_denied", p.loc)
		}
		p = b.do(http.MethodGet, p.loc.String(), nil)
		if p.status != http.StatusForbidden || last.Load().Gate != "denied:oidc-provider-access_denied" {
			t.Errorf("callback with error=access_denied: status %d, gate %q; want 403 denied:oidc-provider-access_denied", p.status, last.Load().Gate)
		}
		if b.cookie(srv.URL+base, "softphone_session") != nil {
			t.Error("a session cookie was set for a cancelled sign-in")
		}
	})

	t.Run("public client", func(t *testing.T) {
		pub := newGate(t, Config{OIDC: OIDCConfig{Issuer: opIssuer, ClientID: "softphone-public", Scopes: []string{"openid", "sip"}}}, base)
		var ph http.Handler = pub.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "protected "+r.URL.RequestURI())
		}))
		handler.Store(&ph)
		client, scope = "softphone-public", "openid sip"
		defer func() { handler.Store(&h); client, scope = "softphone", "openid profile email sip" }()
		b := newBrowser(t, srv)
		cb := signIn(b, "agent7", "agent7-password")
		if cb.loc == nil {
			t.Fatalf("no callback redirect: status %d", cb.status)
		}
		p := b.do(http.MethodGet, cb.loc.String(), nil)
		if p.status != http.StatusSeeOther || last.Load().Gate != "oidc" {
			t.Fatalf("public client callback: status %d, gate %q; want 303 oidc\n%s", p.status, last.Load().Gate, p.body)
		}
		if p = b.do(http.MethodGet, p.loc.String(), nil); p.status != http.StatusOK {
			t.Errorf("page after sign-in as a public client: status %d, want 200", p.status)
		}
	})

	t.Run("claim rule", func(t *testing.T) {
		b := newBrowser(t, srv)
		cb := signIn(b, "visitor", "visitor-password")
		if cb.loc == nil {
			t.Fatalf("no callback redirect: status %d", cb.status)
		}
		p := b.do(http.MethodGet, cb.loc.String(), nil)
		if p.status != http.StatusUnauthorized || last.Load().Gate != "denied:oidc-id-token-claims" {
			t.Errorf("user without sip_dn: status %d, gate %q; want 401 denied:oidc-id-token-claims", p.status, last.Load().Gate)
		}
		if b.cookie(srv.URL+base, "softphone_session") != nil {
			t.Error("a session cookie was set for a user the claim rules refuse")
		}
	})
}
