package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/softphone/softphone/internal/config"
	"github.com/softphone/softphone/server"
	"github.com/softphone/softphone/server/site"
)

func newExportCmd() *cobra.Command {
	var configPath string
	var force bool
	cmd := &cobra.Command{
		Use:   "export DIR",
		Short: "Write the whole served tree, rendered config and brand overlay included, with .gz and .br sidecars",
		Long: `Write every file softphone would serve into DIR: the web client, the default
assets with the brand overlay applied, and static/js/advancedOptions.js rendered
from the config. Compressible files get .gz and .br sidecars, so NGINX
(gzip_static, brotli_static), IIS or a CDN can serve them precompressed.
examples/nginx/ shows an NGINX config with the right cache headers.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			l, err := config.Load(configPath, cmd.Flags(), os.Environ())
			if err != nil {
				return reportConfigError(cmd, err)
			}
			n, err := export(args[0], &l.Server, force)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "exported %d files to %s\n", n, args[0])
			return nil
		},
	}
	config.AddFlags(cmd.Flags(), &configPath, "branding.dir")
	cmd.Flags().BoolVar(&force, "force", false, "write into DIR even when it is not empty")
	return cmd
}

// export writes the served tree of cfg into dir and returns the number of
// files written (sidecars included).
func export(dir string, cfg *server.Config, force bool) (int, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 && !force {
		return 0, fmt.Errorf("%s is not empty; use --force to write into it", dir)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return 0, err
	}
	store, err := site.Build(server.Layers(cfg.Branding.Dir), site.Options{
		Generated: map[string][]byte{site.GeneratedConfigPath: cfg.Client.JS},
	})
	if err != nil {
		return 0, err
	}
	store.Optimize(context.Background()) // sidecars at brotli 11 and gzip 9
	n := 0
	write := func(name string, data []byte) error {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		n++
		return os.WriteFile(p, data, 0o644)
	}
	for _, name := range store.Names() {
		f := store.Lookup(name)
		if err := write(name, f.Bytes()); err != nil {
			return n, err
		}
		for coding, ext := range map[string]string{"gzip": ".gz", "br": ".br"} {
			if data, ok := f.Encoded(coding); ok {
				if err := write(name+ext, data); err != nil {
					return n, err
				}
			}
		}
	}
	return n, nil
}
