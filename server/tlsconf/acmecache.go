package tlsconf

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/acme/autocert"
)

// orderTimeout bounds how long an instance keeps the order lock of a
// certificate it failed to obtain: autocert gives up an order after 5
// minutes (GetCertificate's own timeout), and the process ending releases
// the lock at once.
const orderTimeout = 5 * time.Minute

// lockPoll is how often a waiting instance tries the order lock again.
const lockPoll = 100 * time.Millisecond

// sharedCache is autocert's DirCache made safe for instances that share
// the folder (a network volume, a Kubernetes ReadWriteMany volume): of the
// instances that miss a certificate at the same time, one orders it while
// the others wait, then read it from the folder.
//
// autocert asks its Cache for a certificate before ordering one, and puts
// the new one there afterwards. On a miss for a certificate, sharedCache
// takes an exclusive lock on "<name>.lock" in the folder (flock), looks
// again, and, still missing, keeps the lock and reports the miss: this
// instance orders, and its Put releases the lock. An instance that finds
// the lock taken waits for it (or for its context), then finds the
// certificate the other one put. http-01 tokens are kept in the folder
// too (by autocert), so the CA's validation may reach any instance.
//
// Renewals need no lock: autocert's renewal timer (spread by up to an hour
// of jitter) reads the folder first and takes a certificate another
// instance renewed.
type sharedCache struct {
	autocert.DirCache
	mu   sync.Mutex
	held map[string]*heldLock

	onWait func(key string) // tests: called when another instance holds key's lock
}

type heldLock struct {
	f     *os.File
	timer *time.Timer
}

func newSharedCache(dir string) *sharedCache {
	return &sharedCache{DirCache: autocert.DirCache(dir), held: map[string]*heldLock{}}
}

// isCertKey reports whether autocert stores a certificate under key
// ("example.com", "example.com+rsa"), not the account key or a token.
func isCertKey(key string) bool {
	name, suffix, found := strings.Cut(key, "+")
	return name != "" && (!found || suffix == "rsa") && !strings.ContainsAny(key, `/\`)
}

// Get returns the cached entry; on a certificate miss it waits for any
// other instance ordering that certificate, and takes its place otherwise.
func (c *sharedCache) Get(ctx context.Context, key string) ([]byte, error) {
	data, err := c.DirCache.Get(ctx, key)
	if !errors.Is(err, autocert.ErrCacheMiss) || !isCertKey(key) {
		return data, err
	}
	c.mu.Lock()
	_, mine := c.held[key]
	c.mu.Unlock()
	if mine {
		return nil, autocert.ErrCacheMiss // this instance is ordering it
	}
	f, err := c.lock(ctx, key)
	if err != nil {
		return nil, err
	}
	if f == nil { // no file locks here: every instance orders its own
		return nil, autocert.ErrCacheMiss
	}
	data, err = c.DirCache.Get(ctx, key)
	if err == nil || !errors.Is(err, autocert.ErrCacheMiss) {
		unlockFile(f)
		return data, err
	}
	// Still missing: this instance orders it; Put (or the timeout) releases.
	c.mu.Lock()
	c.held[key] = &heldLock{f: f, timer: time.AfterFunc(orderTimeout, func() { c.release(key) })}
	c.mu.Unlock()
	return nil, autocert.ErrCacheMiss
}

// Put stores the entry and releases the order lock of a certificate.
func (c *sharedCache) Put(ctx context.Context, key string, data []byte) error {
	err := c.DirCache.Put(ctx, key, data)
	c.release(key)
	return err
}

func (c *sharedCache) release(key string) {
	c.mu.Lock()
	h := c.held[key]
	delete(c.held, key)
	c.mu.Unlock()
	if h != nil {
		h.timer.Stop()
		unlockFile(h.f)
	}
}

// lock takes "<key>.lock" in the folder, waiting while another instance
// holds it.
func (c *sharedCache) lock(ctx context.Context, key string) (*os.File, error) {
	name := filepath.Join(string(c.DirCache), key+".lock")
	for waited := false; ; waited = true {
		f, ok, err := tryLockFile(name)
		if err != nil || ok {
			return f, err
		}
		if !waited && c.onWait != nil {
			c.onWait(key)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

var _ autocert.Cache = (*sharedCache)(nil)
