package soak

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// binary is the softphone binary the tests run: SOAK_BIN, or one built
// once from ./cmd/softphone.
var binary string

// full selects the full soak (SOAK=full) instead of the short form.
var full = os.Getenv("SOAK") == "full"

func TestMain(m *testing.M) {
	if b := os.Getenv("SOAK_BIN"); b != "" {
		abs, err := filepath.Abs(b)
		if err != nil {
			fmt.Fprintln(os.Stderr, "SOAK_BIN:", err)
			os.Exit(1)
		}
		binary = abs
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "softphone-soak")
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

// pick returns the full-soak value or the short one.
func pick[T any](fullValue, short T) T {
	if full {
		return fullValue
	}
	return short
}

// reportLine prints the test's one summary line (shown by go test -v, or
// with the output of a failed test, and collected by test/scripts/soak.sh).
func reportLine(t *testing.T, format string, args ...any) {
	t.Helper()
	mode := "short"
	if full {
		mode = "full"
	}
	line := fmt.Sprintf("SOAK %-9s [%s] %s", t.Name(), mode, fmt.Sprintf(format, args...))
	fmt.Println(line)
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
}
