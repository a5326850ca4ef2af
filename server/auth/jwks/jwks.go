// Package jwks keeps the public keys of a token issuer: a JSON Web Key Set
// fetched from a jwks_uri, given directly or found in the issuer's OpenID
// Connect discovery document. Fetches time out and their size is bounded;
// the set is re-fetched when it is older than a maximum age, and a key ID
// it does not know triggers at most one fetch per minimum interval, so a
// flood of made-up key IDs cannot turn into a flood of fetches.
package jwks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// maxDocument bounds a discovery document or key set.
const maxDocument = 1 << 20

// Options configure a Cache.
type Options struct {
	// URL of the key set. When empty, Issuer's discovery document
	// (Issuer + "/.well-known/openid-configuration") names it.
	URL string
	// Issuer is checked against the discovery document's "issuer".
	Issuer string
	// MaxAge: a set older than this is re-fetched on its next use.
	MaxAge time.Duration
	// MinInterval: fetches, failed or not, are at least this far apart.
	MinInterval time.Duration
	// Timeout bounds each HTTP request.
	Timeout time.Duration
	// Client makes the requests; nil means a client with Timeout.
	Client *http.Client
	Logger *slog.Logger
}

// Cache holds the current key set. It is safe for concurrent use and runs
// no goroutine of its own. Lookups never wait for a fetch while a key set is
// at hand, except to look for a key ID the set does not have.
type Cache struct {
	opts   Options
	client *http.Client
	now    func() time.Time

	fetchMu     sync.Mutex // one fetch at a time; guards lastAttempt, jwksURL, fetches
	lastAttempt time.Time
	jwksURL     string // found by discovery
	fetches     int

	mu      sync.RWMutex // guards set and fetched
	set     *jose.JSONWebKeySet
	fetched time.Time
}

// New returns an empty cache; nothing is fetched until the first Keys call
// (or Prefetch).
func New(opts Options) *Cache {
	c := &Cache{opts: opts, client: opts.Client, now: time.Now}
	if c.client == nil {
		c.client = &http.Client{Timeout: opts.Timeout, CheckRedirect: noInsecureRedirect}
	}
	if c.opts.Logger == nil {
		c.opts.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Fetches counts the HTTP fetches of the key set attempted so far.
func (c *Cache) Fetches() int {
	c.fetchMu.Lock()
	defer c.fetchMu.Unlock()
	return c.fetches
}

// Prefetch fetches the set if there is none yet. A failure is logged; the
// first request that needs a key tries again (after MinInterval).
func (c *Cache) Prefetch(ctx context.Context) {
	if set, _ := c.snapshot(); set == nil {
		c.refresh(ctx, true)
	}
}

func (c *Cache) snapshot() (*jose.JSONWebKeySet, time.Time) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.set, c.fetched
}

// Keys returns the signing keys with the key ID kid (every signing key when
// kid is empty). An unknown kid causes a re-fetch unless one was attempted
// within MinInterval; a set older than MaxAge is re-fetched by one caller
// while the others go on with it. The returned error is non-nil only when
// there is no key set at all.
func (c *Cache) Keys(ctx context.Context, kid string) ([]jose.JSONWebKey, error) {
	set, fetched := c.snapshot()
	switch {
	case set == nil:
		c.refresh(ctx, true)
	case c.now().Sub(fetched) > c.opts.MaxAge:
		c.refresh(ctx, false)
	}
	if set, _ = c.snapshot(); set == nil {
		return nil, errors.New("no key set could be fetched")
	}
	keys := lookup(set, kid)
	if len(keys) == 0 && kid != "" && c.refresh(ctx, true) {
		set, _ = c.snapshot()
		keys = lookup(set, kid)
	}
	return keys, nil
}

func lookup(set *jose.JSONWebKeySet, kid string) []jose.JSONWebKey {
	if kid == "" {
		return set.Keys
	}
	return set.Key(kid)
}

// refresh fetches the set unless a fetch was attempted within MinInterval,
// and reports whether it fetched one. With wait false it gives up at once
// when another fetch is under way.
func (c *Cache) refresh(ctx context.Context, wait bool) bool {
	if wait {
		c.fetchMu.Lock()
	} else if !c.fetchMu.TryLock() {
		return false
	}
	defer c.fetchMu.Unlock()
	now := c.now()
	if !c.lastAttempt.IsZero() && now.Sub(c.lastAttempt) < c.opts.MinInterval {
		return false
	}
	c.lastAttempt = now
	c.fetches++
	set, err := c.fetch(ctx)
	if err != nil {
		c.opts.Logger.Warn("jwt key set fetch failed; keeping the previous keys", "err", err)
		return false
	}
	c.mu.Lock()
	c.set, c.fetched = set, now
	c.mu.Unlock()
	return true
}

func (c *Cache) fetch(ctx context.Context) (*jose.JSONWebKeySet, error) {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	u := c.opts.URL
	if u == "" {
		if c.jwksURL == "" {
			found, err := c.discover(ctx)
			if err != nil {
				return nil, err
			}
			c.jwksURL = found
		}
		u = c.jwksURL
	}
	var raw jose.JSONWebKeySet
	if err := c.getJSON(ctx, u, &raw); err != nil {
		return nil, err
	}
	set := &jose.JSONWebKeySet{}
	for _, k := range raw.Keys {
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		if !k.Valid() {
			continue
		}
		// Only ever verify with public keys, even if the document carries
		// private parts by mistake; symmetric keys from a URL are ignored.
		pub := k.Public()
		if !pub.Valid() || !pub.IsPublic() {
			continue
		}
		set.Keys = append(set.Keys, pub)
	}
	if len(set.Keys) == 0 {
		return nil, fmt.Errorf("%s: no usable public signing keys", u)
	}
	c.opts.Logger.Info("jwt key set fetched", "url", u, "keys", len(set.Keys))
	return set, nil
}

// discover reads the issuer's OpenID Connect discovery document.
func (c *Cache) discover(ctx context.Context) (string, error) {
	doc := strings.TrimSuffix(c.opts.Issuer, "/") + "/.well-known/openid-configuration"
	var meta struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := c.getJSON(ctx, doc, &meta); err != nil {
		return "", err
	}
	if meta.Issuer != c.opts.Issuer {
		return "", fmt.Errorf("%s: issuer is %q, want %q", doc, meta.Issuer, c.opts.Issuer)
	}
	if err := CheckURL(meta.JWKSURI); err != nil {
		return "", fmt.Errorf("%s: jwks_uri: %w", doc, err)
	}
	return meta.JWKSURI, nil
}

func (c *Cache) getJSON(ctx context.Context, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %s", u, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocument+1))
	if err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	if len(body) > maxDocument {
		return fmt.Errorf("GET %s: larger than %d bytes", u, maxDocument)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	return nil
}

// CheckURL accepts https URLs, and http URLs to a loopback host only (a
// local identity provider or a test).
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("must be an https URL, got %q", raw)
	}
	switch {
	case u.Scheme == "https" && u.Host != "":
		return nil
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return nil
	}
	return fmt.Errorf("must be an https URL (http only to a loopback host), got %q", raw)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// noInsecureRedirect refuses redirects that leave https, and long chains.
func noInsecureRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 3 {
		return errors.New("too many redirects")
	}
	return CheckURL(req.URL.String())
}
