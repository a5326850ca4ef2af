package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"log/slog"
	"net/netip"
	"runtime"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/softphone/softphone/server/auth/htpasswd"
)

// basicAuth checks user and password against the htpasswd file. A
// successful check is remembered for a while, keyed by a keyed hash of the
// credentials (never the password), so a busy agent's page does not cost a
// bcrypt check per request. Checks wait their turn in a bounded queue
// (hashQueue), shared by the configurations a reload replaces.
type basicAuth struct {
	realm   string
	file    *htpasswd.File
	ttl     time.Duration
	key     []byte // HMAC key for cache keys, random per process
	cache   *lru.Cache[[sha256.Size]byte, cached]
	limiter *failureLimiter
	queue   *hashQueue
	checks  *atomic.Int64 // hash checks done, for tests
}

// verdict is the outcome of a password check.
type verdict int

const (
	verified verdict = iota // the password is right
	wrong                   // the password is wrong, or the user unknown
	busy                    // too many checks waiting; not checked
	gone                    // the request ended while waiting; not checked
)

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
		realm:  cfg.Realm,
		file:   f,
		ttl:    cfg.CacheTTL,
		queue:  newHashQueue(runtime.GOMAXPROCS(0)),
		checks: new(atomic.Int64),
	}
	if prev != nil {
		b.queue, b.checks = prev.queue, prev.checks
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

// cachedLogin reports whether user and password were verified recently
// against the htpasswd file as it is now.
func (b *basicAuth) cachedLogin(user, password string, now time.Time) bool {
	c, ok := b.cache.Get(b.cacheKey(user, password))
	return ok && c.table == b.file.Table() && now.Before(c.expires) && c.user == user
}

// check verifies user and password with the htpasswd file, waiting for a
// hashing slot unless too many checks are waiting already.
func (b *basicAuth) check(ctx context.Context, client netip.Addr, user, password string, now time.Time) verdict {
	table := b.file.Table()
	key := clientKey(client)
	if !b.queue.admit(key) {
		return busy
	}
	defer b.queue.release(key)
	select {
	case b.queue.slots <- struct{}{}:
	case <-ctx.Done():
		return gone
	}
	b.checks.Add(1)
	ok := table.Match(user, password)
	<-b.queue.slots
	if !ok {
		return wrong
	}
	b.cache.Add(b.cacheKey(user, password), cached{user: user, table: table, expires: now.Add(b.ttl)})
	return verified
}

func (b *basicAuth) close() error { return b.file.Close() }
