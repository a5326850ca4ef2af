// Package oidctest starts the OpenID provider harness beside it
// (provider.mjs, around the npm package oidc-provider) for Go tests. Its npm
// packages come from `make node-deps` (npm ci from the committed lockfile),
// never from a test.
package oidctest

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/softphone/softphone/internal/testenv"
)

// Start runs the provider with cfg (provider.mjs reads it as JSON) until
// the test ends, and returns its issuer URL.
func Start(t *testing.T, cfg any) string {
	t.Helper()
	node := testenv.LookPath(t, "node", "nodejs")
	_, self, _, _ := runtime.Caller(0)
	dir := filepath.Dir(self)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "oidc-provider", "package.json")); err != nil {
		testenv.Missing(t, "oidc-provider in test/oidctest/node_modules (make node-deps runs npm ci there)")
	}
	data, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfgFile := filepath.Join(t.TempDir(), "provider.json")
	if err := os.WriteFile(cfgFile, data, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, filepath.Join(dir, "provider.mjs"), cfgFile)
	cmd.Dir = dir
	stdin, err := cmd.StdinPipe() // the harness stops when this closes
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr testenv.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		stdin.Close()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("oidc-provider stderr:\n%s", stderr.String())
		}
	})
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, stdout)
	}()
	select {
	case line, ok := <-lines:
		var ready struct{ Issuer string }
		if !ok || json.Unmarshal([]byte(line), &ready) != nil || ready.Issuer == "" {
			t.Fatalf("oidc-provider did not start: first line %q; stderr:\n%s", line, stderr.String())
		}
		return ready.Issuer
	case <-time.After(60 * time.Second):
		t.Fatalf("oidc-provider did not start within 60 s; stderr:\n%s", stderr.String())
	}
	return ""
}
