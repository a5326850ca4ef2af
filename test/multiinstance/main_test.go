package multiinstance

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// binary is the softphone binary the tests run: MULTI_BIN, or one built
// once from ./cmd/softphone.
var binary string

func TestMain(m *testing.M) {
	if b := os.Getenv("MULTI_BIN"); b != "" {
		abs, err := filepath.Abs(b)
		if err != nil {
			fmt.Fprintln(os.Stderr, "MULTI_BIN:", err)
			os.Exit(1)
		}
		binary = abs
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "softphone-multi")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "softphone")
	out, err := exec.Command("go", "build", "-o", binary, "../../cmd/softphone").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building softphone: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
