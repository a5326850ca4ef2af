// Package filewatch tells which events in a watched folder concern one
// file. Watching the folder rather than the file is what sees an editor's
// write-then-rename and a Kubernetes ConfigMap's symlink swap; but the
// folder may also hold files that change all the time (an access log, a
// redirected stdout), and a debounce restarted by their events never fires.
// So callers watch Dirs and act only on events Concerns reports; Watch
// does both, with the settle delay, for a file re-read on change.
package filewatch

import (
	"fmt"
	"path/filepath"
	"sync"
	"time"

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

// Watcher calls onChange once a file's events have settled: after the last
// event that Concerns it, nothing more for settle. The callback decides
// from the content whether anything changed.
type Watcher struct {
	w    *fsnotify.Watcher
	done chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

// Watch starts watching file's folders until Close. onError gets the
// watcher's errors (the watch goes on).
func Watch(file string, settle time.Duration, onChange func(), onError func(error)) (*Watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", file, err)
	}
	t := For(file)
	for _, d := range t.Dirs() {
		if err := w.Add(d); err != nil {
			w.Close()
			return nil, fmt.Errorf("watch %s: %w", d, err)
		}
	}
	fw := &Watcher{w: w, done: make(chan struct{})}
	fw.wg.Add(1)
	go fw.loop(t, settle, onChange, onError)
	return fw, nil
}

func (fw *Watcher) loop(t Target, settle time.Duration, onChange func(), onError func(error)) {
	defer fw.wg.Done()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-fw.done:
			return
		case ev, ok := <-fw.w.Events:
			if !ok {
				return
			}
			if t.Concerns(ev) {
				timer.Reset(settle)
			}
		case err, ok := <-fw.w.Errors:
			if !ok {
				return
			}
			onError(err)
		case <-timer.C:
			onChange()
		}
	}
}

// Close stops watching and waits for a running onChange. It is safe to
// call more than once.
func (fw *Watcher) Close() error {
	var err error
	fw.once.Do(func() {
		close(fw.done)
		err = fw.w.Close()
		fw.wg.Wait()
	})
	return err
}
