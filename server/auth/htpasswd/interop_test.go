package htpasswd

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/softphone/softphone/internal/testenv"
)

// TestApacheHtpasswdFormats feeds lines written by Apache's own htpasswd
// tool, in every format it can write, through Parse and Match.
func TestApacheHtpasswdFormats(t *testing.T) {
	bin := testenv.LookPath(t, "htpasswd", "apache2-utils")
	const password = "c0rrect horse:battery"
	tests := []struct {
		name   string
		flags  []string
		prefix string // of the hash
		refuse string // non-empty: Parse must fail with this
	}{
		{"bcrypt", []string{"-B"}, "$2y$05$", ""},
		{"bcrypt cost 10", []string{"-B", "-C", "10"}, "$2y$10$", ""},
		{"apr1", []string{"-m"}, "$apr1$", ""},
		{"sha1", []string{"-s"}, "{SHA}", ""},
		{"sha256-crypt", []string{"-2"}, "$5$", ""},
		{"sha512-crypt", []string{"-5"}, "$6$", ""},
		{"sha512-crypt rounds", []string{"-5", "-r", "20000"}, "$6$rounds=20000$", ""},
		{"plaintext", []string{"-p"}, "", "plaintext passwords are refused"},
		{"des crypt", []string{"-d"}, "", "DES"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"-n", "-b"}, tc.flags...)
			pw := password
			if tc.name == "des crypt" {
				pw = "s3cr3t!" // crypt(3) uses 8 characters at most
			}
			out, err := exec.Command(bin, append(args, "agent", pw)...).CombinedOutput()
			if err != nil {
				t.Fatalf("htpasswd %v: %v: %s", args, err, out)
			}
			line := strings.TrimSpace(string(out))
			_, hash, _ := strings.Cut(line, ":")
			if !strings.HasPrefix(hash, tc.prefix) {
				t.Fatalf("htpasswd %v wrote hash %q, want prefix %q", args, hash, tc.prefix)
			}
			tab, err := Parse(strings.NewReader(line+"\n"), "apache")
			if tc.refuse != "" {
				if err == nil || !strings.Contains(err.Error(), tc.refuse) || !strings.Contains(err.Error(), "apache:1:") {
					t.Fatalf("Parse error = %v, want one with apache:1: and %q", err, tc.refuse)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !tab.Match("agent", pw) {
				t.Errorf("Match(agent, right password) = false, want true")
			}
			if tab.Match("agent", pw+"x") {
				t.Errorf("Match(agent, wrong password) = true, want false")
			}
			if tab.Match("other", pw) {
				t.Errorf("Match(unknown user) = true, want false")
			}
		})
	}
}

// TestApacheVerifiesHashLine checks the other direction: Apache's htpasswd
// accepts the lines `softphone passwd` prints.
func TestApacheVerifiesHashLine(t *testing.T) {
	bin := testenv.LookPath(t, "htpasswd", "apache2-utils")
	for _, cost := range []int{MinCost, 10} {
		line, err := HashLine("agent", "Pa55:word é", cost)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "htpasswd")
		if err := os.WriteFile(file, []byte(line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			password string
			wantOK   bool
		}{{"Pa55:word é", true}, {"Pa55:word e", false}} {
			cmd := exec.Command(bin, "-v", "-b", file, "agent", tc.password)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			err := cmd.Run()
			if gotOK := err == nil; gotOK != tc.wantOK {
				t.Errorf("cost %d: htpasswd -v with %q: ok = %v, want %v (%s)", cost, tc.password, gotOK, tc.wantOK, strings.TrimSpace(out.String()))
			}
		}
	}
}

// TestApacheFile parses testdata/apache.htpasswd, written by Apache's
// htpasswd in each accepted format with the password "secret".
func TestApacheFile(t *testing.T) {
	tab, err := Load(filepath.Join("testdata", "apache.htpasswd"))
	if err != nil {
		t.Fatal(err)
	}
	for _, user := range []string{"bcrypt", "apr1", "sha1", "sha256", "sha512"} {
		if !tab.Match(user, "secret") {
			t.Errorf("Match(%q, secret) = false, want true", user)
		}
		if tab.Match(user, "Secret") {
			t.Errorf("Match(%q, Secret) = true, want false", user)
		}
	}
}
