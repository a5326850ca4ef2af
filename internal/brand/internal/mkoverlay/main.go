// Command mkoverlay checks a brand folder and writes the `go build -overlay`
// file that embeds it into package brand. internal/release/brand.sh runs it:
//
//	go run ./internal/brand/internal/mkoverlay -brand BRAND -root . -out overlay.json
//
// A brand folder holds files/ (the overlay, at the served tree's paths) and
// softphone.yaml (the default config); either may be absent, not both.
// Problems in files/ are reported as `softphone check` reports them for
// branding.dir; any error stops the build.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/softphone/softphone/internal/brand"
	"github.com/softphone/softphone/server/branding"
)

func main() {
	brandDir := flag.String("brand", "", "brand folder: files/ and softphone.yaml")
	root := flag.String("root", ".", "root of the softphone module")
	out := flag.String("out", "", "overlay file to write")
	flag.Parse()
	if *brandDir == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: mkoverlay -brand DIR -out FILE [-root DIR]")
		os.Exit(2)
	}
	n, err := run(*brandDir, *root, *out, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "brand:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "brand: %s: %d file(s) to embed\n", *brandDir, n)
}

// overlay is the JSON that `go build -overlay` reads.
type overlay struct {
	Replace map[string]string
}

// run checks brandDir, writes the overlay file mapping each brand file to
// its place in package brand, and returns how many files it maps. Findings
// go to log.
func run(brandDir, root, out string, log io.Writer) (int, error) {
	rootAbs, err := filepath.Abs(root)
	if err != nil {
		return 0, err
	}
	if _, err := os.Stat(filepath.Join(rootAbs, "internal", "brand", "brand.go")); err != nil {
		return 0, fmt.Errorf("-root %s is not the softphone module: %w", root, err)
	}
	folder, err := branding.ReadFolder(brandDir)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", brandDir, err)
	}
	for _, name := range folder.Ignored {
		fmt.Fprintf(log, "brand: %s: not embedded; a brand folder holds files/ (the overlay) and softphone.yaml (the default config)\n", name)
	}
	ov := overlay{Replace: map[string]string{}}
	if folder.Config != "" {
		ov.Replace[filepath.Join(rootAbs, "internal", "brand", filepath.FromSlash(brand.ConfigName))] = folder.Config
	}
	if folder.Files != "" {
		r, err := branding.CheckDir(folder.Files)
		if err != nil {
			return 0, err
		}
		for _, w := range r.Warnings {
			fmt.Fprintf(log, "brand: warning: files/%s\n", w)
		}
		for _, u := range r.Upgrade.Lines() {
			fmt.Fprintf(log, "brand: upgrade: files/%s\n", u)
		}
		if !r.OK() {
			for _, e := range r.Errors {
				fmt.Fprintf(log, "brand: error: files/%s\n", e)
			}
			return 0, fmt.Errorf("%s: %d error(s) in files/", brandDir, len(r.Errors))
		}
		// The same files the server would serve: dotfiles and dot folders
		// are skipped.
		err = filepath.WalkDir(folder.Files, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if p != folder.Files && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			rel, err := filepath.Rel(folder.Files, p)
			if err != nil {
				return err
			}
			ov.Replace[filepath.Join(rootAbs, "internal", "brand", "files", rel)] = p
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	b, err := json.MarshalIndent(ov, "", "  ")
	if err != nil {
		return 0, err
	}
	return len(ov.Replace), os.WriteFile(out, append(b, '\n'), 0o644)
}
