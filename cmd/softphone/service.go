package main

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/softphone/softphone/internal/config"
	"github.com/softphone/softphone/internal/service"
)

func newServiceCmd() *cobra.Command {
	o := service.Options{Name: service.DefaultName, DisplayName: service.DefaultDisplayName, Description: service.DefaultDescription}
	cmd := &cobra.Command{
		Use:   "service",
		Short: "Install, remove, start and stop softphone as a Windows service",
		Long: `Run softphone as a Windows service, in place of IIS (Windows only).

  softphone service install --config C:\ProgramData\softphone\softphone.yaml
  softphone service start
  softphone service stop
  softphone service uninstall

The service runs "softphone serve" with the config given at install time,
starts at boot, restarts after a failure, and logs to the Windows Event Log
(Application, source "softphone") unless --log-file is given. "sc control
softphone paramchange" reloads the config, like SIGHUP on Linux.`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if runtime.GOOS != "windows" {
				return windowsOnly(cmd)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runtime.GOOS != "windows" {
				return windowsOnly(cmd)
			}
			return cmd.Help()
		},
	}
	name := func(c *cobra.Command) {
		c.Flags().StringVar(&o.Name, "name", o.Name, "service name")
	}

	install := &cobra.Command{
		Use:   "install",
		Short: "Register the service (run as Administrator)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.ConfigPath != "" && !service.WindowsIsAbs(o.ConfigPath) {
				if abs, err := filepath.Abs(o.ConfigPath); err == nil {
					o.ConfigPath = abs
				}
			}
			if err := o.Validate(service.WindowsIsAbs); err != nil {
				return err
			}
			// Refuse a config serve would refuse, before the service exists.
			if _, err := config.Load(o.ConfigPath, nil, nil); err != nil {
				return reportConfigError(cmd, err)
			}
			if err := service.Install(o); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "service %q installed: it runs %s; start it with `softphone service start --name %s`\n",
				o.Name, strings.Join(o.RunArgs(), " "), o.Name)
			return nil
		},
	}
	name(install)
	install.Flags().StringVarP(&o.ConfigPath, "config", "c", "", `absolute path of softphone.yaml (required), such as C:\ProgramData\softphone\softphone.yaml`)
	install.Flags().StringVar(&o.LogFile, "log-file", "", "write the application log to this file instead of the Event Log")
	install.Flags().StringVar(&o.DisplayName, "display-name", o.DisplayName, "name shown in services.msc")
	install.Flags().StringVar(&o.Account, "account", "", `run as this account, such as "NT AUTHORITY\LocalService" (default LocalSystem)`)
	install.Flags().BoolVar(&o.Manual, "manual", false, "start on demand instead of at boot")
	install.MarkFlagFilename("config", "yaml", "yml")
	install.MarkFlagFilename("log-file")

	simple := func(use, short string, fn func(service.Options) error, done string) *cobra.Command {
		c := &cobra.Command{
			Use: use, Short: short, Args: cobra.NoArgs,
			RunE: func(cmd *cobra.Command, _ []string) error {
				if err := fn(o); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "service %q %s\n", o.Name, done)
				return nil
			},
		}
		name(c)
		return c
	}

	run := &cobra.Command{
		Use:    "run",
		Short:  "Run as the service (started by the service manager, not by hand)",
		Args:   cobra.NoArgs,
		Hidden: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return service.Run(o, serveAsService(o.ConfigPath), newLogger)
		},
	}
	name(run)
	run.Flags().StringVarP(&o.ConfigPath, "config", "c", "", "config file")
	run.Flags().StringVar(&o.LogFile, "log-file", "", "application log file instead of the Event Log")

	cmd.AddCommand(
		install,
		simple("uninstall", "Stop and remove the service (run as Administrator)", service.Uninstall, "removed"),
		simple("start", "Start the service", service.Start, "started"),
		simple("stop", "Stop the service, letting in-flight requests finish", service.Stop, "stopped"),
		run,
	)
	return cmd
}

func windowsOnly(cmd *cobra.Command) error {
	fmt.Fprintln(cmd.ErrOrStderr(), "softphone:", service.ErrWindowsOnly)
	return exitError(1)
}
