// Package packages tests the .deb and .rpm that `make dist` builds
// (internal/release/package.sh): the .deb installs with dpkg, its systemd unit
// passes `systemd-analyze verify`, its binary runs, and it removes cleanly.
// Installing needs root: CI runs as root; elsewhere the test is skipped.
package packages

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/softphone/softphone/internal/testenv"
)

const version = "v9.8.7-test"

// buildPackages runs internal/release/dist.sh and internal/release/package.sh for this
// machine's architecture into a temporary folder.
func buildPackages(t *testing.T, arch string) string {
	t.Helper()
	dist := t.TempDir()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "DIST_DIR="+dist, "TARGETS=linux/"+arch, "ARCHES="+arch, "VERSION="+version)
	for _, script := range []string{"internal/release/dist.sh", "internal/release/package.sh"} {
		cmd := exec.Command(filepath.Join(root, script))
		cmd.Dir = root
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", script, err, out)
		}
	}
	return dist
}

func goarch(t *testing.T) string {
	out, err := exec.Command("go", "env", "GOARCH").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

func TestDebInstalls(t *testing.T) {
	dpkg := testenv.LookPath(t, "dpkg")
	analyze := testenv.LookPath(t, "systemd-analyze", "systemd")
	if os.Getuid() != 0 {
		testenv.Missing(t, "root, to install the .deb with dpkg -i")
	}
	if out, err := exec.Command(dpkg, "-s", "softphone").CombinedOutput(); err == nil {
		t.Fatalf("a softphone package is installed already; this test installs and removes its own:\n%s", out)
	}
	arch := goarch(t)
	dist := buildPackages(t, arch)
	debs, _ := filepath.Glob(filepath.Join(dist, "softphone_*_"+arch+".deb"))
	rpms, _ := filepath.Glob(filepath.Join(dist, "softphone-*.rpm"))
	if len(debs) != 1 || len(rpms) != 1 {
		entries, _ := os.ReadDir(dist)
		t.Fatalf("want one .deb and one .rpm in the dist folder, got %v", entries)
	}
	if data, err := os.ReadFile(rpms[0]); err != nil || !bytes.HasPrefix(data, []byte{0xed, 0xab, 0xee, 0xdb}) {
		t.Errorf("%s is not an RPM package (lead magic): %v", rpms[0], err)
	}
	if sums, err := os.ReadFile(filepath.Join(dist, "SHA256SUMS")); err != nil || !strings.Contains(string(sums), filepath.Base(debs[0])) {
		t.Errorf("SHA256SUMS does not list %s: %v", filepath.Base(debs[0]), err)
	}

	// The dpkg lock may be held by another install on this machine.
	install := func(args ...string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Minute)
		for {
			out, err := exec.Command(dpkg, args...).CombinedOutput()
			if err == nil {
				return
			}
			if !strings.Contains(string(out), "lock") || time.Now().After(deadline) {
				t.Fatalf("dpkg %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			time.Sleep(2 * time.Second) // dpkg has no lock timeout of its own
		}
	}
	install("-i", debs[0])
	t.Cleanup(func() {
		install("--purge", "softphone")
		if _, err := os.Stat("/usr/bin/softphone"); !os.IsNotExist(err) {
			t.Errorf("/usr/bin/softphone still there after dpkg --purge: %v", err)
		}
	})

	out, err := exec.Command("/usr/bin/softphone", "version").CombinedOutput()
	if err != nil || !strings.Contains(string(out), version) {
		t.Errorf("/usr/bin/softphone version: %v\n%s; want it to name %s", err, out, version)
	}
	unit := "/usr/lib/systemd/system/softphone.service"
	if out, err := exec.Command(analyze, "verify", unit).CombinedOutput(); err != nil {
		t.Errorf("systemd-analyze verify %s: %v\n%s", unit, err, out)
	} else if strings.Contains(string(out), "softphone.service") {
		t.Errorf("systemd-analyze verify %s warns about the unit:\n%s", unit, out)
	}
	if data, err := os.ReadFile(unit); err != nil || !strings.Contains(string(data), "ExecStart=/usr/bin/softphone serve") {
		t.Errorf("installed unit does not run /usr/bin/softphone: %v\n%s", err, data)
	}
	cfg, err := os.Stat("/etc/softphone/softphone.yaml")
	if err != nil || cfg.Mode().Perm() != 0o644 {
		t.Errorf("/etc/softphone/softphone.yaml: %v, mode %v; want 0644 (read by the service's dynamic user)", err, cfg)
	}
	if out, err := exec.Command("/usr/bin/softphone", "check", "--config", "/etc/softphone/softphone.yaml").CombinedOutput(); err != nil {
		t.Errorf("softphone check on the packaged config: %v\n%s", err, out)
	}
	if out, err := exec.Command(dpkg, "-s", "softphone").CombinedOutput(); err != nil || !strings.Contains(string(out), "Status: install ok installed") {
		t.Errorf("dpkg -s softphone: %v\n%s", err, out)
	}
}
