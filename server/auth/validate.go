package auth

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/softphone/softphone/server/auth/htpasswd"
	"github.com/softphone/softphone/server/auth/jwks"
	"github.com/softphone/softphone/server/auth/sessionkey"
)

// minSecret is the shortest HMAC secret accepted for each algorithm: the
// hash's output size, as RFC 7518 section 3.2 requires.
var minSecret = map[string]int{"HS256": 32, "HS384": 48, "HS512": 64}

// Validate checks a Config after ApplyDefaults and reports every problem
// at once, each naming its key path under access. It reads the htpasswd
// file, so that file:line errors show up in `softphone check` too.
func (c *Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	for i, s := range c.AllowedIPs {
		if _, err := parsePrefix(s); err != nil {
			add("access.allowedIPs[%d]: %w", i, err)
		}
	}
	for i, s := range c.TrustedProxies {
		if _, err := parsePrefix(s); err != nil {
			add("access.trustedProxies[%d]: %w", i, err)
		}
	}

	b := c.BasicAuth
	if b.Enabled() {
		if _, err := htpasswd.Load(b.HtpasswdFile); err != nil {
			add("access.basicAuth.htpasswdFile: %w", err)
		}
	}
	if strings.ContainsAny(b.Realm, "\"\\") || hasControl(b.Realm) {
		add("access.basicAuth.realm: must not contain quotes, backslashes or control characters, got %q", b.Realm)
	}
	if b.CacheSize < 1 {
		add("access.basicAuth.cacheSize: must be at least 1, got %d", b.CacheSize)
	}
	checkRange(&errs, "access.basicAuth.cacheTTL", b.CacheTTL, time.Second, 24*time.Hour)
	if b.FailureBurst < 1 {
		add("access.basicAuth.failureBurst: must be at least 1, got %d", b.FailureBurst)
	}
	checkRange(&errs, "access.basicAuth.failureInterval", b.FailureInterval, 10*time.Millisecond, time.Hour)

	errs = append(errs, c.JWT.validate()...)
	errs = append(errs, c.validateOIDC()...)
	if c.SessionKeyFile != "" {
		if _, err := sessionkey.Load(c.SessionKeyFile); err != nil {
			add("access.sessionKeyFile: %w", err)
		}
	}
	return errors.Join(errs...)
}

func (j *JWTConfig) validate() []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if !j.Enabled() {
		for key, set := range map[string]bool{
			"loginURL": j.LoginURL != "", "audience": len(j.Audience) > 0,
			"requiredClaims": len(j.RequiredClaims) > 0, "allowedEmailDomains": len(j.AllowedEmailDomains) > 0,
		} {
			if set {
				add("access.jwt.%s: is set, but access.jwt has no key source: set hmacSecret, hmacSecretFile, jwksURL or issuer", key)
			}
		}
		slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
		return errs
	}

	secretKey := "access.jwt.hmacSecret"
	if j.HMACSecretFile != "" {
		secretKey = "access.jwt.hmacSecretFile"
	}
	secret, err := j.secret()
	switch {
	case j.HMACSecret != "" && j.HMACSecretFile != "":
		add("access.jwt.hmacSecret and access.jwt.hmacSecretFile: set one, not both")
	case err != nil:
		add("access.jwt.hmacSecretFile: %w", err)
	case j.hasSecret() && len(secret) < minSecret["HS256"]:
		add("%s: must be at least 32 bytes (e.g. `openssl rand -base64 48`), got %d", secretKey, len(secret))
	}
	if j.JWKSURL != "" {
		if err := jwks.CheckURL(j.JWKSURL); err != nil {
			add("access.jwt.jwksURL: %w", err)
		}
	} else if j.usesKeySet() {
		if err := jwks.CheckURL(j.Issuer); err != nil {
			add("access.jwt.issuer: used for OpenID discovery (no jwksURL, no hmacSecret): %w", err)
		}
	}
	allowed := append(append([]string{}, hmacAlgorithms...), asymmetricAlgorithms...)
	for i, alg := range j.Algorithms {
		switch {
		case !slices.Contains(allowed, alg):
			add("access.jwt.algorithms[%d]: must be one of %s, got %q", i, strings.Join(allowed, ", "), alg)
		case slices.Contains(hmacAlgorithms, alg) && !j.hasSecret():
			add("access.jwt.algorithms[%d]: %s needs access.jwt.hmacSecret", i, alg)
		case slices.Contains(hmacAlgorithms, alg) && len(secret) >= minSecret["HS256"] && len(secret) < minSecret[alg]:
			add("access.jwt.algorithms[%d]: %s needs a secret of at least %d bytes, got %d", i, alg, minSecret[alg], len(secret))
		case slices.Contains(asymmetricAlgorithms, alg) && !j.usesKeySet():
			add("access.jwt.algorithms[%d]: %s needs access.jwt.jwksURL or access.jwt.issuer (keys from a JWKS)", i, alg)
		}
	}
	for i, a := range j.Audience {
		if a == "" {
			add("access.jwt.audience[%d]: must not be empty", i)
		}
	}
	if j.LoginURL != "" {
		if u, err := url.Parse(j.LoginURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			add("access.jwt.loginURL: must be an absolute https URL, got %q", j.LoginURL)
		}
	}
	if err := checkCallbackPath(j.CallbackPath); err != nil {
		add("access.jwt.callbackPath: %w", err)
	}
	if (&http.Cookie{Name: j.CookieName, Value: "x"}).Valid() != nil {
		add("access.jwt.cookieName: must be a cookie name (letters, digits, !#$%%&'*+-.^_`|~), got %q", j.CookieName)
	}
	checkRange(&errs, "access.jwt.leeway", j.Leeway, 0, 5*time.Minute)
	checkRange(&errs, "access.jwt.sessionTTL", j.SessionTTL, time.Minute, 7*24*time.Hour)
	checkRange(&errs, "access.jwt.refreshInterval", j.RefreshInterval, time.Minute, 7*24*time.Hour)
	checkRange(&errs, "access.jwt.minRefreshInterval", j.MinRefreshInterval, time.Second, j.RefreshInterval)
	checkRange(&errs, "access.jwt.fetchTimeout", j.FetchTimeout, 100*time.Millisecond, time.Minute)
	if j.MaxTokenBytes < 1024 || j.MaxTokenBytes > 65536 {
		add("access.jwt.maxTokenBytes: must be between 1024 and 65536, got %d", j.MaxTokenBytes)
	}
	errs = append(errs, checkClaimRules("access.jwt", j.RequiredClaims, j.AllowedEmailDomains)...)
	return errs
}

// checkClaimRules checks requiredClaims and allowedEmailDomains under key.
func checkClaimRules(key string, rcs []RequiredClaim, domains []string) []error {
	var errs []error
	for i, rc := range rcs {
		if rc.Claim == "" {
			errs = append(errs, fmt.Errorf("%s.requiredClaims[%d].claim: must be set", key, i))
		}
		for k, v := range rc.Contains {
			if v == "" {
				errs = append(errs, fmt.Errorf("%s.requiredClaims[%d].contains[%d]: must not be empty", key, i, k))
			}
		}
	}
	for i, d := range domains {
		if d == "" || strings.ContainsAny(d, "@/ ") || strings.HasPrefix(d, ".") {
			errs = append(errs, fmt.Errorf("%s.allowedEmailDomains[%d]: must be a domain such as example.com, got %q", key, i, d))
		}
	}
	return errs
}

// Warnings lists settings that are allowed but risky, each with its key
// path, for `softphone check` and the server log.
func (c *Config) Warnings() []string {
	w := append(c.BasicAuth.hashWarnings(), c.oidcWarnings()...)
	j := c.JWT
	if !j.Enabled() {
		return w
	}
	if u, err := url.Parse(j.LoginURL); err == nil && j.LoginURL != "" && u.Scheme != "https" {
		w = append(w, fmt.Sprintf("access.jwt.loginURL: %q is not https: sign-in can be intercepted", j.LoginURL))
	}
	if len(j.Audience) == 0 {
		w = append(w, "access.jwt.audience: empty, so a token the issuer made for any other application is accepted too")
	}
	if j.Issuer == "" {
		w = append(w, "access.jwt.issuer: empty, so the \"iss\" claim is not checked")
	}
	if j.hasSecret() && j.usesKeySet() {
		w = append(w, "access.jwt: both hmacSecret and a key set are configured; anyone holding the secret can mint tokens")
	}
	return w
}

func checkRange(errs *[]error, key string, d, lo, hi time.Duration) {
	if d < lo || d > hi {
		*errs = append(*errs, fmt.Errorf("%s: must be between %s and %s, got %s", key, lo, hi, d))
	}
}

// checkCallbackPath accepts a relative path of plain segments.
func checkCallbackPath(p string) error {
	if p == "" || strings.HasPrefix(p, "/") || strings.ContainsAny(p, "?#\\%") || hasControl(p) || strings.Contains(p, " ") {
		return fmt.Errorf("must be a path relative to basePath such as %q, got %q", DefaultCallbackPath, p)
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Errorf("must be a path relative to basePath such as %q, got %q", DefaultCallbackPath, p)
		}
	}
	return nil
}

func hasControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0
}
