package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/softphone/softphone/advancedoptions"
	"github.com/softphone/softphone/internal/config"
	"github.com/softphone/softphone/server/tlsconf"
)

func newCheckCmd() *cobra.Command {
	var configPath string
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Validate everything serve would load; list migrations and warnings",
		Long: `Validate the config file, the environment and the client config exactly as
serve would, without binding any port. Prints applied migrations of deprecated
client keys and warnings; exits 1 when there is any error.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			l, err := config.Load(configPath, cmd.Flags(), os.Environ())
			if err != nil {
				return reportConfigError(cmd, err)
			}
			out := cmd.OutOrStdout()
			file := l.Name()
			fmt.Fprintf(out, "config: %s\n", file)
			fmt.Fprintf(out, "serving: %s on %s, tls %s\n", l.Server.BasePath, l.Server.Listen, l.Server.TLS.Mode)
			// What TLS would use, without creating or obtaining anything.
			st, err := tlsconf.Inspect(l.Server.TLS, tlsconf.Options{StateDir: l.Server.StateDir})
			if err != nil {
				return reportConfigError(cmd, append(config.Errors(l.Locate(strings.Split(err.Error(), "\n"), advancedoptions.SeverityError)), l.Warnings...))
			}
			for _, line := range st.Lines(time.Now()) {
				fmt.Fprintf(out, "tls: %s\n", line)
			}
			l.Warnings = append(l.Warnings, l.Locate(st.Warnings, advancedoptions.SeverityWarning)...)
			for _, m := range l.Client.Migrations {
				fmt.Fprintf(out, "migrated: %s\n", m)
			}
			for _, w := range l.Warnings {
				fmt.Fprintf(out, "warning: %s\n", w)
			}
			for _, u := range l.Upgrade.Lines() {
				fmt.Fprintf(out, "upgrade: branding.dir: %s\n", u)
			}
			fmt.Fprintf(out, "ok: %d migration(s), %d warning(s), no errors\n", len(l.Client.Migrations), len(l.Warnings))
			return nil
		},
	}
	config.AddFlags(cmd.Flags(), &configPath)
	return cmd
}
