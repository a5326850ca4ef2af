package brand

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// brandScript runs internal/release/brand.sh on brandDir with fixed version stamps,
// for this machine's platform only, and returns the binary's path, the
// script's output and its error.
func brandScript(t *testing.T, brandDir string) (string, string, error) {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not found")
	}
	out := t.TempDir()
	cmd := exec.Command("bash", filepath.Join("..", "release", "brand.sh"), brandDir)
	cmd.Env = append(os.Environ(),
		"DIST_DIR="+out, "NAME=acme",
		"TARGETS="+runtime.GOOS+"/"+runtime.GOARCH,
		"VERSION=v1.2.3", "COMMIT=0123456789abcdef0123456789abcdef01234567", "DATE=2026-01-02T03:04:05Z",
	)
	b, err := cmd.CombinedOutput()
	ext := ""
	if runtime.GOOS == "windows" {
		ext = ".exe"
	}
	return filepath.Join(out, "softphone-acme-"+runtime.GOOS+"-"+runtime.GOARCH+ext), string(b), err
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func sha256File(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestBrandedBuildReproducible builds the example brand twice, the second
// time from a copy in another folder, and compares the binaries' SHA-256.
func TestBrandedBuildReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the softphone twice; skipped in -short mode")
	}
	example, err := filepath.Abs(filepath.Join("..", "..", "examples", "brand"))
	if err != nil {
		t.Fatal(err)
	}
	first, log1, err := brandScript(t, example)
	if err != nil {
		t.Fatalf("internal/release/brand.sh %s: %v\n%s", example, err, log1)
	}
	moved := filepath.Join(t.TempDir(), "elsewhere", "acme-brand")
	copyTree(t, example, moved)
	second, log2, err := brandScript(t, moved)
	if err != nil {
		t.Fatalf("internal/release/brand.sh %s: %v\n%s", moved, err, log2)
	}
	h1, h2 := sha256File(t, first), sha256File(t, second)
	if h1 != h2 {
		t.Errorf("same inputs, different binaries: sha256 %s (from %s) != %s (from %s)", h1, example, h2, moved)
	}
	sums, err := os.ReadFile(filepath.Join(filepath.Dir(first), "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	if want := h1 + "  " + filepath.Base(first) + "\n"; string(sums) != want {
		t.Errorf("SHA256SUMS = %q, want %q", sums, want)
	}
	t.Logf("sha256 %s, twice", h1)

	if !strings.Contains(log1, "ok: ") {
		t.Errorf("the build did not report the default config's check:\n%s", log1)
	}
	t.Run("embeds the brand", func(t *testing.T) { embedsBrand(t, first, example) })
	t.Run("serves the brand", func(t *testing.T) { servesBrand(t, first, example) })
}

// embedsBrand asks the branded binary what it embeds (`softphone brand`)
// and compares it with the brand folder.
func embedsBrand(t *testing.T, bin, brandDir string) {
	out, err := exec.Command(bin, "brand").CombinedOutput()
	if err != nil {
		t.Fatalf("%s brand: %v\n%s", bin, err, out)
	}
	for _, f := range []string{"images/logo.svg", "images/logo-small.svg", "static/localization/strings-default.json"} {
		want := fmt.Sprintf("file: %s (", f)
		sum := sha256File(t, filepath.Join(brandDir, "files", filepath.FromSlash(f)))
		if !strings.Contains(string(out), want) || !strings.Contains(string(out), sum) {
			t.Errorf("softphone brand does not list %s with sha256 %s:\n%s", f, sum, out)
		}
	}
	if sum := sha256File(t, filepath.Join(brandDir, "softphone.yaml")); !strings.Contains(string(out), "default config: softphone.yaml") || !strings.Contains(string(out), sum) {
		t.Errorf("softphone brand does not list the default config with sha256 %s:\n%s", sum, out)
	}
}

// servesBrand exports the served tree of a branded binary run without any
// config file, and finds the brand's logo, text and default config in it.
func servesBrand(t *testing.T, bin, brandDir string) {
	work := t.TempDir()
	export := filepath.Join(work, "export")
	cmd := exec.Command(bin, "export", export)
	cmd.Dir = work // no ./softphone.yaml here
	cmd.Env = []string{"HOME=" + work, "PATH=" + os.Getenv("PATH")}
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s export: %v\n%s", bin, err, b)
	}
	for _, f := range []string{"images/logo.svg", "images/logo-small.svg", "static/localization/strings-default.json"} {
		want, _ := os.ReadFile(filepath.Join(brandDir, "files", filepath.FromSlash(f)))
		got, err := os.ReadFile(filepath.Join(export, filepath.FromSlash(f)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("exported %s is not the brand's (err %v)", f, err)
		}
	}
	js, err := os.ReadFile(filepath.Join(export, "static", "js", "advancedOptions.js"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(js, []byte("acme.example.com")) {
		t.Errorf("advancedOptions.js does not come from the brand's softphone.yaml (no acme.example.com):\n%s", js)
	}
}

func TestBrandedBuildRefusesErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the softphone; skipped in -short mode")
	}
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name:  "overlay error",
			files: map[string]string{"files/images/logo.svg": `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 68"/>`},
			want:  []string{"brand: error: files/images/logo.svg: viewBox 0 0 480 68 is larger than 241x34", "1 error(s) in files/"},
		},
		{
			name:  "config error",
			files: map[string]string{"softphone.yaml": "tls:\n  mode: automatic\n"},
			want:  []string{"brand: softphone.yaml:", "tls.mode"},
		},
		{
			name:  "empty brand",
			files: map[string]string{"README.md": "notes"},
			want:  []string{"nothing to embed"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, data := range tc.files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte(data), 0o644)
			}
			bin, log, err := brandScript(t, dir)
			if err == nil {
				t.Fatalf("internal/release/brand.sh succeeded, want a refusal\n%s", log)
			}
			for _, w := range tc.want {
				if !strings.Contains(log, w) {
					t.Errorf("output lacks %q:\n%s", w, log)
				}
			}
			if _, err := os.Stat(bin); err == nil {
				t.Errorf("%s was written despite the error", bin)
			}
		})
	}
}

func TestPlainBuildHasNoBrand(t *testing.T) {
	var served []string
	fs.WalkDir(Files(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), ".") {
			served = append(served, p)
		}
		return nil
	})
	if len(served) > 0 {
		t.Errorf("Files() in a plain build serves %q, want nothing (brand/files holds only .keep)", served)
	}
	if Config() != nil {
		t.Errorf("Config() = %q in a plain build, want nil", Config())
	}
}
