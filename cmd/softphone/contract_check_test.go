package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCheckWarnsAboutUnimplementedKeys: softphone check passes a config
// that sets keys this client does not implement, with one warning naming
// each of them (they come from the client contract in advancedoptions).
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
	for _, want := range []string{
		"warning: " + cfg + ":5:26: advancedOptions.VDIIntegrationConfig.vdiSolutionType: this client cannot redirect media through Citrix HDX",
		"advancedOptions.isAgentAssistEnabled: this client does not implement Agent Assist",
		"advancedOptions.agentAssistDefaultServiceUrl: this client does not implement Agent Assist",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "voiceQualityMonitorEnabled") {
		t.Errorf("check warns about voiceQualityMonitorEnabled, which the client implements:\n%s", out)
	}
}
