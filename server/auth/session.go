package auth

import (
	"errors"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// sessionIssuer marks session tokens, so that an identity provider's token
// can never pass as a session and the other way round.
const sessionIssuer = "softphone-session"

// sessions mints and checks the session cookie's value: a short JWT holding
// the subject and an expiry, signed (HS256) with the ring's first key and
// accepted under any of its keys (see keyRing).
type sessions struct {
	ring *keyRing
	ttl  time.Duration
	now  func() time.Time
}

type sessionClaims struct {
	jwt.Claims
	Email string `json:"email,omitempty"`
}

func newSessions(ttl time.Duration, ring *keyRing) *sessions {
	return &sessions{ring: ring, ttl: ttl, now: time.Now}
}

func (s *sessions) issue(id identity) (string, time.Time, error) {
	// A signer per session: sessions are minted at sign-in only, and the
	// signing key may have been rotated since the last one.
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: s.ring.keys()[0]}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", time.Time{}, err
	}
	now := s.now()
	exp := now.Add(s.ttl)
	c := sessionClaims{
		Claims: jwt.Claims{
			Issuer: sessionIssuer, Subject: id.Subject,
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(exp),
		},
		Email: id.Email,
	}
	tok, err := jwt.Signed(signer).Claims(c).Serialize()
	return tok, exp, err
}

func (s *sessions) verify(raw string, maxBytes int) (identity, error) {
	if len(raw) > maxBytes {
		return identity{}, errors.New("session cookie too large")
	}
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.HS256})
	if err != nil {
		return identity{}, err
	}
	var c sessionClaims
	for _, key := range s.ring.keys() {
		if err = tok.Claims(key, &c); err == nil {
			break
		}
	}
	if err != nil {
		return identity{}, err
	}
	if c.Expiry == nil {
		return identity{}, errors.New("session without expiry")
	}
	if err := c.ValidateWithLeeway(jwt.Expected{Issuer: sessionIssuer, Time: s.now()}, 0); err != nil {
		return identity{}, err
	}
	return identity{Subject: c.Subject, Email: c.Email, Expiry: c.Expiry.Time()}, nil
}
