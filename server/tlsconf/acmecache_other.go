//go:build !unix

package tlsconf

import "os"

// tryLockFile has no cross-process lock on this system: each instance
// orders its own certificate, as with separate caches.
func tryLockFile(string) (*os.File, bool, error) { return nil, true, nil }

func unlockFile(*os.File) {}
