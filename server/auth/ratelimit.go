package auth

import (
	"net/netip"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// maxLimitedClients bounds the memory spent on failure counters; the least
// recently seen client is forgotten first.
const maxLimitedClients = 65536

// addressFactor is how much looser the per-address limit is than the
// per-user one: agents behind one NAT share an address, so one agent's
// typos (or a guesser aiming at one user) must not lock the others out,
// while a guesser spraying user names from one address is still held.
const addressFactor = 5

// maxLimitedUser bounds the user name kept in a counter's key (htpasswd
// names are at most 255 bytes; a longer one cannot match anyway).
const maxLimitedUser = 256

// failureLimiter rate-limits login attempts per (user, client) and, five
// times looser, per client. IPv6 clients are counted per /64, which one
// subscriber usually holds whole.
//
// An attempt takes a token from both buckets when it starts, before the
// password is checked, and gives them back when the password was right:
// parallel guesses (many at once on one HTTP/2 connection) cannot all pass
// a check made before any of them has failed.
type failureLimiter struct {
	every time.Duration
	burst int
	mu    sync.Mutex // guards the buckets
	users *lru.Cache[userClient, *bucket]
	addrs *lru.Cache[netip.Prefix, *bucket]
}

type userClient struct {
	client netip.Prefix
	user   string
}

// bucket is a token bucket: tokens refill at one per every up to burst.
type bucket struct {
	tokens float64
	last   time.Time
}

func newFailureLimiter(every time.Duration, burst int) *failureLimiter {
	u, _ := lru.New[userClient, *bucket](maxLimitedClients) // size > 0 never fails
	a, _ := lru.New[netip.Prefix, *bucket](maxLimitedClients)
	return &failureLimiter{every: every, burst: burst, users: u, addrs: a}
}

func clientKey(a netip.Addr) netip.Prefix {
	if !a.IsValid() {
		return netip.Prefix{}
	}
	bits := 32
	if a.Is6() {
		bits = 64
	}
	p, _ := a.Prefix(bits)
	return p
}

func userKey(user string, a netip.Addr) userClient {
	if len(user) > maxLimitedUser {
		user = user[:maxLimitedUser]
	}
	return userClient{client: clientKey(a), user: user}
}

// refill brings b up to date at now under a limit of burst tokens, one
// more per every, and returns how long until it holds one whole token.
func (b *bucket) refill(now time.Time, every time.Duration, burst int) time.Duration {
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = min(float64(burst), b.tokens+float64(elapsed)/float64(every))
		b.last = now
	}
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) * float64(every))
}

// buckets returns the (user, client) and client buckets, creating full
// ones when missing. Callers hold l.mu.
func (l *failureLimiter) buckets(user string, a netip.Addr, now time.Time) (*bucket, *bucket) {
	uk, ak := userKey(user, a), clientKey(a)
	u, ok := l.users.Get(uk)
	if !ok {
		u = &bucket{tokens: float64(l.burst), last: now}
		l.users.Add(uk, u)
	}
	c, ok := l.addrs.Get(ak)
	if !ok {
		c = &bucket{tokens: float64(l.burst * addressFactor), last: now}
		l.addrs.Add(ak, c)
	}
	return u, c
}

// begin counts one attempt by user from a, before its password is
// checked. It reports false, and how long to wait, when the user at that
// client or the client as a whole has no attempts left; nothing is taken
// then.
func (l *failureLimiter) begin(user string, a netip.Addr, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	u, c := l.buckets(user, a, now)
	wait := max(u.refill(now, l.every, l.burst), c.refill(now, l.every/addressFactor, l.burst*addressFactor))
	if wait > 0 {
		return false, wait
	}
	u.tokens--
	c.tokens--
	return true, 0
}

// refund gives back what begin took, for an attempt that turned out right
// or was never checked.
func (l *failureLimiter) refund(user string, a netip.Addr, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	u, c := l.buckets(user, a, now)
	u.refill(now, l.every, l.burst)
	c.refill(now, l.every/addressFactor, l.burst*addressFactor)
	u.tokens = min(float64(l.burst), u.tokens+1)
	c.tokens = min(float64(l.burst*addressFactor), c.tokens+1)
}

// userBlocked reports whether user has no attempts left at client a (the
// per-address count is not consulted), and how long until the next one.
func (l *failureLimiter) userBlocked(user string, a netip.Addr, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	u, ok := l.users.Get(userKey(user, a))
	if !ok {
		return false, 0
	}
	wait := u.refill(now, l.every, l.burst)
	return wait > 0, wait
}
