package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/softphone/softphone/server/auth/jwks"
	"github.com/softphone/softphone/server/auth/sessionkey"
)

// healthPath is never gated: load balancers probe it without credentials.
const healthPath = "/healthz"

// maxReplay bounds the remembered callback token IDs.
const maxReplay = 65536

// Gate enforces a Config. Build one with New for each configuration, serve
// through Middleware, and Close it when it is replaced.
type Gate struct {
	cfg      Config
	basePath string
	logger   *slog.Logger
	allowed  []netip.Prefix
	trusted  []netip.Prefix

	basic *basicAuth // nil when basic auth is off

	jwt          *verifier // nil when JWT is off
	sessions     *sessions
	replay       *lru.Cache[string, time.Time] // jti -> expiry, for callback tokens
	callbackPath string                        // absolute, under basePath
	cookiePath   string

	oidc *oidcGate // nil when OIDC sign-in is off

	keyFile *sessionkey.File // access.sessionKeyFile; nil when unset or no sessions

	now       func() time.Time
	ctx       context.Context // ends at Close
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error
}

// Option changes how New builds a Gate.
type Option func(*options)

type options struct{ prev *Gate }

// WithPrevious carries state over from the Gate being replaced on a
// configuration reload: the JWT and OIDC key sets and the discovery
// document (when their source is unchanged), the replay caches, the keys
// of pending OIDC sign-ins, the session key (when the jwt and oidc sections
// are unchanged, so agents stay signed in), remembered basic-auth logins
// and failure counts. With access.sessionKeyFile the keys come from the
// file, which is read again.
func WithPrevious(g *Gate) Option { return func(o *options) { o.prev = g } }

// New builds a Gate for cfg, which must have passed ApplyDefaults and
// Validate. basePath is the site's base path ("/" or "/webrtc_client/").
// It loads the htpasswd file (errors carry file:line) and starts watching
// it; a JWT key set is fetched in the background. Close releases both.
func New(cfg Config, basePath string, logger *slog.Logger, opts ...Option) (*Gate, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if !strings.HasPrefix(basePath, "/") || !strings.HasSuffix(basePath, "/") {
		return nil, fmt.Errorf("basePath: must start and end with '/', got %q", basePath)
	}
	g := &Gate{cfg: cfg, basePath: basePath, logger: logger, now: time.Now}
	var err error
	if g.allowed, err = parsePrefixes(cfg.AllowedIPs); err != nil {
		return nil, fmt.Errorf("access.allowedIPs%w", err)
	}
	if g.trusted, err = parsePrefixes(cfg.TrustedProxies); err != nil {
		return nil, fmt.Errorf("access.trustedProxies%w", err)
	}
	if cfg.JWT.Enabled() {
		if errs := cfg.JWT.validate(); len(errs) > 0 {
			return nil, errors.Join(errs...)
		}
	}
	if errs := cfg.validateOIDC(); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	// Warnings() is reported with the rest of the config's warnings by
	// the caller (softphone check and the serve log), not here.

	if cfg.BasicAuth.Enabled() {
		var prev *basicAuth
		if o.prev != nil {
			prev = o.prev.basic
		}
		if g.basic, err = newBasicAuth(cfg.BasicAuth, logger, prev); err != nil {
			return nil, fmt.Errorf("access.basicAuth.htpasswdFile: %w", err)
		}
	}

	g.ctx, g.cancel = context.WithCancel(context.Background())
	if cfg.JWT.Enabled() || cfg.OIDC.Enabled() {
		if cfg.SessionKeyFile != "" {
			if g.keyFile, err = sessionkey.Open(cfg.SessionKeyFile, logger); err != nil {
				g.Close()
				return nil, fmt.Errorf("access.sessionKeyFile: %w", err)
			}
		} else if o.prev == nil || o.prev.keyFile != nil {
			logger.Info("access.sessionKeyFile is not set: sessions and OIDC sign-ins are signed with a key of this process, " +
				"so they end when it restarts and other instances refuse them")
		}
	}
	if cfg.JWT.Enabled() {
		if err := g.setupJWT(o.prev); err != nil {
			g.Close()
			return nil, err
		}
	}
	if cfg.OIDC.Enabled() {
		if err := g.setupOIDC(o.prev); err != nil {
			g.Close()
			return nil, err
		}
	}
	return g, nil
}

func (g *Gate) setupJWT(prev *Gate) error {
	j := g.cfg.JWT
	secret, err := j.secret()
	if err != nil {
		return fmt.Errorf("access.jwt.hmacSecretFile: %w", err)
	}
	var prevKeys *jwks.Cache
	var prevRing *keyRing
	if prev != nil && prev.jwt != nil {
		if sameKeySource(prev.cfg.JWT, j) {
			prevKeys = prev.jwt.keys
		}
		if jwtConfigEqual(prev.cfg.JWT, j) && subtle.ConstantTimeCompare(prev.jwt.secret, secret) == 1 && prev.basePath == g.basePath &&
			oidcSessionsEqual(prev.cfg, g.cfg) {
			prevRing = prev.sessions.ring
		}
		g.replay = prev.replay
	}
	if g.replay == nil {
		g.replay, _ = lru.New[string, time.Time](maxReplay)
	}
	g.jwt = newVerifier(j, secret, g.logger, prevKeys)
	g.sessions = newSessions(j.SessionTTL, g.sessionRing(prevRing, secret))
	g.callbackPath = g.basePath + j.CallbackPath
	g.cookiePath = g.basePath
	if keys := g.jwt.keys; keys != nil {
		g.wg.Add(1)
		go func() {
			defer g.wg.Done()
			keys.Prefetch(g.ctx)
		}()
	}
	return nil
}

// sessionRing returns the keys sessions use: derived from
// access.sessionKeyFile for this config's access policy, else prev's
// per-process key when sessions carry over a reload, else a new one.
func (g *Gate) sessionRing(prev *keyRing, jwtSecret []byte) *keyRing {
	switch {
	case g.keyFile != nil:
		return fileRing(g.keyFile, sessionPolicy(g.cfg, g.basePath, jwtSecret))
	case prev != nil && prev.file == nil:
		return prev
	default:
		return processRing()
	}
}

// Close stops the htpasswd watcher and any key-set fetch in flight. It is
// safe to call more than once; requests still in flight keep working.
func (g *Gate) Close() error {
	g.closeOnce.Do(func() {
		if g.cancel != nil {
			g.cancel()
		}
		g.wg.Wait()
		var errs []error
		if g.basic != nil {
			errs = append(errs, g.basic.close())
		}
		if g.keyFile != nil {
			errs = append(errs, g.keyFile.Close())
		}
		g.closeErr = errors.Join(errs...)
	})
	return g.closeErr
}
