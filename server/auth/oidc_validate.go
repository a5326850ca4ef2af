package auth

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/softphone/softphone/server/auth/jwks"
)

// validateOIDC checks access.oidc after ApplyDefaults; every problem is
// reported, each with its key path.
func (c *Config) validateOIDC() []error {
	o := c.OIDC
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if !o.Enabled() {
		for _, k := range []struct {
			key string
			set bool
		}{
			{"clientSecret", o.ClientSecret != ""}, {"clientSecretFile", o.ClientSecretFile != ""},
			{"requiredClaims", len(o.RequiredClaims) > 0}, {"allowedEmailDomains", len(o.AllowedEmailDomains) > 0},
		} {
			if k.set {
				add("access.oidc.%s: is set, but access.oidc is off: set issuer and clientId, or provider", k.key)
			}
		}
		return errs
	}

	client, err := o.resolve(c.ClientProviders)
	if err != nil {
		errs = append(errs, err)
	} else {
		issuerKey := "access.oidc.issuer"
		if o.Issuer == "" && o.Provider != "" {
			issuerKey = fmt.Sprintf("access.oidc.provider: provider %q gives the issuer %q", o.Provider, client.Issuer)
		}
		switch err := jwks.CheckURL(client.Issuer); {
		case client.Issuer == "":
			add("access.oidc.issuer: must be set (or provider), such as https://login.example.com/realms/agents")
		case err != nil:
			add("%s: %w", issuerKey, err)
		default:
			if u, _ := url.Parse(client.Issuer); u.RawQuery != "" || u.Fragment != "" {
				add("%s: must have no query or fragment, got %q", issuerKey, client.Issuer)
			}
		}
		if client.ClientID == "" {
			add("access.oidc.clientId: must be set (or provider with a clientId)")
		}
	}

	secret, err := o.clientSecret()
	switch {
	case o.ClientSecret != "" && o.ClientSecretFile != "":
		add("access.oidc.clientSecret and access.oidc.clientSecretFile: set one, not both")
	case err != nil:
		add("access.oidc.clientSecretFile: %w", err)
	case o.ClientSecretFile != "" && secret == "":
		add("access.oidc.clientSecretFile: %s is empty", o.ClientSecretFile)
	}

	hasOpenID := false
	for i, s := range o.Scopes {
		if s == "" || strings.ContainsAny(s, " \"\\") || hasControl(s) {
			add("access.oidc.scopes[%d]: must be one scope name without spaces or quotes, got %q", i, s)
		}
		hasOpenID = hasOpenID || s == "openid"
	}
	if !hasOpenID {
		add("access.oidc.scopes: must include \"openid\", got [%s]", strings.Join(o.Scopes, ", "))
	}
	if err := checkCallbackPath(o.RedirectPath); err != nil {
		add("access.oidc.redirectPath: %w", err)
	}
	if err := checkCallbackPath(o.LogoutPath); err != nil {
		add("access.oidc.logoutPath: %w", err)
	}
	if o.RedirectPath == o.LogoutPath {
		add("access.oidc.redirectPath and access.oidc.logoutPath: must differ, both are %q", o.RedirectPath)
	}
	if c.JWT.Enabled() {
		for _, k := range [][2]string{{"redirectPath", o.RedirectPath}, {"logoutPath", o.LogoutPath}} {
			if k[1] == c.JWT.CallbackPath {
				add("access.oidc.%s and access.jwt.callbackPath: must differ, both are %q", k[0], k[1])
			}
		}
		if c.JWT.LoginURL != "" {
			add("access.jwt.loginURL and access.oidc: a browser can be sent to one sign-in only; unset access.jwt.loginURL (JWT bearer tokens and callbacks keep working)")
		}
	}
	if (&http.Cookie{Name: o.CookieName, Value: "x"}).Valid() != nil {
		add("access.oidc.cookieName: must be a cookie name (letters, digits, !#$%%&'*+-.^_`|~), got %q", o.CookieName)
	}
	checkRange(&errs, "access.oidc.sessionTTL", o.SessionTTL, time.Minute, 7*24*time.Hour)
	checkRange(&errs, "access.oidc.leeway", o.Leeway, 0, 5*time.Minute)
	checkRange(&errs, "access.oidc.refreshInterval", o.RefreshInterval, time.Minute, 7*24*time.Hour)
	checkRange(&errs, "access.oidc.minRefreshInterval", o.MinRefreshInterval, time.Second, o.RefreshInterval)
	checkRange(&errs, "access.oidc.fetchTimeout", o.FetchTimeout, 100*time.Millisecond, time.Minute)
	errs = append(errs, checkClaimRules("access.oidc", o.RequiredClaims, o.AllowedEmailDomains)...)
	return errs
}

// oidcWarnings lists risky but allowed access.oidc settings.
func (c *Config) oidcWarnings() []string {
	o := c.OIDC
	if !o.Enabled() {
		return nil
	}
	var w []string
	if client, err := o.resolve(c.ClientProviders); err == nil && strings.HasPrefix(client.Issuer, "http:") {
		w = append(w, fmt.Sprintf("access.oidc.issuer: %q is plain http: only for a provider on this machine", client.Issuer))
	}
	return w
}
