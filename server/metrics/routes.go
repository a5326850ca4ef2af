package metrics

import (
	"net/http"
	"strings"
)

// Route classes: a fixed, small set, so the route label never grows with
// the number of files or with what clients ask for.
const (
	RouteShell  = "shell"  // the SPA shell: basePath and index.html
	RouteConfig = "config" // the rendered static/js/advancedOptions.js
	RouteBundle = "bundle" // hashed static/js and static/css bundles
	RouteAsset  = "asset"  // everything else under basePath: images, sounds, localization, manifest
	RouteHealth = "health" // /healthz, /readyz
	RouteOther  = "other"  // outside basePath
)

// RouteClasses returns the classifier for a served tree mounted at
// basePath (which starts and ends with "/").
func RouteClasses(basePath string) func(*http.Request) string {
	return func(r *http.Request) string {
		p := r.URL.Path
		if p == "/healthz" || p == "/readyz" {
			return RouteHealth
		}
		rel, ok := strings.CutPrefix(p, basePath)
		if !ok {
			return RouteOther
		}
		switch {
		case rel == "" || rel == "index.html":
			return RouteShell
		case rel == "static/js/advancedOptions.js":
			return RouteConfig
		case strings.HasPrefix(rel, "static/js/") || strings.HasPrefix(rel, "static/css/"):
			return RouteBundle
		}
		return RouteAsset
	}
}
