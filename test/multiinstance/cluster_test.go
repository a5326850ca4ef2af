package multiinstance

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/softphone/softphone/test/oidctest"
)

// jwtSecret signs the callback tokens of the test's identity provider.
const jwtSecret = "multi-instance-test-hmac-secret-0123456789"

// shutdownDelay is the instances' timeouts.shutdownDelay: well above
// HAProxy's 2 failed checks 200 ms apart.
const shutdownDelay = "2s"

// cluster is three softphone instances behind HAProxy, sharing a key file.
type cluster struct {
	t    *testing.T
	ins  []*instance
	lb   *balancer
	keys string // access.sessionKeyFile
	op   string // the OpenID provider's issuer, "" without OIDC
}

func newKey() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// writeKeys replaces the key file by rename, as a rotation tool does.
func (c *cluster) writeKeys(keys ...string) {
	c.t.Helper()
	tmp := c.keys + ".new"
	if err := os.WriteFile(tmp, []byte("# newest first\n"+strings.Join(keys, "\n")+"\n"), 0o600); err != nil {
		c.t.Fatal(err)
	}
	if err := os.Rename(tmp, c.keys); err != nil {
		c.t.Fatal(err)
	}
}

// startCluster starts the provider (withOIDC), three instances and HAProxy.
func startCluster(t *testing.T, withOIDC bool, key string) *cluster {
	t.Helper()
	keyDir := filepath.Join(t.TempDir(), "keys")
	if err := os.Mkdir(keyDir, 0o700); err != nil {
		t.Fatal(err)
	}
	c := &cluster{t: t, keys: filepath.Join(keyDir, "session-keys")}
	c.writeKeys(key)
	lbAddr := freePort(t)
	access := fmt.Sprintf("access:\n  sessionKeyFile: %q\n  jwt:\n    hmacSecret: %q\n", c.keys, jwtSecret)
	if withOIDC {
		c.op = oidctest.Start(t, map[string]any{
			"clients": []map[string]any{{
				"client_id": "softphone", "token_endpoint_auth_method": "none",
				"redirect_uris":  []string{"https://" + lbAddr + "/auth/oidc/callback"},
				"grant_types":    []string{"authorization_code"},
				"response_types": []string{"code"},
			}},
			"users": []map[string]any{{"login": "agent7", "password": "agent7-password", "claims": map[string]any{
				"email": "agent7@example.com", "email_verified": true,
			}}},
		})
		access += fmt.Sprintf("  oidc:\n    issuer: %q\n    clientId: softphone\n    scopes: [openid, email]\n", c.op)
	}
	body := fmt.Sprintf("timeouts:\n  shutdownDelay: %s\n%sadvancedOptions:\n  defaultServerConfig:\n    sipDomain: multi.example.com\n    sipServerAddress: [\"wss://sbc.example.com:10081\"]\n",
		shutdownDelay, access)
	for i := range 3 {
		c.ins = append(c.ins, newInstance(t, fmt.Sprintf("softphone%d", i+1), body))
	}
	for i, in := range c.ins {
		for _, other := range c.ins[:i] {
			if in.cert == other.cert {
				t.Fatalf("%s and %s serve the same certificate; the test tells instances apart by it", in.name, other.name)
			}
		}
	}
	c.lb = startHAProxy(t, lbAddr, c.ins)
	return c
}

// callbackToken is what a JWT identity provider sends the browser back with.
func callbackToken(t *testing.T, sub string) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte(jwtSecret)}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tok, err := jwt.Signed(s).Claims(jwt.Claims{
		Subject: sub, ID: newKey()[:16], IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(5 * time.Minute)),
	}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// browser keeps cookies (cookies ignore ports: every instance gets them)
// and opens a connection per request, so that HAProxy balances each one.
type browser struct {
	t      *testing.T
	c      *cluster
	client *http.Client
}

func (c *cluster) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		c.t.Fatal(err)
	}
	cl := insecureClient()
	cl.Jar = jar
	return &browser{t: c.t, c: c, client: cl}
}

// page is one response: status, Location, body, and the instance that
// answered (by its certificate), "" when not softphone.
type page struct {
	status int
	url    *url.URL
	loc    *url.URL
	body   string
	by     string
}

func (b *browser) do(method, target string, form url.Values) page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html")
	req.Header.Set("Sec-Fetch-Mode", "navigate")
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	p := page{status: resp.StatusCode, url: req.URL, body: string(data)}
	if l := resp.Header.Get("Location"); l != "" {
		if p.loc, err = req.URL.Parse(l); err != nil {
			b.t.Fatalf("%s %s: bad Location %q", method, target, l)
		}
	}
	if resp.TLS != nil && len(resp.TLS.PeerCertificates) > 0 {
		sum := sha256.Sum256(resp.TLS.PeerCertificates[0].Raw)
		for _, in := range b.c.ins {
			if in.cert == sum {
				p.by = in.name
			}
		}
	}
	return p
}

func (b *browser) get(target string) page { return b.do(http.MethodGet, target, nil) }

// viaLB is a URL on the balancer.
func (c *cluster) viaLB(path string) string { return "https://" + c.lb.addr + path }

var formAction = regexp.MustCompile(`action="([^"]+)"`)

// submit posts the page's form whose action ends with suffix.
func (b *browser) submit(p page, suffix string, form url.Values) page {
	b.t.Helper()
	for _, m := range formAction.FindAllStringSubmatch(p.body, -1) {
		if strings.HasSuffix(m[1], suffix) {
			target, err := p.url.Parse(m[1])
			if err != nil {
				b.t.Fatal(err)
			}
			return b.do(http.MethodPost, target.String(), form)
		}
	}
	b.t.Fatalf("no form with action ending %q on %s:\n%s", suffix, p.url, p.body)
	return page{}
}

// follow makes GET requests along redirects until a page that is not a
// redirect, or one whose URL starts with stop.
func (b *browser) follow(p page, stop string) page {
	b.t.Helper()
	for i := 0; p.loc != nil && p.status >= 300 && p.status < 400; i++ {
		if i == 20 {
			b.t.Fatalf("more than 20 redirects, last to %s", p.loc)
		}
		if stop != "" && strings.HasPrefix(p.loc.String(), stop) {
			return p
		}
		p = b.get(p.loc.String())
	}
	return p
}

// statusOnEach loads the page from every instance directly.
func (b *browser) statusOnEach() map[string]int {
	got := map[string]int{}
	for _, in := range b.c.ins {
		got[in.name] = b.get("https://" + in.addr + "/index.html").status
	}
	return got
}

// wantOnEach checks that every instance answers the page with want.
func (b *browser) wantOnEach(what string, want int) {
	b.t.Helper()
	for name, got := range b.statusOnEach() {
		if got != want {
			b.t.Errorf("%s on %s: status %d, want %d", what, name, got, want)
		}
	}
}

// keyReloads counts, per instance, the key file reloads logged so far.
func (c *cluster) keyReloads() []int {
	n := make([]int, len(c.ins))
	for i, in := range c.ins {
		n[i] = in.logs.count("session key file reloaded")
	}
	return n
}

// waitKeyReload waits until every instance has logged one more reload
// than in before.
func (c *cluster) waitKeyReload(before []int) {
	c.t.Helper()
	if !waitFor(10*time.Second, func() bool {
		now := c.keyReloads()
		for i := range now {
			if now[i] <= before[i] {
				return false
			}
		}
		return true
	}) {
		c.t.Fatalf("not every instance reloaded the key file within 10 s: reloads %v, before %v", c.keyReloads(), before)
	}
}

// restartAll stops every instance at once, then starts them again.
func (c *cluster) restartAll() {
	c.t.Helper()
	errs := make([]error, len(c.ins))
	var wg sync.WaitGroup
	for i, in := range c.ins {
		wg.Go(func() { errs[i] = in.stop() })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		c.t.Fatal(err)
	}
	for _, in := range c.ins {
		in.start()
	}
	if !waitFor(20*time.Second, c.lb.allUp) {
		c.t.Fatalf("haproxy: not every server up within 20 s of the restart: %v", c.lb.status())
	}
}
