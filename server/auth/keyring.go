package auth

import (
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"sync/atomic"

	"github.com/softphone/softphone/server/auth/sessionkey"
)

// Purposes of the keys derived from access.sessionKeyFile: one file key
// never signs sessions and seals sign-in state alike.
const (
	purposeSession = "softphone session v1"
	purposeState   = "softphone oidc sign-in state v1"
)

// keyRing gives the keys that session cookies and pending OIDC sign-ins use:
// the first signs or seals, every key verifies or opens. Without
// access.sessionKeyFile it holds one random key that never leaves the
// process; with it, the file's keys, each turned by HKDF (RFC 5869) into a
// key for one purpose.
type keyRing struct {
	fixed   [][]byte         // the per-process key; nil with a file
	file    *sessionkey.File // nil without a file
	info    string           // HKDF info: purpose and, for sessions, the access policy
	derived atomic.Pointer[derivedKeys]
}

type derivedKeys struct {
	from *sessionkey.Set
	keys [][]byte
}

// processRing is a keyRing with one random key.
func processRing() *keyRing {
	key := make([]byte, 32)
	rand.Read(key)
	return &keyRing{fixed: [][]byte{key}}
}

// fileRing derives its keys from f's current keys for info.
func fileRing(f *sessionkey.File, info string) *keyRing {
	return &keyRing{file: f, info: info}
}

// keys returns the keys in force, the signing one first. A rotated file
// is derived again once.
func (r *keyRing) keys() [][]byte {
	if r.file == nil {
		return r.fixed
	}
	set := r.file.Keys()
	if d := r.derived.Load(); d != nil && d.from == set {
		return d.keys
	}
	keys := make([][]byte, len(set.Keys))
	for i, k := range set.Keys {
		var err error
		if keys[i], err = hkdf.Key(sha256.New, k, nil, r.info, 32); err != nil {
			panic("hkdf: " + err.Error()) // only for lengths beyond 255*32 bytes
		}
	}
	r.derived.Store(&derivedKeys{from: set, keys: keys})
	return keys
}

// sessionPolicy names every setting that decides who gets in, so that the
// session keys derived from the file change with it: a tightened policy
// (another issuer, a required claim, a shorter session) ends the sessions
// made under the old one, as a reload without a key file does, while
// instances with the same config and file accept each other's sessions.
func sessionPolicy(cfg Config, basePath string, jwtSecret []byte) string {
	type jwtPart struct {
		Issuer, JWKSURL, CookieName, SessionTTL string
		Audience, Algorithms, EmailDomains      []string
		Claims                                  []RequiredClaim
		Secret                                  [sha256.Size]byte
	}
	var p struct {
		BasePath string
		JWT      *jwtPart
		OIDC     *jwtPart
	}
	p.BasePath = basePath
	if j := cfg.JWT; j.Enabled() {
		p.JWT = &jwtPart{Issuer: j.Issuer, JWKSURL: j.JWKSURL, CookieName: j.CookieName, SessionTTL: j.SessionTTL.String(),
			Audience: j.Audience, Algorithms: j.Algorithms, EmailDomains: j.AllowedEmailDomains, Claims: j.RequiredClaims,
			Secret: sha256.Sum256(jwtSecret)}
	}
	if o := cfg.OIDC; o.Enabled() {
		c, _ := o.resolve(cfg.ClientProviders) // resolved without error before a Gate is built
		p.OIDC = &jwtPart{Issuer: c.Issuer, Audience: []string{c.ClientID}, CookieName: o.CookieName, SessionTTL: o.SessionTTL.String(),
			EmailDomains: o.AllowedEmailDomains, Claims: o.RequiredClaims}
	}
	b, _ := json.Marshal(p)
	sum := sha256.Sum256(b)
	return purposeSession + " " + string(sum[:])
}
