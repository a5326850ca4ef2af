package sessionkey

import (
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/softphone/softphone/internal/filewatch"
)

// settle is how long File waits after the last change event before it
// re-reads the file, so that a write-then-rename is read once.
const settle = 100 * time.Millisecond

// File is a key file on disk, re-read when it changes (rotation). A new
// version that cannot be used is logged and ignored: the previous keys stay
// in force.
type File struct {
	path    string
	target  filewatch.Target
	logger  *slog.Logger
	set     atomic.Pointer[Set]
	watcher *fsnotify.Watcher
	done    chan struct{}
	wg      sync.WaitGroup
	once    sync.Once
}

// Open loads the file and watches its folder until Close: replacing the
// file by rename, and Kubernetes' swap of a Secret volume's "..data"
// symlink, are seen too.
func Open(path string, logger *slog.Logger) (*File, error) {
	s, err := Load(path)
	if err != nil {
		return nil, err
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch %s: %w", path, err)
	}
	target := filewatch.For(path)
	for _, dir := range target.Dirs() {
		if err := w.Add(dir); err != nil {
			w.Close()
			return nil, fmt.Errorf("watch %s: %w", dir, err)
		}
	}
	f := &File{path: path, target: target, logger: logger, watcher: w, done: make(chan struct{})}
	f.set.Store(s)
	f.wg.Add(1)
	go f.watch()
	return f, nil
}

// Keys returns the current keys.
func (f *File) Keys() *Set { return f.set.Load() }

// Close stops watching. It is safe to call more than once.
func (f *File) Close() error {
	var err error
	f.once.Do(func() {
		close(f.done)
		err = f.watcher.Close()
		f.wg.Wait()
	})
	return err
}

func (f *File) watch() {
	defer f.wg.Done()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-f.done:
			return
		case ev, ok := <-f.watcher.Events:
			if !ok {
				return
			}
			// Only events on the file or a Secret volume's "..data" swap: a
			// log written beside it would otherwise restart the timer
			// forever. The content decides whether anything changed.
			if f.target.Concerns(ev) {
				timer.Reset(settle)
			}
		case err, ok := <-f.watcher.Errors:
			if !ok {
				return
			}
			f.logger.Warn("session key file watch error", "file", f.path, "err", err)
		case <-timer.C:
			f.reload()
		}
	}
}

func (f *File) reload() {
	s, err := Load(f.path)
	if err != nil {
		f.logger.Error("session key file changed but cannot be used; the previous keys stay in force", "file", f.path, "err", err)
		return
	}
	if s.Equal(f.set.Load()) {
		return
	}
	f.set.Store(s)
	f.logger.Info("session key file reloaded", "file", f.path, "keys", len(s.Keys))
}
