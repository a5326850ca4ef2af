package branding

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/softphone/softphone/assets"
	"github.com/softphone/softphone/webclient"
)

// Defaults returns the served tree an overlay replaces files of: the web
// client build with the default assets over it. It is what Check compares
// an overlay with; a brand embedded in a branded binary is not part of it,
// so an admin's overlay is checked against the client's own names and keys.
func Defaults() fs.FS {
	return Union(webclient.Dist(), assets.FS())
}

// CheckDir checks the overlay folder dir against Defaults, reading it
// through DirFS; links leaving the folder are errors. It returns an error,
// instead of a report, when dir is not a readable folder.
func CheckDir(dir string) (Report, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return Report{}, err
	}
	if !st.IsDir() {
		return Report{}, fmt.Errorf("must be a folder, got the file %q", dir)
	}
	r := Check(DirFS(dir), Defaults())
	// A link out of the folder cannot be read through DirFS (Check says
	// "cannot be read"); say what it is instead.
	for _, e := range linksOut(dir) {
		name, _, _ := strings.Cut(e, ": ")
		r.Errors = slices.DeleteFunc(r.Errors, func(m string) bool { return strings.HasPrefix(m, name+": cannot be read") })
		r.Errors = append(r.Errors, e)
	}
	return r, nil
}

// Union layers file systems: a file in a later one hides the file of the
// same path in earlier ones, and folders list the entries of all layers.
func Union(layers ...fs.FS) fs.FS { return union(layers) }

type union []fs.FS

// Open opens name in the last layer that has it.
func (u union) Open(name string) (fs.File, error) {
	for i := len(u) - 1; i >= 0; i-- {
		f, err := u[i].Open(name)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// ReadDir merges the folder's entries of every layer that has it.
func (u union) ReadDir(name string) ([]fs.DirEntry, error) {
	byName := map[string]fs.DirEntry{}
	found := false
	for _, l := range u {
		entries, err := fs.ReadDir(l, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		found = true
		for _, e := range entries {
			byName[e.Name()] = e
		}
	}
	if !found {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	out := make([]fs.DirEntry, 0, len(byName))
	for _, e := range byName {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

var _ fs.ReadDirFS = union(nil)
