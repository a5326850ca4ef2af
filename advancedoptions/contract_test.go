package advancedoptions

import (
	"fmt"
	"strings"
	"testing"
)

// TestContractMatchesSchema fails when a schema key has no clientKeys entry,
// an entry names no schema key, a key gets two defaults, or an integer key
// has no range.
func TestContractMatchesSchema(t *testing.T) {
	keys, err := buildContract()
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]ContractKey{}
	for _, k := range keys {
		byPath[k.Path] = k
	}
	// Spot checks of the derivation: documented defaults come from
	// SetDefaults, list items are "[]", types from the Go types.
	for _, tc := range []struct {
		path, typ string
		def       any
	}{
		{"dtmfDuration", "integer", 100},
		{"modes.ice_timeout_fix", "integer", 2000},
		{"VDIIntegrationConfig.vdiSolutionType", "string", "none"},
		{"contactCenterConfig.integrations[].enabled", "boolean", false},
		{"authProvidersConfig.providers[].providerType", "string", "AAD"},
		{"mediaDeviceSettings.deviceCategories", "string[]", []string{"microphone", "voiceoutput", "ringeroutput", "camera"}},
		{"customerInfoContextDisplayMapping", "map", nil},
	} {
		k, ok := byPath[tc.path]
		if !ok {
			t.Errorf("%s: not in the contract", tc.path)
			continue
		}
		if k.Type != tc.typ || fmt.Sprint(k.Default) != fmt.Sprint(tc.def) {
			t.Errorf("%s: type %s default %v, want %s %v", tc.path, k.Type, k.Default, tc.typ, tc.def)
		}
	}
}

// TestRangesComeFromTheContract sets every integer key outside of a list
// one above its contract maximum, then at its minimum.
func TestRangesComeFromTheContract(t *testing.T) {
	n := 0
	for _, k := range Contract() {
		if k.Min == nil || strings.Contains(k.Path, "[]") {
			continue
		}
		n++
		parts := strings.Split(k.Path, ".")
		yamlFor := func(v int) string {
			var b strings.Builder
			b.WriteString("advancedOptions:\n" + baseServer)
			for i, p := range parts[:len(parts)-1] {
				fmt.Fprintf(&b, "%s%s:\n", strings.Repeat("  ", i+1), p)
			}
			fmt.Fprintf(&b, "%s%s: %d\n", strings.Repeat("  ", len(parts)), parts[len(parts)-1], v)
			return b.String()
		}
		_, err := compileString(t, yamlFor(*k.Max+1))
		d := findDiag(t, err, rootPath+"."+k.Path)
		if want := fmt.Sprintf("must be between %d and %d, got %d", *k.Min, *k.Max, *k.Max+1); d.Message != want {
			t.Errorf("%s: %q, want %q", k.Path, d.Message, want)
		}
		if _, err := compileString(t, yamlFor(*k.Min)); err != nil && strings.Contains(err.Error(), k.Path+": must be between") {
			t.Errorf("%s: its minimum %d is refused: %v", k.Path, *k.Min, err)
		}
	}
	if n < 10 {
		t.Errorf("checked %d integer keys, want the dozen of the schema", n)
	}
}

// TestUnimplementedKeysWarn: every key set in the configuration that this
// client does not implement is a warning naming it; false and the default
// are not a use.
func TestUnimplementedKeysWarn(t *testing.T) {
	res, err := compileString(t, "advancedOptions:\n"+baseServer+`  VDIIntegrationConfig:
    vdiSolutionType: citrix
  isAgentAssistEnabled: true
  agentAssistDefaultServiceUrl: https://vaic.example.com
  agentAssistDefaultConversationConfig:
    defaultRoles: {caller: participant}
  restoreCall: true
`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Diagnostic{}
	for _, w := range res.Warnings {
		got[w.Path] = w
	}
	for _, tc := range []struct {
		path, msg string
		line      int
	}{
		{"VDIIntegrationConfig.vdiSolutionType", "cannot redirect media through Citrix HDX", 6},
		{"isAgentAssistEnabled", "this client does not implement Agent Assist", 7},
		{"agentAssistDefaultServiceUrl", "does not implement", 8},
		{"agentAssistDefaultConversationConfig.defaultRoles.caller", "does not implement", 10},
		{"restoreCall", "does not implement restoring a call", 11},
	} {
		k := contractIndex()[tc.path]
		w, ok := got[rootPath+"."+tc.path]
		switch {
		case k.Implemented:
			if ok {
				t.Errorf("%s is implemented, yet: %v", tc.path, w)
			}
		case !ok:
			t.Errorf("no warning for %s; warnings: %v", tc.path, res.Warnings)
		case !strings.Contains(w.Message, tc.msg) || w.Line != tc.line:
			t.Errorf("%s: %v, want %q at line %d", tc.path, w, tc.msg, tc.line)
		}
	}

	res, err = compileString(t, "advancedOptions:\n"+baseServer+`  VDIIntegrationConfig: {vdiSolutionType: none}
  isAgentAssistEnabled: false
  agentAssistMaxHistoryEntries: 50
  restoreCall: false
`)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) > 0 {
		t.Errorf("keys set to false or their default: warnings %v, want none", res.Warnings)
	}
}
