package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/softphone/softphone/advancedoptions"
)

// newMigrateCmd is "softphone migrate OLD.js": it turns a legacy
// advancedOptions.js into the advancedOptions: section of softphone.yaml
// (stdout), reports every migration, warning and error (stderr), and exits
// non-zero when the result would not pass "softphone check".
func newMigrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate OLD.js",
		Short: "Turn a legacy advancedOptions.js into the advancedOptions: section of softphone.yaml",
		Long: `migrate reads an existing advancedOptions.js without executing it, rewrites every
deprecated key as the vendor manual maps it (defaultOAuthConfig and
supportedAuthenticationSchemes to authProvidersConfig, autoplayNotificationOptions,
maxSizeForCallHistory, notReadyStatusValue, localVideoFilter.supported, sipIpsServers...),
and prints the advancedOptions: section of softphone.yaml. The report of migrations,
warnings and errors goes to stderr; the exit status is 1 when the configuration is invalid.`,
		Args:          cobra.ExactArgs(1),
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMigrate(args[0], cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
}

func runMigrate(name string, stdout, stderr io.Writer) error {
	src, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	im, err := advancedoptions.ImportLegacy(src, name)
	if err != nil {
		var errs advancedoptions.Errors
		if errors.As(err, &errs) {
			for _, e := range errs {
				fmt.Fprintf(stderr, "error: %s\n", e)
			}
			return fmt.Errorf("migrate: %s: %d error(s), nothing printed", name, len(errs))
		}
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := stdout.Write(im.YAML); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range im.Migrations {
		fmt.Fprintf(stderr, "migrated: %s\n", m)
	}
	for _, w := range im.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	// Check the result as "softphone check" will, positions pointing into OLD.js.
	res, err := advancedoptions.Compile(im.Section, name)
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	if err != nil {
		var errs advancedoptions.Errors
		if errors.As(err, &errs) {
			for _, e := range errs {
				fmt.Fprintf(stderr, "error: %s\n", e)
			}
			return fmt.Errorf("migrate: %s: the migrated configuration has %d error(s); fix them in softphone.yaml", name, len(errs))
		}
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}
