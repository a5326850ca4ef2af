package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/softphone/softphone/internal/testenv"
)

// TestSystemdUnit checks examples/systemd/softphone.service with systemd's
// own verifier, and that its sandbox stays tight. systemd-analyze needs
// ExecStart's program to exist, so the unit is checked with the path
// pointing at the binary the tests built.
func TestSystemdUnit(t *testing.T) {
	analyze := testenv.LookPath(t, "systemd-analyze", "systemd")
	src, err := os.ReadFile("../../examples/systemd/softphone.service")
	if err != nil {
		t.Fatal(err)
	}
	unit := string(src)
	for _, want := range []string{
		"ExecStart=/usr/local/bin/softphone serve --config /etc/softphone/softphone.yaml",
		"ExecReload=/bin/kill -HUP $MAINPID",
		"DynamicUser=yes",
		"AmbientCapabilities=CAP_NET_BIND_SERVICE",
		"ProtectSystem=strict",
		"StateDirectory=softphone",
		"CacheDirectory=softphone",
	} {
		if !strings.Contains(unit, want+"\n") {
			t.Errorf("softphone.service lacks the line %q", want)
		}
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "softphone.service")
	unit = strings.ReplaceAll(unit, "/usr/local/bin/softphone ", binary+" ")
	if err := os.WriteFile(path, []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}

	out, err := exec.Command(analyze, "verify", "--man=no", path).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v, output:\n%s", err, out)
	}

	// Exposure 0 (locked down) to 10 (unprotected); the unit scores about 1.6.
	// --threshold counts in tenths.
	out, err = exec.Command(analyze, "security", "--offline=true", "--no-pager", "--threshold=20", path).CombinedOutput()
	if err != nil {
		t.Errorf("systemd-analyze security: exposure above 2.0 or error (%v):\n%s", err, lastLines(string(out), 3))
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
