package auth

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// OIDCConfig is access.oidc: the page itself behind the organisation's
// sign-in. A browser without a session is sent to the identity provider
// (OpenID Connect authorization code flow with PKCE), and comes back to
// RedirectPath, where the id token is checked and a session cookie set.
type OIDCConfig struct {
	// Provider names an entry of advancedOptions.authProvidersConfig.providers
	// (its providerLoginName) whose sign-in registration the gate reuses:
	// the issuer is derived from its authority (plus /realms/<realm> for
	// Keycloak, /v2.0 for AAD) and the client ID is its clientId. Issuer
	// and ClientID, when set, take precedence. Default: "".
	Provider string `mapstructure:"provider"`
	// Issuer is the identity provider's issuer URL; its discovery document
	// is Issuer + "/.well-known/openid-configuration". https only (http to
	// a loopback host is allowed). Required unless Provider gives it.
	// Default: "".
	Issuer string `mapstructure:"issuer"`
	// ClientID is the client ID registered at the identity provider; the
	// id token's "aud" must contain it. Required unless Provider gives it.
	// Default: "".
	ClientID string `mapstructure:"clientId"`
	// ClientSecret authenticates the server to the token endpoint
	// (client_secret_basic). Leave empty for a public client, which relies
	// on PKCE alone. Prefer SOFTPHONE_ACCESS_OIDC_CLIENT_SECRET or
	// ClientSecretFile to writing it in the file. Default: "".
	ClientSecret string `mapstructure:"clientSecret"`
	// ClientSecretFile is a file holding the client secret instead (one
	// line; a trailing newline is ignored). Not together with
	// clientSecret. Default: "".
	ClientSecretFile string `mapstructure:"clientSecretFile"`
	// Scopes are requested at sign-in; "openid" must be among them. Add
	// the scopes that put the claims requiredClaims checks into the id
	// token. Default: [openid, profile, email].
	Scopes []string `mapstructure:"scopes"`
	// RedirectPath is where the identity provider sends the browser back,
	// relative to basePath; register <publicURL><basePath><redirectPath>
	// (or https://<ACME domain>...) as a redirect URI (for Entra ID/AAD:
	// under the "Web" platform). The origin never comes from the Host header.
	// Default: "auth/oidc/callback".
	RedirectPath string `mapstructure:"redirectPath"`
	// LogoutPath signs out, relative to basePath: it clears the session
	// cookie and, when the identity provider has an end_session_endpoint,
	// sends the browser there to end the provider's session too, with
	// post_logout_redirect_uri <publicURL><basePath> (register it).
	// Default: "auth/logout".
	LogoutPath string `mapstructure:"logoutPath"`
	// CookieName is the session cookie (HttpOnly, Secure, SameSite=Lax,
	// Path=basePath). When it equals access.jwt.cookieName, the JWT and
	// OIDC gates share one session. Default: "softphone_session".
	CookieName string `mapstructure:"cookieName"`
	// SessionTTL is how long a session lasts after sign-in. Default: 8h.
	SessionTTL time.Duration `mapstructure:"sessionTTL"`
	// Leeway is the clock skew allowed when checking the id token's "exp",
	// "nbf" and "iat". Default: 60s. At most 5m.
	Leeway time.Duration `mapstructure:"leeway"`
	// RequiredClaims are checks on id-token claims beyond the registered
	// ones, as in access.jwt.requiredClaims. Default: none.
	RequiredClaims []RequiredClaim `mapstructure:"requiredClaims"`
	// AllowedEmailDomains: when set, the id token's "email" must be in one
	// of these domains, as in access.jwt.allowedEmailDomains.
	// Default: empty (not checked).
	AllowedEmailDomains []string `mapstructure:"allowedEmailDomains"`
	// RefreshInterval is the maximum age of the cached discovery document
	// and key set. Default: 1h.
	RefreshInterval time.Duration `mapstructure:"refreshInterval"`
	// MinRefreshInterval: the discovery document and key set are fetched
	// at most once per this interval after a failure or an unknown key ID.
	// Default: 1m.
	MinRefreshInterval time.Duration `mapstructure:"minRefreshInterval"`
	// FetchTimeout bounds each request to the identity provider: discovery,
	// key set and token endpoint. Default: 5s.
	FetchTimeout time.Duration `mapstructure:"fetchTimeout"`
}

// ProviderRef is a sign-in provider of the client config
// (advancedOptions.authProvidersConfig.providers[]), as far as the OIDC gate
// needs it. The caller copies them into Config.ClientProviders.
type ProviderRef struct {
	// Name is the providerLoginName.
	Name string
	// Type is the providerType: "AAD" (also when empty), "Keycloak" or "OIDC".
	Type string
	// Authority is the provider's authority URL.
	Authority string
	// Realm is the Keycloak realm.
	Realm string
	// ClientID is the provider's clientId.
	ClientID string
}

// Defaults for OIDCConfig; ApplyDefaults fills them in.
const (
	DefaultOIDCRedirectPath = "auth/oidc/callback"
	DefaultOIDCLogoutPath   = "auth/logout"
)

// DefaultOIDCScopes are requested when access.oidc.scopes is empty.
var DefaultOIDCScopes = []string{"openid", "profile", "email"}

func (o *OIDCConfig) applyDefaults() {
	if len(o.Scopes) == 0 {
		o.Scopes = append([]string(nil), DefaultOIDCScopes...)
	}
	setDefault(&o.RedirectPath, DefaultOIDCRedirectPath)
	setDefault(&o.LogoutPath, DefaultOIDCLogoutPath)
	setDefault(&o.CookieName, DefaultCookieName)
	setDefault(&o.SessionTTL, DefaultSessionTTL)
	setDefault(&o.Leeway, DefaultLeeway)
	setDefault(&o.RefreshInterval, DefaultRefreshInterval)
	setDefault(&o.MinRefreshInterval, DefaultMinRefreshInterval)
	setDefault(&o.FetchTimeout, DefaultFetchTimeout)
}

// Enabled reports whether the OIDC gate is configured.
func (o OIDCConfig) Enabled() bool {
	return o.Provider != "" || o.Issuer != "" || o.ClientID != ""
}

// clientSecret returns the client secret, reading clientSecretFile if set.
func (o OIDCConfig) clientSecret() (string, error) {
	if o.ClientSecretFile == "" {
		return o.ClientSecret, nil
	}
	b, err := readSecretFile(o.ClientSecretFile)
	return string(b), err
}

// oidcClient is the issuer and client ID the gate signs in with, after
// resolving a provider reference.
type oidcClient struct {
	Issuer   string
	ClientID string
}

// multiTenantAAD are Entra ID (AAD) authorities that stand for many
// tenants; their discovery document's issuer is a template, so a server
// cannot check the id token's issuer against it.
var multiTenantAAD = map[string]bool{"common": true, "organizations": true, "consumers": true}

// resolve returns the issuer and client ID: Issuer and ClientID as set,
// filled from the named provider of the client config.
func (o OIDCConfig) resolve(providers []ProviderRef) (oidcClient, error) {
	c := oidcClient{Issuer: o.Issuer, ClientID: o.ClientID}
	if o.Provider == "" {
		return c, nil
	}
	var p *ProviderRef
	var names []string
	for i := range providers {
		names = append(names, fmt.Sprintf("%q", providers[i].Name))
		if providers[i].Name == o.Provider {
			p = &providers[i]
		}
	}
	if p == nil {
		have := "there are none"
		if len(names) > 0 {
			have = "have " + strings.Join(names, ", ")
		}
		return c, fmt.Errorf("access.oidc.provider: no providerLoginName %q in advancedOptions.authProvidersConfig.providers (%s)", o.Provider, have)
	}
	if c.ClientID == "" {
		c.ClientID = p.ClientID
	}
	if c.Issuer != "" {
		return c, nil
	}
	authority := strings.TrimSuffix(p.Authority, "/")
	switch p.Type {
	case "", "AAD":
		u, err := url.Parse(authority)
		if err != nil {
			return c, fmt.Errorf("access.oidc.provider: provider %q: authority must be a URL, got %q", p.Name, p.Authority)
		}
		tenant := strings.Trim(u.Path, "/")
		if tenant == "" || multiTenantAAD[strings.ToLower(tenant)] {
			return c, fmt.Errorf("access.oidc.provider: provider %q: the AAD authority %q names no single tenant; the server needs https://login.microsoftonline.com/<tenant-id> there, or access.oidc.issuer set to https://login.microsoftonline.com/<tenant-id>/v2.0", p.Name, p.Authority)
		}
		c.Issuer = authority + "/v2.0"
	case "Keycloak":
		if p.Realm == "" {
			return c, fmt.Errorf("access.oidc.provider: provider %q: Keycloak needs a realm", p.Name)
		}
		c.Issuer = authority + "/realms/" + url.PathEscape(p.Realm)
	default:
		c.Issuer = p.Authority
	}
	return c, nil
}
