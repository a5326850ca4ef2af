// Package brand holds the brand a branded build embeds: an overlay of files
// at the served tree's paths (files/) and a default config
// (config/softphone.yaml). In a plain build both folders hold only a .keep
// file, which the server does not serve (it skips dotfiles).
//
// `make brand BRAND=path/to/brand` fills them without touching the source
// tree: internal/release/brand.sh hands `go build -overlay` a file mapping
// internal/brand/files/... to BRAND/files/... and internal/brand/config/softphone.yaml to
// BRAND/softphone.yaml (see internal/mkoverlay).
package brand

import (
	"embed"
	"io/fs"
)

//go:embed all:files
var files embed.FS

//go:embed all:config
var config embed.FS

// ConfigName is the embedded default config's path inside the package.
const ConfigName = "config/softphone.yaml"

// Files returns the embedded brand overlay rooted at the served tree
// (images/logo.svg, sounds/..., static/localization/...). It is a layer
// between the default assets and branding.dir.
func Files() fs.FS {
	sub, err := fs.Sub(files, "files")
	if err != nil {
		// fs.Sub only fails on an invalid path; "files" is a constant.
		panic(err)
	}
	return sub
}

// Config returns the embedded default config, or nil in a plain build. It
// takes the place of the built-in default when no config file is found.
func Config() []byte {
	b, err := config.ReadFile(ConfigName)
	if err != nil {
		return nil
	}
	return b
}
