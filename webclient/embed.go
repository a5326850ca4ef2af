// Package webclient embeds the built softphone single-page app. The build
// output (dist/) is committed, so `go build` needs no Node.js; dist_test.go
// checks that it matches a fresh `npm ci && npm run build`.
package webclient

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built app rooted at the served tree: index.html,
// static/js/*.<hash>.js, static/css/*.<hash>.css, manifest.json,
// favicon.ico and robots.txt. static/js/advancedOptions.js is not in it:
// the server renders that file from its configuration.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		// fs.Sub only fails on an invalid path; "dist" is a constant.
		panic(err)
	}
	return sub
}
