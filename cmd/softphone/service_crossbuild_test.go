package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestWindowsBuild cross-compiles the binary for Windows: the service code
// in service_windows.go is compiled nowhere else on a Linux machine.
func TestWindowsBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiling takes a while; skipped with -short")
	}
	out := filepath.Join(t.TempDir(), "softphone.exe")
	cmd := exec.Command("go", "build", "-o", out, ".")
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("GOOS=windows go build: %v\n%s", err, b)
	}
	head := make([]byte, 2)
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Read(head); err != nil || string(head) != "MZ" {
		t.Errorf("softphone.exe starts with %q, want a PE executable (MZ)", head)
	}
}
