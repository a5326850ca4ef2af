package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// pendingTTL is how long a browser may take to sign in at the identity
// provider and come back.
const pendingTTL = 10 * time.Minute

// stateBytes is the entropy of state and nonce values (OpenID Connect
// Core section 15.5.2 asks for values an attacker cannot guess).
const stateBytes = 24

// pendingSignIn is what a browser carries between leaving for the identity
// provider and coming back to the callback: a cookie named after the state
// (so sign-ins in several tabs do not clash), restricted to the callback
// path, sealed with AES-256-GCM under the first key of a keyRing (opened
// under any of them, so the callback may land on another instance).
// The state binds the callback to this browser (RFC 6749 section 10.12),
// the nonce binds the id token to this sign-in (OpenID Connect Core section
// 3.1.2.1), and the verifier proves to the token endpoint that the code is
// redeemed by whoever asked for it (PKCE, RFC 7636).
type pendingSignIn struct {
	State       string `json:"state"`
	Nonce       string `json:"nonce"`
	Verifier    string `json:"verifier"`
	ReturnTo    string `json:"return_to"`
	RedirectURI string `json:"redirect_uri"`
	Expiry      int64  `json:"exp"`
}

// stateSealer seals and opens pendingSignIn values (JWE, direct key
// agreement, A256GCM), so a browser can neither read the nonce and verifier
// nor forge a pending sign-in.
type stateSealer struct {
	ring *keyRing
}

func (s *stateSealer) seal(p pendingSignIn) (string, error) {
	data, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	enc, err := jose.NewEncrypter(jose.A256GCM, jose.Recipient{Algorithm: jose.DIRECT, Key: s.ring.keys()[0]}, nil)
	if err != nil {
		return "", err
	}
	obj, err := enc.Encrypt(data)
	if err != nil {
		return "", err
	}
	return obj.CompactSerialize()
}

func (s *stateSealer) open(raw string) (pendingSignIn, error) {
	var p pendingSignIn
	if len(raw) > 4096 {
		return p, errors.New("sealed state too large")
	}
	obj, err := jose.ParseEncryptedCompact(raw, []jose.KeyAlgorithm{jose.DIRECT}, []jose.ContentEncryption{jose.A256GCM})
	if err != nil {
		return p, err
	}
	var data []byte
	for _, key := range s.ring.keys() {
		if data, err = obj.Decrypt(key); err == nil {
			break
		}
	}
	if err != nil {
		return p, err
	}
	err = json.Unmarshal(data, &p)
	return p, err
}

// randomToken returns n random bytes, base64url-encoded without padding.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// validState accepts what randomToken(stateBytes) makes, so that a state
// from the query can become part of a cookie name.
func validState(s string) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(stateBytes) {
		return false
	}
	for _, c := range []byte(s) {
		if !(('0' <= c && c <= '9') || ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// takePending finds, opens and uses up the pending sign-in that the
// callback's state names. Its cookie is cleared whatever the outcome, and a
// state is accepted once only, even if the cookie is replayed.
func (o *oidcGate) takePending(w http.ResponseWriter, r *http.Request, state string, now time.Time) (pendingSignIn, error) {
	if state == "" {
		return pendingSignIn{}, refuse("state-missing", errors.New("the callback has no state parameter"))
	}
	if !validState(state) {
		return pendingSignIn{}, refuse("state-malformed", errors.New("the state parameter is not one this server makes"))
	}
	name := o.cookiePrefix + state
	c, err := r.Cookie(name)
	if err != nil {
		return pendingSignIn{}, refuse("state-unknown", errors.New("no sign-in with this state was started in this browser, or its cookie expired"))
	}
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: o.callbackPath, MaxAge: -1, HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
	p, err := o.sealer.open(c.Value)
	if err != nil {
		return pendingSignIn{}, refuse("state-invalid", err)
	}
	if subtle.ConstantTimeCompare([]byte(p.State), []byte(state)) != 1 {
		return pendingSignIn{}, refuse("state-mismatch", errors.New("the state cookie belongs to another sign-in"))
	}
	if !now.Before(time.Unix(p.Expiry, 0)) {
		return pendingSignIn{}, refuse("state-expired", errors.New("the sign-in took longer than "+pendingTTL.String()))
	}
	// ContainsOrAdd is atomic: of two racing uses of one state, one fails.
	if seen, _ := o.used.ContainsOrAdd(state, time.Unix(p.Expiry, 0)); seen {
		return pendingSignIn{}, refuse("state-replayed", errors.New("this sign-in was already completed"))
	}
	return p, nil
}
