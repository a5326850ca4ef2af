package config

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
	files := exampleConfigs(t)
	t.Chdir(repoRoot)
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
			l, err := Load(f, nil, environ)
			if err != nil {
				t.Fatalf("%s does not load:\n%v", f, err)
			}
			if len(l.Client.JS) == 0 {
				t.Errorf("%s renders no advancedOptions.js", f)
			}
		})
	}
}

// repoRoot is the repository root, seen from this package's folder.
const repoRoot = "../.."

// exampleConfigs lists every example softphone.yaml, relative to the
// repository root (examples/ci holds a CI workflow, not configs).
func exampleConfigs(t testing.TB) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(filepath.Join(repoRoot, "examples"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// ci/ holds a CI workflow and helm/ a Helm chart: YAML, not softphone.yaml.
		if !d.IsDir() && strings.HasSuffix(p, ".yaml") && !strings.Contains(p, "/ci/") && !strings.Contains(p, "/helm/") {
			rel, err := filepath.Rel(repoRoot, p)
			if err != nil {
				return err
			}
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
