package main

import (
	"github.com/spf13/cobra"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "softphone",
		Short: "Host the WebRTC softphone web client: HTTPS, caching, compression, access gates and client config in one binary",
		Long: `softphone serves the WebRTC softphone web client to contact-center agents.
It replaces the NGINX, Apache or IIS set-up of the vendor manual: automatic HTTPS,
precompressed and correctly cached files, basic-auth/JWT/IP gates, and an
advancedOptions.js rendered from validated config.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newServeCmd(),
		newCheckCmd(),
		newRenderCmd(),
		newExportCmd(),
		newBrandCmd(),
		newDoctorCmd(),
		newServiceCmd(),
		newMigrateCmd(),
		newPasswdCmd(),
		newVersionCmd(),
	)
	return root
}
