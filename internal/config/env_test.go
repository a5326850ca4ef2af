package config

import (
	"errors"
	"strings"
	"testing"
)

// TestApplyEnv sets client keys from the environment over the file's.
func TestApplyEnv(t *testing.T) {
	body := `stateDir: /tmp/softphone-test-state
advancedOptions:
  defaultServerConfig:
    sipDomain: file.example.com
    sipServerAddress: ["wss://file.example.com"]
  authProvidersConfig:
    providers:
      - {providerLoginName: SSO, providerType: OIDC, authority: "https://sso.example.com", clientId: from-file}
`
	env := []string{
		"PATH=/usr/bin",
		"SOFTPHONE_ADVANCEDOPTIONS_DEFAULTSERVERCONFIG_SIPDOMAIN=env.example.com",
		"SOFTPHONE_ADVANCEDOPTIONS_DEFAULTSERVERCONFIG_SIPSERVERADDRESS=[\"wss://a.example.com\", \"wss://b.example.com\"]",
		"softphone_advancedoptions_modes_cache_register_auth_mode=false",
		"SOFTPHONE_ADVANCEDOPTIONS_MODES_ICE_TIMEOUT_FIX=3000",
		"SOFTPHONE_ADVANCEDOPTIONS_AUTHPROVIDERSCONFIG_PROVIDERS_0_CLIENTID=from-env",
		"SOFTPHONE_ADVANCEDOPTIONS_CALLHISTORYCONFIG_MAXENTRIES=42",
		"SOFTPHONE_ADVANCED_OPTIONS_ACD_CLIENT_CONFIG_NOT_READY_DEFAULT_REASON_CODE=Break",
	}
	o := mustLoad(t, body, env).Client.Options
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
		{"notReadyDefaultReasonCode (snake case)", o.ACDClientConfig.NotReadyDefaultReasonCode, "Break"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

// TestApplyEnvErrors: every error from a variable names the variable.
func TestApplyEnvErrors(t *testing.T) {
	tests := []struct {
		name, env, msg string
	}{
		{"unknown key", "SOFTPHONE_ADVANCEDOPTIONS_NOSUCHKEY=1", "names no key of advancedOptions"},
		{"free-form map", "SOFTPHONE_ADVANCEDOPTIONS_CUSTOMERINFOCONTEXTDISPLAYMAPPING_VIP=x", "free-form maps"},
		{"index past the end", "SOFTPHONE_ADVANCEDOPTIONS_AUTHPROVIDERSCONFIG_PROVIDERS_3_CLIENTID=x", "past the end"},
		{"bad client value", "SOFTPHONE_ADVANCEDOPTIONS_DEBUGMODE=maybe", "must be true or false"},
		{"bad server value", "SOFTPHONE_HEADERS_HSTS_MAX_AGE=soon", "must be an integer"},
		{"creates missing mappings", "SOFTPHONE_ADVANCEDOPTIONS_MODES_ICE_TIMEOUT_FIX=500", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tryLoad(t, minimal+"  authProvidersConfig:\n    providers: []\n", []string{tc.env})
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
			if errs[0].File != "environment variable "+name || errs[0].Line != 0 || !strings.Contains(errs[0].Message, tc.msg) {
				t.Errorf("error = %s, want environment variable %s: ...%s, without a line", errs[0], name, tc.msg)
			}
		})
	}
	t.Run("null section becomes a mapping", func(t *testing.T) {
		l := mustLoad(t, "advancedOptions:\n", []string{
			"SOFTPHONE_ADVANCEDOPTIONS_DEBUGMODE=true",
			"SOFTPHONE_ADVANCEDOPTIONS_DEFAULTSERVERCONFIG_SIPSERVERADDRESS=[wss://sbc.example.com]",
		})
		if o := l.Client.Options; o.DebugMode == nil || !*o.DebugMode {
			t.Errorf("debugMode = %v, want true from the environment", o.DebugMode)
		}
	})
}
