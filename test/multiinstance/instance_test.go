package multiinstance

import (
	"bufio"
	"crypto/sha256"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// instance is one softphone process, restartable on the same port, folder
// and config: its self-signed certificate stays in its stateDir, so the
// certificate a client sees tells which instance answered.
type instance struct {
	t       *testing.T
	name    string
	addr    string
	metrics string // metrics.listen, to count the requests served
	dir     string
	cfgPath string
	logs    *lineLog
	cert    [32]byte // SHA-256 of the served certificate

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
	err    error
}

func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// newInstance writes the config (header + body) and starts softphone.
func newInstance(t *testing.T, name, body string) *instance {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	in := &instance{t: t, name: name, addr: freePort(t), metrics: freePort(t), dir: dir, cfgPath: filepath.Join(dir, "softphone.yaml"), logs: &lineLog{}}
	head := fmt.Sprintf("listen: %q\nredirectListen: \"\"\nstateDir: %q\nlog:\n  access: \"off\"\nmetrics:\n  listen: %q\n",
		in.addr, filepath.Join(dir, "state"), in.metrics)
	if err := os.WriteFile(in.cfgPath, []byte(head+body), 0o600); err != nil {
		t.Fatal(err)
	}
	in.start()
	t.Cleanup(func() {
		in.kill()
		if t.Failed() {
			t.Logf("%s log (last lines):\n%s", name, in.logs.tail(30))
		}
	})
	cs := in.probe()
	in.cert = sha256.Sum256(cs.PeerCertificates[0].Raw)
	return in
}

// start runs softphone and waits until /readyz answers 200.
func (in *instance) start() {
	t := in.t
	t.Helper()
	cmd := exec.Command(binary, "serve", "--config", in.cfgPath)
	cmd.Env = append(os.Environ(), "HOME="+in.dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	in.mu.Lock()
	in.cmd, in.exited = cmd, exited
	in.mu.Unlock()
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			in.logs.add(sc.Text())
		}
		err := cmd.Wait()
		in.mu.Lock()
		in.err = err
		in.mu.Unlock()
		close(exited)
	}()
	client := insecureClient()
	defer client.CloseIdleConnections()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := client.Get("https://" + in.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		select {
		case <-exited:
			t.Fatalf("%s exited before serving: %v\n%s", in.name, in.err, in.logs.tail(30))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready within 20 s: %v\n%s", in.name, err, in.logs.tail(30))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop sends SIGTERM and waits for a clean exit. It may run in any
// goroutine.
func (in *instance) stop() error {
	in.mu.Lock()
	cmd, exited := in.cmd, in.exited
	in.mu.Unlock()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("%s: SIGTERM: %w", in.name, err)
	}
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		return fmt.Errorf("%s did not stop within 30 s of SIGTERM", in.name)
	}
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.err != nil {
		return fmt.Errorf("%s exited with %v:\n%s", in.name, in.err, in.logs.tail(30))
	}
	return nil
}

func (in *instance) restart() {
	in.t.Helper()
	if err := in.stop(); err != nil {
		in.t.Fatal(err)
	}
	in.start()
}

func (in *instance) kill() {
	in.mu.Lock()
	cmd, exited := in.cmd, in.exited
	in.mu.Unlock()
	if cmd == nil {
		return
	}
	select {
	case <-exited:
	default:
		cmd.Process.Kill()
		<-exited
	}
}

var requestsTotal = regexp.MustCompile(`(?m)^softphone_http_requests_total\{[^}]*\} (\S+)$`)

// requests is how many requests this process has served (0 while it is
// down; a restart starts from 0).
func (in *instance) requests() int {
	resp, err := http.Get("http://" + in.metrics + "/metrics")
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	n := 0.0
	for _, m := range requestsTotal.FindAllStringSubmatch(string(body), -1) {
		v, _ := strconv.ParseFloat(m[1], 64)
		n += v
	}
	return int(n)
}

// probe connects directly and returns the TLS state.
func (in *instance) probe() tls.ConnectionState {
	in.t.Helper()
	c, err := tls.Dial("tcp", in.addr, &tls.Config{InsecureSkipVerify: true})
	if err != nil {
		in.t.Fatalf("%s: %v", in.name, err)
	}
	defer c.Close()
	return c.ConnectionState()
}

// insecureClient speaks HTTP/1.1 over TLS without checking certificates
// (each instance has its own self-signed one), follows no redirect, and
// opens a new connection per request, so that each request is balanced
// on its own.
func insecureClient() *http.Client {
	return &http.Client{
		Timeout: 15 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig:   &tls.Config{InsecureSkipVerify: true},
			DisableKeepAlives: true,
			TLSNextProto:      map[string]func(string, *tls.Conn) http.RoundTripper{},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// lineLog keeps a process's stderr lines for the test to search.
type lineLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *lineLog) add(line string) {
	l.mu.Lock()
	l.lines = append(l.lines, line)
	l.mu.Unlock()
}

func (l *lineLog) count(substr string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		if strings.Contains(line, substr) {
			n++
		}
	}
	return n
}

func (l *lineLog) tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines[max(0, len(l.lines)-n):], "\n")
}

// waitFor polls cond every 20 ms until it holds or d passes.
func waitFor(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(20 * time.Millisecond)
	}
	return cond()
}
