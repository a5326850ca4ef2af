package branding

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// DirFS is the brand folder dir as a file system that stays inside it:
// a link to a file or folder outside (to /etc/shadow, to the TLS key) is
// refused when opened, as os.Root refuses it, while links that stay inside
// are followed. The server serves the folder through it.
func DirFS(dir string) fs.FS { return rootFS(dir) }

type rootFS string

// Open opens name under the folder, which is opened anew each time so no
// descriptor outlives the call (files are read once, when a config loads).
func (d rootFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	root, err := os.OpenRoot(string(d))
	if err != nil {
		return nil, err
	}
	defer root.Close()
	return root.Open(name)
}

// linksOut lists the links under dir whose target lies outside it, each as
// an error message for the report, in walk order. Dot entries are skipped,
// as they are never served.
func linksOut(dir string) []string {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil // CheckDir has already found the folder readable
	}
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		target, err := filepath.EvalSymlinks(p)
		if err != nil {
			out = append(out, fmt.Sprintf("%s: is a broken link", rel))
			return nil
		}
		if inside, err := filepath.Rel(root, target); err != nil || inside == ".." || strings.HasPrefix(inside, ".."+string(filepath.Separator)) {
			out = append(out, fmt.Sprintf("%s: is a link to %s, outside the brand folder: it would be served to anyone who can reach the softphone, so it is refused; copy the file into the folder instead", rel, target))
		}
		return nil
	})
	return out
}
