package assets

import (
	"bytes"
	"encoding/json"
	"image/jpeg"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestFSServedPaths(t *testing.T) {
	d := FS()
	for _, name := range []string{
		"images/logo.svg",
		"images/logo-small.svg",
		"images/virtual-backgrounds/image01.jpg",
		"sounds/ringing.wav",
		"sounds/ringback.wav",
		"sounds/busy.wav",
		"sounds/call-ended.wav",
		"sounds/call-waiting.wav",
		"sounds/error.wav",
		"static/localization/strings-default.json",
	} {
		t.Run(name, func(t *testing.T) {
			b, err := fs.ReadFile(d, name)
			if err != nil {
				t.Fatalf("FS() lacks %s: %v", name, err)
			}
			if len(b) == 0 {
				t.Fatalf("%s is empty", name)
			}
		})
	}
	if _, err := fs.Stat(d, "embed.go"); err == nil {
		t.Error("FS() serves embed.go, want only the served tree")
	}
}

func TestLogoViewBoxes(t *testing.T) {
	tests := []struct{ name, viewBox string }{
		{"images/logo.svg", `viewBox="0 0 241 34"`},
		{"images/logo-small.svg", `viewBox="0 0 54 32"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := fs.ReadFile(FS(), tc.name)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(b, []byte(tc.viewBox)) {
				t.Errorf("%s lacks %s", tc.name, tc.viewBox)
			}
		})
	}
}

func TestResourcesDecode(t *testing.T) {
	d := FS()
	jpgs, _ := fs.Glob(d, "images/virtual-backgrounds/image*.jpg")
	if len(jpgs) < 1 {
		t.Fatalf("virtual backgrounds: %d images, want at least 1", len(jpgs))
	}
	for _, name := range jpgs {
		f, _ := d.Open(name)
		cfg, err := jpeg.DecodeConfig(f)
		f.Close()
		if err != nil || cfg.Width == 0 {
			t.Errorf("%s: not a JPEG (%v)", name, err)
		}
	}
	wavs, _ := fs.Glob(d, "sounds/*.wav")
	for _, name := range wavs {
		b, _ := fs.ReadFile(d, name)
		if len(b) < 44 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
			t.Errorf("%s: not a RIFF WAVE file", name)
		}
	}
	var strs map[string]string
	b, _ := fs.ReadFile(d, "static/localization/strings-default.json")
	if err := json.Unmarshal(b, &strs); err != nil {
		t.Fatalf("strings-default.json: %v", err)
	}
	if got := strs["LANGUAGE_RESOURCE_LOCALE"]; got != "en-US" {
		t.Errorf("LANGUAGE_RESOURCE_LOCALE = %q, want \"en-US\"", got)
	}
}

// TestGeneratedUpToDate reruns the generator and compares its outputs with
// the committed files.
func TestGeneratedUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator; skipped in -short mode")
	}
	out := t.TempDir()
	icon := filepath.Join(out, "favicon.ico")
	cmd := exec.Command("go", "run", "./internal/gen", "-out", out, "-favicon", icon)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./internal/gen: %v\n%s", err, b)
	}
	err := filepath.WalkDir(out, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		committed := filepath.Join("files", rel)
		if rel == "favicon.ico" {
			committed = filepath.Join("..", "webclient", "public", "favicon.ico")
		}
		got, _ := os.ReadFile(p)
		want, err := os.ReadFile(committed)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator's output (err %v): run `go generate ./assets` and commit", committed, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
