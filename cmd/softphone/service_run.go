package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/softphone/softphone/internal/config"
	"github.com/softphone/softphone/internal/service"
	"github.com/softphone/softphone/server"
)

// runParams is what runServer needs from its caller: a terminal (serve)
// or the Windows service manager.
type runParams struct {
	// configPath is --config, "" for the search path.
	configPath string
	// flags are the command's flags that override config keys; may be nil.
	flags *pflag.FlagSet
	// logger builds the application log from log.format and log.level.
	logger func(format, level string) *slog.Logger
	// reload asks for the config to be read again (SIGHUP, or the service
	// manager's parameter-change control).
	reload <-chan struct{}
	// ready is called once the listeners are bound and serving.
	ready func()
}

// runServer loads the config, serves until ctx ends, reloads on request
// and on file change (a bad new config is logged and refused, the old one
// keeps serving), then drains in-flight requests. It is serve without the
// signal handling, so the Windows service can drive it.
func runServer(ctx context.Context, p runParams) error {
	start := time.Now()
	l, err := config.Load(p.configPath, p.flags, os.Environ())
	if err != nil {
		return err
	}
	l.Server.Build = buildInfo()
	logger := p.logger(l.Server.Log.Format, l.Server.Log.Level)
	logLoaded(logger, l)

	srv, err := server.New(l.Server, logger)
	if err != nil {
		return err
	}
	if err := srv.Open(); err != nil {
		return err
	}
	reloads := make(chan string, 1)
	request := func(reason string) {
		select {
		case reloads <- reason:
		default: // one pending reload reads the newest file anyway
		}
	}
	wctx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	if l.File != "" {
		go watchFile(wctx, l.File, logger, func() { request("file changed") })
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve() }()
	logger.Info("ready", "startup", time.Since(start).Round(time.Millisecond).String())
	if p.ready != nil {
		p.ready()
	}
	for {
		select {
		case err := <-errc:
			return err
		case <-p.reload:
			request("reload requested")
		case reason := <-reloads:
			// An editor or `cat >` writing the file in place truncates it
			// first: an empty file is a write in progress (it would load as
			// "all defaults", no SBC), so it is refused; the write's own
			// event reloads again in a moment.
			if st, err := os.Stat(l.File); l.File != "" && err == nil && st.Size() == 0 {
				logger.Warn("config file is empty, keeping the running config", "file", l.File, "reason", reason)
				srv.Metrics().ConfigReload(false)
				continue
			}
			nl, err := config.Load(p.configPath, p.flags, os.Environ())
			if err == nil {
				nl.Server.Build = l.Server.Build
				err = srv.Reload(nl.Server)
			}
			srv.Metrics().ConfigReload(err == nil)
			if err != nil {
				logger.Error("config reload refused, still serving the previous config", "reason", reason, "errors", err.Error())
				continue
			}
			logLoaded(logger, nl)
			logger.Info("config reloaded", "reason", reason)
		case <-ctx.Done():
			logger.Info("shutting down, letting in-flight requests finish", "timeout", l.Server.Timeouts.Shutdown.String())
			stopWatch()
			if err := srv.Shutdown(context.Background()); err != nil {
				return fmt.Errorf("shutdown: %w", err)
			}
			return <-errc
		}
	}
}

// serveAsService is runServer as the Windows service runs it: the config
// given at install, no flags, the service's logger.
func serveAsService(configPath string) service.Serve {
	return func(ctx context.Context, logger func(format, level string) *slog.Logger, reload <-chan struct{}, ready func()) error {
		return runServer(ctx, runParams{configPath: configPath, logger: logger, reload: reload, ready: ready})
	}
}
