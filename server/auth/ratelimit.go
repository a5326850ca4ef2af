package auth

import (
	"net/netip"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// maxLimitedClients bounds the memory spent on failure counters; the least
// recently seen client is forgotten first.
const maxLimitedClients = 65536

// failureLimiter rate-limits failed logins per client. IPv6 clients are
// counted per /64, which one subscriber usually holds whole.
type failureLimiter struct {
	every time.Duration
	burst int
	mu    sync.Mutex // makes check-then-create of a bucket atomic
	cache *lru.Cache[netip.Prefix, *rate.Limiter]
}

func newFailureLimiter(every time.Duration, burst int) *failureLimiter {
	c, _ := lru.New[netip.Prefix, *rate.Limiter](maxLimitedClients) // size > 0 never fails
	return &failureLimiter{every: every, burst: burst, cache: c}
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

func (l *failureLimiter) bucket(a netip.Addr, create bool) *rate.Limiter {
	key := clientKey(a)
	l.mu.Lock()
	defer l.mu.Unlock()
	if lim, ok := l.cache.Get(key); ok {
		return lim
	}
	if !create {
		return nil
	}
	lim := rate.NewLimiter(rate.Every(l.every), l.burst)
	l.cache.Add(key, lim)
	return lim
}

// blocked reports whether the client has used up its failures, and how
// long until it may try again.
func (l *failureLimiter) blocked(a netip.Addr, now time.Time) (bool, time.Duration) {
	lim := l.bucket(a, false)
	if lim == nil || lim.TokensAt(now) >= 1 {
		return false, 0
	}
	r := lim.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	r.CancelAt(now)
	return true, wait
}

// fail records one failed login.
func (l *failureLimiter) fail(a netip.Addr, now time.Time) {
	l.bucket(a, true).AllowN(now, 1)
}
