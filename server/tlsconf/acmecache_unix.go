//go:build unix

package tlsconf

import (
	"errors"
	"os"
	"syscall"
)

// tryLockFile takes an exclusive flock on name without waiting. ok is
// false when another process holds it. The kernel releases the lock when
// the process ends, however it ends.
func tryLockFile(name string) (f *os.File, ok bool, err error) {
	f, err = os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, err
	}
	return f, true, nil
}

func unlockFile(f *os.File) {
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	f.Close()
}
