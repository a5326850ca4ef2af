package multiinstance

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/softphone/softphone/internal/testenv"
)

// wrkScript sends the pages an agent loads, with the session cookie, in
// turn, and counts every response that is not 2xx.
const wrkScript = `
local paths = {"/", "/static/js/advancedOptions.js", "/index.html", "/static/localization/strings-default.json"}
local threads = {}
function setup(thread) table.insert(threads, thread) end
local i = 0
non2xx = 0
function request()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["Cookie"] = %q, ["Accept-Encoding"] = "gzip, br"})
end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local n = 0
  for _, t in ipairs(threads) do n = n + t:get("non2xx") end
  io.write(string.format("MULTI-NON2XX %%d\n", n))
end
`

var (
	wrkRequests = regexp.MustCompile(`(\d+) requests in ([\d.]+\w+)`)
	wrkSocket   = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkNon2xx   = regexp.MustCompile(`MULTI-NON2XX (\d+)`)
	wrkRPS      = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
)

// TestRollingRestartUnderLoad restarts each instance in turn (SIGTERM,
// then a new process) while wrk loads signed-in pages through HAProxy:
// no request fails and no connection breaks. Each instance is restarted
// only once HAProxy has the previous one back.
func TestRollingRestartUnderLoad(t *testing.T) {
	wrk := testenv.LookPath(t, "wrk")
	c := startCluster(t, false, newKey())
	b := c.browser()
	if p := b.get(c.viaLB("/auth/callback?jwt=" + callbackToken(t, "agent-7"))); p.status != http.StatusSeeOther {
		t.Fatalf("JWT callback: status %d", p.status)
	}
	var session string
	for _, ck := range b.client.Jar.Cookies(mustURL(t, c.viaLB("/"))) {
		if ck.Name == "softphone_session" {
			session = ck.Name + "=" + ck.Value
		}
	}
	if session == "" {
		t.Fatal("no session cookie after the callback")
	}
	script := filepath.Join(t.TempDir(), "agent.lua")
	if err := os.WriteFile(script, []byte(fmt.Sprintf(wrkScript, session)), 0o600); err != nil {
		t.Fatal(err)
	}

	// wrk runs until it is interrupted (SIGINT makes it stop and report);
	// the 120 s duration only bounds a test that went wrong.
	var out testenv.Buffer
	cmd := exec.Command(wrk, "-t2", "-c16", "-d120s", "--timeout", "10s", "-s", script, c.viaLB("/"))
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var wrkErr error
	go func() { wrkErr = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		select {
		case <-done:
		default:
			cmd.Process.Kill()
			<-done
		}
	})
	// Load is flowing once the instances served a few hundred requests
	// more (each request counts on one instance; wrk's 16 connections
	// start spread over all three).
	const flowing = 300
	flows := func(each bool) bool {
		base := make([]int, len(c.ins))
		for i, in := range c.ins {
			base[i] = in.requests()
		}
		return waitFor(20*time.Second, func() bool {
			sum := 0
			for i, in := range c.ins {
				n := in.requests() - base[i]
				if each && n < flowing {
					return false
				}
				sum += max(n, 0)
			}
			return sum >= flowing
		})
	}
	if !flows(true) {
		t.Fatal("wrk's load did not reach every instance within 20 s")
	}
	for _, in := range c.ins {
		drains := in.logs.count("/readyz answers 503")
		in.restart()
		if in.logs.count("/readyz answers 503") != drains+1 {
			t.Errorf("%s: no shutdown delay logged during its restart", in.name)
		}
		if !waitFor(20*time.Second, func() bool { return c.lb.isUp(in.name) }) {
			t.Fatalf("haproxy: %s not up within 20 s of its restart: %v", in.name, c.lb.status())
		}
		select {
		case <-done:
			t.Fatalf("wrk ended during the rolling restart (%v):\n%s", wrkErr, out.String())
		default:
		}
	}
	// The load goes on over the restarted instances before wrk reports.
	// Keep-alive connections stay where they reconnected to (the last
	// instance restarted may have none): the load as a whole goes on.
	if !flows(false) {
		t.Fatal("wrk's load did not go on after the rolling restart")
	}
	cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-done:
		if wrkErr != nil {
			t.Fatalf("wrk: %v\n%s", wrkErr, out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("wrk did not stop within 30 s of SIGINT")
	}

	report := out.String()
	m, sock, bad := wrkRequests.FindStringSubmatch(report), wrkSocket.FindStringSubmatch(report), wrkNon2xx.FindStringSubmatch(report)
	if m == nil || bad == nil {
		t.Fatalf("cannot read wrk's output:\n%s", report)
	}
	requests, _ := strconv.Atoi(m[1])
	non2xx, _ := strconv.Atoi(bad[1])
	socketErrs := "connect 0, read 0, write 0, timeout 0" // wrk prints the line only when there are some
	if sock != nil {
		socketErrs = fmt.Sprintf("connect %s, read %s, write %s, timeout %s", sock[1], sock[2], sock[3], sock[4])
	}
	rps := ""
	if r := wrkRPS.FindStringSubmatch(report); r != nil {
		rps = r[1]
	}
	fmt.Printf("MULTI rolling restart of 3 instances behind haproxy under wrk: %d requests in %s (%s/s), non-2xx %d, socket errors: %s\n",
		requests, m[2], rps, non2xx, socketErrs)
	if requests < 100 {
		t.Errorf("only %d requests: the load did not run", requests)
	}
	if non2xx != 0 || sock != nil {
		t.Errorf("rolling restart under load: %d non-2xx responses, socket errors: %s; want none\n%s", non2xx, socketErrs, report)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
