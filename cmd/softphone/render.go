package main

import (
	"os"

	"github.com/spf13/cobra"

	"github.com/softphone/softphone/internal/config"
)

func newRenderCmd() *cobra.Command {
	var configPath string
	cmd := &cobra.Command{
		Use:   "render",
		Short: "Print the advancedOptions.js that would be served",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			l, err := config.Load(configPath, cmd.Flags(), os.Environ())
			if err != nil {
				return reportConfigError(cmd, err)
			}
			_, err = cmd.OutOrStdout().Write(l.Client.JS)
			return err
		},
	}
	config.AddFlags(cmd.Flags(), &configPath)
	return cmd
}
