package auth

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestApplyDefaults(t *testing.T) {
	var c Config
	c.JWT.HMACSecret = testSecret
	c.ApplyDefaults()
	checks := []struct {
		name      string
		got, want any
	}{
		{"realm", c.BasicAuth.Realm, "Restricted Content"},
		{"cacheSize", c.BasicAuth.CacheSize, 1024},
		{"cacheTTL", c.BasicAuth.CacheTTL, 5 * time.Minute},
		{"failureBurst", c.BasicAuth.FailureBurst, 10},
		{"failureInterval", c.BasicAuth.FailureInterval, 6 * time.Second},
		{"callbackPath", c.JWT.CallbackPath, "auth/callback"},
		{"cookieName", c.JWT.CookieName, "softphone_session"},
		{"leeway", c.JWT.Leeway, 60 * time.Second},
		{"sessionTTL", c.JWT.SessionTTL, 8 * time.Hour},
		{"maxTokenBytes", c.JWT.MaxTokenBytes, 8192},
		{"algorithms with a secret", strings.Join(c.JWT.Algorithms, ","), "HS256"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	var k Config
	k.JWT.JWKSURL = "https://idp.example.com/keys"
	k.ApplyDefaults()
	if got := strings.Join(k.JWT.Algorithms, ","); strings.Contains(got, "HS") || !strings.Contains(got, "RS256") || !strings.Contains(got, "ES256") {
		t.Errorf("algorithms with a key set = %s, want asymmetric ones only", got)
	}
}

func TestValidate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	os.WriteFile(good, []byte(hashLine(t, "a", "b")+"\n"), 0o600)
	plain := filepath.Join(dir, "plain")
	os.WriteFile(plain, []byte("a:b\nc:"+strings.Repeat("x", 13)+"\n"), 0o600)

	secretFile := filepath.Join(dir, "secret")
	os.WriteFile(secretFile, []byte(testSecret+"\n"), 0o600)
	shortFile := filepath.Join(dir, "short")
	os.WriteFile(shortFile, []byte("short\n"), 0o600)

	tests := []struct {
		name string
		cfg  Config
		want []string // every substring must appear; none = valid
	}{
		{"secret file", Config{JWT: JWTConfig{HMACSecretFile: secretFile}}, nil},
		{"short secret file", Config{JWT: JWTConfig{HMACSecretFile: shortFile}}, []string{"access.jwt.hmacSecretFile: must be at least 32 bytes", "got 5"}},
		{"missing secret file", Config{JWT: JWTConfig{HMACSecretFile: secretFile + ".missing"}}, []string{"access.jwt.hmacSecretFile: open"}},
		{"secret twice", Config{JWT: JWTConfig{HMACSecret: testSecret, HMACSecretFile: secretFile}}, []string{"access.jwt.hmacSecret and access.jwt.hmacSecretFile: set one, not both"}},
		{"empty", Config{}, nil},
		{"ip lists", Config{AllowedIPs: []string{"10.0.0.0/8", "192.0.2.1", "2001:db8::/32", "::1"}, TrustedProxies: []string{"10.1.2.3"}}, nil},
		{"bad ips", Config{AllowedIPs: []string{"10.0.0.0/8", "10.0.0.300", "fe80::1%eth0"}, TrustedProxies: []string{"proxy.local"}},
			[]string{`access.allowedIPs[1]: must be an IP address or CIDR`, `got "10.0.0.300"`, `access.allowedIPs[2]`, `access.trustedProxies[0]`}},
		{"good htpasswd", Config{BasicAuth: BasicAuthConfig{HtpasswdFile: good}}, nil},
		{"plaintext htpasswd", Config{BasicAuth: BasicAuthConfig{HtpasswdFile: plain}},
			[]string{"access.basicAuth.htpasswdFile: " + plain + ":1:", plain + ":2:", "DES"}},
		{"realm injection", Config{BasicAuth: BasicAuthConfig{HtpasswdFile: good, Realm: "a\", x=\"y"}}, []string{"access.basicAuth.realm"}},
		{"hmac ok", Config{JWT: JWTConfig{HMACSecret: testSecret}}, nil},
		{"short secret", Config{JWT: JWTConfig{HMACSecret: "short"}}, []string{"access.jwt.hmacSecret: must be at least 32 bytes", "got 5"}},
		{"HS512 needs 64", Config{JWT: JWTConfig{HMACSecret: testSecret, Algorithms: []string{"HS512"}}}, []string{"access.jwt.algorithms[0]: HS512 needs a secret of at least 64 bytes"}},
		{"alg none", Config{JWT: JWTConfig{HMACSecret: testSecret, Algorithms: []string{"HS256", "none"}}}, []string{`access.jwt.algorithms[1]: must be one of HS256`, `got "none"`}},
		{"HS without secret", Config{JWT: JWTConfig{JWKSURL: "https://idp.example.com/keys", Algorithms: []string{"RS256", "HS256"}}}, []string{"access.jwt.algorithms[1]: HS256 needs access.jwt.hmacSecret"}},
		{"RS without key set", Config{JWT: JWTConfig{HMACSecret: testSecret, Algorithms: []string{"RS256"}}}, []string{"access.jwt.algorithms[0]: RS256 needs access.jwt.jwksURL"}},
		{"http jwks", Config{JWT: JWTConfig{JWKSURL: "http://idp.example.com/keys"}}, []string{"access.jwt.jwksURL: must be an https URL"}},
		{"http issuer for discovery", Config{JWT: JWTConfig{Issuer: "http://idp.example.com"}}, []string{"access.jwt.issuer: used for OpenID discovery"}},
		{"jwt keys missing", Config{JWT: JWTConfig{LoginURL: "https://idp.example.com/login", Audience: []string{"x"}}},
			[]string{"access.jwt.audience: is set, but access.jwt has no key source", "access.jwt.loginURL: is set, but"}},
		{"bad login url", Config{JWT: JWTConfig{HMACSecret: testSecret, LoginURL: "/login"}}, []string{"access.jwt.loginURL: must be an absolute https URL"}},
		{"bad callback", Config{JWT: JWTConfig{HMACSecret: testSecret, CallbackPath: "/auth/../x"}}, []string{"access.jwt.callbackPath: must be a path relative to basePath"}},
		{"bad cookie", Config{JWT: JWTConfig{HMACSecret: testSecret, CookieName: "a b"}}, []string{"access.jwt.cookieName"}},
		{"leeway too large", Config{JWT: JWTConfig{HMACSecret: testSecret, Leeway: time.Hour}}, []string{"access.jwt.leeway: must be between 0s and 5m0s, got 1h0m0s"}},
		{"token size", Config{JWT: JWTConfig{HMACSecret: testSecret, MaxTokenBytes: 1 << 20}}, []string{"access.jwt.maxTokenBytes"}},
		{"claims", Config{JWT: JWTConfig{HMACSecret: testSecret, RequiredClaims: []RequiredClaim{{Claim: ""}, {Claim: "groups", Contains: []string{""}}}}},
			[]string{"access.jwt.requiredClaims[0].claim: must be set", "access.jwt.requiredClaims[1].contains[0]"}},
		{"email domains", Config{JWT: JWTConfig{HMACSecret: testSecret, AllowedEmailDomains: []string{"example.com", "@evil.example"}}}, []string{"access.jwt.allowedEmailDomains[1]"}},
		{"everything at once", Config{AllowedIPs: []string{"x"}, JWT: JWTConfig{HMACSecret: "short", Algorithms: []string{"none"}}},
			[]string{"access.allowedIPs[0]", "access.jwt.hmacSecret", "access.jwt.algorithms[0]"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.ApplyDefaults()
			err := tc.cfg.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate = nil, want errors %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate error %q does not contain %q", err, w)
				}
			}
			if strings.Contains(err.Error(), testSecret) {
				t.Errorf("Validate error leaks the secret")
			}
		})
	}
}

func TestWarnings(t *testing.T) {
	c := Config{JWT: JWTConfig{HMACSecret: testSecret, LoginURL: "http://idp.example.com/login"}}
	c.ApplyDefaults()
	w := strings.Join(c.Warnings(), "\n")
	for _, want := range []string{"access.jwt.loginURL", "not https", "access.jwt.audience", "access.jwt.issuer"} {
		if !strings.Contains(w, want) {
			t.Errorf("Warnings() = %q, want one containing %q", w, want)
		}
	}
	quiet := Config{JWT: JWTConfig{HMACSecret: testSecret, LoginURL: "https://idp.example.com/login", Issuer: "https://idp.example.com", Audience: []string{"softphone"}}}
	quiet.ApplyDefaults()
	if w := quiet.Warnings(); len(w) != 0 {
		t.Errorf("Warnings() = %q for a careful config, want none", w)
	}
}
