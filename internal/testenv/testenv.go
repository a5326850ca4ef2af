// Package testenv finds the real programs tests talk to (nginx, Kamailio,
// Chromium, Pebble, htpasswd...). Tests never install anything: .ci/run
// installs the Debian packages up front. A missing program skips the test
// with a loud notice, except under CI=true, where it fails: CI must never
// pass by skipping the real part.
package testenv

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// CI reports whether the tests run under continuous integration (CI=true),
// where a missing real part is a failure, not a skip.
func CI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v == "true" || v == "1" || v == "yes"
}

// LookPath returns the path of binary, looked up on PATH and in the sbin
// folders where some packages put their programs. A missing program is
// never installed from a test: .ci/run installs the Debian packages pkgs
// (named like the binary when none are given) before the tests run, and
// the test is skipped loudly, or fails under CI=true.
func LookPath(t testing.TB, binary string, pkgs ...string) string {
	t.Helper()
	if p, err := exec.LookPath(binary); err == nil {
		return p
	}
	for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
		if _, err := os.Stat(dir + "/" + binary); err == nil {
			return dir + "/" + binary
		}
	}
	if len(pkgs) == 0 {
		pkgs = []string{binary}
	}
	Missing(t, binary+" (Debian: "+strings.Join(pkgs, " ")+"; .ci/run installs it)")
	return ""
}

// Missing skips the test with a loud notice, or fails it under CI=true.
func Missing(t testing.TB, what string) {
	t.Helper()
	if CI() {
		t.Fatalf("REAL PART MISSING under CI=true: %s", what)
	}
	t.Skipf("SKIPPED, real part missing: %s (CI=true makes this a failure)", what)
}
