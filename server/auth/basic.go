package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"log/slog"
	"net/netip"
	"runtime"
	"sync"
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
	joined  atomic.Int64  // requests that waited for another's check, for tests

	mu       sync.Mutex // guards inflight
	inflight map[[sha256.Size]byte]*pendingCheck
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
		realm:    cfg.Realm,
		file:     f,
		ttl:      cfg.CacheTTL,
		queue:    newHashQueue(runtime.GOMAXPROCS(0)),
		checks:   new(atomic.Int64),
		inflight: map[[sha256.Size]byte]*pendingCheck{},
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
// hashing slot unless too many checks are waiting already. Requests with
// the same credentials at the same time (a page's assets, when the
// remembered login has just expired) share one check: the first does it,
// the others wait for its verdict without taking a place in the queue.
func (b *basicAuth) check(ctx context.Context, client netip.Addr, user, password string, now time.Time) verdict {
	ck := b.cacheKey(user, password)
	for {
		b.mu.Lock()
		p, shared := b.inflight[ck]
		if !shared {
			p = &pendingCheck{done: make(chan struct{})}
			b.inflight[ck] = p
		}
		b.mu.Unlock()
		if !shared {
			p.v = b.checkOnce(ctx, client, ck, user, password, now)
			b.mu.Lock()
			delete(b.inflight, ck)
			b.mu.Unlock()
			close(p.done)
			return p.v
		}
		// Another request with these credentials got here first,
		// between this one's join and check.
		b.joined.Add(1)
		select {
		case <-p.done:
		case <-ctx.Done():
			return gone
		}
		if p.v != gone { // the first request went away before its turn: try anew
			return p.v
		}
	}
}

// join waits for a check of the same credentials already in progress and
// reports its verdict, or false when there is none (or it ended unchecked).
// Such a request is the same guess again, so it is not counted again.
func (b *basicAuth) join(ctx context.Context, user, password string) (verdict, bool) {
	b.mu.Lock()
	p, ok := b.inflight[b.cacheKey(user, password)]
	b.mu.Unlock()
	if !ok {
		return 0, false
	}
	b.joined.Add(1)
	select {
	case <-p.done:
	case <-ctx.Done():
		return gone, true
	}
	return p.v, p.v != gone
}

// pendingCheck is a check in progress that others with the same
// credentials wait for; v is set before done is closed.
type pendingCheck struct {
	done chan struct{}
	v    verdict
}

func (b *basicAuth) checkOnce(ctx context.Context, client netip.Addr, ck [sha256.Size]byte, user, password string, now time.Time) verdict {
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
	b.cache.Add(ck, cached{user: user, table: table, expires: now.Add(b.ttl)})
	return verified
}

func (b *basicAuth) close() error { return b.file.Close() }
