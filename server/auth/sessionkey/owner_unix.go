//go:build unix

package sessionkey

import (
	"io/fs"
	"syscall"
)

const modeMatters = true

func ownedByRoot(st fs.FileInfo) bool {
	sys, ok := st.Sys().(*syscall.Stat_t)
	return ok && sys.Uid == 0
}
