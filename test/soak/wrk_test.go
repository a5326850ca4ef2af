package soak

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/softphone/softphone/internal/testenv"
)

// wrkRequest is one request of wrk's round-robin mix.
type wrkRequest struct {
	path    string
	headers map[string]string
}

// wrkResult is what one wrk run reports.
type wrkResult struct {
	requests                       int
	rps                            float64
	connect, read, write, timeouts int
	bad                            int // status other than 2xx and 304
	p50, p99                       string
	output                         string
}

func (r wrkResult) errors() int { return r.connect + r.read + r.write + r.timeouts }

func (r wrkResult) String() string {
	return fmt.Sprintf("%d requests (%.0f/s, p50 %s, p99 %s), socket errors %d (connect %d, read %d, write %d, timeout %d), non-2xx/304 %d",
		r.requests, r.rps, r.p50, r.p99, r.errors(), r.connect, r.read, r.write, r.timeouts, r.bad)
}

// wrkScript cycles through reqs and counts every response whose status is
// neither 2xx nor 304 (wrk itself lets any 3xx pass).
const wrkScript = `
local reqs = {%s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
local i = 0
bad = 0
function request()
  i = i + 1
  local r = reqs[(i %% #reqs) + 1]
  return wrk.format("GET", r[1], r[2])
end
function response(status, headers, body)
  if not ((status >= 200 and status < 300) or status == 304) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  io.write(string.format("SOAK-BAD %%d\n", b))
end
`

func luaString(s string) string { return strconv.Quote(s) } // ASCII only, same escapes

// runWrk runs wrk against the server for d with conns connections.
func runWrk(ctx context.Context, t testing.TB, addr string, conns int, d time.Duration, reqs []wrkRequest) wrkResult {
	t.Helper()
	wrk := testenv.LookPath(t, "wrk")
	var items []string
	for _, r := range reqs {
		var hs []string
		for k, v := range r.headers {
			hs = append(hs, fmt.Sprintf("[%s] = %s", luaString(k), luaString(v)))
		}
		items = append(items, fmt.Sprintf("{%s, {%s}}", luaString(r.path), strings.Join(hs, ", ")))
	}
	script := filepath.Join(t.TempDir(), "mix.lua")
	if err := os.WriteFile(script, []byte(fmt.Sprintf(wrkScript, strings.Join(items, ", "))), 0o600); err != nil {
		t.Fatal(err)
	}
	secs := int(d.Round(time.Second) / time.Second)
	cmd := exec.CommandContext(ctx, wrk, "-t2", "-c"+strconv.Itoa(conns), "-d"+strconv.Itoa(secs)+"s",
		"--timeout", "5s", "--latency", "-s", script, "https://"+addr+"/")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("wrk: %v\n%s", err, out)
	}
	return parseWrk(t, string(out))
}

var (
	wrkRequests = regexp.MustCompile(`(\d+) requests in`)
	wrkRPS      = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	wrkSocket   = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
	wrkBad      = regexp.MustCompile(`SOAK-BAD (\d+)`)
	wrkP50      = regexp.MustCompile(`(?m)^\s+50%\s+(\S+)`)
	wrkP99      = regexp.MustCompile(`(?m)^\s+99%\s+(\S+)`)
)

func parseWrk(t testing.TB, out string) wrkResult {
	t.Helper()
	r := wrkResult{output: out}
	m := wrkRequests.FindStringSubmatch(out)
	b := wrkBad.FindStringSubmatch(out)
	if m == nil || b == nil {
		t.Fatalf("cannot read wrk's output:\n%s", out)
	}
	r.requests, _ = strconv.Atoi(m[1])
	r.bad, _ = strconv.Atoi(b[1])
	if m := wrkRPS.FindStringSubmatch(out); m != nil {
		r.rps, _ = strconv.ParseFloat(m[1], 64)
	}
	if m := wrkSocket.FindStringSubmatch(out); m != nil {
		r.connect, _ = strconv.Atoi(m[1])
		r.read, _ = strconv.Atoi(m[2])
		r.write, _ = strconv.Atoi(m[3])
		r.timeouts, _ = strconv.Atoi(m[4])
	}
	if m := wrkP50.FindStringSubmatch(out); m != nil {
		r.p50 = m[1]
	}
	if m := wrkP99.FindStringSubmatch(out); m != nil {
		r.p99 = m[1]
	}
	return r
}

// pageMix is what an agent's browser loads, in every encoding and as
// revalidations: all answers are 200 or 304.
func pageMix(t testing.TB, s *server) []wrkRequest {
	t.Helper()
	bundle := s.bundlePath(t, "/")
	req, _ := http.NewRequest("GET", s.url(bundle), nil)
	req.Header.Set("Accept-Encoding", "br")
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	etag := resp.Header.Get("Etag")
	br := map[string]string{"Accept-Encoding": "gzip, deflate, br"}
	return []wrkRequest{
		{"/", br},
		{bundle, br},
		{"/static/js/advancedOptions.js", br},
		{"/static/localization/strings-default.json", map[string]string{"Accept-Encoding": "gzip"}},
		{bundle, map[string]string{"Accept-Encoding": "identity"}},
		{"/index.html", map[string]string{"Accept-Encoding": "gzip"}},
		{bundle, map[string]string{"Accept-Encoding": "br", "If-None-Match": etag}},
		{"/images/logo.svg", br},
		{"/healthz", nil},
	}
}
