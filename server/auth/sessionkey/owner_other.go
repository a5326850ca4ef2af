//go:build !unix

package sessionkey

import "io/fs"

const modeMatters = false

func ownedByRoot(fs.FileInfo) bool { return false }
