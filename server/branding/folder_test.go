package branding

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestReadFolder(t *testing.T) {
	tests := []struct {
		name        string
		entries     []string // a trailing slash makes a folder
		files, conf bool
		ignored     []string
		err         error
	}{
		{name: "overlay and config", entries: []string{"files/", "softphone.yaml", "README.md", ".git/"}, files: true, conf: true},
		{name: "config only", entries: []string{"softphone.yaml"}, conf: true},
		{name: "overlay only, with strays", entries: []string{"files/", "images/", "notes.txt"}, files: true, ignored: []string{"images", "notes.txt"}},
		{name: "nothing to embed", entries: []string{"README.md", "logo.svg"}, ignored: []string{"logo.svg"}, err: ErrEmptyFolder},
		{name: "files must be a folder", entries: []string{"files"}, ignored: []string{"files"}, err: ErrEmptyFolder},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, e := range tc.entries {
				p := filepath.Join(dir, e)
				if e[len(e)-1] == '/' {
					os.MkdirAll(p, 0o755)
				} else {
					os.WriteFile(p, []byte("x"), 0o644)
				}
			}
			f, err := ReadFolder(dir)
			if !errors.Is(err, tc.err) {
				t.Fatalf("error = %v, want %v", err, tc.err)
			}
			if (f.Files == filepath.Join(dir, "files")) != tc.files || (f.Files == "") == tc.files {
				t.Errorf("Files = %q, want set: %v", f.Files, tc.files)
			}
			if (f.Config == filepath.Join(dir, "softphone.yaml")) != tc.conf || (f.Config == "") == tc.conf {
				t.Errorf("Config = %q, want set: %v", f.Config, tc.conf)
			}
			if !slices.Equal(f.Ignored, tc.ignored) {
				t.Errorf("Ignored = %q, want %q", f.Ignored, tc.ignored)
			}
		})
	}
	if _, err := ReadFolder(filepath.Join(t.TempDir(), "absent")); !os.IsNotExist(err) {
		t.Errorf("absent folder: error = %v, want not-exist", err)
	}
}
