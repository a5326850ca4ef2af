// Command softphone hosts the WebRTC softphone web client: one binary in
// place of NGINX, Apache or IIS. See `softphone --help`.
package main

import (
	"errors"
	"fmt"
	"os"
)

func main() {
	if err := newRootCmd().Execute(); err != nil {
		var exit exitError
		if errors.As(err, &exit) {
			os.Exit(int(exit))
		}
		fmt.Fprintln(os.Stderr, "softphone:", err)
		os.Exit(1)
	}
}

// exitError ends the program with a status after the command has already
// printed what went wrong.
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }
