// Package testenv gives tests the real programs they talk to (nginx, Kamailio,
// Chromium, Pebble, htpasswd...). A missing program is installed from Debian's
// packages when the test runs as root with apt-get; otherwise the test is
// skipped with a loud notice, except under CI=true, where it fails: CI must
// never pass by skipping the real part.
package testenv

import (
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// CI reports whether the tests run under continuous integration (CI=true),
// where a missing real part is a failure, not a skip.
func CI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v == "true" || v == "1" || v == "yes"
}

var aptUpdate sync.Once

// LookPath returns the path of binary, installing the Debian packages pkgs
// when it is missing and installing is possible. With no pkgs, the package
// is assumed to be named like the binary.
func LookPath(t testing.TB, binary string, pkgs ...string) string {
	t.Helper()
	if p, err := exec.LookPath(binary); err == nil {
		return p
	}
	if len(pkgs) == 0 {
		pkgs = []string{binary}
	}
	if err := aptInstall(t, pkgs); err != nil {
		Missing(t, binary+" (Debian: "+strings.Join(pkgs, " ")+"): "+err.Error())
	}
	p, err := exec.LookPath(binary)
	if err != nil {
		// Some packages put programs outside PATH (sbin, /usr/lib/...).
		for _, dir := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
			if _, serr := os.Stat(dir + "/" + binary); serr == nil {
				return dir + "/" + binary
			}
		}
		Missing(t, binary+": not found after installing "+strings.Join(pkgs, " "))
	}
	return p
}

// Missing skips the test with a loud notice, or fails it under CI=true.
func Missing(t testing.TB, what string) {
	t.Helper()
	if CI() {
		t.Fatalf("REAL PART MISSING under CI=true: %s", what)
	}
	t.Skipf("SKIPPED, real part missing: %s (CI=true makes this a failure)", what)
}

func aptInstall(t testing.TB, pkgs []string) error {
	t.Helper()
	if os.Geteuid() != 0 {
		return errString("not root, cannot apt-get install")
	}
	if _, err := exec.LookPath("apt-get"); err != nil {
		return errString("no apt-get on this machine")
	}
	lock := []string{"-o", "DPkg::Lock::Timeout=600"}
	var updErr error
	aptUpdate.Do(func() {
		cmd := exec.Command("apt-get", append(lock, "update", "-qq")...)
		if out, err := cmd.CombinedOutput(); err != nil {
			updErr = errString("apt-get update: " + err.Error() + ": " + lastLines(out))
		}
	})
	if updErr != nil {
		return updErr
	}
	args := append(append([]string{}, lock...), append([]string{"install", "-y", "-qq", "--no-install-recommends"}, pkgs...)...)
	cmd := exec.Command("apt-get", args...)
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	if out, err := cmd.CombinedOutput(); err != nil {
		return errString("apt-get install " + strings.Join(pkgs, " ") + ": " + err.Error() + ": " + lastLines(out))
	}
	t.Logf("installed Debian packages: %s", strings.Join(pkgs, " "))
	return nil
}

func lastLines(out []byte) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) > 5 {
		lines = lines[len(lines)-5:]
	}
	return strings.Join(lines, " | ")
}

type errString string

func (e errString) Error() string { return string(e) }
