package branding

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// Folder is a brand folder for a branded build (`make brand BRAND=DIR`):
// the overlay in files/ and the default config in softphone.yaml.
type Folder struct {
	// Files is the overlay folder DIR/files, or "" when there is none.
	Files string
	// Config is DIR/softphone.yaml, or "" when there is none.
	Config string
	// Ignored are other entries of DIR that a build does not embed
	// (README files and dotfiles are not listed).
	Ignored []string
}

// ErrEmptyFolder is returned by ReadFolder for a folder with neither
// files/ nor softphone.yaml.
var ErrEmptyFolder = errors.New("nothing to embed; a brand folder holds files/ (the overlay) and softphone.yaml (the default config)")

// ReadFolder finds the parts of the brand folder dir; paths in the result
// are absolute.
func ReadFolder(dir string) (Folder, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Folder{}, err
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return Folder{}, err
	}
	var f Folder
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, "."), strings.HasPrefix(strings.ToUpper(name), "README"):
		case name == "files" && e.IsDir():
			f.Files = filepath.Join(abs, name)
		case name == "softphone.yaml" && !e.IsDir():
			f.Config = filepath.Join(abs, name)
		default:
			f.Ignored = append(f.Ignored, name)
		}
	}
	if f.Files == "" && f.Config == "" {
		return f, ErrEmptyFolder
	}
	return f, nil
}
