package auth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestOIDCApplyDefaults(t *testing.T) {
	var c Config
	c.OIDC.Issuer = "https://sso.example.com"
	c.ApplyDefaults()
	o := c.OIDC
	checks := []struct {
		name      string
		got, want any
	}{
		{"scopes", strings.Join(o.Scopes, " "), "openid profile email"},
		{"redirectPath", o.RedirectPath, "auth/oidc/callback"},
		{"logoutPath", o.LogoutPath, "auth/logout"},
		{"cookieName", o.CookieName, "softphone_session"},
		{"sessionTTL", o.SessionTTL, 8 * time.Hour},
		{"leeway", o.Leeway, 60 * time.Second},
		{"refreshInterval", o.RefreshInterval, time.Hour},
		{"minRefreshInterval", o.MinRefreshInterval, time.Minute},
		{"fetchTimeout", o.FetchTimeout, 5 * time.Second},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("access.oidc.%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	if !c.Enabled() {
		t.Error("Config.Enabled() = false with access.oidc.issuer set")
	}
}

func TestOIDCResolveProvider(t *testing.T) {
	providers := []ProviderRef{
		{Name: "Azure Active Directory", Type: "AAD", Authority: "https://login.microsoftonline.com/1911c65c-89aa-4c1e-9f3d-0123456789ab", ClientID: "e8a69733"},
		{Name: "Default type", Authority: "https://login.microsoftonline.com/contoso.onmicrosoft.com/", ClientID: "c1"},
		{Name: "AAD common", Type: "AAD", Authority: "https://login.microsoftonline.com/common", ClientID: "c2"},
		{Name: "Keycloak", Type: "Keycloak", Authority: "https://keycloak.example.com:8443/", Realm: "demo", ClientID: "WebRTCDemo"},
		{Name: "Keycloak without realm", Type: "Keycloak", Authority: "https://keycloak.example.com", ClientID: "x"},
		{Name: "Okta", Type: "OIDC", Authority: "https://acme.okta.com/oauth2/default", ClientID: "okta-client"},
	}
	tests := []struct {
		name             string
		cfg              OIDCConfig
		issuer, clientID string
		err              string
	}{
		{"AAD tenant", OIDCConfig{Provider: "Azure Active Directory"},
			"https://login.microsoftonline.com/1911c65c-89aa-4c1e-9f3d-0123456789ab/v2.0", "e8a69733", ""},
		{"AAD by default, trailing slash", OIDCConfig{Provider: "Default type"},
			"https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0", "c1", ""},
		{"AAD multi-tenant", OIDCConfig{Provider: "AAD common"}, "", "", "names no single tenant"},
		{"AAD multi-tenant with an explicit issuer", OIDCConfig{Provider: "AAD common", Issuer: "https://login.microsoftonline.com/t1/v2.0"},
			"https://login.microsoftonline.com/t1/v2.0", "c2", ""},
		{"Keycloak", OIDCConfig{Provider: "Keycloak"}, "https://keycloak.example.com:8443/realms/demo", "WebRTCDemo", ""},
		{"Keycloak without realm", OIDCConfig{Provider: "Keycloak without realm"}, "", "", "Keycloak needs a realm"},
		{"OIDC", OIDCConfig{Provider: "Okta"}, "https://acme.okta.com/oauth2/default", "okta-client", ""},
		{"explicit clientId wins", OIDCConfig{Provider: "Okta", ClientID: "server-client"}, "https://acme.okta.com/oauth2/default", "server-client", ""},
		{"unknown name", OIDCConfig{Provider: "okta"}, "", "", `no providerLoginName "okta"`},
		{"no provider", OIDCConfig{Issuer: "https://sso.example.com", ClientID: "a"}, "https://sso.example.com", "a", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.cfg.resolve(providers)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Issuer != tc.issuer || got.ClientID != tc.clientID {
				t.Errorf("resolved to issuer %q, clientId %q; want %q, %q", got.Issuer, got.ClientID, tc.issuer, tc.clientID)
			}
		})
	}
	if _, err := (OIDCConfig{Provider: "x"}).resolve(nil); err == nil || !strings.Contains(err.Error(), "there are none") {
		t.Errorf("with no providers: error = %v, want one saying there are none", err)
	}
}

func TestOIDCValidate(t *testing.T) {
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "secret")
	os.WriteFile(secretFile, []byte("s3cret\n"), 0o600)
	emptyFile := filepath.Join(dir, "empty")
	os.WriteFile(emptyFile, []byte("\n"), 0o600)
	ok := OIDCConfig{Issuer: "https://sso.example.com/realms/cc", ClientID: "softphone"}
	with := func(f func(o *OIDCConfig)) Config {
		o := ok
		f(&o)
		return Config{OIDC: o}
	}
	tests := []struct {
		name string
		cfg  Config
		want []string // every substring must appear; none = valid
	}{
		{"minimal", with(func(o *OIDCConfig) {}), nil},
		{"public client on loopback", with(func(o *OIDCConfig) { o.Issuer = "http://127.0.0.1:9000" }), nil},
		{"secret file", with(func(o *OIDCConfig) { o.ClientSecretFile = secretFile }), nil},
		{"provider", Config{OIDC: OIDCConfig{Provider: "KC"}, ClientProviders: []ProviderRef{{Name: "KC", Type: "Keycloak", Authority: "https://kc.example.com", Realm: "r", ClientID: "c"}}}, nil},
		{"off, with settings", Config{OIDC: OIDCConfig{ClientSecret: "x", RequiredClaims: []RequiredClaim{{Claim: "g"}}}},
			[]string{"access.oidc.clientSecret: is set, but access.oidc is off", "access.oidc.requiredClaims: is set"}},
		{"plain http issuer", with(func(o *OIDCConfig) { o.Issuer = "http://sso.example.com" }),
			[]string{`access.oidc.issuer: must be an https URL (http only to a loopback host), got "http://sso.example.com"`}},
		{"issuer with a query", with(func(o *OIDCConfig) { o.Issuer = "https://sso.example.com/?x=1" }), []string{"access.oidc.issuer: must have no query"}},
		{"no issuer", with(func(o *OIDCConfig) { o.Issuer = "" }), []string{"access.oidc.issuer: must be set"}},
		{"no client id", with(func(o *OIDCConfig) { o.ClientID = ""; o.Issuer = "https://x.example.com" }), []string{"access.oidc.clientId: must be set"}},
		{"unknown provider", with(func(o *OIDCConfig) { o.Provider = "Missing" }), []string{`access.oidc.provider: no providerLoginName "Missing"`}},
		{"provider with a bad authority", Config{OIDC: OIDCConfig{Provider: "P"}, ClientProviders: []ProviderRef{{Name: "P", Type: "OIDC", Authority: "http://sso.example.com", ClientID: "c"}}},
			[]string{`access.oidc.provider: provider "P" gives the issuer "http://sso.example.com": must be an https URL`}},
		{"secret twice", with(func(o *OIDCConfig) { o.ClientSecret = "a"; o.ClientSecretFile = secretFile }),
			[]string{"access.oidc.clientSecret and access.oidc.clientSecretFile: set one, not both"}},
		{"missing secret file", with(func(o *OIDCConfig) { o.ClientSecretFile = filepath.Join(dir, "nope") }), []string{"access.oidc.clientSecretFile: open"}},
		{"empty secret file", with(func(o *OIDCConfig) { o.ClientSecretFile = emptyFile }), []string{"access.oidc.clientSecretFile: " + emptyFile + " is empty"}},
		{"scopes without openid", with(func(o *OIDCConfig) { o.Scopes = []string{"profile", "bad scope"} }),
			[]string{`access.oidc.scopes: must include "openid", got [profile, bad scope]`, `access.oidc.scopes[1]: must be one scope name`}},
		{"bad paths", with(func(o *OIDCConfig) { o.RedirectPath = "/abs"; o.LogoutPath = "a/../b" }),
			[]string{`access.oidc.redirectPath: must be a path relative to basePath`, `access.oidc.logoutPath: must be a path relative to basePath`}},
		{"same paths", with(func(o *OIDCConfig) { o.RedirectPath = "auth/x"; o.LogoutPath = "auth/x" }),
			[]string{`access.oidc.redirectPath and access.oidc.logoutPath: must differ, both are "auth/x"`}},
		{"path of the JWT callback", Config{OIDC: OIDCConfig{Issuer: ok.Issuer, ClientID: "c", LogoutPath: "auth/callback"}, JWT: JWTConfig{HMACSecret: testSecret}},
			[]string{`access.oidc.logoutPath and access.jwt.callbackPath: must differ, both are "auth/callback"`}},
		{"jwt loginURL too", Config{OIDC: ok, JWT: JWTConfig{HMACSecret: testSecret, LoginURL: "https://sso.example.com/login"}},
			[]string{"access.jwt.loginURL and access.oidc: a browser can be sent to one sign-in only"}},
		{"bad cookie and durations", with(func(o *OIDCConfig) {
			o.CookieName = "a b"
			o.SessionTTL = time.Second
			o.Leeway = time.Hour
			o.FetchTimeout = time.Hour
		}), []string{`access.oidc.cookieName: must be a cookie name`, "access.oidc.sessionTTL: must be between 1m0s and 168h0m0s, got 1s",
			"access.oidc.leeway: must be between", "access.oidc.fetchTimeout: must be between"}},
		{"claim rules", with(func(o *OIDCConfig) {
			o.RequiredClaims = []RequiredClaim{{Claim: ""}, {Claim: "g", Contains: []string{""}}}
			o.AllowedEmailDomains = []string{"@example.com"}
		}), []string{"access.oidc.requiredClaims[0].claim: must be set", "access.oidc.requiredClaims[1].contains[0]: must not be empty",
			`access.oidc.allowedEmailDomains[0]: must be a domain such as example.com, got "@example.com"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.ApplyDefaults()
			err := cfg.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v, want no error", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate: nil, want errors containing %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate error\n%v\nlacks %q", err, w)
				}
			}
		})
	}
}

func TestOIDCWarnings(t *testing.T) {
	c := Config{OIDC: OIDCConfig{Issuer: "http://127.0.0.1:9000", ClientID: "c"}}
	c.ApplyDefaults()
	w := strings.Join(c.Warnings(), "\n")
	if !strings.Contains(w, `access.oidc.issuer: "http://127.0.0.1:9000" is plain http`) {
		t.Errorf("Warnings = %q, want one about the plain-http issuer", w)
	}
	c.OIDC.Issuer = "https://sso.example.com"
	if w := c.Warnings(); len(w) != 0 {
		t.Errorf("Warnings = %q, want none", w)
	}
}

// TestOIDCNewRefusesInvalid: New checks access.oidc itself, so a caller
// that skipped Validate gets an error, not a half-built gate.
func TestOIDCNewRefusesInvalid(t *testing.T) {
	c := Config{OIDC: OIDCConfig{Provider: "Missing"}}
	c.ApplyDefaults()
	if _, err := New(c, "/", nil); err == nil || !strings.Contains(err.Error(), "access.oidc.provider") {
		t.Errorf("New: %v, want an access.oidc.provider error", err)
	}
}

// TestOIDCExamples: the examples sign in where their comments say.
func TestOIDCExamples(t *testing.T) {
	t.Chdir(filepath.Join("..", ".."))
	tests := []struct{ file, issuer, clientID string }{
		{"oidc.yaml", "https://sso.example.com/realms/contact-center", "softphone"},
		{"oidc-provider.yaml", "https://keycloak.example.com:8443/realms/demo", "WebRTCDemo"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			cfg := loadExample(t, tc.file)
			got, err := cfg.OIDC.resolve(cfg.ClientProviders)
			if err != nil {
				t.Fatal(err)
			}
			if got.Issuer != tc.issuer || got.ClientID != tc.clientID {
				t.Errorf("signs in at issuer %q with client %q, want %q and %q", got.Issuer, got.ClientID, tc.issuer, tc.clientID)
			}
		})
	}
}
