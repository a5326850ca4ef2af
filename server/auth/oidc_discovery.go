package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/softphone/softphone/server/auth/jwks"
)

// maxProviderResponse bounds a discovery document or token response.
const maxProviderResponse = 1 << 20

// oidcMetadata is the part of an OpenID Provider's discovery document
// (OpenID Connect Discovery 1.0, section 3) the gate uses.
type oidcMetadata struct {
	Issuer                        string   `json:"issuer"`
	AuthorizationEndpoint         string   `json:"authorization_endpoint"`
	TokenEndpoint                 string   `json:"token_endpoint"`
	EndSessionEndpoint            string   `json:"end_session_endpoint"`
	ResponseTypesSupported        []string `json:"response_types_supported"`
	CodeChallengeMethodsSupported []string `json:"code_challenge_methods_supported"`
}

// check refuses a document that does not fit this issuer or this flow.
func (m *oidcMetadata) check(issuer string) error {
	if m.Issuer != issuer {
		return fmt.Errorf("issuer is %q, want %q", m.Issuer, issuer)
	}
	if err := jwks.CheckURL(m.AuthorizationEndpoint); err != nil {
		return fmt.Errorf("authorization_endpoint: %w", err)
	}
	if err := jwks.CheckURL(m.TokenEndpoint); err != nil {
		return fmt.Errorf("token_endpoint: %w", err)
	}
	if m.EndSessionEndpoint != "" {
		if err := jwks.CheckURL(m.EndSessionEndpoint); err != nil {
			return fmt.Errorf("end_session_endpoint: %w", err)
		}
	}
	if len(m.ResponseTypesSupported) > 0 && !slices.Contains(m.ResponseTypesSupported, "code") {
		return fmt.Errorf("response_types_supported %q lacks \"code\"", m.ResponseTypesSupported)
	}
	// RFC 8414 section 2: absent means the provider does not say, and
	// PKCE parameters are then sent anyway (RFC 7636 section 4.3).
	if len(m.CodeChallengeMethodsSupported) > 0 && !slices.Contains(m.CodeChallengeMethodsSupported, "S256") {
		return fmt.Errorf("code_challenge_methods_supported %q lacks \"S256\"", m.CodeChallengeMethodsSupported)
	}
	return nil
}

// discovery keeps an issuer's discovery document. It is fetched on first
// use and again when older than maxAge; while one caller re-fetches a stale
// document the others go on with it. Failed fetches are at least
// minInterval apart.
type discovery struct {
	issuer      string
	client      *http.Client
	timeout     time.Duration
	maxAge      time.Duration
	minInterval time.Duration
	logger      *slog.Logger
	now         func() time.Time

	fetchMu     sync.Mutex // one fetch at a time; guards lastAttempt, lastErr
	lastAttempt time.Time
	lastErr     error

	mu      sync.RWMutex // guards meta, fetched
	meta    *oidcMetadata
	fetched time.Time
}

func newDiscovery(issuer string, client *http.Client, o OIDCConfig, logger *slog.Logger) *discovery {
	return &discovery{
		issuer: issuer, client: client, timeout: o.FetchTimeout,
		maxAge: o.RefreshInterval, minInterval: o.MinRefreshInterval,
		logger: logger, now: time.Now,
	}
}

// providerClient is the HTTP client for requests to the identity provider:
// bounded in time, and never following a redirect off https.
func providerClient(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("too many redirects")
			}
			return jwks.CheckURL(req.URL.String())
		},
	}
}

func (d *discovery) snapshot() (*oidcMetadata, time.Time) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.meta, d.fetched
}

// get returns the discovery document, fetching it when there is none or
// it is stale.
func (d *discovery) get(ctx context.Context) (*oidcMetadata, error) {
	meta, fetched := d.snapshot()
	switch {
	case meta == nil:
		d.refresh(ctx, true)
	case d.now().Sub(fetched) > d.maxAge:
		d.refresh(ctx, false)
	}
	if meta, _ = d.snapshot(); meta != nil {
		return meta, nil
	}
	d.fetchMu.Lock()
	defer d.fetchMu.Unlock()
	return nil, d.lastErr
}

func (d *discovery) refresh(ctx context.Context, wait bool) {
	if wait {
		d.fetchMu.Lock()
	} else if !d.fetchMu.TryLock() {
		return
	}
	defer d.fetchMu.Unlock()
	now := d.now()
	if !d.lastAttempt.IsZero() && now.Sub(d.lastAttempt) < d.minInterval {
		return
	}
	d.lastAttempt = now
	meta, err := d.fetch(ctx)
	if err != nil && ctx.Err() != nil {
		// Cancelled by the caller (a gate replaced on reload, a browser
		// that went away), not refused by the provider: the next caller
		// may try at once.
		d.lastAttempt = time.Time{}
		d.lastErr = err
		return
	}
	if err != nil {
		d.lastErr = err
		d.logger.Warn("oidc discovery failed; keeping the previous document", "issuer", d.issuer, "err", err)
		return
	}
	d.lastErr = nil
	d.mu.Lock()
	d.meta, d.fetched = meta, now
	d.mu.Unlock()
}

func (d *discovery) fetch(ctx context.Context) (*oidcMetadata, error) {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	doc := strings.TrimSuffix(d.issuer, "/") + "/.well-known/openid-configuration"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, doc, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %s", doc, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxProviderResponse+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", doc, err)
	}
	if len(body) > maxProviderResponse {
		return nil, fmt.Errorf("GET %s: larger than %d bytes", doc, maxProviderResponse)
	}
	var meta oidcMetadata
	if err := json.Unmarshal(body, &meta); err != nil {
		return nil, fmt.Errorf("GET %s: %w", doc, err)
	}
	if err := meta.check(d.issuer); err != nil {
		return nil, fmt.Errorf("%s: %w", doc, err)
	}
	d.logger.Info("oidc discovery document fetched", "issuer", d.issuer)
	return &meta, nil
}
