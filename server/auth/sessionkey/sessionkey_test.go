package sessionkey

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/softphone/softphone/internal/testenv"
)

func newKey(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

func TestParse(t *testing.T) {
	k1, k2 := newKey(t, 32), newKey(t, 48)
	tests := []struct {
		name, in string
		keys     int
		err      string
	}{
		{"one key", k1 + "\n", 1, ""},
		{"comments, blank lines, spaces", "# rotated 2026-12-01\n\n  " + k2 + "  \r\n# old\n" + k1 + "\n", 2, ""},
		{"no newline at the end", k1, 1, ""},
		{"not base64", "# c\n" + k1 + "\nnot-a-key!\n", 0, "keys:3: must be the base64 of at least 32 random bytes"},
		{"too short", newKey(t, 16) + "\n", 0, "keys:1: must be the base64 of at least 32 random bytes (openssl rand -base64 32), got 16 bytes"},
		{"duplicate", k1 + "\n" + k1 + "\n", 0, "keys:2: the same key as line 1"},
		{"empty", "# nothing yet\n\n", 0, "keys: has no key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(strings.NewReader(tc.in), "keys")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one containing %q", err, tc.err)
				}
				if strings.Contains(err.Error(), "not-a-key") {
					t.Errorf("error %q repeats the line's content", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Keys) != tc.keys {
				t.Fatalf("%d keys, want %d", len(s.Keys), tc.keys)
			}
		})
	}
	s, err := Parse(strings.NewReader(k2+"\n"+k1+"\n"), "keys")
	if err != nil {
		t.Fatal(err)
	}
	if got := base64.StdEncoding.EncodeToString(s.Keys[0]); got != k2 {
		t.Errorf("first key = %s, want the file's first line %s", got, k2)
	}
}

func TestLoadRefusesOpenModes(t *testing.T) {
	if !modeMatters {
		t.Skip("mode bits do not protect files on this system")
	}
	path := filepath.Join(t.TempDir(), "session-keys")
	if err := os.WriteFile(path, []byte(newKey(t, 32)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err != nil {
		t.Fatalf("mode 0600: %v", err)
	}
	// A root-owned file may be readable by its group (Kubernetes' fsGroup).
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); (err == nil) != (os.Getuid() == 0) {
		t.Errorf("mode 0640, owner uid %d: err = %v; want accepted only when root owns the file", os.Getuid(), err)
	}
	for _, mode := range []os.FileMode{0o644, 0o604, 0o660, 0o666} {
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		want := fmt.Sprintf("has mode %04o", mode)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "must be 0600") {
			t.Errorf("mode %04o: err = %v, want one containing %q and the mode required", mode, err, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("# k\n" + base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32)) + "\n"))
	f.Add([]byte("\n\n=="))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(bytes.NewReader(data), "f")
		if err == nil {
			for _, k := range s.Keys {
				if len(k) < MinKeyBytes {
					t.Fatalf("accepted a %d-byte key", len(k))
				}
			}
		}
	})
}

// TestFileRotation replaces the file by rename, as configuration tools and
// Kubernetes do, and waits for the new keys; a broken version is refused
// and the keys in force stay.
func TestFileRotation(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "session-keys")
	old, next := newKey(t, 32), newKey(t, 32)
	write := func(content string) {
		t.Helper()
		tmp := filepath.Join(dir, "tmp")
		if err := os.WriteFile(tmp, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
	}
	write(old + "\n")
	var logs bytes.Buffer
	f, err := Open(path, slog.New(slog.NewTextHandler(&syncWriter{w: &logs}, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	first := func() string { return base64.StdEncoding.EncodeToString(f.Keys().Keys[0]) }
	if first() != old {
		t.Fatal("Open: first key is not the file's")
	}
	write(next + "\n" + old + "\n")
	if !eventually(func() bool { return first() == next }) {
		t.Fatal("the rotated file's first key was not taken within 5s")
	}
	if n := len(f.Keys().Keys); n != 2 {
		t.Errorf("%d keys after rotation, want 2", n)
	}
	before := f.Keys()
	write("broken\n")
	if !eventually(func() bool { return strings.Contains(syncString(&logs), "previous keys stay in force") }) {
		t.Fatal("a broken key file was not reported within 5s")
	}
	if f.Keys() != before {
		t.Error("a broken key file replaced the keys in force")
	}
	f.Close()
	f.Close() // twice is fine
}

// TestFileRotationBesideBusyFile: a file written all the time beside the
// key file (an access log) must not hold back a rotation: only events on
// the key file itself (or a Secret volume's ..data swap) restart the wait.
func TestFileRotationBesideBusyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "session-keys")
	old, next := newKey(t, 32), newKey(t, 32)
	if err := os.WriteFile(path, []byte(old+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Open(path, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	testenv.BusyFile(t, filepath.Join(dir, "access.log"))

	if err := os.WriteFile(path, []byte(next+"\n"+old+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if !eventually(func() bool { return base64.StdEncoding.EncodeToString(f.Keys().Keys[0]) == next }) {
		t.Fatal("the rotated key was not taken within 5s while a file beside it was being written")
	}
}
