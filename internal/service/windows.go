//go:build windows

package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/eventlog"
	"golang.org/x/sys/windows/svc/mgr"

	"github.com/softphone/softphone/internal/config"
)

// Install registers the service with the service manager, starting
// at boot and restarted after a failure, and its Event Log source.
func Install(o Options) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find this program's path: %w", err)
	}
	m, err := mgr.Connect()
	if err != nil {
		return fmt.Errorf("connect to the service manager (run as Administrator): %w", err)
	}
	defer m.Disconnect()
	if s, err := m.OpenService(o.Name); err == nil {
		s.Close()
		return fmt.Errorf("service %q already exists; `softphone service uninstall --name %s` first", o.Name, o.Name)
	}
	start := uint32(mgr.StartAutomatic)
	if o.Manual {
		start = mgr.StartManual
	}
	s, err := m.CreateService(o.Name, exe, mgr.Config{
		DisplayName:      o.DisplayName,
		Description:      o.Description,
		StartType:        start,
		ServiceStartName: o.Account,
	}, o.RunArgs()...)
	if err != nil {
		return fmt.Errorf("create service %q: %w", o.Name, err)
	}
	defer s.Close()
	// Restart 5 s after the first two failures, 30 s after later ones;
	// forget failures after a day.
	actions := []mgr.RecoveryAction{
		{Type: mgr.ServiceRestart, Delay: 5 * time.Second},
		{Type: mgr.ServiceRestart, Delay: 5 * time.Second},
		{Type: mgr.ServiceRestart, Delay: 30 * time.Second},
	}
	if err := s.SetRecoveryActions(actions, 24*60*60); err != nil {
		return fmt.Errorf("set recovery actions: %w", err)
	}
	if o.LogFile == "" {
		err := eventlog.InstallAsEventCreate(o.Name, eventlog.Error|eventlog.Warning|eventlog.Info)
		if err != nil && !isAlreadyExists(err) {
			s.Delete()
			return fmt.Errorf("register Event Log source %q: %w", o.Name, err)
		}
	}
	return nil
}

// isAlreadyExists matches eventlog's error for a source registered
// before (a reinstall): that is fine, the source is reused.
func isAlreadyExists(err error) bool {
	return strings.Contains(err.Error(), "registry key already exists")
}

func openService(name string) (*mgr.Mgr, *mgr.Service, error) {
	m, err := mgr.Connect()
	if err != nil {
		return nil, nil, fmt.Errorf("connect to the service manager: %w", err)
	}
	s, err := m.OpenService(name)
	if err != nil {
		m.Disconnect()
		return nil, nil, fmt.Errorf("service %q: %w", name, err)
	}
	return m, s, nil
}

// Uninstall stops the service if it runs, then removes it and its
// Event Log source.
func Uninstall(o Options) error {
	m, s, err := openService(o.Name)
	if err != nil {
		return err
	}
	defer m.Disconnect()
	defer s.Close()
	if st, err := s.Query(); err == nil && st.State != svc.Stopped {
		if err := stopAndWait(s); err != nil {
			return err
		}
	}
	if err := s.Delete(); err != nil {
		return fmt.Errorf("delete service %q: %w", o.Name, err)
	}
	eventlog.Remove(o.Name) // absent when installed with --log-file
	return nil
}

func Start(o Options) error {
	m, s, err := openService(o.Name)
	if err != nil {
		return err
	}
	defer m.Disconnect()
	defer s.Close()
	if err := s.Start(); err != nil {
		return fmt.Errorf("start service %q: %w", o.Name, err)
	}
	return waitState(s, svc.Running, 30*time.Second)
}

func Stop(o Options) error {
	m, s, err := openService(o.Name)
	if err != nil {
		return err
	}
	defer m.Disconnect()
	defer s.Close()
	return stopAndWait(s)
}

func stopAndWait(s *mgr.Service) error {
	if _, err := s.Control(svc.Stop); err != nil {
		return fmt.Errorf("stop service: %w", err)
	}
	// The server drains for up to timeouts.shutdown (15 s by default).
	return waitState(s, svc.Stopped, 60*time.Second)
}

func waitState(s *mgr.Service, want svc.State, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		st, err := s.Query()
		if err != nil {
			return fmt.Errorf("query service: %w", err)
		}
		if st.State == want {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("service did not reach state %d within %s (now %d); see the Event Log", want, limit, st.State)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// Run is the service's entry point, started by the service manager: it
// runs serve, logging through logTo into the log file when given, else
// into the Event Log.
func Run(o Options, serve Serve, logTo func(w io.Writer, format, level string) *slog.Logger) error {
	isService, err := svc.IsWindowsService()
	if err != nil {
		return err
	}
	if !isService {
		return errors.New("softphone service run is started by the Windows service manager; to run in a console use softphone serve")
	}
	newLog, closeLog, err := serviceLogger(o, logTo)
	if err != nil {
		return err
	}
	defer closeLog()
	return svc.Run(o.Name, &windowsService{opts: o, serve: serve, newLog: newLog})
}

// serviceLogger returns the logger factory: the log file when given, else
// the Event Log source registered at install.
func serviceLogger(o Options, logTo func(w io.Writer, format, level string) *slog.Logger) (func(format, level string) *slog.Logger, func(), error) {
	if o.LogFile != "" {
		f, err := os.OpenFile(o.LogFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
		if err != nil {
			return nil, nil, fmt.Errorf("--log-file: %w", err)
		}
		return func(format, level string) *slog.Logger { return logTo(f, format, level) }, func() { f.Close() }, nil
	}
	el, err := eventlog.Open(o.Name)
	if err != nil {
		return nil, nil, fmt.Errorf("open Event Log source %q: %w", o.Name, err)
	}
	return func(format, level string) *slog.Logger { return slog.New(newEventLogHandler(el, logTo, format, level)) }, func() { el.Close() }, nil
}

// windowsService adapts Loop to svc.Handler.
type windowsService struct {
	opts   Options
	serve  Serve
	newLog func(format, level string) *slog.Logger
}

func (w *windowsService) Execute(_ []string, requests <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	controls := make(chan Control)
	go func() {
		defer close(controls)
		for r := range requests {
			switch r.Cmd {
			case svc.Interrogate:
				controls <- ControlInterrogate
			case svc.Stop, svc.Shutdown:
				controls <- ControlStop
			case svc.ParamChange:
				controls <- ControlReload
			}
		}
	}()
	report := func(s State) {
		switch s {
		case StateStartPending:
			status <- svc.Status{State: svc.StartPending, WaitHint: 30000}
		case StateRunning:
			status <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop | svc.AcceptShutdown | svc.AcceptParamChange}
		case StateStopPending:
			status <- svc.Status{State: svc.StopPending, WaitHint: 60000}
		case StateStopped:
			// svc.Run reports Stopped itself when Execute returns.
		}
	}
	fallback := w.newLog("text", "info")
	run := func(ctx context.Context, reload <-chan struct{}, ready func()) error {
		err := w.serve(ctx, w.newLog, reload, ready)
		var ce config.Errors
		if errors.As(err, &ce) {
			fallback.Error("the config has errors, the service cannot start", "errors", ce.Error())
		}
		return err
	}
	code := Loop(controls, report, run, fallback)
	return code != 0, code
}

var _ svc.Handler = (*windowsService)(nil)
