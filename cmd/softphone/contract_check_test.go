package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCheckWarnsAboutUnimplementedKeys: softphone check passes a config
// that sets a key this client does not implement (today only
// VDIIntegrationConfig.vdiSolutionType), with a warning naming it, and says
// nothing of the keys it does implement (the client contract in
// advancedoptions decides which).
func TestCheckWarnsAboutUnimplementedKeys(t *testing.T) {
	cfg := writeConfig(t, serveClient+`  VDIIntegrationConfig: {vdiSolutionType: citrix}
  isAgentAssistEnabled: true
  agentAssistDefaultServiceUrl: https://vaic.example.com
  voiceQualityMonitorEnabled: true
`)
	cmd := exec.Command(binary, "check", "--config", cfg)
	out, _ := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("check: exit %d, want 0 (warnings only)\n%s", code, out)
	}
	want := "warning: " + cfg + ":5:26: advancedOptions.VDIIntegrationConfig.vdiSolutionType: this client cannot redirect media through Citrix HDX"
	if !strings.Contains(string(out), want) {
		t.Errorf("check output lacks %q:\n%s", want, out)
	}
	for _, implemented := range []string{"isAgentAssistEnabled", "agentAssistDefaultServiceUrl", "voiceQualityMonitorEnabled"} {
		if strings.Contains(string(out), implemented) {
			t.Errorf("check warns about %s, which the client implements:\n%s", implemented, out)
		}
	}
}
