package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/softphone/softphone/advancedoptions"
)

// TestGeneratedFilesCurrent fails when contract.gen.ts or the README's key
// list no longer match the Go schema: run go generate ./advancedoptions.
func TestGeneratedFilesCurrent(t *testing.T) {
	keys := advancedoptions.Contract()
	root := filepath.Join("..", "..")
	ts, err := os.ReadFile(filepath.Join(root, tsFile))
	if err != nil {
		t.Fatal(err)
	}
	if want := renderTS(keys); !bytes.Equal(ts, want) {
		t.Errorf("%s is stale: run go generate ./advancedoptions\n--- want ---\n%s", tsFile, want)
	}
	readme, err := os.ReadFile(filepath.Join(root, readmeFile))
	if err != nil {
		t.Fatal(err)
	}
	want, err := spliceReadme(readme, renderMarkdown(keys))
	if err != nil {
		t.Fatalf("%s: %v", readmeFile, err)
	}
	if !bytes.Equal(readme, want) {
		t.Errorf("%s key list is stale: run go generate ./advancedoptions", readmeFile)
	}
}

func TestSpliceReadme(t *testing.T) {
	in := []byte("a\n" + beginMark + "\nold\n" + endMark + "\nb\n")
	got, err := spliceReadme(in, []byte("new\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "a\n" + beginMark + "\nnew\n" + endMark + "\nb\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := spliceReadme([]byte("no markers"), nil); err == nil {
		t.Error("spliceReadme without markers: no error")
	}
}
