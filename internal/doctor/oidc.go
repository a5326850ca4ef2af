package doctor

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/go-jose/go-jose/v4"

	"github.com/softphone/softphone/advancedoptions"
)

// maxMetadataBytes bounds what doctor reads of a discovery document or key set.
const maxMetadataBytes = 1 << 20

// discoveryURL is where a provider's OpenID Connect metadata lives, as the
// client's sign-in libraries find it: MSAL uses the v2.0 endpoint under an
// AAD authority, Keycloak's adapter the realm under the server URL, and a
// generic OIDC provider the issuer itself.
func discoveryURL(p advancedoptions.AuthProvider) string {
	base := strings.TrimSuffix(p.Authority, "/")
	switch p.ProviderType {
	case advancedoptions.ProviderAAD:
		if !strings.HasSuffix(base, "/v2.0") {
			base += "/v2.0"
		}
	case advancedoptions.ProviderKeycloak:
		if !strings.Contains(base, "/realms/") && p.Realm != "" {
			base += "/realms/" + url.PathEscape(p.Realm)
		}
	}
	return base + "/.well-known/openid-configuration"
}

// checkProvider fetches the provider's discovery document and the key set
// it names.
func (p *prober) checkProvider(ctx context.Context, key string, prov advancedoptions.AuthProvider) []doctorCheck {
	target := prov.Authority
	if prov.ProviderLoginName != "" {
		target = fmt.Sprintf("%s (%s)", prov.Authority, prov.ProviderLoginName)
	}
	var out []doctorCheck
	add := func(check string, status checkStatus, remedy, format string, args ...any) {
		out = append(out, doctorCheck{Target: target, Key: key, Check: check, Status: status, Detail: fmt.Sprintf(format, args...), Remedy: remedy})
	}
	client := &http.Client{
		Timeout:   p.timeout,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: p.roots, MinVersion: tls.VersionTLS12}, Proxy: http.ProxyFromEnvironment},
	}
	defer client.CloseIdleConnections()

	disc := discoveryURL(prov)
	var doc struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := fetchJSON(ctx, client, disc, &doc); err != nil {
		add("discovery", statusFail, remedyFor(err, remedyDiscovery), "%s: %v", disc, err)
		add("jwks", statusSkip, "", "skipped: no discovery document")
		return out
	}
	if doc.JWKSURI == "" {
		add("discovery", statusFail, remedyDiscovery, "%s has no jwks_uri", disc)
		add("jwks", statusSkip, "", "skipped: no jwks_uri")
		return out
	}
	add("discovery", statusOK, "", "%s: issuer %q", disc, doc.Issuer)

	var set jose.JSONWebKeySet
	if err := fetchJSON(ctx, client, doc.JWKSURI, &set); err != nil {
		add("jwks", statusFail, remedyFor(err, remedyJWKS), "%s: %v", doc.JWKSURI, err)
		return out
	}
	if len(set.Keys) == 0 {
		add("jwks", statusFail, remedyJWKS, "%s: the key set is empty", doc.JWKSURI)
		return out
	}
	add("jwks", statusOK, "", "%s: %d key(s)", doc.JWKSURI, len(set.Keys))
	return out
}

// errHTTPStatus is a fetch answered with something other than 200.
type errHTTPStatus struct{ code int }

func (e errHTTPStatus) Error() string {
	return fmt.Sprintf("HTTP %d %s, want 200", e.code, http.StatusText(e.code))
}

func fetchJSON(ctx context.Context, client *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return ue.Err
		}
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return errHTTPStatus{resp.StatusCode}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxMetadataBytes))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("not a JSON document: %w", err)
	}
	return nil
}

// remedyFor picks the manual's HTTPS certificate remedy when the
// certificate was refused, else def.
func remedyFor(err error, def string) string {
	var verr *tls.CertificateVerificationError
	if errors.As(err, &verr) {
		return remedyHTTPSCert
	}
	return def
}
