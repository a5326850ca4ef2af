package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckReportsRiskyConfig runs `softphone check` on configs an admin
// could deploy carelessly: the published demo credentials, weak htpasswd
// hashes, a world-writable config, broad CSP sources and metrics on every
// interface are all reported, and the demo secret outside a demo is an
// error.
func TestCheckReportsRiskyConfig(t *testing.T) {
	root, err := filepath.Abs("../..") // the repository root
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	htp := filepath.Join(dir, "htpasswd")
	if err := os.WriteFile(htp, []byte("old:{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	demoSecret := filepath.Join(root, "examples", "access", "demo-jwt-secret")
	body := serveClient + "headers:\n  frameAncestors: [\"https://*\"]\nmetrics:\n  listen: \":0\"\naccess:\n  basicAuth:\n    htpasswdFile: " + htp +
		"\n  jwt:\n    hmacSecretFile: " + demoSecret + "\n    issuer: https://login.example.com\n    audience: [softphone]\n"
	cfg := filepath.Join(dir, "softphone.yaml")
	if err := os.WriteFile(cfg, []byte(body), 0o666); err != nil {
		t.Fatal(err)
	}
	os.Chmod(cfg, 0o666)

	out, _ := exec.Command(binary, "check", "--config", cfg).CombinedOutput()
	for _, want := range []string{
		"access.jwt.hmacSecretFile: DEMO ONLY",
		"access.basicAuth.htpasswdFile: users with weak (unsalted or MD5) hashes: old",
		"can be changed by any user (mode 0666)",
		`headers.frameAncestors[0]: "https://*"`,
		`metrics.listen: ":0" listens on every interface`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}

	// The same secret behind a real certificate setting is an error.
	os.Chmod(cfg, 0o644)
	if err := os.WriteFile(cfg, []byte(body+"tls:\n  mode: off\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "check", "--config", cfg)
	out, _ = cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(out), "access.jwt.hmacSecretFile: is a published demo credential") {
		t.Errorf("check with the demo secret and tls.mode off: exit %d, want 1 naming the demo credential:\n%s", cmd.ProcessState.ExitCode(), out)
	}
}

// TestPublicURLFromEnvironment: publicURL has its environment twin, and a
// bad value is an error naming the key.
func TestPublicURLFromEnvironment(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "softphone.yaml")
	if err := os.WriteFile(cfg, []byte(serveClient), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "check", "--config", cfg)
	cmd.Env = append(os.Environ(), "SOFTPHONE_PUBLIC_URL=https://softphone.example.com/webrtc_client/")
	out, _ := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 1 || !strings.Contains(string(out), "publicURL: must be the origin agents use") {
		t.Errorf("SOFTPHONE_PUBLIC_URL with a path: exit %d, want 1 naming publicURL:\n%s", cmd.ProcessState.ExitCode(), out)
	}
	cmd = exec.Command(binary, "check", "--config", cfg)
	cmd.Env = append(os.Environ(), "SOFTPHONE_PUBLIC_URL=https://softphone.example.com")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("SOFTPHONE_PUBLIC_URL=https://softphone.example.com: %v\n%s", err, out)
	}
}
