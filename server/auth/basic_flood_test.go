package auth

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/softphone/softphone/server/auth/htpasswd"
	"github.com/softphone/softphone/server/reqinfo"
)

// gateServer serves g over HTTPS with HTTP/2 on loopback, as the real
// listener does, and counts the TCP connections it accepted.
func gateServer(t *testing.T, g *Gate) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var conns atomic.Int64
	protected := g.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("protected"))
	}))
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, _ = reqinfo.Attach(r)
		protected.ServeHTTP(w, r)
	}))
	srv.EnableHTTP2 = true
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv, &conns
}

// clientFrom returns a client with connections of its own, dialled from
// the loopback address ip (127.0.0.0/8 is all local), so that the server
// sees distinct client addresses.
func clientFrom(srv *httptest.Server, ip string) *http.Client {
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.ForceAttemptHTTP2 = true
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} // the test server's own certificate
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	tr.DialContext = d.DialContext
	return &http.Client{Transport: tr}
}

func getAs(t *testing.T, c *http.Client, url, user, pass string) (int, http.Header) {
	req, _ := http.NewRequest(http.MethodGet, url+"/index.html", nil)
	req.SetBasicAuth(user, pass)
	res, err := c.Do(req)
	if err != nil {
		t.Errorf("GET as %s: %v", user, err)
		return 0, nil
	}
	res.Body.Close()
	return res.StatusCode, res.Header
}

// budget is how many password checks a limit of burst, refilling one per
// every, allows in elapsed.
func budget(burst int, every, elapsed time.Duration) int64 {
	return int64(burst) + int64(elapsed/every) + 1
}

// TestBasicParallelGuessesOneConnection sends 60 wrong passwords at once
// on one HTTP/2 connection: only the failure budget may be checked, the
// rest are refused with 429 before any hash is computed.
func TestBasicParallelGuessesOneConnection(t *testing.T) {
	path := writeHtpasswd(t, hashLine(t, "agent", "right"))
	g := newGate(t, Config{BasicAuth: BasicAuthConfig{HtpasswdFile: path, FailureBurst: 10, FailureInterval: time.Minute}}, "/")
	srv, conns := gateServer(t, g)
	c := clientFrom(srv, "127.0.0.1")
	// One request first, so that the 60 share its connection.
	if code, _ := getAs(t, c, srv.URL, "agent", "right"); code != http.StatusOK {
		t.Fatalf("right password: status %d, want 200", code)
	}
	before := g.basic.checks.Load()

	start := time.Now()
	codes := make(chan int, 60)
	var wg sync.WaitGroup
	for i := range 60 {
		wg.Go(func() {
			code, _ := getAs(t, c, srv.URL, "agent", "guess"+strconv.Itoa(i))
			codes <- code
		})
	}
	wg.Wait()
	close(codes)
	elapsed := time.Since(start)
	count := map[int]int{}
	for code := range codes {
		count[code]++
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("the requests used %d connections, want 1 (HTTP/2)", n)
	}
	checked := g.basic.checks.Load() - before
	if max := budget(10, time.Minute, elapsed); checked > max {
		t.Errorf("60 parallel guesses: %d password checks, want at most %d", checked, max)
	}
	if count[http.StatusUnauthorized] != int(checked) || count[http.StatusTooManyRequests] != 60-int(checked) {
		t.Errorf("60 parallel guesses: %v with %d checks, want one 401 per check and 429 for the rest", count, checked)
	}
}

// TestBasicFloodFromManyClients runs 40 clients guessing from one address
// while an agent signs in from another: the guesses stay within the
// failure budget, and the agent is let in without waiting behind them.
func TestBasicFloodFromManyClients(t *testing.T) {
	slow, err := htpasswd.HashLine("agent", "right", 10) // each check takes tens of ms
	if err != nil {
		t.Fatal(err)
	}
	boss, err := htpasswd.HashLine("boss", "secret", 4)
	if err != nil {
		t.Fatal(err)
	}
	path := writeHtpasswd(t, slow, boss)
	// A short interval, so that the budget refills several times during
	// the flood: each refill must let one guess through, not one per client.
	const every = 200 * time.Millisecond
	g := newGate(t, Config{BasicAuth: BasicAuthConfig{HtpasswdFile: path, FailureBurst: 10, FailureInterval: every}}, "/")
	srv, _ := gateServer(t, g)

	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var sent atomic.Int64
	start := time.Now()
	for i := range 40 {
		c := clientFrom(srv, "127.0.0.1")
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; n++ {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/", nil)
				req.SetBasicAuth("agent", "guess-"+strconv.Itoa(i)+"-"+strconv.Itoa(n))
				if res, err := c.Do(req); err == nil {
					res.Body.Close()
					sent.Add(1)
				}
			}
		})
	}
	// Let the flood build up, then sign in from another address.
	for sent.Load() < 200 && time.Since(start) < 30*time.Second {
		time.Sleep(10 * time.Millisecond)
	}
	// The time a request that needs no password check takes under the
	// same load (a new client, a TLS handshake) is the baseline.
	t0 := time.Now()
	if res, err := clientFrom(srv, "127.0.0.3").Get(srv.URL + "/healthz"); err == nil {
		res.Body.Close()
	}
	baseline := time.Since(t0)
	t0 = time.Now()
	code, _ := getAs(t, clientFrom(srv, "127.0.0.2"), srv.URL, "boss", "secret")
	took := time.Since(t0)
	// Keep the flood going a while, so the budget refills a few times.
	time.Sleep(5 * every)
	stop()
	wg.Wait()
	elapsed := time.Since(start)

	if code != http.StatusOK {
		t.Errorf("agent signing in from another address during the flood: status %d, want 200", code)
	}
	// Behind an unbounded queue the agent would wait for dozens of checks;
	// behind the bounded one, for a few at most.
	if took > baseline+raceSlowdown*3*time.Second {
		t.Errorf("agent signing in from another address during the flood took %s (a request without a check %s), want it not to wait behind the guesses", took, baseline)
	}
	// The agent's own check is one; the guesses share one user's budget.
	if checked, max := g.basic.checks.Load(), budget(10, every, elapsed)+1; checked > max {
		t.Errorf("%d guesses by 40 clients in %s: %d password checks, want at most %d", sent.Load(), elapsed.Round(time.Millisecond), checked, max)
	}
}

// TestBasicQueueBounded holds every hashing slot busy and sends more logins
// than may wait for one: those beyond the bound are refused at once with
// 429 and Retry-After instead of queueing.
func TestBasicQueueBounded(t *testing.T) {
	path := writeHtpasswd(t, hashLine(t, "agent", "right"))
	g := newGate(t, Config{BasicAuth: BasicAuthConfig{HtpasswdFile: path}}, "/")
	slots := runtime.GOMAXPROCS(0)
	for range slots {
		g.basic.queue.slots <- struct{}{} // as if long checks were running
	}
	// Checks running and waiting share the bound; here the running ones
	// are the test's, so all of it is left for waiting logins.
	waiting := slots * (1 + queuePerCPU)
	var wg sync.WaitGroup
	results := make(chan result, waiting)
	for i := range waiting {
		// Distinct addresses, so that no failure limit plays a part.
		// Distinct guesses, so that no check is shared.
		r := basicReq("agent", "guess"+strconv.Itoa(i), "10.1."+strconv.Itoa(i/250)+"."+strconv.Itoa(i%250+1)+":1")
		wg.Go(func() { results <- do(g, r) })
	}
	deadline := time.Now().Add(10 * time.Second)
	for g.basic.queue.len() < waiting {
		if time.Now().After(deadline) {
			t.Fatalf("%d logins waiting, want %d", g.basic.queue.len(), waiting)
		}
		time.Sleep(10 * time.Millisecond)
	}
	over := make(chan result, 1)
	go func() { over <- do(g, basicReq("agent", "right", "10.9.9.9:1")) }()
	select {
	case res := <-over:
		if res.code != http.StatusTooManyRequests || res.hdr.Get("Retry-After") != "1" || res.info.Gate != "denied:busy" {
			t.Errorf("login beyond the queue: status %d Retry-After %q gate %q, want 429, 1, denied:busy",
				res.code, res.hdr.Get("Retry-After"), res.info.Gate)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("login beyond the queue waited instead of being refused")
	}
	for range slots {
		<-g.basic.queue.slots
	}
	wg.Wait()
	close(results)
	for res := range results {
		if res.code != http.StatusUnauthorized {
			t.Errorf("a queued login: status %d, want 401 (checked, not refused)", res.code)
		}
	}
	// The refused login was not counted as a failure.
	if res := do(g, basicReq("agent", "right", "10.9.9.9:1")); res.code != http.StatusOK {
		t.Errorf("the refused login retried: status %d, want 200", res.code)
	}
}

// TestBasicFailuresPerUser: agents share one address behind a NAT. One
// agent's wrong passwords lock that agent out at that address, not the
// others; a guesser spraying user names hits the looser per-address limit,
// which still lets in a login already verified and remembered.
func TestBasicFailuresPerUser(t *testing.T) {
	path := writeHtpasswd(t, hashLine(t, "agent", "right"), hashLine(t, "wde", "other"), hashLine(t, "third", "pw3"))
	g := newGate(t, Config{BasicAuth: BasicAuthConfig{HtpasswdFile: path, FailureBurst: 10, FailureInterval: time.Minute}}, "/")
	now := time.Unix(1_800_000_000, 0)
	g.now = func() time.Time { return now }
	const nat = "198.51.100.7:5555"

	for i := range 10 {
		if res := do(g, basicReq("agent", "typo"+strconv.Itoa(i), nat)); res.code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: status %d, want 401", i+1, res.code)
		}
	}
	if res := do(g, basicReq("agent", "right", nat)); res.code != http.StatusTooManyRequests {
		t.Errorf("agent's right password after 10 failures: status %d, want 429", res.code)
	}
	if res := do(g, basicReq("wde", "other", nat)); res.code != http.StatusOK {
		t.Errorf("another user's right password from the same address: status %d, want 200", res.code)
	}
	// A guesser sprays user names: the address as a whole is limited at
	// five times one user's budget.
	codes := map[int]int{}
	for i := range 60 {
		codes[do(g, basicReq("user"+strconv.Itoa(i), "guess", nat)).code]++
	}
	if codes[http.StatusUnauthorized] != 40 || codes[http.StatusTooManyRequests] != 20 {
		t.Errorf("60 user names sprayed after 10 failures: %v, want 40×401 then 20×429", codes)
	}
	if res := do(g, basicReq("third", "pw3", nat)); res.code != http.StatusTooManyRequests {
		t.Errorf("an unverified login from the exhausted address: status %d, want 429", res.code)
	}
	if res := do(g, basicReq("wde", "other", nat)); res.code != http.StatusOK {
		t.Errorf("a verified, remembered login from the exhausted address: status %d, want 200", res.code)
	}
	if res := do(g, basicReq("third", "pw3", "203.0.113.9:1")); res.code != http.StatusOK {
		t.Errorf("right password from another address: status %d, want 200", res.code)
	}
}

// TestBasicQueueShare: one address holds at most two places per CPU in
// the queue, so its flood leaves room for logins from elsewhere.
func TestBasicQueueShare(t *testing.T) {
	path := writeHtpasswd(t, hashLine(t, "agent", "right"))
	g := newGate(t, Config{BasicAuth: BasicAuthConfig{HtpasswdFile: path}}, "/")
	slots := runtime.GOMAXPROCS(0)
	for range slots {
		g.basic.queue.slots <- struct{}{}
	}
	share := 2 * slots
	var wg sync.WaitGroup
	for i := range share {
		wg.Go(func() { do(g, basicReq("agent", "guess"+strconv.Itoa(i), "192.0.2.50:1")) })
	}
	deadline := time.Now().Add(10 * time.Second)
	for g.basic.queue.len() < share {
		if time.Now().After(deadline) {
			t.Fatalf("%d logins waiting, want %d", g.basic.queue.len(), share)
		}
		time.Sleep(10 * time.Millisecond)
	}
	more := make(chan result, 1)
	go func() { more <- do(g, basicReq("agent", "guess-more", "192.0.2.50:2")) }()
	select {
	case res := <-more:
		if res.code != http.StatusTooManyRequests || res.info.Gate != "denied:busy" {
			t.Errorf("one more login from the same address: status %d gate %q, want 429 denied:busy", res.code, res.info.Gate)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("one more login from the same address waited instead of being refused")
	}
	other := make(chan result, 1)
	go func() { other <- do(g, basicReq("agent", "right", "192.0.2.51:1")) }()
	for g.basic.queue.len() < share+1 {
		if time.Now().After(deadline) {
			t.Fatalf("a login from another address was not queued (%d waiting)", g.basic.queue.len())
		}
		time.Sleep(10 * time.Millisecond)
	}
	for range slots {
		<-g.basic.queue.slots
	}
	wg.Wait()
	if res := <-other; res.code != http.StatusOK {
		t.Errorf("the login from another address: status %d, want 200", res.code)
	}
}

// TestBasicSameCredentialsShareACheck: a page's assets requested at once
// with credentials not yet remembered share one password check, instead
// of each taking a place in the queue (and some being refused as busy).
func TestBasicSameCredentialsShareACheck(t *testing.T) {
	path := writeHtpasswd(t, hashLine(t, "agent", "right"))
	g := newGate(t, Config{BasicAuth: BasicAuthConfig{HtpasswdFile: path}}, "/")
	slots := runtime.GOMAXPROCS(0)
	for range slots {
		g.basic.queue.slots <- struct{}{} // the first check has to wait
	}
	n := 6 * slots // more than one address's share of the queue
	var wg sync.WaitGroup
	results := make(chan result, n)
	for i := range n {
		r := basicReq("agent", "right", "192.0.2.60:"+strconv.Itoa(1000+i))
		wg.Go(func() { results <- do(g, r) })
	}
	deadline := time.Now().Add(10 * time.Second)
	for g.basic.queue.len() < 1 {
		if time.Now().After(deadline) {
			t.Fatalf("no check waiting for a slot")
		}
		time.Sleep(10 * time.Millisecond)
	}
	for g.basic.joined.Load() < int64(n-1) {
		if time.Now().After(deadline) {
			t.Fatalf("%d requests wait for the shared check, want %d", g.basic.joined.Load(), n-1)
		}
		time.Sleep(10 * time.Millisecond)
	}
	for range slots {
		<-g.basic.queue.slots
	}
	wg.Wait()
	close(results)
	count := map[int]int{}
	for res := range results {
		count[res.code]++
	}
	if count[http.StatusOK] != n {
		t.Errorf("%d parallel requests with the same right credentials: %v, want all 200", n, count)
	}
	if c := g.basic.checks.Load(); c != 1 {
		t.Errorf("%d password checks for one set of credentials, want 1", c)
	}
}
