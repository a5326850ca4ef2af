package htpasswd

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/softphone/softphone/internal/testenv"
)

// waitFor polls cond until it holds or a generous deadline passes; it is a
// correctness wait, not a speed target.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func mustLine(t *testing.T, user, password string) string {
	t.Helper()
	line, err := HashLine(user, password, MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return line + "\n"
}

// openLogged writes content to path and opens it with a logger whose
// output the test can read; the file is closed when the test ends.
func openLogged(t *testing.T, path, content string) (*File, *testenv.Buffer) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	logs := &testenv.Buffer{}
	f, err := Open(path, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, logs
}

func TestFileReloads(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "htpasswd")
	f, logs := openLogged(t, path, mustLine(t, "agent", "one"))
	if !f.Table().Match("agent", "one") {
		t.Fatalf("Match(agent, one) = false before any change")
	}

	// In-place write.
	if err := os.WriteFile(path, []byte(mustLine(t, "agent", "two")), 0o600); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "in-place rewrite to be read", func() bool { return f.Table().Match("agent", "two") })
	if f.Table().Match("agent", "one") {
		t.Errorf("old password still accepted after rewrite")
	}

	// Replace by rename, as editors and configuration tools do.
	tmp := filepath.Join(dir, ".htpasswd.tmp")
	if err := os.WriteFile(tmp, []byte(mustLine(t, "agent", "three")+mustLine(t, "boss", "four")), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "renamed file to be read", func() bool { return f.Table().Match("boss", "four") })

	// A broken version is refused; the previous table keeps serving.
	before := f.Reloads()
	good := f.Table()
	if err := os.WriteFile(path, []byte("agent:plaintext\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the refusal to be logged", func() bool { return strings.Contains(logs.String(), "cannot be used") })
	if f.Table() != good {
		t.Errorf("table replaced by a file that failed to parse")
	}
	if f.Reloads() != before {
		t.Errorf("Reloads() = %d, want %d (no swap for a bad file)", f.Reloads(), before)
	}
	if strings.Contains(logs.String(), ":plaintext") {
		t.Errorf("log leaks a password or hash: %s", logs.String())
	}
	if !strings.Contains(logs.String(), path+":1:") {
		t.Errorf("log %q does not name %s:1:", logs.String(), path)
	}

	if err := f.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(filepath.Join(dir, "missing"), slog.Default()); err == nil {
		t.Errorf("Open(missing file) = nil error")
	}
	if _, err := Open(dir, slog.Default()); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Open(directory) error = %v, want not a regular file", err)
	}
}

// TestOpenWarns: weak hashes and bcrypt costs above 12 are named in a
// warning when the file is loaded; a careful file loads quietly.
// TestReloadWarns: a changed file with weak, cheap or costly hashes is
// logged (at load, the configuration's warnings name them instead).
func TestReloadWarns(t *testing.T) {
	dir := t.TempDir()
	costly := strings.Replace(mustLine(t, "slowpoke", "pw"), "$04$", "$14$", 1)
	good, err := HashLine("agent", "pw", MinSafeCost)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "htpasswd")
	f, logs := openLogged(t, path, good+"\n")
	if strings.Contains(logs.String(), "WARN") {
		t.Errorf("a careful file logged a warning:\n%s", logs.String())
	}
	if err := os.WriteFile(path, []byte(good+"\nold:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n"+costly+mustLine(t, "cheap", "pw")), 0o600); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the changed file to be read", func() bool { return f.Reloads() > 0 })
	waitFor(t, "the warnings to be logged", func() bool { return strings.Contains(logs.String(), "bcrypt cost above 12") })
	for _, w := range []string{
		"weak (unsalted or MD5) hashes", "users=[old]",
		"bcrypt cost above 12", "users=[slowpoke]",
		"bcrypt cost below 10", "users=[cheap]",
	} {
		if !strings.Contains(logs.String(), w) {
			t.Errorf("log does not contain %q:\n%s", w, logs.String())
		}
	}
}

// TestFileReloadsBesideBusyFile changes the file while another file in its
// folder is appended to without pause (an access log beside it): the
// settle timer must not be restarted by those writes forever.
func TestFileReloadsBesideBusyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "htpasswd")
	f, _ := openLogged(t, path, mustLine(t, "agent", "one"))

	testenv.BusyFile(t, filepath.Join(dir, "access.log"))

	if err := os.WriteFile(path, []byte(mustLine(t, "agent", "two")), 0o600); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the change to be read beside a busy log", func() bool { return f.Table().Match("agent", "two") })
}
