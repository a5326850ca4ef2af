package main

import (
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/softphone/softphone/internal/doctor"
)

func newDoctorCmd() *cobra.Command {
	var (
		configPath string
		asJSON     bool
		timeout    time.Duration
		caFiles    []string
	)
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the agents' path to the SBCs, sign-in providers and ICE servers in the client config",
		Long: `Check, from this machine, what agents' browsers will need to reach:

  for each SBC (sipServerAddress and backupSipServerAddress): DNS, TCP, the TLS
  certificate (chain trusted, SAN covers the host, not expired, days left) and
  a WebSocket upgrade with the "sip" subprotocol;
  for each sign-in provider (authProvidersConfig.providers): the OpenID
  discovery document and its JWKS;
  for each ICE server (sipIceServers): a STUN binding response.

Each failure comes with the vendor manual's remedy. Run it from a machine on
the agents' network to see what they see; with an internal CA, pass its
certificate with --ca, as it is installed on the agents' machines. Exits 1
when a check fails; --json prints the checklist for monitoring.`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ok, err := doctor.Run(cmd.Context(), doctor.Options{
				ConfigPath: configPath, Environ: os.Environ(), JSON: asJSON, Timeout: timeout, CAFiles: caFiles,
			}, cmd.OutOrStdout())
			if err != nil {
				return reportConfigError(cmd, err)
			}
			if !ok {
				return exitError(1)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVarP(&configPath, "config", "c", "", "config file (default: ./softphone.yaml, else /etc/softphone/softphone.yaml, else the embedded default)")
	fs.BoolVar(&asJSON, "json", false, "print the checklist as JSON")
	fs.DurationVar(&timeout, "timeout", 5*time.Second, "time limit of each network step")
	fs.StringArrayVar(&caFiles, "ca", nil, "PEM file of extra trusted CA certificates, such as an internal root CA installed on the agents' machines (repeatable)")
	cmd.MarkFlagFilename("config", "yaml", "yml")
	cmd.MarkFlagFilename("ca", "pem", "crt", "cer")
	return cmd
}
