package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"
)

// run runs the softphone command line with args and returns its output
// and error output.
func run(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := newRootCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetIn(strings.NewReader(""))
	cmd.SetArgs(args)
	err = cmd.Execute()
	return out.String(), errOut.String(), err
}

// TestCheckShowsWarningsWithErrors: check lists the warnings of a refused
// config too, after its errors.
func TestCheckShowsWarningsWithErrors(t *testing.T) {
	cfg := writeConfig(t, serveClient+"basePath: nope\nheaders:\n  hstsMaxAge: 0\n")
	_, stderr, err := run(t, "check", "--config", cfg)
	if err == nil {
		t.Fatal("check accepted a bad config")
	}
	for _, want := range []string{"the config has 1 error(s):", `basePath: must start and end with "/"`, "and 1 warning(s):", "headers.hstsMaxAge: 0 disables HSTS"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("check output lacks %q:\n%s", want, stderr)
		}
	}
}

// TestHelpListsOwnFlags: each subcommand's --help lists only its own flags.
func TestHelpListsOwnFlags(t *testing.T) {
	serveOnly := []string{"--listen", "--redirect-listen", "--state-dir", "--access-log", "--log-format", "--log-level", "--metrics-listen", "--tls-mode", "--base-path"}
	cases := []struct {
		cmd  string
		want []string
		not  []string
	}{
		{"serve", append([]string{"--config", "--branding-dir"}, serveOnly...), nil},
		{"check", []string{"--config"}, append([]string{"--branding-dir"}, serveOnly...)},
		{"render", []string{"--config"}, append([]string{"--branding-dir"}, serveOnly...)},
		{"export", []string{"--config", "--branding-dir", "--force"}, serveOnly},
	}
	for _, tc := range cases {
		t.Run(tc.cmd, func(t *testing.T) {
			help, _, err := run(t, tc.cmd, "--help")
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range tc.want {
				if !strings.Contains(help, f+" ") {
					t.Errorf("%s --help lacks %s:\n%s", tc.cmd, f, help)
				}
			}
			for _, f := range tc.not {
				if strings.Contains(help, f+" ") {
					t.Errorf("%s --help lists %s, which it does not use:\n%s", tc.cmd, f, help)
				}
			}
		})
	}
}

// TestPasswdWithoutUser says how to call it, not only "accepts 1 arg(s)".
func TestPasswdWithoutUser(t *testing.T) {
	_, _, err := run(t, "passwd")
	if err == nil || !strings.Contains(err.Error(), "softphone passwd USER") {
		t.Errorf("passwd without a user: %v, want how to call it", err)
	}
	if _, _, err := run(t, "passwd", "a", "b"); err == nil || !strings.Contains(err.Error(), "one user name") {
		t.Errorf("passwd with two users: %v, want one user name", err)
	}
}

// TestVersionFromBuildInfo: without -ldflags, the version and commit come
// from the build info's module version and VCS stamp; without a stamp the
// output says why the commit is unknown.
func TestVersionFromBuildInfo(t *testing.T) {
	info := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/softphone/softphone", Version: "v0.0.0-20261202105004-c50588482e7a"},
		Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "c50588482e7a48a56831ca42a1286b5eb30280b8"},
			{Key: "vcs.time", Value: "2026-12-02T10:50:04Z"},
		},
	}
	v, c, d := versionFrom(info)
	if v != info.Main.Version || c != "c50588482e7a48a56831ca42a1286b5eb30280b8" || d != "2026-12-02T10:50:04Z" {
		t.Errorf("versionFrom = %q, %q, %q, want the module version and the VCS stamp", v, c, d)
	}
	if v, c, _ := versionFrom(&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}); v != "dev" || c != "" {
		t.Errorf("versionFrom(no stamp) = %q, %q, want dev and no commit", v, c)
	}
	// This test binary: whatever the toolchain stamped, the output names a
	// commit or says why there is none.
	out, _, err := run(t, "version")
	if err != nil {
		t.Fatal(err)
	}
	_, stamped, _ := buildVersion()
	if stamped == "" && !strings.Contains(out, "built without VCS information") || stamped != "" && !strings.Contains(out, stamped) {
		t.Errorf("version = %q, want the commit %q or why it is unknown", out, stamped)
	}
}

func TestDoctorCompletion(t *testing.T) {
	// Shell completion (cobra's completion command) offers YAML files for --config.
	var out bytes.Buffer
	cmd := newDoctorCmd()
	cmd.SetOut(&out)
	cmd.SetArgs([]string{"__complete", "--config", ""})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); !strings.Contains(got, "yaml\nyml\n:8") {
		t.Errorf("completion of --config = %q, want the yaml and yml extensions with the file-extension directive (8)", got)
	}
}
