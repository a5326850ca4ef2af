package sessionkey

import (
	"log/slog"
	"sync/atomic"
	"time"

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
	logger  *slog.Logger
	set     atomic.Pointer[Set]
	watcher *filewatch.Watcher
}

// Open loads the file and watches its folder until Close: replacing the
// file by rename, and Kubernetes' swap of a Secret volume's "..data"
// symlink, are seen too.
func Open(path string, logger *slog.Logger) (*File, error) {
	s, err := Load(path)
	if err != nil {
		return nil, err
	}
	f := &File{path: path, logger: logger}
	f.set.Store(s)
	f.watcher, err = filewatch.Watch(path, settle, f.reload, func(err error) {
		logger.Warn("session key file watch error", "file", path, "err", err)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Keys returns the current keys.
func (f *File) Keys() *Set { return f.set.Load() }

// Close stops watching. It is safe to call more than once.
func (f *File) Close() error { return f.watcher.Close() }

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
