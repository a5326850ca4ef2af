package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/softphone/softphone/server/metrics"
)

// Set at build time: go build -ldflags "-X main.version=v1.2.3 -X main.commit=... -X main.date=...".
var (
	version = ""
	commit  = ""
	date    = ""
)

// buildVersion fills in what -ldflags did not set from the module and VCS
// information the Go toolchain records in every build.
func buildVersion() (v, c, d string) {
	info, _ := debug.ReadBuildInfo()
	return versionFrom(info)
}

// versionFrom reads the version, commit and date from the -ldflags
// variables, else from the build info's module version and VCS stamp
// (vcs.revision, vcs.time), which a plain `go build` in a git clone records.
func versionFrom(info *debug.BuildInfo) (v, c, d string) {
	v, c, d = version, commit, date
	if info != nil {
		if v == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				if c == "" {
					c = s.Value
				}
			case "vcs.time":
				if d == "" {
					d = s.Value
				}
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	return v, c, d
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and build date",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v, c, d := buildVersion()
			if c == "" {
				// Go records no VCS stamp with -buildvcs=false (also set in
				// GOFLAGS by some go env files) or outside a git clone (a
				// tarball, a git worktree).
				c = "unknown: built without VCS information; build in a git clone with -buildvcs=auto, or make build"
			}
			if d == "" {
				d = "unknown"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "softphone %s (commit %s, built %s, %s %s/%s)\n", v, c, d, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}

// buildInfo is the version, commit and date for the build_info metric.
func buildInfo() metrics.BuildInfo {
	v, c, d := buildVersion()
	return metrics.BuildInfo{Version: v, Commit: c, Date: d}
}
