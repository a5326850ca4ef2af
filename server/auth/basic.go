package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"log/slog"
	"runtime"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/softphone/softphone/server/auth/htpasswd"
)

// basicAuth checks user and password against the htpasswd file. A
// successful check is remembered for a while, keyed by a keyed hash of the
// credentials (never the password), so a busy agent's page does not cost a
// bcrypt check per request. The number of hash checks running at once is
// bounded by the number of CPUs, so a flood of guesses from many addresses
// queues up instead of starving the server.
type basicAuth struct {
	realm   string
	file    *htpasswd.File
	ttl     time.Duration
	key     []byte // HMAC key for cache keys, random per process
	cache   *lru.Cache[[sha256.Size]byte, cached]
	limiter *failureLimiter
	slots   chan struct{}
}

type cached struct {
	user    string
	table   *htpasswd.Table // the table that said yes; a changed file invalidates
	expires time.Time
}

func newBasicAuth(cfg BasicAuthConfig, logger *slog.Logger, prev *basicAuth) (*basicAuth, error) {
	f, err := htpasswd.Open(cfg.HtpasswdFile, logger)
	if err != nil {
		return nil, err
	}
	b := &basicAuth{
		realm: cfg.Realm,
		file:  f,
		ttl:   cfg.CacheTTL,
		slots: make(chan struct{}, runtime.GOMAXPROCS(0)),
	}
	if prev != nil && prev.cache != nil {
		// Keep the key (so remembered logins stay valid; each entry is
		// still tied to the table that accepted it) and the failure counts.
		b.key = prev.key
		b.cache = prev.cache
		b.cache.Resize(cfg.CacheSize)
		if prev.limiter.every == cfg.FailureInterval && prev.limiter.burst == cfg.FailureBurst {
			b.limiter = prev.limiter
		}
	}
	if b.key == nil {
		b.key = make([]byte, 32)
		rand.Read(b.key)
		b.cache, _ = lru.New[[sha256.Size]byte, cached](cfg.CacheSize)
	}
	if b.limiter == nil {
		b.limiter = newFailureLimiter(cfg.FailureInterval, cfg.FailureBurst)
	}
	return b, nil
}

func (b *basicAuth) cacheKey(user, password string) [sha256.Size]byte {
	m := hmac.New(sha256.New, b.key)
	m.Write([]byte(user))
	m.Write([]byte{0})
	m.Write([]byte(password))
	var k [sha256.Size]byte
	m.Sum(k[:0])
	return k
}

// check reports whether user and password are valid. It returns false
// without checking when ctx ends while waiting for a hashing slot.
func (b *basicAuth) check(ctx context.Context, user, password string, now time.Time) bool {
	table := b.file.Table()
	key := b.cacheKey(user, password)
	if c, ok := b.cache.Get(key); ok && c.table == table && now.Before(c.expires) && c.user == user {
		return true
	}
	select {
	case b.slots <- struct{}{}:
	case <-ctx.Done():
		return false
	}
	ok := table.Match(user, password)
	<-b.slots
	if ok {
		b.cache.Add(key, cached{user: user, table: table, expires: now.Add(b.ttl)})
	}
	return ok
}

func (b *basicAuth) close() error { return b.file.Close() }
