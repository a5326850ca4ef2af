// Package filewatch tells which events in a watched folder concern one
// file. Watching the folder rather than the file is what sees an editor's
// write-then-rename and a Kubernetes ConfigMap's symlink swap; but the
// folder may also hold files that change all the time (an access log, a
// redirected stdout), and a debounce restarted by their events never fires.
// So callers watch Dirs and act only on events Concerns reports.
package filewatch

import (
	"path/filepath"

	"github.com/fsnotify/fsnotify"
)

// configMapData is the symlink a Kubernetes ConfigMap or Secret volume
// swaps atomically on an update: file -> ..data/file, ..data -> ..<timestamp>.
const configMapData = "..data"

// Target is one file and the paths whose events concern it.
type Target struct {
	names map[string]bool // cleaned paths of the file and its symlink target
	dirs  []string
}

// For returns the target for file, resolving its symlink (if any) once.
func For(file string) Target {
	t := Target{names: map[string]bool{filepath.Clean(file): true}}
	t.dirs = append(t.dirs, filepath.Dir(file))
	if real, err := filepath.EvalSymlinks(file); err == nil && filepath.Clean(real) != filepath.Clean(file) {
		t.names[filepath.Clean(real)] = true
		if d := filepath.Dir(real); d != t.dirs[0] {
			t.dirs = append(t.dirs, d)
		}
	}
	return t
}

// Dirs are the folders to watch: the file's own and its symlink target's.
func (t Target) Dirs() []string { return t.dirs }

// Concerns reports whether ev may have changed the file's content: an
// event on the file itself (written, created by a rename over it, removed)
// or on its resolved target, or the ConfigMap "..data" swap beside it.
func (t Target) Concerns(ev fsnotify.Event) bool {
	name := filepath.Clean(ev.Name)
	return t.names[name] || filepath.Base(name) == configMapData
}
