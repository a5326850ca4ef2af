package htpasswd

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/softphone/softphone/internal/filewatch"
)

// maxFile bounds the size of an htpasswd file read into memory.
const maxFile = 16 << 20

// settle is how long File waits after the last change event before it
// re-reads the file, so that an editor's write-then-rename is read once.
const settle = 100 * time.Millisecond

// File is an htpasswd file on disk that is re-read when it changes. A new
// version that fails to parse is logged and ignored: the previous table
// keeps serving.
type File struct {
	path    string
	logger  *slog.Logger
	table   atomic.Pointer[Table]
	sum     [sha256.Size]byte // of the content behind table; only the watcher goroutine touches it after Open
	watcher *filewatch.Watcher
	reloads atomic.Int64
}

// Load reads and parses the file at path once.
func Load(path string) (*Table, error) {
	t, _, err := load(path)
	return t, err
}

func load(path string) (*Table, [sha256.Size]byte, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, [sha256.Size]byte{}, err
	}
	t, err := Parse(bytes.NewReader(data), path)
	return t, sha256.Sum256(data), err
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", path)
	}
	if st.Size() > maxFile {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxFile)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(f); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Open loads the file and watches its directory (so that replacing the file
// by rename, as editors and configuration tools do, is noticed too) until
// Close. Users with weak hashes are logged as a warning when a changed file
// is read; at load, the configuration's warnings name them (auth.Config).
func Open(path string, logger *slog.Logger) (*File, error) {
	t, sum, err := load(path)
	if err != nil {
		return nil, err
	}
	f := &File{path: path, logger: logger, sum: sum}
	f.table.Store(t)
	// The folder is watched, so that replacing the file by rename (and
	// Kubernetes' "..data" swap) is seen; a log written beside it is not an
	// event of the file. The content hash decides whether anything changed.
	f.watcher, err = filewatch.Watch(path, settle, f.reload, func(err error) {
		logger.Warn("htpasswd watch error", "file", path, "err", err)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// Table returns the current table.
func (f *File) Table() *Table { return f.table.Load() }

// Reloads counts the times a changed file was read and swapped in.
func (f *File) Reloads() int64 { return f.reloads.Load() }

// Close stops watching. It is safe to call more than once.
func (f *File) Close() error { return f.watcher.Close() }

func (f *File) reload() {
	t, sum, err := load(f.path)
	if sum == f.sum && err == nil {
		return
	}
	if err != nil {
		f.logger.Error("htpasswd file changed but cannot be used; the previous version stays in force",
			"file", f.path, "err", err)
		return
	}
	f.sum = sum
	f.table.Store(t)
	f.reloads.Add(1)
	f.logger.Info("htpasswd file reloaded", "file", f.path, "users", t.Len())
	f.warnWeak(t)
}

func (f *File) warnWeak(t *Table) {
	if weak := t.Weak(); len(weak) > 0 {
		f.logger.Warn("htpasswd users with weak (unsalted or MD5) hashes; re-create them with `softphone passwd`",
			"file", f.path, "users", weak)
	}
	if low := t.LowCost(); len(low) > 0 {
		f.logger.Warn(fmt.Sprintf("htpasswd users with a bcrypt cost below %d; re-create them with `softphone passwd`", MinSafeCost),
			"file", f.path, "users", low)
	}
	if slow := t.Slow(); len(slow) > 0 {
		f.logger.Warn(fmt.Sprintf("htpasswd users with a bcrypt cost above %d: each sign-in check, and each failed one, costs 0.5 s or more of CPU; re-create them with `softphone passwd` (cost %d)", DefaultCost, DefaultCost),
			"file", f.path, "users", slow)
	}
}
