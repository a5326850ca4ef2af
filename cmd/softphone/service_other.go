//go:build !windows

package main

// On other systems the service commands stop in PersistentPreRunE; these
// keep the calls compiling and say the same if reached another way.

func serviceInstall(serviceOptions) error   { return errWindowsOnly }
func serviceUninstall(serviceOptions) error { return errWindowsOnly }
func serviceStart(serviceOptions) error     { return errWindowsOnly }
func serviceStop(serviceOptions) error      { return errWindowsOnly }
func serviceRun(serviceOptions) error       { return errWindowsOnly }
