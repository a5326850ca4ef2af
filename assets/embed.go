// Package assets holds the default brand resources served beside the web
// client: images (logos, virtual backgrounds), sounds (ring tones and call
// progress tones) and the default UI text. Files sit under files/ with the
// paths of the served tree, so a brand overlay replaces them one by one.
package assets

import (
	"embed"
	"io/fs"
)

//go:generate go run ./internal/gen -out files -favicon ../webclient/public/favicon.ico

//go:embed files
var files embed.FS

// FS returns the default resources rooted at the served tree:
// images/logo.svg, images/logo-small.svg, images/virtual-backgrounds/imageNN.jpg,
// sounds/*.wav and static/localization/strings-default.json.
func FS() fs.FS {
	sub, err := fs.Sub(files, "files")
	if err != nil {
		// fs.Sub only fails on an invalid path; "files" is a constant.
		panic(err)
	}
	return sub
}
