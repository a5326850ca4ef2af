package advancedoptions

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestExamplesCompile: every example configuration's advancedOptions
// section passes, as "softphone check" would require.
func TestExamplesCompile(t *testing.T) {
	var files []string
	err := filepath.WalkDir("../examples", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(src, &doc); err != nil {
			continue // not ours to judge: softphone check reports it
		}
		section := SectionOf(&doc)
		if section == nil {
			continue
		}
		checked++
		t.Run(filepath.ToSlash(f), func(t *testing.T) {
			if _, err := Compile(section, f); err != nil {
				t.Errorf("advancedOptions of %s does not compile:\n%v", f, err)
			}
		})
	}
	if checked == 0 {
		t.Fatal("no example with an advancedOptions section")
	}
}

// TestLegacyExampleYAML: examples/legacy/softphone.yaml is what
// "softphone migrate examples/legacy/advancedOptions.js" prints.
func TestLegacyExampleYAML(t *testing.T) {
	im, err := ImportLegacy(mustRead(t, legacyExample), "advancedOptions.js")
	if err != nil {
		t.Fatal(err)
	}
	const path = "../examples/legacy/softphone.yaml"
	if *update {
		if err := os.WriteFile(path, im.YAML, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := string(mustRead(t, path)); got != string(im.YAML) {
		t.Errorf("%s differs from the migrate output (go test -update rewrites it):\n%s", path, im.YAML)
	}
}
