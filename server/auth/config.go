// Package auth is softphone's access gate: an IP allow-list, HTTP basic
// authentication from an Apache htpasswd file, JWT single sign-on and
// OpenID Connect sign-in, all configured under access: in softphone.yaml. The server applies
// Gate.Middleware to everything under basePath except /healthz.
package auth

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"time"
)

// Config is the access: section of softphone.yaml. The zero value lets
// every request in.
type Config struct {
	// AllowedIPs lists the client addresses let in, as CIDRs
	// ("10.0.0.0/8", "2001:db8::/32") or single addresses. Others get 403.
	// Default: empty, which allows every address.
	AllowedIPs []string `mapstructure:"allowedIPs"`
	// TrustedProxies lists the CIDRs of reverse proxies whose
	// X-Forwarded-For header is believed when finding the client address.
	// Default: empty, so X-Forwarded-For is ignored and the TCP peer is the client.
	TrustedProxies []string `mapstructure:"trustedProxies"`
	// BasicAuth is HTTP basic authentication from an htpasswd file.
	// Default: off (no htpasswdFile).
	BasicAuth BasicAuthConfig `mapstructure:"basicAuth"`
	// JWT is single sign-on with JSON Web Tokens. Default: off (no key source).
	// When both BasicAuth and JWT are on, either one lets a request in.
	JWT JWTConfig `mapstructure:"jwt"`
	// OIDC is OpenID Connect sign-in (authorization code with PKCE).
	// Default: off (no provider, issuer or clientId). Either a JWT or an
	// OIDC session lets a request in.
	OIDC OIDCConfig `mapstructure:"oidc"`
	// SessionKeyFile holds the keys that sign session cookies and seal
	// pending OIDC sign-ins: one key per line, each the base64 of at least
	// 32 random bytes (`openssl rand -base64 32`); blank lines and lines
	// starting with '#' are ignored. The first key signs, every key
	// verifies, so a key is rotated by putting a new one first and removing
	// the old one later. Instances that share the file accept each other's
	// sessions, and a restart signs nobody out. The file must be readable
	// by its owner only (mode 0600). It is read again on a config reload
	// and whenever it changes. Default: "" (a random key per process:
	// sessions end when it restarts).
	SessionKeyFile string `mapstructure:"sessionKeyFile"`

	// ClientProviders are the client config's sign-in providers, which
	// access.oidc.provider may name. Set by the caller from
	// advancedOptions.authProvidersConfig.providers, not by YAML.
	ClientProviders []ProviderRef `mapstructure:"-"`
	// PublicOrigins are the origins agents use (https://name[:port]), from
	// publicURL or the ACME domains; the OIDC redirect_uri is built on them
	// rather than on the Host header. Set by the caller, not by YAML.
	PublicOrigins []string `mapstructure:"-"`
}

// BasicAuthConfig is access.basicAuth.
type BasicAuthConfig struct {
	// Realm is shown by the browser's login prompt.
	// Default: "Restricted Content" (as in the manual's NGINX and Apache examples).
	Realm string `mapstructure:"realm"`
	// HtpasswdFile is an Apache htpasswd file (bcrypt, $apr1$, {SHA},
	// SHA-256/512-crypt; plaintext and DES lines are refused). It is
	// re-read when it changes. Default: "" (basic auth off).
	HtpasswdFile string `mapstructure:"htpasswdFile"`
	// CacheSize is how many successful logins are remembered, so that a
	// bcrypt hash is not checked on every request. Default: 1024.
	CacheSize int `mapstructure:"cacheSize"`
	// CacheTTL is how long a successful login is remembered. Default: 5m.
	CacheTTL time.Duration `mapstructure:"cacheTTL"`
	// FailureBurst is how many failed logins one user may make in a row
	// from one client address (an IPv6 /64) before that user gets 429 Too
	// Many Requests there; the address as a whole may make five times as
	// many. Default: 10.
	FailureBurst int `mapstructure:"failureBurst"`
	// FailureInterval is how often a rate-limited user at an address earns
	// one more try (the address as a whole five times as often).
	// Default: 6s (10 a minute).
	FailureInterval time.Duration `mapstructure:"failureInterval"`
}

// JWTConfig is access.jwt. The key source is hmacSecret, jwksURL, or, when
// both are empty and issuer is set, the issuer's OpenID discovery document.
type JWTConfig struct {
	// Issuer is the required "iss" claim; with no hmacSecret and no
	// jwksURL, Issuer + "/.well-known/openid-configuration" is read to find
	// the keys. Default: "" ("iss" not checked).
	Issuer string `mapstructure:"issuer"`
	// Audience: the "aud" claim must contain one of these.
	// Default: empty ("aud" not checked; a warning).
	Audience []string `mapstructure:"audience"`
	// JWKSURL is the issuer's JSON Web Key Set, for RS*, PS*, ES* and
	// EdDSA tokens. https only (http to a loopback host is allowed).
	// Default: "".
	JWKSURL string `mapstructure:"jwksURL"`
	// HMACSecret is the shared secret for HS256/384/512 tokens, at least
	// 32 bytes (48 for HS384, 64 for HS512). Prefer the environment variable
	// SOFTPHONE_ACCESS_JWT_HMACSECRET to writing it in the file. Default: "".
	HMACSecret string `mapstructure:"hmacSecret"`
	// HMACSecretFile is a file holding the shared secret instead (one line;
	// a trailing newline is ignored), such as a systemd credential or a
	// Kubernetes secret. It is read when the configuration is loaded or
	// reloaded. Not together with hmacSecret. Default: "".
	HMACSecretFile string `mapstructure:"hmacSecretFile"`
	// Algorithms lists the accepted "alg" values. "none" is never accepted;
	// HS* need hmacSecret; the others need jwksURL or issuer discovery.
	// Default: HS256 with hmacSecret; RS256, RS384, RS512, PS256, PS384,
	// PS512, ES256, ES384, ES512 and EdDSA with a key set; both when both.
	Algorithms []string `mapstructure:"algorithms"`
	// LoginURL is where a browser without a session is sent, with
	// ?return_to=<the path it asked for>. The identity provider signs the
	// user in and sends the browser to CallbackPath with ?jwt=<token>
	// (and return_to). Default: "" (browsers get 401 like other clients).
	LoginURL string `mapstructure:"loginURL"`
	// CallbackPath is where the identity provider sends the browser back,
	// relative to basePath. Default: "auth/callback".
	CallbackPath string `mapstructure:"callbackPath"`
	// CookieName is the session cookie set after a successful callback
	// (HttpOnly, Secure, SameSite=Lax, Path=basePath).
	// Default: "softphone_session".
	CookieName string `mapstructure:"cookieName"`
	// Leeway is the clock skew allowed when checking "exp", "nbf" and
	// "iat". Default: 60s. At most 5m.
	Leeway time.Duration `mapstructure:"leeway"`
	// RequiredClaims are checks on claims beyond the registered ones, e.g.
	// {claim: groups, contains: [webrtc-agents]}. All must pass.
	// Default: none.
	RequiredClaims []RequiredClaim `mapstructure:"requiredClaims"`
	// AllowedEmailDomains: when set, the "email" claim must be present and
	// its domain one of these (case-insensitive), and "email_verified", if
	// present, must be true. Default: empty (not checked).
	AllowedEmailDomains []string `mapstructure:"allowedEmailDomains"`
	// SessionTTL is how long the session cookie set by the callback lasts.
	// Default: 8h (a working shift).
	SessionTTL time.Duration `mapstructure:"sessionTTL"`
	// RefreshInterval is the maximum age of the cached key set; it is
	// re-fetched on first use after that. Default: 1h.
	RefreshInterval time.Duration `mapstructure:"refreshInterval"`
	// MinRefreshInterval: a token with an unknown "kid" re-fetches the key
	// set at most once per this interval. Default: 1m.
	MinRefreshInterval time.Duration `mapstructure:"minRefreshInterval"`
	// FetchTimeout bounds each fetch of the discovery document or key set.
	// Default: 5s.
	FetchTimeout time.Duration `mapstructure:"fetchTimeout"`
	// MaxTokenBytes: longer tokens are refused before they are parsed.
	// Default: 8192.
	MaxTokenBytes int `mapstructure:"maxTokenBytes"`
}

// RequiredClaim is one entry of access.jwt.requiredClaims. It is a list
// entry rather than a map key because claim names are case-sensitive and
// configuration map keys are not.
type RequiredClaim struct {
	// Claim is the claim name, exactly as in the token (case-sensitive),
	// e.g. "groups" or "https://example.com/roles". Required.
	Claim string `mapstructure:"claim"`
	// Contains: the claim, a string or a list of strings, must contain at
	// least one of these values. Default: empty, meaning the claim must
	// merely be present and not empty.
	Contains []string `mapstructure:"contains"`
}

// Defaults for Config; ApplyDefaults fills them in.
const (
	DefaultRealm              = "Restricted Content"
	DefaultCacheSize          = 1024
	DefaultCacheTTL           = 5 * time.Minute
	DefaultFailureBurst       = 10
	DefaultFailureInterval    = 6 * time.Second
	DefaultCallbackPath       = "auth/callback"
	DefaultCookieName         = "softphone_session"
	DefaultLeeway             = 60 * time.Second
	DefaultSessionTTL         = 8 * time.Hour
	DefaultRefreshInterval    = time.Hour
	DefaultMinRefreshInterval = time.Minute
	DefaultFetchTimeout       = 5 * time.Second
	DefaultMaxTokenBytes      = 8192
)

var (
	hmacAlgorithms       = []string{"HS256", "HS384", "HS512"}
	asymmetricAlgorithms = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)

// ApplyDefaults fills unset fields with their defaults. It does not
// validate; call Validate afterwards.
func (c *Config) ApplyDefaults() {
	b := &c.BasicAuth
	setDefault(&b.Realm, DefaultRealm)
	setDefault(&b.CacheSize, DefaultCacheSize)
	setDefault(&b.CacheTTL, DefaultCacheTTL)
	setDefault(&b.FailureBurst, DefaultFailureBurst)
	setDefault(&b.FailureInterval, DefaultFailureInterval)

	j := &c.JWT
	setDefault(&j.CallbackPath, DefaultCallbackPath)
	setDefault(&j.CookieName, DefaultCookieName)
	setDefault(&j.Leeway, DefaultLeeway)
	setDefault(&j.SessionTTL, DefaultSessionTTL)
	setDefault(&j.RefreshInterval, DefaultRefreshInterval)
	setDefault(&j.MinRefreshInterval, DefaultMinRefreshInterval)
	setDefault(&j.FetchTimeout, DefaultFetchTimeout)
	setDefault(&j.MaxTokenBytes, DefaultMaxTokenBytes)
	c.OIDC.applyDefaults()
	if len(j.Algorithms) == 0 {
		if j.hasSecret() {
			j.Algorithms = append(j.Algorithms, "HS256")
		}
		if j.usesKeySet() {
			j.Algorithms = append(j.Algorithms, asymmetricAlgorithms...)
		}
	}
}

func setDefault[T comparable](field *T, def T) {
	var zero T
	if *field == zero {
		*field = def
	}
}

// Enabled reports whether any gate is configured.
func (c Config) Enabled() bool {
	return len(c.AllowedIPs) > 0 || c.BasicAuth.Enabled() || c.JWT.Enabled() || c.OIDC.Enabled()
}

// Enabled reports whether basic authentication is configured.
func (b BasicAuthConfig) Enabled() bool { return b.HtpasswdFile != "" }

// Enabled reports whether JWT authentication is configured: it has a key
// source.
func (j JWTConfig) Enabled() bool { return j.hasSecret() || j.usesKeySet() }

// hasSecret reports whether a shared secret is configured, inline or in a file.
func (j JWTConfig) hasSecret() bool { return j.HMACSecret != "" || j.HMACSecretFile != "" }

// maxSecretFile bounds the size of hmacSecretFile.
const maxSecretFile = 4096

// secret returns the shared secret, reading hmacSecretFile if that is set.
func (j JWTConfig) secret() ([]byte, error) {
	if j.HMACSecretFile == "" {
		if j.HMACSecret == "" {
			return nil, nil
		}
		return []byte(j.HMACSecret), nil
	}
	return readSecretFile(j.HMACSecretFile)
}

// readSecretFile reads a one-line secret file such as a systemd credential
// or a Kubernetes secret; a trailing newline is dropped.
func readSecretFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxSecretFile {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, maxSecretFile)
	}
	return bytes.TrimRight(data, "\r\n"), nil
}

// usesKeySet reports whether keys come from a JWKS (given or discovered).
func (j JWTConfig) usesKeySet() bool {
	return j.JWKSURL != "" || (j.Issuer != "" && !j.hasSecret())
}
