package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"

	"github.com/softphone/softphone/advancedoptions"
	"github.com/softphone/softphone/internal/brand"
	"github.com/softphone/softphone/internal/config"
	"github.com/softphone/softphone/server/branding"
)

func newBrandCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "brand",
		Short: "Show the brand embedded in this binary; check a brand folder",
		Long: `Without arguments, list what ` + "`make brand`" + ` embedded in this binary: the
overlay files (served over the default assets, under branding.dir) and the
default config used when no config file is found.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return showBrand(cmd.OutOrStdout(), brand.Files(), brand.Config())
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "check DIR",
		Short: "Check a brand folder (files/ and softphone.yaml) as make brand does",
		Long: `Check a brand folder before building it into a binary: the overlay in
DIR/files gets the checks softphone check runs on branding.dir (logos,
virtual backgrounds, sounds, text) and the upgrade report of its text keys;
DIR/softphone.yaml is validated like any config, without the environment.
Exits 1 when there is any error.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if checkBrandFolder(cmd.OutOrStdout(), args[0]) > 0 {
				return exitError(1)
			}
			return nil
		},
	})
	return cmd
}

// showBrand lists the embedded overlay files and default config.
func showBrand(w io.Writer, files fs.FS, config []byte) error {
	n := 0
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != "." {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		b, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		n++
		fmt.Fprintf(w, "file: %s (%d bytes, sha256 %x)\n", p, len(b), sha256.Sum256(b))
		return nil
	})
	if err != nil {
		return err
	}
	if config != nil {
		fmt.Fprintf(w, "default config: softphone.yaml (%d bytes, sha256 %x), used when no config file is found\n", len(config), sha256.Sum256(config))
	}
	if n == 0 && config == nil {
		fmt.Fprintln(w, "no brand embedded: a plain build (make brand BRAND=path/to/brand embeds one)")
	}
	return nil
}

// checkBrandFolder prints every finding about the brand folder dir and
// returns the number of errors.
func checkBrandFolder(w io.Writer, dir string) int {
	errs, warns := 0, 0
	folder, err := branding.ReadFolder(dir)
	if err != nil {
		fmt.Fprintf(w, "error: %s: %v\n", dir, err)
		return 1
	}
	for _, name := range folder.Ignored {
		fmt.Fprintf(w, "warning: %s: not part of a brand; a brand folder holds files/ (the overlay) and softphone.yaml (the default config)\n", name)
		warns++
	}
	if folder.Files != "" {
		r, err := branding.CheckDir(folder.Files)
		if err != nil {
			fmt.Fprintf(w, "error: files: %v\n", err)
			return errs + 1
		}
		for _, e := range r.Errors {
			fmt.Fprintf(w, "error: files/%s\n", e)
		}
		for _, m := range r.Warnings {
			fmt.Fprintf(w, "warning: files/%s\n", m)
		}
		for _, u := range r.Upgrade.Lines() {
			fmt.Fprintf(w, "upgrade: files/%s\n", u)
		}
		errs += len(r.Errors)
		warns += len(r.Warnings)
	}
	if folder.Config != "" {
		l, err := config.Load(folder.Config, nil, nil)
		var ce config.Errors
		switch {
		case errors.As(err, &ce):
			for _, d := range ce {
				fmt.Fprintf(w, "%s: %s\n", d.Severity, d)
				if d.Severity == advancedoptions.SeverityWarning {
					warns++
				} else {
					errs++
				}
			}
		case err != nil:
			fmt.Fprintf(w, "error: softphone.yaml: %v\n", err)
			errs++
		default:
			for _, m := range l.Warnings {
				fmt.Fprintf(w, "warning: %s\n", m)
			}
			warns += len(l.Warnings)
		}
	}
	if errs == 0 {
		fmt.Fprintf(w, "ok: %s, %d warning(s), no errors\n", dir, warns)
	} else {
		fmt.Fprintf(w, "%s: %d error(s), %d warning(s)\n", dir, errs, warns)
	}
	return errs
}
