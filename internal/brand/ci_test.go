package brand

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestCIWorkflow checks examples/ci against the build script: the three
// platforms, the make variables it passes (each one the script reads), and
// the reproducibility comparison before publishing.
func TestCIWorkflow(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "examples", "ci", "branded-softphone.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Env  map[string]string
		Jobs map[string]struct {
			Needs any
			Steps []struct {
				Name string
				Run  string
				Uses string
			}
		}
	}
	if err := yaml.Unmarshal(raw, &wf); err != nil {
		t.Fatalf("examples/ci/branded-softphone.yml: %v", err)
	}
	platforms := strings.Fields(wf.Env["TARGETS"])
	for _, p := range []string{"linux/amd64", "linux/arm64", "windows/amd64"} {
		if !slices.Contains(platforms, p) {
			t.Errorf("TARGETS = %q, lacks %s", wf.Env["TARGETS"], p)
		}
	}
	script, err := os.ReadFile(filepath.Join("..", "release", "brand.sh"))
	if err != nil {
		t.Fatal(err)
	}
	var build, compare string
	for _, job := range wf.Jobs {
		for _, s := range job.Steps {
			if strings.Contains(s.Run, "make -C softphone brand") {
				build = s.Run
			}
			if strings.Contains(s.Run, "diff dist-first/SHA256SUMS dist-second/SHA256SUMS") {
				compare = s.Run
			}
		}
	}
	if build == "" {
		t.Fatal("no step runs `make -C softphone brand`")
	}
	if compare == "" {
		t.Error("no step compares the two builds' SHA256SUMS")
	}
	vars := regexp.MustCompile(`\b([A-Z_]+)=`).FindAllStringSubmatch(build, -1)
	if len(vars) < 4 {
		t.Fatalf("build step passes %d variables, want BRAND, NAME, DIST_DIR, TARGETS, VERSION:\n%s", len(vars), build)
	}
	for _, v := range vars {
		if v[1] != "BRAND" && !strings.Contains(string(script), "${"+v[1]) {
			t.Errorf("the workflow sets %s, which internal/release/brand.sh does not read", v[1])
		}
	}
}
