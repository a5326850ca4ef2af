package soak

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// server is a softphone process started by a test.
type server struct {
	cmd     *exec.Cmd
	addr    string // host:port of the HTTPS listener
	dir     string // the test's folder: config, state, logs
	cfgPath string
	logs    *lineLog
	client  *http.Client // HTTP/2 over TLS, certificates not checked
	exited  chan struct{}
	exitErr error
}

// serverConfig is the part of softphone.yaml a test chooses; listen,
// stateDir and the logs are filled in by startServer.
type serverConfig struct {
	body string // YAML appended after the generated keys
}

// clientSection is a valid advancedOptions section naming sipDomain.
func clientSection(sipDomain string) string {
	return fmt.Sprintf(`advancedOptions:
  defaultServerConfig:
    sipDomain: %s
    sipServerAddress: ["wss://sbc.example.com:10081"]
`, sipDomain)
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

// configHeader is the generated start of every soak config.
func configHeader(addr, dir string) string {
	return fmt.Sprintf("listen: %q\nredirectListen: \"\"\nstateDir: %q\nlog:\n  access: \"off\"\n",
		addr, filepath.Join(dir, "state"))
}

// writeFileAtomic writes through a temporary file and a rename, as
// editors and configuration tools do.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// startServer writes the config into dir (t.TempDir() when "") and runs
// `softphone serve` on it until /healthz answers.
func startServer(t testing.TB, dir string, cfg serverConfig) *server {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	addr := freePort(t)
	s := &server{addr: addr, dir: dir, cfgPath: filepath.Join(dir, "softphone.yaml"), logs: &lineLog{}, exited: make(chan struct{})}
	if err := os.WriteFile(s.cfgPath, []byte(configHeader(addr, dir)+cfg.body), 0o600); err != nil {
		t.Fatal(err)
	}
	s.cmd = exec.Command(binary, "serve", "--config", s.cfgPath)
	s.cmd.Env = append(os.Environ(), "HOME="+dir)
	dieWithTest(s.cmd)
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			s.logs.add(sc.Text())
		}
	}()
	go func() {
		<-copied
		s.exitErr = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			s.cmd.Process.Kill()
			<-s.exited
		}
		if t.Failed() {
			t.Logf("softphone log (last lines):\n%s", s.logs.tail(40))
		}
	})
	s.client = &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig:   &tls.Config{InsecureSkipVerify: true},
			ForceAttemptHTTP2: true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	t.Cleanup(s.client.CloseIdleConnections)
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := s.client.Get(s.url("/healthz"))
		if err == nil {
			resp.Body.Close()
			return s
		}
		select {
		case <-s.exited:
			t.Fatalf("softphone exited before serving: %v\n%s", s.exitErr, s.logs.tail(40))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("softphone did not come up: %v\n%s", err, s.logs.tail(40))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *server) url(path string) string { return "https://" + s.addr + path }

func (s *server) port() string {
	_, p, _ := net.SplitHostPort(s.addr)
	return p
}

// get fetches path and returns the status and body.
func (s *server) get(t testing.TB, path string) (int, []byte) {
	t.Helper()
	resp, err := s.client.Get(s.url(path))
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", path, err)
	}
	return resp.StatusCode, b
}

// bundlePath is the served path of the web client's main JS bundle, the
// largest file, read from index.html.
func (s *server) bundlePath(t testing.TB, base string) string {
	t.Helper()
	_, index := s.get(t, base)
	m := regexp.MustCompile(`static/js/index\.[A-Za-z0-9_-]+\.js`).Find(index)
	if m == nil {
		t.Fatalf("index.html names no static/js/index.*.js bundle:\n%s", index)
	}
	return base + string(m)
}

// pid is the server's process id.
func (s *server) pid() int { return s.cmd.Process.Pid }

// signal sends sig to the server.
func (s *server) signal(t testing.TB, sig syscall.Signal) {
	t.Helper()
	if err := s.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("signal %v: %v", sig, err)
	}
}

// waitExit waits up to d for the process to end and returns its error.
func (s *server) waitExit(d time.Duration) (error, bool) {
	select {
	case <-s.exited:
		return s.exitErr, true
	case <-time.After(d):
		return nil, false
	}
}

// lineLog keeps the server's stderr lines for the test to search.
type lineLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *lineLog) add(line string) {
	l.mu.Lock()
	l.lines = append(l.lines, line)
	l.mu.Unlock()
}

// count returns how many lines contain substr.
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
	from := max(0, len(l.lines)-n)
	return strings.Join(l.lines[from:], "\n")
}

// waitFor polls cond every 5 ms until it holds or d passes; it returns
// how long that took and whether cond held.
func waitFor(d time.Duration, cond func() bool) (time.Duration, bool) {
	start := time.Now()
	for {
		if cond() {
			return time.Since(start), true
		}
		if time.Since(start) > d {
			return time.Since(start), false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// isRefused reports whether err is a refused TCP connection.
func isRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED)
}

// dialTLS opens a TLS connection speaking HTTP/1.1.
func dialTLS(ctx context.Context, addr string) (*tls.Conn, error) {
	d := tls.Dialer{Config: &tls.Config{InsecureSkipVerify: true, NextProtos: []string{"http/1.1"}}}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	return c.(*tls.Conn), nil
}

// readAll reads a response body, "" on error.
func readAll(resp *http.Response) string {
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return ""
	}
	return string(b)
}
