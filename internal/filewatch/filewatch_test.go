package filewatch

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/fsnotify/fsnotify"
)

func TestConcerns(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "..v1"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "..v1", "softphone.yaml"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("..v1", filepath.Join(dir, "..data")); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "softphone.yaml")
	if err := os.Symlink(filepath.Join("..data", "softphone.yaml"), file); err != nil {
		t.Fatal(err)
	}
	target := For(file)
	if want := []string{dir, filepath.Join(dir, "..v1")}; !slices.Equal(target.Dirs(), want) {
		t.Errorf("Dirs() = %q, want %q", target.Dirs(), want)
	}
	tests := []struct {
		name string
		want bool
	}{
		{file, true},
		{dir + "/./softphone.yaml", true},
		{filepath.Join(dir, "..v1", "softphone.yaml"), true},
		{filepath.Join(dir, "..data"), true},
		{filepath.Join(dir, "access.log"), false},
		{filepath.Join(dir, "softphone.yaml.swp"), false},
		{filepath.Join(dir, "..data_tmp"), false},
		{filepath.Join(dir, "..v1", "other.yaml"), false},
	}
	for _, tc := range tests {
		if got := target.Concerns(fsnotify.Event{Name: tc.name, Op: fsnotify.Write}); got != tc.want {
			t.Errorf("Concerns(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
	// A relative path, as --config softphone.yaml gives, matches the
	// "./softphone.yaml" that watching "." reports.
	t.Chdir(dir)
	rel := For("softphone.yaml")
	if !rel.Concerns(fsnotify.Event{Name: "./softphone.yaml"}) || rel.Concerns(fsnotify.Event{Name: "./access.log"}) {
		t.Errorf("relative target: Concerns wrong for ./softphone.yaml or ./access.log")
	}
}
