package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestShowBrand(t *testing.T) {
	logo := []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 241 34"/>`)
	config := []byte("listen: \":9443\"\n")
	tests := []struct {
		name   string
		files  fstest.MapFS
		config []byte
		want   []string
	}{
		{
			name:  "plain build",
			files: fstest.MapFS{".keep": {}},
			want:  []string{"no brand embedded: a plain build (make brand BRAND=path/to/brand embeds one)"},
		},
		{
			name:   "branded build",
			files:  fstest.MapFS{".keep": {}, "images/logo.svg": {Data: logo}},
			config: config,
			want: []string{
				fmt.Sprintf("file: images/logo.svg (%d bytes, sha256 %x)", len(logo), sha256.Sum256(logo)),
				fmt.Sprintf("default config: softphone.yaml (%d bytes, sha256 %x), used when no config file is found", len(config), sha256.Sum256(config)),
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			if err := showBrand(&out, tc.files, tc.config); err != nil {
				t.Fatal(err)
			}
			if got, want := out.String(), strings.Join(tc.want, "\n")+"\n"; got != want {
				t.Errorf("output =\n%s\nwant\n%s", got, want)
			}
		})
	}
}

func TestBrandCheck(t *testing.T) {
	write := func(t *testing.T, dir string, files map[string]string) {
		for name, data := range files {
			p := filepath.Join(dir, filepath.FromSlash(name))
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte(data), 0o644)
		}
	}
	tests := []struct {
		name   string
		dir    string // used as is when set
		files  map[string]string
		errors int
		want   []string
	}{
		{
			name: "the example brand",
			dir:  filepath.Join("..", "..", "examples", "brand"),
			want: []string{
				"upgrade: files/static/localization/strings-default.json: ",
				"ok: " + filepath.Join("..", "..", "examples", "brand") + ", 0 warning(s), no errors",
			},
		},
		{
			name: "errors in the overlay and the config",
			files: map[string]string{
				"files/images/logo.svg":    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 40"/>`,
				"files/sounds/ringing.mp3": "ID3",
				"softphone.yaml":           "tls:\n  mode: automatic\n",
				"logo.png":                 "x",
			},
			errors: 2,
			want: []string{
				"warning: logo.png: not part of a brand",
				"error: files/images/logo.svg: viewBox 0 0 300 40 is larger than 241x34",
				"warning: files/sounds/ringing.mp3: the client never loads this file; did you mean sounds/ringing.wav?",
				"tls.mode",
				"advancedOptions.defaultServerConfig.sipServerAddress: no SBC address set", // warnings show with errors
				": 2 error(s), 3 warning(s)",
			},
		},
		{
			name:   "nothing to embed",
			files:  map[string]string{"README.md": "notes"},
			errors: 1,
			want:   []string{"nothing to embed"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := tc.dir
			if dir == "" {
				dir = t.TempDir()
				write(t, dir, tc.files)
			}
			var out bytes.Buffer
			if got := checkBrandFolder(&out, dir); got != tc.errors {
				t.Errorf("errors = %d, want %d\n%s", got, tc.errors, out.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}
