package branding

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestUnion(t *testing.T) {
	low := fstest.MapFS{"a.txt": {Data: []byte("low")}, "d/x.txt": {Data: []byte("x")}, "d/y.txt": {Data: []byte("low y")}}
	high := fstest.MapFS{"d/y.txt": {Data: []byte("high y")}, "d/z.txt": {Data: []byte("z")}, "b.txt": {Data: []byte("b")}}
	u := Union(low, high)
	for name, want := range map[string]string{"a.txt": "low", "d/x.txt": "x", "d/y.txt": "high y", "d/z.txt": "z", "b.txt": "b"} {
		got, err := fs.ReadFile(u, name)
		if err != nil || string(got) != want {
			t.Errorf("ReadFile(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	if _, err := u.Open("missing.txt"); !os.IsNotExist(err) {
		t.Errorf("Open(missing.txt) error = %v, want not-exist", err)
	}
	if err := fstest.TestFS(u, "a.txt", "b.txt", "d/x.txt", "d/y.txt", "d/z.txt"); err != nil {
		// fstest checks that ReadDir and Open agree; a folder in both layers
		// opens as the upper one's, so only compare what WalkDir sees.
		var names []string
		fs.WalkDir(u, ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				names = append(names, p)
			}
			return nil
		})
		if want := []string{"a.txt", "b.txt", "d/x.txt", "d/y.txt", "d/z.txt"}; !slices.Equal(names, want) {
			t.Errorf("WalkDir names = %q, want %q", names, want)
		}
	}
}

// TestDefaultsServedTree checks Defaults against the real client build and
// assets: the paths the rules are about exist, so the rules can apply.
func TestDefaultsServedTree(t *testing.T) {
	d := Defaults()
	for _, name := range []string{"index.html", LogoPath, SmallLogoPath, StringsPath, "images/virtual-backgrounds/image01.jpg", "sounds/ringing.wav"} {
		if _, err := fs.Stat(d, name); err != nil {
			t.Errorf("Defaults() lacks %s: %v", name, err)
		}
	}
	// The defaults pass their own rules.
	r := Check(d, d)
	if len(r.Errors) > 0 || len(r.Upgrade.Strings) > 0 {
		t.Errorf("the defaults as an overlay: errors %q, upgrade %+v; want none", r.Errors, r.Upgrade.Strings)
	}
	for _, w := range r.Warnings {
		if !strings.Contains(w, "replaces a file of the web client build") {
			t.Errorf("the defaults as an overlay: unexpected warning %q", w)
		}
	}
}

// TestExampleBrand checks examples/brand/files, the brand folder
// docs/branding.md walks through, against the real client.
func TestExampleBrand(t *testing.T) {
	dir := filepath.Join("..", "..", "examples", "brand", "files")
	r, err := CheckDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Errors) > 0 || len(r.Warnings) > 0 {
		t.Errorf("examples/brand/files: errors %q, warnings %q; want none", r.Errors, r.Warnings)
	}
	if len(r.Upgrade.Strings) != 1 || r.Upgrade.Strings[0].File != StringsPath || len(r.Upgrade.Strings[0].Unused) > 0 {
		t.Errorf("examples/brand/files: upgrade %+v, want only missing keys of %s (the example translates a few)", r.Upgrade.Strings, StringsPath)
	}
}

func TestCheckDir(t *testing.T) {
	if _, err := CheckDir(filepath.Join(t.TempDir(), "absent")); !os.IsNotExist(err) {
		t.Errorf("CheckDir(absent) error = %v, want not-exist", err)
	}
	file := filepath.Join(t.TempDir(), "brand.zip")
	os.WriteFile(file, []byte("PK"), 0o644)
	if _, err := CheckDir(file); err == nil || !strings.Contains(err.Error(), "must be a folder") {
		t.Errorf("CheckDir(file) error = %v, want \"must be a folder\"", err)
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "images"), 0o755)
	os.WriteFile(filepath.Join(dir, LogoPath), svg("0 0 500 50"), 0o644)
	r, err := CheckDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Errors) != 1 || !strings.HasPrefix(r.Errors[0], "images/logo.svg: viewBox 0 0 500 50 is larger than 241x34") {
		t.Errorf("CheckDir errors = %q, want the logo's viewBox refused", r.Errors)
	}
}

func BenchmarkCheckExampleBrand(b *testing.B) {
	overlay := os.DirFS(filepath.Join("..", "..", "examples", "brand", "files"))
	defaults := Defaults()
	for b.Loop() {
		Check(overlay, defaults)
	}
}
