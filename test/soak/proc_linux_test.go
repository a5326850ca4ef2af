package soak

import (
	"os/exec"
	"syscall"
)

// dieWithTest has the kernel kill the server if the test process dies
// first (a timeout panic, SIGKILL): no softphone is left behind.
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
