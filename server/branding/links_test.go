package branding

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// linkedFolder makes a brand folder with links leaving it (absolute,
// relative, to a folder) and one staying inside.
func linkedFolder(t *testing.T) string {
	t.Helper()
	tmp := t.TempDir()
	outside := filepath.Join(tmp, "tls")
	if err := os.Mkdir(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "notes.txt"), []byte("outside the brand folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "brand")
	if err := os.MkdirAll(filepath.Join(dir, "images"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "images", "bg.png"), pngBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		"robots.txt":         filepath.Join(outside, "notes.txt"),           // absolute, out
		"images/favicon.png": filepath.Join("..", "..", "tls", "notes.txt"), // relative, out
		"static":             outside,                                       // a folder, out
		"favicon.png":        filepath.Join("images", "bg.png"),             // stays inside
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestCheckDirRefusesLinksOut: a link in the brand folder to a file or a
// folder outside it (/etc/shadow, the TLS key) is an error; a link that
// stays inside is fine.
func TestCheckDirRefusesLinksOut(t *testing.T) {
	r, err := CheckDir(linkedFolder(t))
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(r.Errors, "\n")
	for _, name := range []string{"robots.txt", "images/favicon.png", "static"} {
		if !strings.Contains(all, name+": is a link to ") || !strings.Contains(all, "outside the brand folder") {
			t.Errorf("no error for the link %s leaving the folder; errors:\n%s", name, all)
		}
	}
	for _, e := range r.Errors {
		if strings.HasPrefix(e, "favicon.png: is a link") {
			t.Errorf("the link staying inside the folder is reported: %s", e)
		}
	}
}

// TestCheckSecretsByContent: private keys and htpasswd lines are refused
// whatever the file is called.
func TestCheckSecretsByContent(t *testing.T) {
	tests := map[string]string{
		"images/logo.png":     "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB...\n-----END EC PRIVATE KEY-----\n",
		"robots.txt":          "# users\nagent:$2y$12$YGKVTY4EB9uMFoB0Wqmk7.Cqv52lRTh3UZLHmfet4u4965TBQCQp2\n",
		"static/users.txt":    "wde:$apr1$abc$0123456789012345678901\n",
		"images/sha.txt":      "boss:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n",
		"favicon.ico":         "-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----\n",
		"images/openssh.json": "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn...\n",
	}
	for name, content := range tests {
		r := Check(files(name, content), testDefaults())
		found := false
		for _, e := range r.Errors {
			found = found || strings.HasPrefix(e, name+": holds a private key or htpasswd lines")
		}
		if !found {
			t.Errorf("%s holding a secret: errors %q, want one saying it holds a private key or htpasswd lines", name, r.Errors)
		}
	}
	// Text with colons is not an htpasswd file.
	r := Check(files("robots.txt", "User-agent: *\nDisallow: /\n"), testDefaults())
	for _, e := range r.Errors {
		if strings.Contains(e, "private key") {
			t.Errorf("robots.txt flagged as a secret: %s", e)
		}
	}
}

// TestDirFSStaysInside: the served brand folder's file system refuses to
// read through a link leaving it, and follows one that stays inside.
func TestDirFSStaysInside(t *testing.T) {
	fsys := DirFS(linkedFolder(t))
	for _, name := range []string{"robots.txt", "images/favicon.png", "static/notes.txt"} {
		if b, err := fs.ReadFile(fsys, name); err == nil {
			t.Errorf("DirFS read %s through a link out of the folder: %q", name, b)
		}
	}
	for _, name := range []string{"favicon.png", "images/bg.png"} {
		if _, err := fs.ReadFile(fsys, name); err != nil {
			t.Errorf("DirFS refused %s inside the folder: %v", name, err)
		}
	}
}
