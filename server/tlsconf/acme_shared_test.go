package tlsconf

import (
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestACMESharedCacheOneOrder: three instances that share an ACME cache
// folder and all want the certificate at start order it once between them,
// and all serve that one certificate. Every instance has its plain-HTTP
// handler (as with redirectListen), but the CA reaches only instance 1's,
// as a balancer would send it to any one: the http-01 token is in the
// shared folder, so validation works whichever instance ordered.
//
// autocert tries tls-alpn-01 first; the CA cannot reach it here (nothing
// listens on its port), so the ordering instance places a second order for
// http-01. Pebble's log therefore counts one account, one finalized order
// and one certificate, and new-order requests from that account only.
func TestACMESharedCacheOneOrder(t *testing.T) {
	ca := startPebble(t)
	const domain = "shared.softphone.test"
	cache := filepath.Join(t.TempDir(), "acme")
	var managers []*Manager
	var servers []*acmeServer
	var mu sync.Mutex
	var logs []string
	for i := range 3 {
		m, l := newACMEManager(t, ca.dirURL, ca.bundle, cache, domain, 10*time.Millisecond)
		httpPort := 0
		if i == 0 {
			httpPort = ca.httpPort
		}
		managers = append(managers, m)
		if httpPort == 0 {
			m.HTTPHandler(nil) // http-01 on: the instance has a plain-HTTP listener
		}
		servers = append(servers, serveACME(t, m, 0, httpPort))
		t.Cleanup(func() {
			if t.Failed() {
				mu.Lock()
				logs = append(logs, l.String())
				mu.Unlock()
				t.Logf("instance %d log:\n%s", i+1, l.String())
			}
		})
	}
	for i, m := range managers {
		eventually(t, "every instance to have the certificate", func() bool {
			return len(m.Status().Certificates) == 1
		})
		if got := len(m.Status().Certificates); got != 1 {
			t.Fatalf("instance %d: %d certificates", i+1, got)
		}
	}
	var serial string
	for i, s := range servers {
		resp, _, err := s.get(domain, ca.root)
		if err != nil {
			t.Fatalf("instance %d: HTTPS request verified against Pebble's root: %v", i+1, err)
		}
		got := resp.TLS.PeerCertificates[0].SerialNumber.String()
		if serial == "" {
			serial = got
		} else if got != serial {
			t.Errorf("instance %d serves serial %s, instance 1 %s: want one certificate for all", i+1, got, serial)
		}
	}
	out := ca.log.String()
	count := func(re *regexp.Regexp) int { return len(re.FindAllString(out, -1)) }
	accounts, orders, finalized, issued := count(pebbleNewAccount), count(pebbleNewOrder), count(pebbleFinalize), count(pebbleIssued)
	t.Logf("pebble: %d account(s), %d new-order request(s), %d finalized order(s), %d certificate(s) issued", accounts, orders, finalized, issued)
	for _, c := range []struct {
		what string
		n    int
	}{{"accounts registered", accounts}, {"orders finalized", finalized}, {"certificates issued", issued}} {
		if c.n != 1 {
			t.Errorf("pebble: %d %s for three instances sharing a cache, want 1\n%s", c.n, c.what, lastLines(out, 80))
		}
	}
	if orders < 1 || orders > 2 {
		t.Errorf("pebble: %d new orders, want 1 or 2 (tls-alpn-01, then http-01, from one instance)", orders)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// Lines of Pebble's log, one per event.
var (
	pebbleNewAccount = regexp.MustCompile(`POST /sign-me-up `)
	pebbleNewOrder   = regexp.MustCompile(`POST /order-plz `)
	pebbleFinalize   = regexp.MustCompile(`POST /finalize-order/`)
	pebbleIssued     = regexp.MustCompile(`Issued certificate serial`)
)
