package advancedoptions

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"go.yaml.in/yaml/v3"
)

// FuzzImportLegacy feeds arbitrary text to the legacy importer. It must
// never panic; whatever it accepts must survive its own YAML output: the
// printed YAML compiles to the same advancedOptions.js as the imported
// section does.
func FuzzImportLegacy(f *testing.F) {
	if src, err := os.ReadFile(legacyExample); err == nil {
		f.Add(src)
	}
	for _, s := range []string{
		"var a = {'b': [1, 2.5, -3, true, null, undefined,], c: `t`};",
		"var customerInfoContextDisplayMapping = {'yes': 'no', '0x1': '1e3', '': '~'};",
		"var defaultServerConfig = {sipIpsServers: ['1.2.3.4:3478']}; var maxSizeForCallHistory = 5;",
		"window.x = 1; y = 'z'; let q; const r = -0;",
		"var a = 1; if (a) {}",
		"var s = '\\u2028</script>';",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		im, err := ImportLegacy(src, "fuzz.js")
		if err != nil {
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error is %T, want Errors: %v", err, err)
			}
			return
		}
		direct, derr := Compile(im.Section, "fuzz.js")
		var doc yaml.Node
		if err := yaml.Unmarshal(im.YAML, &doc); err != nil {
			t.Fatalf("printed YAML does not parse: %v\n%s", err, im.YAML)
		}
		viaYAML, yerr := Compile(SectionOf(&doc), "fuzz.yaml")
		if (derr == nil) != (yerr == nil) {
			t.Fatalf("section compiles: %v, printed YAML compiles: %v\n%s", derr, yerr, im.YAML)
		}
		if derr == nil && !bytes.Equal(direct.JS, viaYAML.JS) {
			t.Fatalf("printed YAML renders differently from the imported section\n%s", im.YAML)
		}
	})
}

// FuzzCompile feeds arbitrary YAML to Compile. It must never panic, must
// be deterministic, and whatever it renders must import back (as a legacy
// file) to the same configuration.
func FuzzCompile(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.yaml")
	for _, name := range files {
		if src, err := os.ReadFile(name); err == nil {
			f.Add(src)
		}
	}
	f.Add(DefaultYAML)
	f.Add([]byte("advancedOptions:\n  a: &a [1, *a]\n"))
	f.Add([]byte("advancedOptions: [1, {b: c}]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		var doc yaml.Node
		if yaml.Unmarshal(src, &doc) != nil {
			return
		}
		section := SectionOf(&doc)
		res, err := Compile(section, "fuzz.yaml")
		if res == nil {
			t.Fatalf("Compile returned a nil Result (err %v)", err)
		}
		if err != nil {
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error is %T, want non-empty Errors: %v", err, err)
			}
			return
		}
		again, err := Compile(section, "fuzz.yaml")
		if err != nil || !bytes.Equal(again.JS, res.JS) {
			t.Fatalf("second Compile differs (err %v)", err)
		}
		im, err := ImportLegacy(res.JS, "rendered.js")
		if err != nil {
			t.Fatalf("rendered file does not import: %v\n%s", err, res.JS)
		}
		back, err := Compile(im.Section, "rendered.js")
		if err != nil {
			t.Fatalf("imported rendered file does not compile: %v\n%s", err, res.JS)
		}
		if !bytes.Equal(back.JS, res.JS) {
			t.Fatalf("render -> import -> render changed the file:\n%s\nwant\n%s", back.JS, res.JS)
		}
	})
}
