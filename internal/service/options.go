// Package service runs softphone as a Windows service: install, remove,
// start and stop it through the service manager, and the service's life
// (start, reload on parameter change, graceful stop) around the serve loop
// the caller passes in. On other systems every call says to use systemd.
package service

import (
	"errors"
	"fmt"
	"strings"
)

// Defaults of `softphone service install`.
const (
	DefaultName        = "softphone"
	DefaultDisplayName = "softphone WebRTC client server"
	DefaultDescription = "Hosts the WebRTC softphone web client for contact-center agents over HTTPS."
)

// Options describe the Windows service, as given to install and as
// passed back to the binary in the service's command line.
type Options struct {
	// Name is the service name (sc.exe and the Event Log source). Default "softphone".
	Name string
	// DisplayName is shown in services.msc. Default DefaultDisplayName.
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

// Validate checks the options as install needs them; isAbs is the target
// platform's absolute-path test (Windows paths are checked on Linux in tests).
func (o Options) Validate(isAbs func(string) bool) error {
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

// RunArgs is the command line the service manager starts the binary with.
func (o Options) RunArgs() []string {
	args := []string{"service", "run", "--name", o.Name, "--config", o.ConfigPath}
	if o.LogFile != "" {
		args = append(args, "--log-file", o.LogFile)
	}
	return args
}

// WindowsIsAbs reports an absolute Windows path: drive letter and a
// separator (C:\x, C:/x) or a UNC path (\\server\share).
func WindowsIsAbs(p string) bool {
	if strings.HasPrefix(p, `\\`) {
		return true
	}
	return len(p) >= 3 && (p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z') && p[1] == ':' && (p[2] == '\\' || p[2] == '/')
}

// ErrWindowsOnly is returned by the service commands on other systems.
var ErrWindowsOnly = errors.New("softphone service manages a Windows service and runs only on Windows; " +
	"on Linux use the systemd unit (examples/systemd/softphone.service), on other systems your service manager with `softphone serve`")
