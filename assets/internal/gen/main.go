// Command gen writes the generated default resources: call tones as WAV
// files, virtual background JPEGs and the favicon. Everything is computed
// here, so the outputs are reproducible and owe nothing to outside files.
//
//	go run ./internal/gen -out files -favicon ../webclient/public/favicon.ico
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	out := flag.String("out", "files", "served-tree root to write images/ and sounds/ into")
	favicon := flag.String("favicon", "", "where to write favicon.ico (skipped when empty)")
	flag.Parse()
	if err := run(*out, *favicon); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(out, favicon string) error {
	for name, tone := range tones {
		if err := write(filepath.Join(out, "sounds", name+".wav"), wav(tone.render())); err != nil {
			return err
		}
	}
	for i, bg := range backgrounds {
		b, err := bg.jpeg()
		if err != nil {
			return fmt.Errorf("background %d: %w", i+1, err)
		}
		if err := write(filepath.Join(out, "images", "virtual-backgrounds", fmt.Sprintf("image%02d.jpg", i+1)), b); err != nil {
			return err
		}
	}
	if favicon != "" {
		b, err := icon()
		if err != nil {
			return fmt.Errorf("favicon: %w", err)
		}
		if err := write(favicon, b); err != nil {
			return err
		}
	}
	return nil
}

func write(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
