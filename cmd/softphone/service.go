package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/softphone/softphone/internal/config"
)

// Defaults of `softphone service install`.
const (
	defaultServiceName        = "softphone"
	defaultServiceDisplayName = "softphone WebRTC client server"
	defaultServiceDescription = "Hosts the WebRTC softphone web client for contact-center agents over HTTPS."
)

// serviceOptions describe the Windows service, as given to install and as
// passed back to the binary in the service's command line.
type serviceOptions struct {
	// Name is the service name (sc.exe and the Event Log source). Default "softphone".
	Name string
	// DisplayName is shown in services.msc. Default defaultServiceDisplayName.
	DisplayName string
	// Description is shown in services.msc.
	Description string
	// ConfigPath is the absolute path of softphone.yaml. Required for install:
	// a service starts in C:\Windows\System32, where a relative path means nothing.
	ConfigPath string
	// LogFile, when set, receives the application log instead of the Event Log.
	LogFile string
	// Account runs the service as this account, such as
	// `NT AUTHORITY\LocalService`. Default "" (LocalSystem).
	Account string
	// Manual makes the service start on demand instead of at boot.
	Manual bool
}

// validate checks the options as install needs them; isAbs is the target
// platform's absolute-path test (Windows paths are checked on Linux in tests).
func (o serviceOptions) validate(isAbs func(string) bool) error {
	var errs []error
	if o.Name == "" || len(o.Name) > 256 || strings.ContainsAny(o.Name, `/\ "`) {
		errs = append(errs, fmt.Errorf("--name: must be 1 to 256 characters without spaces, slashes or quotes, got %q", o.Name))
	}
	if o.ConfigPath == "" {
		errs = append(errs, errors.New(`--config: required: the absolute path of softphone.yaml, such as C:\ProgramData\softphone\softphone.yaml`))
	} else if !isAbs(o.ConfigPath) {
		errs = append(errs, fmt.Errorf(`--config: must be an absolute path (a service starts in C:\Windows\System32), got %q`, o.ConfigPath))
	}
	if o.LogFile != "" && !isAbs(o.LogFile) {
		errs = append(errs, fmt.Errorf("--log-file: must be an absolute path, got %q", o.LogFile))
	}
	if strings.ContainsAny(o.ConfigPath+o.LogFile, `"`) {
		errs = append(errs, errors.New("--config, --log-file: must not contain double quotes"))
	}
	return errors.Join(errs...)
}

// runArgs is the command line the service manager starts the binary with.
func (o serviceOptions) runArgs() []string {
	args := []string{"service", "run", "--name", o.Name, "--config", o.ConfigPath}
	if o.LogFile != "" {
		args = append(args, "--log-file", o.LogFile)
	}
	return args
}

// windowsIsAbs reports an absolute Windows path: drive letter and a
// separator (C:\x, C:/x) or a UNC path (\\server\share).
func windowsIsAbs(p string) bool {
	if strings.HasPrefix(p, `\\`) {
		return true
	}
	return len(p) >= 3 && (p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z') && p[1] == ':' && (p[2] == '\\' || p[2] == '/')
}

// errWindowsOnly is returned by the service commands on other systems.
var errWindowsOnly = errors.New("softphone service manages a Windows service and runs only on Windows; " +
	"on Linux use the systemd unit (examples/systemd/softphone.service), on other systems your service manager with `softphone serve`")

func newServiceCmd() *cobra.Command {
	o := serviceOptions{Name: defaultServiceName, DisplayName: defaultServiceDisplayName, Description: defaultServiceDescription}
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
			if o.ConfigPath != "" && !windowsIsAbs(o.ConfigPath) {
				if abs, err := filepath.Abs(o.ConfigPath); err == nil {
					o.ConfigPath = abs
				}
			}
			if err := o.validate(windowsIsAbs); err != nil {
				return err
			}
			// Refuse a config serve would refuse, before the service exists.
			if _, err := config.Load(o.ConfigPath, nil, nil); err != nil {
				return reportConfigError(cmd, err)
			}
			if err := serviceInstall(o); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "service %q installed: it runs %s; start it with `softphone service start --name %s`\n",
				o.Name, strings.Join(o.runArgs(), " "), o.Name)
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

	simple := func(use, short string, fn func(serviceOptions) error, done string) *cobra.Command {
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
			return serviceRun(o)
		},
	}
	name(run)
	run.Flags().StringVarP(&o.ConfigPath, "config", "c", "", "config file")
	run.Flags().StringVar(&o.LogFile, "log-file", "", "application log file instead of the Event Log")

	cmd.AddCommand(
		install,
		simple("uninstall", "Stop and remove the service (run as Administrator)", serviceUninstall, "removed"),
		simple("start", "Start the service", serviceStart, "started"),
		simple("stop", "Stop the service, letting in-flight requests finish", serviceStop, "stopped"),
		run,
	)
	return cmd
}

func windowsOnly(cmd *cobra.Command) error {
	fmt.Fprintln(cmd.ErrOrStderr(), "softphone:", errWindowsOnly)
	return exitError(1)
}
