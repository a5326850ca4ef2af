package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// checkStatus is the outcome of one doctor check.
type checkStatus string

const (
	statusOK   checkStatus = "ok"
	statusWarn checkStatus = "warn"
	statusFail checkStatus = "fail"
	statusSkip checkStatus = "skip"
)

// expiryWarnDays is how close to expiry an SBC certificate is a warning.
const expiryWarnDays = 14

// doctorCheck is one line of the checklist.
type doctorCheck struct {
	// Target is what was checked: an SBC URL, an authority, an ICE server.
	Target string `json:"target"`
	// Key is the config key path the target comes from.
	Key string `json:"key,omitempty"`
	// Check names the step: url, dns, tcp, tls-handshake, tls-chain,
	// tls-san, tls-expiry, websocket, discovery, jwks, stun.
	Check  string      `json:"check"`
	Status checkStatus `json:"status"`
	Detail string      `json:"detail"`
	// Remedy is the manual's advice, for warnings and failures.
	Remedy string `json:"remedy,omitempty"`
	// DaysLeft is set by tls-expiry: whole days until the certificate
	// expires, negative once expired.
	DaysLeft *int `json:"daysLeft,omitempty"`
}

// prober runs checks the way an agent's browser would reach things: with
// the system's trusted roots plus any extra CA bundle, and a time limit
// per network step.
type prober struct {
	// roots are the CAs trusted; nil means the system's.
	roots *x509.CertPool
	// timeout bounds each network step.
	timeout time.Duration
	// now is the clock for certificate validity.
	now func() time.Time
	// resolver looks up names; nil means net.DefaultResolver.
	resolver *net.Resolver
}

func (p *prober) lookup(ctx context.Context, host string) ([]string, error) {
	r := p.resolver
	if r == nil {
		r = net.DefaultResolver
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	return r.LookupHost(ctx, host)
}

// tlsConfig verifies like a browser when verify is true; otherwise it
// only connects, so later steps can still be tried and reported.
func (p *prober) tlsConfig(host string, verify bool) *tls.Config {
	return &tls.Config{
		RootCAs:            p.roots,
		ServerName:         host,
		InsecureSkipVerify: !verify,
		MinVersion:         tls.VersionTLS12,
	}
}

// checkSBC checks one SBC WebSocket URL: DNS, TCP, TLS certificate (chain,
// SAN, validity) and the WebSocket upgrade with the sip subprotocol. A
// step that cannot run because an earlier one failed is reported as skip.
func (p *prober) checkSBC(ctx context.Context, key, raw string) []doctorCheck {
	var out []doctorCheck
	add := func(check string, status checkStatus, remedy, format string, args ...any) *doctorCheck {
		out = append(out, doctorCheck{Target: raw, Key: key, Check: check, Status: status, Detail: fmt.Sprintf(format, args...), Remedy: remedy})
		return &out[len(out)-1]
	}
	skip := func(reason string, checks ...string) []doctorCheck {
		for _, c := range checks {
			add(c, statusSkip, "", "%s", reason)
		}
		return out
	}

	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "wss" && u.Scheme != "ws") || u.Hostname() == "" {
		add("url", statusFail, remedyURL, "not a wss:// URL with a host: %q", raw)
		return out
	}
	secure := u.Scheme == "wss"
	if !secure {
		add("url", statusWarn, remedyPlainWS, "plain ws:// (no TLS)")
	}
	host := u.Hostname()
	port := u.Port()
	if port == "" {
		port = map[bool]string{true: "443", false: "80"}[secure]
	}
	addr := net.JoinHostPort(host, port)
	tlsChecks := []string{"tls-handshake", "tls-chain", "tls-san", "tls-expiry"}
	if !secure {
		tlsChecks = nil
	}

	// DNS
	if ip := net.ParseIP(host); ip != nil {
		add("dns", statusOK, "", "%s is an IP address, no lookup needed (certificates rarely cover IP addresses; the manual asks for an FQDN)", host)
	} else {
		addrs, err := p.lookup(ctx, host)
		if err != nil {
			add("dns", statusFail, remedyDNS, "cannot resolve %s: %v", host, unwrapNet(err))
			return skip("skipped: the name does not resolve", append(append([]string{"tcp"}, tlsChecks...), "websocket")...)
		}
		add("dns", statusOK, "", "%s resolves to %s", host, strings.Join(addrs, ", "))
	}

	// TCP
	start := time.Now()
	d := net.Dialer{Timeout: p.timeout}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		add("tcp", statusFail, remedyTCP, "cannot connect to %s: %v", addr, unwrapNet(err))
		return skip("skipped: no TCP connection", append(tlsChecks, "websocket")...)
	}
	add("tcp", statusOK, "", "connected to %s (%s) in %s", addr, conn.RemoteAddr(), max(time.Since(start).Round(time.Millisecond), time.Millisecond))

	verified := true
	if secure {
		verified = p.checkCertificate(ctx, conn, host, add)
		if out[len(out)-1].Check == "tls-handshake" {
			return skip("skipped: no TLS connection", "websocket")
		}
	} else {
		conn.Close()
	}

	// WebSocket upgrade, as the browser's new WebSocket(url, "sip").
	p.checkWebSocket(ctx, raw, host, verified, add)
	return out
}

// checkCertificate runs the TLS handshake on conn (closing it) and checks
// the certificate the way a browser would, each property on its own line,
// so one failure does not hide another. It reports whether the
// certificate passed all checks.
func (p *prober) checkCertificate(ctx context.Context, conn net.Conn, host string, add func(string, checkStatus, string, string, ...any) *doctorCheck) bool {
	defer conn.Close()
	tc := tls.Client(conn, p.tlsConfig(host, false))
	hctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		add("tls-handshake", statusFail, remedyHandshake, "TLS handshake with %s failed: %v", conn.RemoteAddr(), err)
		return false
	}
	certs := tc.ConnectionState().PeerCertificates
	leaf := certs[0]
	ok := true

	// Chain: when only the leaf is out of date, the chain is judged at a
	// moment it was valid, so an expired certificate is reported once, by
	// tls-expiry, and an expired intermediate still shows here.
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	opts := x509.VerifyOptions{Roots: p.roots, Intermediates: inter, CurrentTime: p.now()}
	_, err := leaf.Verify(opts)
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) && invalid.Reason == x509.Expired && invalid.Cert == leaf {
		if opts.CurrentTime.After(leaf.NotAfter) {
			opts.CurrentTime = leaf.NotAfter.Add(-time.Second)
		} else {
			opts.CurrentTime = leaf.NotBefore.Add(time.Second)
		}
		_, err = leaf.Verify(opts)
	}
	if err != nil {
		ok = false
		add("tls-chain", statusFail, remedyChain, "certificate issued by %q is not trusted: %v", issuerName(leaf), err)
	} else {
		add("tls-chain", statusOK, "", "issued by %q, chain trusted", issuerName(leaf))
	}

	// SAN
	names := certNames(leaf)
	if err := leaf.VerifyHostname(host); err != nil {
		ok = false
		covers := "no names at all in its SAN"
		if len(names) > 0 {
			covers = "its SAN covers " + strings.Join(names, ", ")
		}
		if len(leaf.DNSNames) == 0 && len(leaf.IPAddresses) == 0 && leaf.Subject.CommonName != "" {
			covers += fmt.Sprintf(" (the Common Name %q is ignored by browsers)", leaf.Subject.CommonName)
		}
		add("tls-san", statusFail, remedySAN, "the certificate does not cover %s: %s", host, covers)
	} else {
		add("tls-san", statusOK, "", "%s is in the certificate's SAN (%s)", host, strings.Join(names, ", "))
	}

	// Validity
	now := p.now()
	days := int(leaf.NotAfter.Sub(now).Hours() / 24) // whole days, toward zero
	until := leaf.NotAfter.UTC().Format(time.RFC3339)
	var c *doctorCheck
	switch {
	case now.After(leaf.NotAfter):
		ok = false
		c = add("tls-expiry", statusFail, remedyExpired, "the certificate EXPIRED on %s", until)
	case now.Before(leaf.NotBefore):
		ok = false
		c = add("tls-expiry", statusFail, remedyNotYetValid, "the certificate is not valid before %s", leaf.NotBefore.UTC().Format(time.RFC3339))
	case days < expiryWarnDays:
		c = add("tls-expiry", statusWarn, remedyExpiring, "the certificate expires on %s, in %d day(s)", until, days)
	default:
		c = add("tls-expiry", statusOK, "", "valid until %s, %d days left", until, days)
	}
	c.DaysLeft = &days
	return ok
}

func (p *prober) checkWebSocket(ctx context.Context, raw, host string, verified bool, add func(string, checkStatus, string, string, ...any) *doctorCheck) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{
		TLSClientConfig: p.tlsConfig(host, verified),
		Proxy:           nil, // browsers may use a proxy; the check is of the SBC itself
	}}
	defer client.CloseIdleConnections()
	c, resp, err := websocket.Dial(ctx, raw, &websocket.DialOptions{HTTPClient: client, Subprotocols: []string{"sip"}})
	note := ""
	if !verified {
		note = " (certificate not verified for this step; a browser would stop at the failure above)"
	}
	if err != nil {
		detail := err.Error()
		if resp != nil {
			detail = fmt.Sprintf("HTTP %d %s instead of 101 Switching Protocols", resp.StatusCode, http.StatusText(resp.StatusCode))
		}
		add("websocket", statusFail, remedyWebSocket, "upgrade failed: %s%s", detail, note)
		return
	}
	defer c.CloseNow()
	if sp := c.Subprotocol(); sp != "sip" {
		add("websocket", statusFail, remedyWebSocket, "upgraded, but the server chose subprotocol %q instead of \"sip\"%s", sp, note)
		return
	}
	c.Close(websocket.StatusNormalClosure, "softphone doctor")
	server := ""
	if resp != nil && resp.Header.Get("Server") != "" {
		server = " by " + resp.Header.Get("Server")
	}
	add("websocket", statusOK, "", "101 Switching Protocols with subprotocol \"sip\"%s%s", server, note)
}

func issuerName(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return c.Issuer.CommonName
	}
	return c.Issuer.String()
}

func certNames(c *x509.Certificate) []string {
	names := append([]string{}, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	return names
}

// unwrapNet drops the "dial tcp ...:" prefixes that repeat the target.
func unwrapNet(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		if dns.IsNotFound {
			return errors.New("no such host")
		}
		return errors.New(dns.Err)
	}
	return err
}
