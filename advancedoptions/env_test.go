package advancedoptions

import (
	"errors"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestApplyEnv(t *testing.T) {
	section := parseSection(t, `advancedOptions:
  defaultServerConfig:
    sipDomain: file.example.com
    sipServerAddress: ["wss://file.example.com"]
  authProvidersConfig:
    providers:
      - {providerLoginName: SSO, providerType: OIDC, authority: "https://sso.example.com", clientId: from-file}
`)
	env := []string{
		"PATH=/usr/bin",
		"SOFTPHONE_ADVANCEDOPTIONS_DEFAULTSERVERCONFIG_SIPDOMAIN=env.example.com",
		"SOFTPHONE_ADVANCEDOPTIONS_DEFAULTSERVERCONFIG_SIPSERVERADDRESS=[\"wss://a.example.com\", \"wss://b.example.com\"]",
		"softphone_advancedoptions_modes_cache_register_auth_mode=false",
		"SOFTPHONE_ADVANCEDOPTIONS_MODES_ICE_TIMEOUT_FIX=3000",
		"SOFTPHONE_ADVANCEDOPTIONS_AUTHPROVIDERSCONFIG_PROVIDERS_0_CLIENTID=from-env",
		"SOFTPHONE_ADVANCEDOPTIONS_CALLHISTORYCONFIG_MAXENTRIES=42",
		"SOFTPHONE_ADVANCEDOPTIONS_ACDCLIENTCONFIG_NOTREADYDEFAULTREASONCODE=Break",
	}
	if err := ApplyEnv(section, env); err != nil {
		t.Fatal(err)
	}
	res, err := Compile(section, "softphone.yaml")
	if err != nil {
		t.Fatal(err)
	}
	o := res.Options
	checks := []struct {
		name      string
		got, want any
	}{
		{"sipDomain", o.DefaultServerConfig.SIPDomain, "env.example.com"},
		{"sipServerAddress", strings.Join(o.DefaultServerConfig.SIPServerAddress, ","), "wss://a.example.com,wss://b.example.com"},
		{"cache_register_auth_mode", *o.Modes.CacheRegisterAuthMode, false},
		{"ice_timeout_fix", *o.Modes.ICETimeoutFix, 3000},
		{"providers[0].clientId", o.AuthProvidersConfig.Providers[0].ClientID, "from-env"},
		{"providers[0].authority", o.AuthProvidersConfig.Providers[0].Authority, "https://sso.example.com"},
		{"callHistoryConfig.maxEntries", *o.CallHistoryConfig.MaxEntries, 42},
		{"notReadyDefaultReasonCode", o.ACDClientConfig.NotReadyDefaultReasonCode, "Break"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestApplyEnvErrors(t *testing.T) {
	tests := []struct {
		name, env, msg string
	}{
		{"unknown key", "SOFTPHONE_ADVANCEDOPTIONS_NOSUCHKEY=1", "names no key of advancedOptions"},
		{"free-form map", "SOFTPHONE_ADVANCEDOPTIONS_CUSTOMERINFOCONTEXTDISPLAYMAPPING_VIP=x", "free-form maps"},
		{"index past the end", "SOFTPHONE_ADVANCEDOPTIONS_AUTHPROVIDERSCONFIG_PROVIDERS_3_CLIENTID=x", "past the end"},
		{"creates missing mappings", "SOFTPHONE_ADVANCEDOPTIONS_MODES_ICE_TIMEOUT_FIX=5", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			section := parseSection(t, "advancedOptions:\n  authProvidersConfig:\n    providers: []\n")
			err := ApplyEnv(section, []string{tc.env})
			if tc.msg == "" {
				if err != nil {
					t.Fatalf("err = %v, want nil", err)
				}
				return
			}
			var errs Errors
			if !errors.As(err, &errs) || len(errs) != 1 {
				t.Fatalf("err = %v, want one error", err)
			}
			name, _, _ := strings.Cut(tc.env, "=")
			if errs[0].Path != name || !strings.Contains(errs[0].Message, tc.msg) {
				t.Errorf("error = %s, want %s: ...%s", errs[0], name, tc.msg)
			}
		})
	}
	t.Run("no section", func(t *testing.T) {
		if err := ApplyEnv(nil, []string{"SOFTPHONE_ADVANCEDOPTIONS_DEBUGMODE=true"}); err == nil {
			t.Error("err = nil, want an error for a nil section")
		}
		if err := ApplyEnv(nil, []string{"SOFTPHONE_TLS_MODE=off"}); err != nil {
			t.Errorf("err = %v, want nil when no advancedOptions variable is set", err)
		}
	})
	t.Run("null section becomes a mapping", func(t *testing.T) {
		section := parseSection(t, "advancedOptions:\n")
		if err := ApplyEnv(section, []string{"SOFTPHONE_ADVANCEDOPTIONS_DEBUGMODE=true"}); err != nil {
			t.Fatal(err)
		}
		if section.Kind != yaml.MappingNode || child(section, "debugMode") == nil {
			t.Errorf("section = %v, want a mapping with debugMode", section)
		}
	})
}
