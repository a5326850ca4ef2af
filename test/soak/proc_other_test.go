//go:build !linux

package soak

import "os/exec"

// dieWithTest: only Linux can tie the server's life to the test process.
func dieWithTest(*exec.Cmd) {}
