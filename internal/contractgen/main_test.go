package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/softphone/softphone/advancedoptions"
)

// TestGeneratedFilesCurrent fails when contract.gen.ts or the key list of
// docs/client-options.md no longer match the Go schema: run go generate
// ./advancedoptions.
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
	doc, err := os.ReadFile(filepath.Join(root, keyListFile))
	if err != nil {
		t.Fatal(err)
	}
	want, err := spliceKeyList(doc, renderMarkdown(keys))
	if err != nil {
		t.Fatalf("%s: %v", keyListFile, err)
	}
	if !bytes.Equal(doc, want) {
		t.Errorf("%s key list is stale: run go generate ./advancedoptions", keyListFile)
	}
}

func TestSpliceKeyList(t *testing.T) {
	in := []byte("a\n" + beginMark + "\nold\n" + endMark + "\nb\n")
	got, err := spliceKeyList(in, []byte("new\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "a\n" + beginMark + "\nnew\n" + endMark + "\nb\n"; string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := spliceKeyList([]byte("no markers"), nil); err == nil {
		t.Error("spliceKeyList without markers: no error")
	}
}
