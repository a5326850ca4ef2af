package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/softphone/softphone/server/auth/jwks"
)

// identity is what a verified token says about its holder.
type identity struct {
	Subject string
	Email   string
	ID      string // jti
	Expiry  time.Time
}

// name is what the access log shows: the subject, else the e-mail address.
func (id identity) name() string {
	n := id.Subject
	if n == "" {
		n = id.Email
	}
	return logSafe(n)
}

// logSafe trims a token-supplied name to something a log line can carry.
func logSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return '?'
		}
		return r
	}, s)
	if len(s) > 128 {
		s = s[:128]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// tokenError is a refused token; reason is short and fit for the access
// log ("expired", "signature"...), never containing the token.
type tokenError struct {
	reason string
	err    error
}

func (e *tokenError) Error() string { return e.reason + ": " + e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

func refuse(reason string, err error) error { return &tokenError{reason, err} }

func refusal(err error) string {
	var te *tokenError
	if errors.As(err, &te) {
		return te.reason
	}
	return "invalid"
}

// verifier checks identity-provider tokens.
type verifier struct {
	cfg       JWTConfig
	algs      []jose.SignatureAlgorithm
	secret    []byte
	keys      *jwks.Cache // nil without a key set
	checkAlgs map[jose.SignatureAlgorithm]bool
	now       func() time.Time
}

func newVerifier(cfg JWTConfig, secret []byte, logger *slog.Logger, prevKeys *jwks.Cache) *verifier {
	v := &verifier{cfg: cfg, now: time.Now, checkAlgs: map[jose.SignatureAlgorithm]bool{}}
	for _, a := range cfg.Algorithms {
		v.algs = append(v.algs, jose.SignatureAlgorithm(a))
		v.checkAlgs[jose.SignatureAlgorithm(a)] = true
	}
	if len(secret) > 0 {
		v.secret = secret
	}
	if cfg.usesKeySet() {
		v.keys = prevKeys
		if v.keys == nil {
			v.keys = jwks.New(jwks.Options{
				URL:         cfg.JWKSURL,
				Issuer:      cfg.Issuer,
				MaxAge:      cfg.RefreshInterval,
				MinInterval: cfg.MinRefreshInterval,
				Timeout:     cfg.FetchTimeout,
				Logger:      logger,
			})
		}
	}
	return v
}

// keySetOptions says whether two configs may share a key cache.
func sameKeySource(a, b JWTConfig) bool {
	return a.JWKSURL == b.JWKSURL && a.Issuer == b.Issuer && a.RefreshInterval == b.RefreshInterval &&
		a.MinRefreshInterval == b.MinRefreshInterval && a.FetchTimeout == b.FetchTimeout
}

// validKID accepts key IDs made of URL-safe characters, as issuers use.
// Anything else (path separators, dots-only, quotes) is refused before a
// lookup or a key-set refresh.
func validKID(kid string) bool {
	if len(kid) > 256 || strings.Trim(kid, ".") == "" {
		return false
	}
	for _, c := range []byte(kid) {
		if !(('0' <= c && c <= '9') || ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || c == '-' || c == '_' || c == '.' || c == '=' || c == '+') {
			return false
		}
	}
	return !strings.Contains(kid, "..")
}

func isHMAC(a jose.SignatureAlgorithm) bool {
	return a == jose.HS256 || a == jose.HS384 || a == jose.HS512
}

// verify checks a token from the identity provider: size, algorithm,
// signature, registered claims and the configured claim checks.
func (v *verifier) verify(ctx context.Context, raw string) (identity, error) {
	if len(raw) > v.cfg.MaxTokenBytes {
		return identity{}, refuse("too-large", fmt.Errorf("token is %d bytes, more than %d", len(raw), v.cfg.MaxTokenBytes))
	}
	tok, err := jwt.ParseSigned(raw, v.algs)
	if err != nil {
		return identity{}, refuse("malformed", err)
	}
	if len(tok.Headers) != 1 {
		return identity{}, refuse("malformed", errors.New("want exactly one signature"))
	}
	h := tok.Headers[0]
	alg := jose.SignatureAlgorithm(h.Algorithm)
	if !v.checkAlgs[alg] {
		return identity{}, refuse("algorithm", fmt.Errorf("algorithm %q not allowed", h.Algorithm))
	}
	var candidates []any
	if isHMAC(alg) {
		if v.secret == nil {
			return identity{}, refuse("algorithm", fmt.Errorf("%s without a shared secret", alg))
		}
		candidates = []any{v.secret}
	} else {
		if v.keys == nil {
			return identity{}, refuse("algorithm", fmt.Errorf("%s without a key set", alg))
		}
		if h.KeyID != "" && !validKID(h.KeyID) {
			return identity{}, refuse("kid", errors.New("malformed key id"))
		}
		keys, err := v.keys.Keys(ctx, h.KeyID)
		if err != nil {
			return identity{}, refuse("keys-unavailable", err)
		}
		for _, k := range keys {
			if k.Algorithm != "" && k.Algorithm != string(alg) {
				continue
			}
			candidates = append(candidates, k.Key)
		}
		if len(candidates) == 0 {
			return identity{}, refuse("unknown-key", errors.New("no key for this key id and algorithm"))
		}
	}

	var std jwt.Claims
	var extra map[string]any
	err = errors.New("no key")
	for _, k := range candidates {
		if err = tok.Claims(k, &std, &extra); err == nil {
			break
		}
	}
	if err != nil {
		return identity{}, refuse("signature", err)
	}
	now := v.now()
	if std.Expiry == nil {
		return identity{}, refuse("no-exp", errors.New("token has no exp claim"))
	}
	err = std.ValidateWithLeeway(jwt.Expected{Issuer: v.cfg.Issuer, AnyAudience: v.cfg.Audience, Time: now}, v.cfg.Leeway)
	switch {
	case errors.Is(err, jwt.ErrExpired):
		return identity{}, refuse("expired", err)
	case errors.Is(err, jwt.ErrNotValidYet), errors.Is(err, jwt.ErrIssuedInTheFuture):
		return identity{}, refuse("not-yet-valid", err)
	case errors.Is(err, jwt.ErrInvalidIssuer):
		return identity{}, refuse("issuer", err)
	case errors.Is(err, jwt.ErrInvalidAudience):
		return identity{}, refuse("audience", err)
	case err != nil:
		return identity{}, refuse("claims", err)
	}
	id := identity{Subject: std.Subject, ID: std.ID, Expiry: std.Expiry.Time()}
	id.Email, _ = extra["email"].(string)
	if err := v.checkClaims(extra, id.Email); err != nil {
		return identity{}, refuse("claims", err)
	}
	if id.Subject == "" && id.Email == "" {
		return identity{}, refuse("claims", errors.New("token has neither sub nor email"))
	}
	return id, nil
}

func (v *verifier) checkClaims(claims map[string]any, email string) error {
	for _, rc := range v.cfg.RequiredClaims {
		val, ok := claims[rc.Claim]
		if !ok {
			return fmt.Errorf("claim %q missing", rc.Claim)
		}
		var have []string
		switch x := val.(type) {
		case string:
			have = []string{x}
		case []any:
			for _, e := range x {
				if s, ok := e.(string); ok {
					have = append(have, s)
				}
			}
		case bool:
			if x {
				have = []string{"true"}
			}
		}
		if len(have) == 0 || (have[0] == "" && len(have) == 1) {
			return fmt.Errorf("claim %q is empty or not a string or list of strings", rc.Claim)
		}
		if len(rc.Contains) > 0 && !slices.ContainsFunc(rc.Contains, func(want string) bool { return slices.Contains(have, want) }) {
			return fmt.Errorf("claim %q has none of the required values", rc.Claim)
		}
	}
	if len(v.cfg.AllowedEmailDomains) > 0 {
		// Some providers send email_verified as a string.
		if v, ok := claims["email_verified"]; ok && v != true && v != "true" {
			return errors.New("email_verified is not true")
		}
		at := strings.LastIndexByte(email, '@')
		if at < 1 {
			return errors.New("no usable email claim")
		}
		domain := strings.ToLower(email[at+1:])
		if !slices.ContainsFunc(v.cfg.AllowedEmailDomains, func(d string) bool { return strings.ToLower(d) == domain }) {
			return fmt.Errorf("email domain %q not allowed", logSafe(domain))
		}
	}
	return nil
}
