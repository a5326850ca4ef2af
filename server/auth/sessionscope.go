package auth

import "reflect"

// A reload keeps the session cookies already given out when the settings
// they vouch for are the same. The comparison is of whole normalized
// config values: each scope function below clears only the fields that
// change how a new token is fetched or checked, never who gets in, and
// compares everything else, so a field added later counts until someone
// decides it does not (TestSessionScopeCoversEveryField keeps that honest).

// jwtSessionScope is what a JWT session cookie minted under j vouches for.
func jwtSessionScope(j JWTConfig) JWTConfig {
	j.HMACSecret = "" // compared as the secret's bytes, which hmacSecretFile may hold instead
	j.LoginURL = ""   // where to sign in, not who may
	j.CallbackPath = ""
	j.Leeway = 0 // clock skew when checking a new token
	j.RefreshInterval, j.MinRefreshInterval, j.FetchTimeout = 0, 0, 0
	j.MaxTokenBytes = 0
	return j
}

// jwtConfigEqual reports whether sessions minted under a may stay valid
// under b: every setting that decides who gets in is the same.
func jwtConfigEqual(a, b JWTConfig) bool {
	return reflect.DeepEqual(jwtSessionScope(a), jwtSessionScope(b))
}

// oidcSessionScope is what an OIDC session cookie minted under c vouches
// for: the resolved issuer and client, and the admission rules.
func oidcSessionScope(c Config) (OIDCConfig, error) {
	o := c.OIDC
	client, err := o.resolve(c.ClientProviders)
	o.Provider, o.Issuer, o.ClientID = "", client.Issuer, client.ClientID
	o.ClientSecret, o.ClientSecretFile = "", "" // the client's credentials, not the user's
	o.Scopes = nil
	o.RedirectPath, o.LogoutPath = "", ""
	o.Leeway = 0
	o.RefreshInterval, o.MinRefreshInterval, o.FetchTimeout = 0, 0, 0
	return o, err
}

// oidcSessionsEqual reports whether OIDC sessions minted under a may stay
// valid under b: every access.oidc setting that decides who gets in is the
// same (or OIDC is off in both).
func oidcSessionsEqual(a, b Config) bool {
	if !a.OIDC.Enabled() || !b.OIDC.Enabled() {
		return a.OIDC.Enabled() == b.OIDC.Enabled()
	}
	sa, errA := oidcSessionScope(a)
	sb, errB := oidcSessionScope(b)
	return errA == nil && errB == nil && reflect.DeepEqual(sa, sb)
}
