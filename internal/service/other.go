//go:build !windows

package service

import (
	"io"
	"log/slog"
)

// On other systems the service commands stop in PersistentPreRunE; these
// keep the calls compiling and say the same if reached another way.

// Install says ErrWindowsOnly.
func Install(Options) error { return ErrWindowsOnly }

// Uninstall says ErrWindowsOnly.
func Uninstall(Options) error { return ErrWindowsOnly }

// Start says ErrWindowsOnly.
func Start(Options) error { return ErrWindowsOnly }

// Stop says ErrWindowsOnly.
func Stop(Options) error { return ErrWindowsOnly }

// Run says ErrWindowsOnly.
func Run(Options, Serve, func(io.Writer, string, string) *slog.Logger) error {
	return ErrWindowsOnly
}
