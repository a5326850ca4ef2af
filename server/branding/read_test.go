package branding

import (
	"errors"
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"
)

// failFS fails to open the names in fail, and to list "." when failRoot.
type failFS struct {
	fstest.MapFS
	fail     map[string]bool
	failRoot bool
}

var errDenied = errors.New("permission denied")

func (f failFS) Open(name string) (fs.File, error) {
	if f.fail[name] || (name == "." && f.failRoot) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errDenied}
	}
	return f.MapFS.Open(name)
}

func (f failFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == "." && f.failRoot {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errDenied}
	}
	return f.MapFS.ReadDir(name)
}

func (f failFS) ReadFile(name string) ([]byte, error) {
	if f.fail[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: errDenied}
	}
	return f.MapFS.ReadFile(name)
}

func TestCheckUnreadable(t *testing.T) {
	tests := []struct {
		name    string
		overlay fs.FS
		errors  []string
	}{
		{
			name:    "a file that cannot be read",
			overlay: failFS{MapFS: files(LogoPath, svg("0 0 1 1"), SmallLogoPath, svg("0 0 1 1")), fail: map[string]bool{LogoPath: true}},
			errors:  []string{"images/logo.svg: cannot be read: permission denied"},
		},
		{
			name:    "a folder that cannot be listed",
			overlay: failFS{MapFS: files(SmallLogoPath, svg("0 0 1 1")), failRoot: true},
			errors:  []string{".: cannot be read: permission denied"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Check(tc.overlay, testDefaults())
			if !slices.Equal(r.Errors, tc.errors) {
				t.Errorf("Errors = %q, want %q", r.Errors, tc.errors)
			}
		})
	}
}

func TestCheckWithoutDefaultBackgrounds(t *testing.T) {
	defaults := testDefaults()
	delete(defaults, "images/virtual-backgrounds/image01.jpg")
	delete(defaults, "images/virtual-backgrounds/image02.jpg")
	r := Check(files("images/virtual-backgrounds/image01.jpg", jpegBytes), defaults)
	want := []string{"images/virtual-backgrounds/image01.jpg: this client has no virtual backgrounds to replace, and an overlay cannot add any"}
	if !slices.Equal(r.Errors, want) {
		t.Errorf("Errors = %q, want %q", r.Errors, want)
	}
}
