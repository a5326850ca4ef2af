package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"
	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/oauth2"

	"github.com/softphone/softphone/server/auth/jwks"
	"github.com/softphone/softphone/server/reqinfo"
)

// maxIDTokenBytes bounds an id token. It comes straight from the token
// endpoint, not from a browser, and may carry many group claims.
const maxIDTokenBytes = 65536

// oidcGate is the OpenID Connect sign-in part of a Gate.
type oidcGate struct {
	cfg          OIDCConfig
	client       oidcClient
	secret       string
	http         *http.Client
	disc         *discovery
	verifier     *verifier
	sessions     *sessions // mints with access.oidc.sessionTTL, same key as Gate.sessions
	sealer       *stateSealer
	used         *lru.Cache[string, time.Time] // states already completed
	callbackPath string                        // absolute, under basePath
	logoutPath   string                        // absolute, under basePath
	cookiePrefix string                        // + state = the pending sign-in's cookie
}

// setupOIDC builds the OIDC gate after setupJWT, sharing its session key
// when JWT is on too, and carrying caches and keys over from prev.
func (g *Gate) setupOIDC(prev *Gate) error {
	o := g.cfg.OIDC
	client, err := o.resolve(g.cfg.ClientProviders)
	if err != nil {
		return err
	}
	secret, err := o.clientSecret()
	if err != nil {
		return fmt.Errorf("access.oidc.clientSecretFile: %w", err)
	}
	og := &oidcGate{
		cfg: o, client: client, secret: secret,
		http:         providerClient(o.FetchTimeout),
		callbackPath: g.basePath + o.RedirectPath,
		logoutPath:   g.basePath + o.LogoutPath,
		cookiePrefix: o.CookieName + "_oidc_",
	}
	var prevOIDC *oidcGate
	if prev != nil {
		prevOIDC = prev.oidc
	}
	vcfg := JWTConfig{
		Issuer: client.Issuer, Audience: []string{client.ClientID}, Algorithms: asymmetricAlgorithms,
		Leeway: o.Leeway, RequiredClaims: o.RequiredClaims, AllowedEmailDomains: o.AllowedEmailDomains,
		RefreshInterval: o.RefreshInterval, MinRefreshInterval: o.MinRefreshInterval, FetchTimeout: o.FetchTimeout,
		MaxTokenBytes: maxIDTokenBytes,
	}
	var prevKeys *jwks.Cache
	if prevOIDC != nil {
		if sameKeySource(prevOIDC.verifier.cfg, vcfg) {
			prevKeys = prevOIDC.verifier.keys
			og.disc = prevOIDC.disc
		}
		og.used = prevOIDC.used
	}
	og.verifier = newVerifier(vcfg, nil, g.logger, prevKeys)
	if og.disc == nil {
		og.disc = newDiscovery(client.Issuer, og.http, o, g.logger)
	}
	if og.used == nil {
		og.used, _ = lru.New[string, time.Time](maxReplay)
	}
	switch {
	case g.keyFile != nil:
		og.sealer = &stateSealer{ring: fileRing(g.keyFile, purposeState)}
	case prevOIDC != nil && prevOIDC.sealer.ring.file == nil:
		og.sealer = prevOIDC.sealer // pending sign-ins survive the reload
	default:
		og.sealer = &stateSealer{ring: processRing()}
	}
	if g.sessions == nil {
		var prevRing *keyRing
		if prev != nil && prev.sessions != nil && prev.jwt == nil && prev.basePath == g.basePath && oidcSessionsEqual(prev.cfg, g.cfg) {
			prevRing = prev.sessions.ring
		}
		g.sessions = newSessions(o.SessionTTL, g.sessionRing(prevRing, nil))
	}
	og.sessions = newSessions(o.SessionTTL, g.sessions.ring)
	g.cookiePath = g.basePath
	g.oidc = og

	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if _, err := og.disc.get(g.ctx); err == nil {
			og.verifier.keys.Prefetch(g.ctx)
		}
	}()
	return nil
}

// oauth2Config is the client's registration for one exchange.
func (o *oidcGate) oauth2Config(meta *oidcMetadata, redirectURI string) *oauth2.Config {
	style := oauth2.AuthStyleInHeader // client_secret_basic, the default of OpenID Connect Core section 9
	if o.secret == "" {
		style = oauth2.AuthStyleInParams // a public client sends only client_id
	}
	return &oauth2.Config{
		ClientID: o.client.ClientID, ClientSecret: o.secret,
		Endpoint:    oauth2.Endpoint{AuthURL: meta.AuthorizationEndpoint, TokenURL: meta.TokenEndpoint, AuthStyle: style},
		RedirectURL: redirectURI,
		Scopes:      o.cfg.Scopes,
	}
}

// startOIDC sends a browser without a session to the identity provider's
// authorization endpoint, with a fresh state, nonce and PKCE challenge.
func (g *Gate) startOIDC(w http.ResponseWriter, r *http.Request, info *reqinfo.Info) {
	o := g.oidc
	w.Header().Set("Cache-Control", "no-store")
	origin, ok := g.requestOrigin(r)
	if !ok {
		info.Gate = "denied:oidc-host"
		http.Error(w, "400 bad Host header", http.StatusBadRequest)
		return
	}
	meta, err := o.disc.get(r.Context())
	if err != nil {
		info.Gate = "denied:oidc-discovery"
		g.logger.Error("cannot start sign-in: identity provider unavailable", "issuer", o.client.Issuer, "err", err)
		http.Error(w, "502 sign-in is unavailable: the identity provider cannot be reached", http.StatusBadGateway)
		return
	}
	p := pendingSignIn{
		State: randomToken(stateBytes), Nonce: randomToken(stateBytes), Verifier: oauth2.GenerateVerifier(),
		ReturnTo:    safeReturnTo(r.URL.RequestURI(), g.basePath),
		RedirectURI: origin + o.callbackPath,
		Expiry:      g.now().Add(pendingTTL).Unix(),
	}
	sealed, err := o.sealer.seal(p)
	if err != nil {
		info.Gate = "denied:oidc-state"
		g.logger.Error("cannot seal sign-in state", "err", err)
		http.Error(w, "500 internal server error", http.StatusInternalServerError)
		return
	}
	// SameSite=Lax: the provider brings the browser back with a top-level
	// GET, which carries Lax cookies.
	http.SetCookie(w, &http.Cookie{
		Name: o.cookiePrefix + p.State, Value: sealed, Path: o.callbackPath,
		MaxAge: int(pendingTTL / time.Second), HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode,
	})
	target := o.oauth2Config(meta, p.RedirectURI).AuthCodeURL(p.State,
		oauth2.S256ChallengeOption(p.Verifier), oauth2.SetAuthURLParam("nonce", p.Nonce))
	info.Gate = "login"
	http.Redirect(w, r, target, http.StatusFound)
}

// serveOIDCCallback completes a sign-in: the pending sign-in named by
// state is used up, the code is redeemed with the PKCE verifier, the id
// token is verified (signature, issuer, audience, times, claim rules) and
// its nonce compared, and the browser gets a session cookie and goes on to
// the page it first asked for.
func (g *Gate) serveOIDCCallback(w http.ResponseWriter, r *http.Request, info *reqinfo.Info) {
	o := g.oidc
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		info.Gate = "denied:oidc-method"
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	fail := func(code int, err error) {
		info.Gate = "denied:oidc-" + refusal(err)
		g.logger.Info("sign-in callback refused", "reason", refusal(err), "err", err)
		http.Error(w, fmt.Sprintf("%d sign-in failed: %s; open %s to try again", code, refusal(err), g.basePath), code)
	}
	q := r.URL.Query()
	p, err := o.takePending(w, r, q.Get("state"), g.now())
	if err != nil {
		fail(http.StatusBadRequest, err)
		return
	}
	// RFC 9207: a provider that names itself in the response must be the
	// one this sign-in went to (against mix-up attacks).
	if iss := q.Get("iss"); iss != "" && iss != o.client.Issuer {
		fail(http.StatusBadRequest, refuse("issuer-mismatch", fmt.Errorf("the response comes from %q, want %q", logSafe(iss), o.client.Issuer)))
		return
	}
	// RFC 6749 section 4.1.2.1: the provider reports a refusal (the user
	// cancelled, or is not assigned to the application) with error=.
	if e := q.Get("error"); e != "" {
		fail(http.StatusForbidden, refuse("provider-"+errorCode(e), fmt.Errorf("the identity provider refused: %s", logSafe(q.Get("error_description")))))
		return
	}
	code := q.Get("code")
	if code == "" {
		fail(http.StatusBadRequest, refuse("code-missing", errors.New("the callback has neither code nor error")))
		return
	}
	id, err := o.redeem(r.Context(), p, code)
	if err != nil {
		status := http.StatusUnauthorized
		if reason := refusal(err); reason == "discovery" || reason == "token-exchange" {
			status = http.StatusBadGateway
		}
		fail(status, err)
		return
	}
	session, exp, err := o.sessions.issue(id)
	if err != nil {
		info.Gate = "denied:oidc-session"
		g.logger.Error("cannot mint session", "err", err)
		http.Error(w, "500 internal server error", http.StatusInternalServerError)
		return
	}
	info.User, info.Gate = id.name(), "oidc"
	g.setCookie(w, o.cfg.CookieName, session, g.cookiePath, exp)
	// p.ReturnTo was checked by safeReturnTo when the sign-in started, and
	// the sealed state cannot be altered; it is checked again all the same.
	w.Header().Set("Location", safeReturnTo(p.ReturnTo, g.basePath))
	w.WriteHeader(http.StatusSeeOther)
}

// redeem exchanges the code for tokens and checks the id token.
func (o *oidcGate) redeem(ctx context.Context, p pendingSignIn, code string) (identity, error) {
	meta, err := o.disc.get(ctx)
	if err != nil {
		return identity{}, refuse("discovery", err)
	}
	xctx, cancel := context.WithTimeout(context.WithValue(ctx, oauth2.HTTPClient, o.http), o.cfg.FetchTimeout)
	defer cancel()
	tok, err := o.oauth2Config(meta, p.RedirectURI).Exchange(xctx, code, oauth2.VerifierOption(p.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode != "" {
			return identity{}, refuse("token-"+errorCode(re.ErrorCode), err)
		}
		return identity{}, refuse("token-exchange", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return identity{}, refuse("no-id-token", errors.New("the token response has no id_token (is \"openid\" among the scopes?)"))
	}
	id, err := o.verifier.verify(ctx, raw)
	if err != nil {
		return identity{}, refuse("id-token-"+refusal(err), err)
	}
	// The signature over these bytes was just verified, so reading the
	// claims the verifier does not return is safe.
	parsed, err := jwt.ParseSigned(raw, o.verifier.algs)
	if err != nil {
		return identity{}, refuse("id-token-malformed", err)
	}
	var c struct {
		Nonce string       `json:"nonce"`
		AZP   string       `json:"azp"`
		Aud   jwt.Audience `json:"aud"`
	}
	if err := parsed.UnsafeClaimsWithoutVerification(&c); err != nil {
		return identity{}, refuse("id-token-malformed", err)
	}
	if c.Nonce == "" {
		return identity{}, refuse("nonce-missing", errors.New("the id token has no nonce"))
	}
	if subtle.ConstantTimeCompare([]byte(c.Nonce), []byte(p.Nonce)) != 1 {
		return identity{}, refuse("nonce-mismatch", errors.New("the id token's nonce is not this sign-in's"))
	}
	// OpenID Connect Core section 3.1.3.7, steps 4 and 5.
	if (len(c.Aud) > 1 || c.AZP != "") && c.AZP != o.client.ClientID {
		return identity{}, refuse("azp", fmt.Errorf("azp is %q, want %q", logSafe(c.AZP), o.client.ClientID))
	}
	return id, nil
}

// serveLogout clears the session and, when the identity provider offers
// RP-initiated logout, sends the browser there to end its session too,
// with the way back to basePath.
func (g *Gate) serveLogout(w http.ResponseWriter, r *http.Request, info *reqinfo.Info) {
	o := g.oidc
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		info.Gate = "denied:oidc-method"
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	g.clearCookie(w, o.cfg.CookieName, g.cookiePath)
	if g.jwt != nil && g.cfg.JWT.CookieName != o.cfg.CookieName {
		g.clearCookie(w, g.cfg.JWT.CookieName, g.cookiePath)
	}
	info.Gate = "logout"
	origin, ok := g.requestOrigin(r)
	meta, err := o.disc.get(r.Context())
	if ok && err == nil && meta.EndSessionEndpoint != "" {
		u, _ := url.Parse(meta.EndSessionEndpoint) // checked by discovery
		q := u.Query()
		q.Set("client_id", o.client.ClientID)
		q.Set("post_logout_redirect_uri", origin+g.basePath)
		u.RawQuery = q.Encode()
		w.Header().Set("Location", u.String())
		w.WriteHeader(http.StatusSeeOther)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, "<!doctype html>\n<title>Signed out</title>\n<p>You are signed out. <a href=\"%s\">Sign in again</a></p>\n", g.basePath)
}

// requestOrigin is the origin for the redirect URIs (see Origin): https,
// except plain http to a loopback host (a local test).
func (g *Gate) requestOrigin(r *http.Request) (string, bool) {
	scheme := "https"
	if r.TLS == nil {
		if u, err := url.Parse("//" + r.Host); err == nil && isLoopbackHost(u.Hostname()) {
			scheme = "http"
		}
	}
	return Origin(r, g.cfg.PublicOrigins, scheme)
}

func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// errorCode keeps an OAuth error code fit for a log field and a reason:
// RFC 6749 codes are lowercase words joined by underscores.
func errorCode(s string) string {
	if len(s) > 64 || s == "" || strings.IndexFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r == '_') }) >= 0 {
		return "other"
	}
	return s
}
