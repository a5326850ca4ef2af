package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/softphone/softphone/advancedoptions"
	"github.com/softphone/softphone/internal/config"
	"github.com/softphone/softphone/internal/filewatch"
)

func newServeCmd() *cobra.Command {
	var configPath string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the server",
		Long: `Run the server. With no config file it serves the embedded defaults:
self-signed HTTPS on :8443, a redirect from :8080 and a demo client config.

The config is reloaded on SIGHUP and whenever the config file changes; an
invalid new config is logged with its errors and the running one keeps serving.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(cmd, configPath)
		},
	}
	config.AddFlags(cmd.Flags(), &configPath, config.ServeKeys()...)
	return cmd
}

// serve runs the server in the foreground: SIGINT/SIGTERM drain and stop,
// SIGHUP reloads the config.
func serve(cmd *cobra.Command, configPath string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	reload := make(chan struct{}, 1)
	go func() {
		for range hup {
			select {
			case reload <- struct{}{}:
			default:
			}
		}
	}()
	err := runServer(ctx, runParams{
		configPath: configPath,
		flags:      cmd.Flags(),
		logger: func(format, level string) *slog.Logger {
			return newLogger(cmd.ErrOrStderr(), format, level)
		},
		reload: reload,
	})
	return reportConfigError(cmd, err)
}

func logLoaded(logger *slog.Logger, l *config.Loaded) {
	logger.Info("config loaded", "file", l.Name(), "migrations", len(l.Client.Migrations), "warnings", len(l.Warnings))
	for _, m := range l.Client.Migrations {
		logger.Warn("deprecated client config key migrated; update the config (softphone check shows all)", "migration", m.String())
	}
	for _, w := range l.Warnings {
		logger.Warn(w.String())
	}
}

// reportConfigError prints every config problem on its own line, the
// warnings found with them after the errors, and ends with status 1.
func reportConfigError(cmd *cobra.Command, err error) error {
	if err == nil {
		return nil
	}
	var ce config.Errors
	if errors.As(err, &ce) {
		var errs, warns []string
		for _, d := range ce {
			if d.Severity == advancedoptions.SeverityWarning {
				warns = append(warns, d.String())
			} else {
				errs = append(errs, d.String())
			}
		}
		w := cmd.ErrOrStderr()
		fmt.Fprintf(w, "softphone: the config has %d error(s):\n", len(errs))
		for _, d := range errs {
			fmt.Fprintln(w, "  "+d)
		}
		if len(warns) > 0 {
			fmt.Fprintf(w, "and %d warning(s):\n", len(warns))
			for _, d := range warns {
				fmt.Fprintln(w, "  "+d)
			}
		}
		return exitError(1)
	}
	return err
}

// watchFile calls onChange when the file's content changes, until ctx
// ends. filewatch.Watch watches the folder rather than the file, so editors
// that write a new file and rename it over the old one, and symlink swaps
// (Kubernetes ConfigMaps), are seen; a change is only reported when the
// bytes differ.
func watchFile(ctx context.Context, file string, logger *slog.Logger, onChange func()) {
	last := fileHash(file)
	w, err := filewatch.Watch(file, 150*time.Millisecond, func() {
		if h := fileHash(file); h != last && h != ([32]byte{}) {
			last = h
			onChange()
		}
	}, func(err error) { logger.Warn("config file watcher", "err", err) })
	if err != nil {
		logger.Warn("config file watching unavailable, reload with SIGHUP", "err", err)
		return
	}
	<-ctx.Done()
	w.Close()
}

func fileHash(file string) [32]byte {
	b, err := os.ReadFile(file)
	if err != nil {
		return [32]byte{}
	}
	return sha256.Sum256(b)
}
