package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExamplesLoad loads every example config the way serve and check do,
// from the repository root as the examples' relative paths expect. Files
// that only exist on a real deployment (certificates under /etc, a PFX on
// C:) are opened by serve, not by loading, so every example must load.
func TestExamplesLoad(t *testing.T) {
	wd, _ := os.Getwd()
	root := filepath.Join(wd, "..", "..")
	if err := os.Chdir(root); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var files []string
	filepath.WalkDir("examples", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".yaml") && !strings.Contains(p, "/ci/") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) < 10 {
		t.Fatalf("found %d example configs, want the whole examples/ tree", len(files))
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			// Secrets the examples say to pass in the environment.
			src, _ := os.ReadFile(f)
			var environ []string
			if strings.Contains(string(src), "SOFTPHONE_TLS_PFX_PASSWORD") {
				environ = append(environ, "SOFTPHONE_TLS_PFX_PASSWORD=example")
			}
			if strings.Contains(string(src), "SOFTPHONE_ACCESS_OIDC_CLIENT_SECRET") {
				environ = append(environ, "SOFTPHONE_ACCESS_OIDC_CLIENT_SECRET=example-client-secret-0123456789")
			}
			l, err := loadConfig(f, nil, environ)
			if err != nil {
				t.Fatalf("%s does not load:\n%v", f, err)
			}
			if len(l.Client.JS) == 0 {
				t.Errorf("%s renders no advancedOptions.js", f)
			}
		})
	}
}
