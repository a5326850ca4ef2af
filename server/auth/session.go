package auth

import (
	"crypto/rand"
	"errors"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// sessionIssuer marks session tokens, so that an identity provider's token
// can never pass as a session and the other way round.
const sessionIssuer = "softphone-session"

// sessions mints and checks the session cookie's value: a short JWT signed
// with a random key that never leaves the process, holding the subject and
// an expiry.
type sessions struct {
	key    []byte
	ttl    time.Duration
	signer jose.Signer
	now    func() time.Time
}

type sessionClaims struct {
	jwt.Claims
	Email string `json:"email,omitempty"`
}

func newSessions(ttl time.Duration, key []byte) (*sessions, error) {
	if key == nil {
		key = make([]byte, 32)
		rand.Read(key)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return nil, err
	}
	return &sessions{key: key, ttl: ttl, signer: signer, now: time.Now}, nil
}

func (s *sessions) issue(id identity) (string, time.Time, error) {
	now := s.now()
	exp := now.Add(s.ttl)
	c := sessionClaims{
		Claims: jwt.Claims{
			Issuer: sessionIssuer, Subject: id.Subject,
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(exp),
		},
		Email: id.Email,
	}
	tok, err := jwt.Signed(s.signer).Claims(c).Serialize()
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
	if err := tok.Claims(s.key, &c); err != nil {
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
