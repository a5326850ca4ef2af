package advancedoptions

import (
	"errors"
	"strings"
	"testing"
)

const baseServer = `  defaultServerConfig:
    sipDomain: example.com
    sipServerAddress: ["wss://sbc.example.com:10081"]
`

const genesysCloud = `  contactCenterConfig:
    integrations:
      - enabled: true
        contactCenterPlatform: genesys_cloud
        serviceName: Genesys Cloud US-West-2
        environment: usw2.pure.cloud
        clientId: 8612e5af-3c70-4178-ba3e-4333dcee0b32
      - enabled: true
        contactCenterPlatform: genesys_pure_engage
        serviceName: Genesys Pure Engage
      - enabled: false
        contactCenterPlatform: genesys_cloud
        serviceName: Genesys Cloud EU
        environment: mypurecloud.ie
        clientId: 0c5e9f3a-61f1-4b5e-9f0c-1f1b1b1b1b1b
`

const aadProvider = `      - providerLoginName: Azure Active Directory
        providerType: AAD
        authority: https://login.microsoftonline.com/1911c65c-89a4-4c5d-8a5e-2b4e1c0f0b6d
        clientId: e8a69733-d978-47b9-a938-cc8b260636a4
`

// TestValidationRules has one case per rule: the body of advancedOptions
// (given a valid defaultServerConfig unless it sets its own), and the
// error or warning expected at path.
func TestValidationRules(t *testing.T) {
	tests := []struct {
		name string
		body string
		path string
		msg  string
		warn bool
	}{
		// SBC addresses
		{"sbc must be wss", "  defaultServerConfig:\n    sipServerAddress: [\"https://sbc.example.com\"]\n",
			"advancedOptions.defaultServerConfig.sipServerAddress[0]", `must be a wss:// URL, got "https://sbc.example.com"`, false},
		{"sbc ws is a warning", "  defaultServerConfig:\n    sipServerAddress: [\"ws://sbc.example.com:8080\"]\n",
			"advancedOptions.defaultServerConfig.sipServerAddress[0]", "unencrypted ws:// URL", true},
		{"sbc needs a valid host", "  defaultServerConfig:\n    sipServerAddress: [\"wss://sbc_1.example.com\"]\n",
			"advancedOptions.defaultServerConfig.sipServerAddress[0]", "must name a valid host", false},
		{"sbc port range", "  defaultServerConfig:\n    sipServerAddress: [\"wss://sbc.example.com:70000\"]\n",
			"advancedOptions.defaultServerConfig.sipServerAddress[0]", "port must be between 1 and 65535", false},
		{"sbc unique", "  defaultServerConfig:\n    sipServerAddress: [\"wss://sbc.example.com\", \"WSS://SBC.example.com/\"]\n",
			"advancedOptions.defaultServerConfig.sipServerAddress[1]", "must be unique", false},
		{"backup disjoint from primary", "  defaultServerConfig:\n    sipServerAddress: [\"wss://a.example.com\"]\n    backupSipServerAddress: [\"wss://a.example.com\"]\n",
			"advancedOptions.defaultServerConfig.backupSipServerAddress[0]", "must differ from the primary servers", false},
		{"backup needs primary", "  defaultServerConfig:\n    guiEnabled: true\n    backupSipServerAddress: [\"wss://b.example.com\"]\n",
			"advancedOptions.defaultServerConfig.backupSipServerAddress", "needs sipServerAddress", false},
		{"no sbc while editing is disabled", "  defaultServerConfig:\n    sipDomain: example.com\n    disableEditing: true\n",
			"advancedOptions.defaultServerConfig.sipServerAddress", "must list at least one", false},
		{"no sbc is a warning", "  defaultServerConfig:\n    sipDomain: example.com\n",
			"advancedOptions.defaultServerConfig.sipServerAddress", "every user must enter one", true},
		{"sip domain needed when editing is disabled", "  defaultServerConfig:\n    sipServerAddress: [\"wss://sbc.example.com\"]\n    guiEnabled: false\n",
			"advancedOptions.defaultServerConfig.sipDomain", "must be set when guiEnabled is false", false},
		{"missing sip domain is a warning", "  defaultServerConfig:\n    sipServerAddress: [\"wss://sbc.example.com\"]\n",
			"advancedOptions.defaultServerConfig.sipDomain", "every user must enter the SIP domain", true},
		{"sip domain is not a URL", "  defaultServerConfig:\n    sipDomain: https://example.com\n    sipServerAddress: [\"wss://sbc.example.com\"]\n",
			"advancedOptions.defaultServerConfig.sipDomain", "not a URL", false},
		// ICE servers
		{"ice scheme", "  defaultServerConfig:\n    sipServerAddress: [\"wss://sbc.example.com\"]\n    sipIceServers: [\"http://stun.example.com\"]\n",
			"advancedOptions.defaultServerConfig.sipIceServers[0]", "must be a stun:, turn: or turns: URL", false},
		{"ice no slashes", "  defaultServerConfig:\n    sipServerAddress: [\"wss://sbc.example.com\"]\n    sipIceServers: [\"stun://stun.example.com\"]\n",
			"advancedOptions.defaultServerConfig.sipIceServers[0]", "must not have //", false},
		{"ice transport", "  defaultServerConfig:\n    sipServerAddress: [\"wss://sbc.example.com\"]\n    sipIceServers: [\"turns:turn.example.com:5349?transport=sctp\"]\n",
			"advancedOptions.defaultServerConfig.sipIceServers[0]", "transport=udp or transport=tcp", false},
		// enums
		{"storage location", "  storageConfig: {location: cookies}\n",
			"advancedOptions.storageConfig.location", `must be one of "localStorage", "sessionStorage", got "cookies"`, false},
		{"vdi type", "  VDIIntegrationConfig: {vdiSolutionType: vmware}\n",
			"advancedOptions.VDIIntegrationConfig.vdiSolutionType", `must be one of "none", "citrix", got "vmware"`, false},
		{"device category", "  mediaDeviceSettings: {deviceCategories: [microphone, speaker]}\n",
			"advancedOptions.mediaDeviceSettings.deviceCategories[1]", `got "speaker"`, false},
		{"device category unique", "  mediaDeviceSettings: {deviceCategories: [camera, camera]}\n",
			"advancedOptions.mediaDeviceSettings.deviceCategories[1]", "must be unique", false},
		{"device categories not empty", "  mediaDeviceSettings: {deviceCategories: []}\n",
			"advancedOptions.mediaDeviceSettings.deviceCategories", "must list at least one", false},
		{"citrix is not implemented", "  VDIIntegrationConfig: {vdiSolutionType: citrix}\n",
			"advancedOptions.VDIIntegrationConfig.vdiSolutionType", "cannot redirect media through Citrix HDX", true},
		{"contact center platform", "  contactCenterConfig:\n    integrations:\n      - {contactCenterPlatform: avaya, serviceName: Avaya}\n",
			"advancedOptions.contactCenterConfig.integrations[0].contactCenterPlatform", `must be one of "genesys_cloud", "genesys_pure_engage", got "avaya"`, false},
		{"contact center platform required", "  contactCenterConfig:\n    integrations:\n      - {serviceName: X}\n",
			"advancedOptions.contactCenterConfig.integrations[0].contactCenterPlatform", "must be set", false},
		{"provider type with did-you-mean", "  authProvidersConfig:\n    providers:\n      - {providerLoginName: K, providerType: keycloak, authority: \"https://kc.example.com\", realm: demo, clientId: c}\n",
			"advancedOptions.authProvidersConfig.providers[0].providerType", `got "keycloak" (did you mean "Keycloak"?)`, false},
		{"cache location", "  authProvidersConfig:\n    providers:\n" + aadProvider + "        cacheLocation: cookie\n",
			"advancedOptions.authProvidersConfig.providers[0].cacheLocation", `must be one of "localStorage", "sessionStorage", "memoryStorage"`, false},
		{"localStorage token cache is a warning", "  authProvidersConfig:\n    providers:\n" + aadProvider + "        cacheLocation: localStorage\n",
			"advancedOptions.authProvidersConfig.providers[0].cacheLocation", "outlive the browser session", true},
		{"localStorage inherited from storageConfig is a warning", "  storageConfig: {location: localStorage}\n  authProvidersConfig:\n    providers:\n" + aadProvider,
			"advancedOptions.authProvidersConfig.providers[0].cacheLocation", "outlive the browser session", true},
		// auth providers
		{"keycloak needs realm", "  authProvidersConfig:\n    providers:\n      - {providerLoginName: K, providerType: Keycloak, authority: \"https://kc.example.com:8443\", clientId: c}\n",
			"advancedOptions.authProvidersConfig.providers[0].realm", `must be set for providerType "Keycloak"`, false},
		{"provider name required", "  authProvidersConfig:\n    providers:\n      - {providerType: OIDC, authority: \"https://id.example.com\", clientId: c}\n",
			"advancedOptions.authProvidersConfig.providers[0].providerLoginName", "must be set", false},
		{"provider name unique", "  authProvidersConfig:\n    providers:\n" + aadProvider + aadProvider,
			"advancedOptions.authProvidersConfig.providers[1].providerLoginName", `must be unique, "Azure Active Directory" is also providers[0]`, false},
		{"provider client id required", "  authProvidersConfig:\n    providers:\n      - {providerLoginName: O, providerType: OIDC, authority: \"https://id.example.com\"}\n",
			"advancedOptions.authProvidersConfig.providers[0].clientId", "must be set", false},
		{"authority required", "  authProvidersConfig:\n    providers:\n      - {providerLoginName: O, providerType: OIDC, clientId: c}\n",
			"advancedOptions.authProvidersConfig.providers[0].authority", "must be set", false},
		{"authority https", "  authProvidersConfig:\n    providers:\n      - {providerLoginName: O, providerType: OIDC, authority: \"http://id.example.com\", clientId: c}\n",
			"advancedOptions.authProvidersConfig.providers[0].authority", "http:// only for localhost", false},
		{"authority not a URL", "  authProvidersConfig:\n    providers:\n      - {providerLoginName: O, providerType: OIDC, authority: \"id.example.com\", clientId: c}\n",
			"advancedOptions.authProvidersConfig.providers[0].authority", `must be an https:// URL, got "id.example.com"`, false},
		{"aad authority tenant", "  authProvidersConfig:\n    providers:\n      - {providerLoginName: A, authority: \"https://login.microsoftonline.com/not a tenant\", clientId: c}\n",
			"advancedOptions.authProvidersConfig.providers[0].authority", "<tenant-id>", false},
		{"aad authority without tenant", "  authProvidersConfig:\n    providers:\n      - {providerLoginName: A, authority: \"https://login.microsoftonline.com\", clientId: c}\n",
			"advancedOptions.authProvidersConfig.providers[0].authority", "<tenant-id>", false},
		{"aad foreign authority needs knownAuthorities", "  authProvidersConfig:\n    providers:\n      - {providerLoginName: A, authority: \"https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_signin\", clientId: c}\n",
			"advancedOptions.authProvidersConfig.providers[0].knownAuthorities", `must list "contoso.b2clogin.com"`, false},
		{"known authority is a host", "  authProvidersConfig:\n    providers:\n" + aadProvider + "        knownAuthorities: [\"not a host\"]\n",
			"advancedOptions.authProvidersConfig.providers[0].knownAuthorities[0]", "must be a host name", false},
		{"request scopes one word", "  authProvidersConfig:\n    providers:\n" + aadProvider + "        requestScopes: [\"openid profile\"]\n",
			"advancedOptions.authProvidersConfig.providers[0].requestScopes[0]", "one scope without spaces", false},
		{"relative paths stay relative", "  authProvidersConfig:\n    providers:\n" + aadProvider + "        userInfoUrlRelativePath: \"https://graph.microsoft.com/me\"\n",
			"advancedOptions.authProvidersConfig.providers[0].userInfoUrlRelativePath", "must be a relative path", false},
		{"refresh retries range", "  authProvidersConfig:\n    providers:\n" + aadProvider + "        authRefreshRetriesForSipError: -1\n",
			"advancedOptions.authProvidersConfig.providers[0].authRefreshRetriesForSipError", "must be between 0 and 100, got -1", false},
		{"mandatory provider must exist", "  authProvidersConfig:\n    mandatoryProviderLoginName: Azure Active Directry\n    providers:\n" + aadProvider,
			"advancedOptions.authProvidersConfig.mandatoryProviderLoginName", `did you mean "Azure Active Directory"?`, false},
		{"mandatory integration must sign in", genesysCloud + "  authProvidersConfig:\n    mandatoryProviderLoginName: Genesys Pure Engage\n",
			"advancedOptions.authProvidersConfig.mandatoryProviderLoginName", "does not sign users in", false},
		{"mandatory integration must be enabled", genesysCloud + "  authProvidersConfig:\n    mandatoryProviderLoginName: Genesys Cloud EU\n",
			"advancedOptions.authProvidersConfig.mandatoryProviderLoginName", "is not enabled", false},
		{"provider name clashes with service name", genesysCloud + "  authProvidersConfig:\n    providers:\n      - {providerLoginName: Genesys Pure Engage, providerType: OIDC, authority: \"https://id.example.com\", clientId: c}\n",
			"advancedOptions.authProvidersConfig.providers[0].providerLoginName", "also the serviceName", false},
		// contact center
		{"service name unique", "  contactCenterConfig:\n    integrations:\n      - {contactCenterPlatform: genesys_pure_engage, serviceName: G}\n      - {contactCenterPlatform: genesys_pure_engage, serviceName: G}\n",
			"advancedOptions.contactCenterConfig.integrations[1].serviceName", `must be unique, "G" is also integrations[0]`, false},
		{"service name required", "  contactCenterConfig:\n    integrations:\n      - {contactCenterPlatform: genesys_pure_engage}\n",
			"advancedOptions.contactCenterConfig.integrations[0].serviceName", "must be set", false},
		{"genesys environment well-formed", "  contactCenterConfig:\n    integrations:\n      - {contactCenterPlatform: genesys_cloud, serviceName: G, clientId: c, environment: \"https://usw2.pure.cloud\"}\n",
			"advancedOptions.contactCenterConfig.integrations[0].environment", "no scheme, no path", false},
		{"genesys environment required", "  contactCenterConfig:\n    integrations:\n      - {contactCenterPlatform: genesys_cloud, serviceName: G, clientId: c}\n",
			"advancedOptions.contactCenterConfig.integrations[0].environment", "must be set for genesys_cloud", false},
		{"genesys client id required", "  contactCenterConfig:\n    integrations:\n      - {contactCenterPlatform: genesys_cloud, serviceName: G, environment: mypurecloud.com}\n",
			"advancedOptions.contactCenterConfig.integrations[0].clientId", "must be set for genesys_cloud", false},
		{"pure engage takes no sign-in keys", "  contactCenterConfig:\n    integrations:\n      - {contactCenterPlatform: genesys_pure_engage, serviceName: G, environment: mypurecloud.com}\n",
			"advancedOptions.contactCenterConfig.integrations[0].environment", "genesys_cloud sign-in only", false},
		{"header name is a token", "  contactCenterConfig:\n    defaultSipHeaderNames: {contactCenterCallUuidHeader: \"x call id\"}\n",
			"advancedOptions.contactCenterConfig.defaultSipHeaderNames.contactCenterCallUuidHeader", "must be a SIP header name", false},
		// custom SIP headers
		{"custom header format", "  customGeneralSIPHeaders: [\"X-Site contoso\"]\n",
			"advancedOptions.customGeneralSIPHeaders[0]", `must be "Name: value"`, false},
		{"custom header name token", "  customGeneralSIPHeaders: [\"X Site: contoso\"]\n",
			"advancedOptions.customGeneralSIPHeaders[0]", "header name must be a SIP token", false},
		{"custom header no CRLF", "  customGeneralSIPHeaders: [\"X-Site: a\\r\\nVia: evil\"]\n",
			"advancedOptions.customGeneralSIPHeaders[0]", "without CR or LF", false},
		{"custom header not a stack header", "  customGeneralSIPHeaders: [\"Call-ID: 1234\"]\n",
			"advancedOptions.customGeneralSIPHeaders[0]", "set by the SIP stack", false},
		// numbers
		{"reconnect min <= max", "  reconnectIntervalMin: 60\n  reconnectIntervalMax: 30\n",
			"advancedOptions.reconnectIntervalMin", "must be at most reconnectIntervalMax (30), got 60", false},
		{"reconnect range", "  reconnectIntervalMax: 0\n",
			"advancedOptions.reconnectIntervalMax", "must be between 1 and 3600, got 0", false},
		{"dtmf duration", "  dtmfDuration: 10\n", "advancedOptions.dtmfDuration", "must be between 70 and 6000, got 10", false},
		{"dtmf gap", "  dtmfInterToneGap: 20000\n", "advancedOptions.dtmfInterToneGap", "must be between 50 and 10000, got 20000", false},
		{"register expires", "  registerExpires: 5\n", "advancedOptions.registerExpires", "must be between 60 and 86400, got 5", false},
		{"no answer timeout", "  noAnswerTimeout: 0\n", "advancedOptions.noAnswerTimeout", "must be between 1 and 3600, got 0", false},
		{"call history entries", "  callHistoryConfig: {maxEntries: 0}\n", "advancedOptions.callHistoryConfig.maxEntries", "must be between 1 and 100000", false},
		{"ice timeout", "  modes: {ice_timeout_fix: 10}\n", "advancedOptions.modes.ice_timeout_fix", "must be between 100 and 60000", false},
		{"auto answer delay", "  autoAnswerOptions: {autoAnswerDefaultDelaySeconds: 301}\n", "advancedOptions.autoAnswerOptions.autoAnswerDefaultDelaySeconds", "must be between 0 and 300", false},
		// misc
		{"debug mode is a warning", "  debugMode: true\n", "advancedOptions.debugMode", "must not be set on customer deployments", true},
		{"codec both removed and prioritized", "  codecFilter:\n    audio: {remove: [pcma], priority: [opus, PCMA]}\n",
			"advancedOptions.codecFilter.audio.priority[1]", "cannot be both removed and prioritized", false},
		{"codec name", "  codecFilter:\n    video: {remove: [\"\"]}\n",
			"advancedOptions.codecFilter.video.remove[0]", "must be a codec name", false},
		{"agent assist needs url", "  isAgentAssistEnabled: true\n", "advancedOptions.agentAssistDefaultServiceUrl", "must be set when isAgentAssistEnabled is true", false},
		{"agent assist url scheme", "  agentAssistDefaultServiceUrl: ftp://vaic.example.com\n", "advancedOptions.agentAssistDefaultServiceUrl", "must be an https:// or wss:// URL", false},
		{"agent assist path", "  agentAssistDefaultServicePath: socket.io\n", "advancedOptions.agentAssistDefaultServicePath", `must be a path starting with "/"`, false},
		{"language resource URL", "  localizationConfig: {defaultLanguageResourceURL: \"http://cdn.example.com/strings.json\"}\n",
			"advancedOptions.localizationConfig.defaultLanguageResourceURL", "http:// only for localhost", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if !strings.Contains(body, "defaultServerConfig:") {
				body = baseServer + body
			}
			res, err := compileString(t, "advancedOptions:\n"+body)
			if tc.warn {
				if err != nil {
					t.Fatalf("want only a warning, got errors:\n%v", err)
				}
				for _, w := range res.Warnings {
					if w.Path == tc.path && strings.Contains(w.Message, tc.msg) {
						return
					}
				}
				t.Fatalf("no warning at %s containing %q; warnings: %v", tc.path, tc.msg, res.Warnings)
			}
			d := findDiag(t, err, tc.path)
			if !strings.Contains(d.Message, tc.msg) {
				t.Errorf("message = %q, want it to contain %q", d.Message, tc.msg)
			}
			if d.Line == 0 {
				t.Errorf("error %v has no line", d)
			}
		})
	}
}

// TestValidConfigs: the manual's own examples and the embedded default
// pass without errors or warnings.
func TestValidConfigs(t *testing.T) {
	tests := []struct{ name, body string }{
		{"genesys integrations and mandatory cloud sign-in", baseServer + genesysCloud + "  authProvidersConfig:\n    mandatoryProviderLoginName: Genesys Cloud US-West-2\n    providers:\n" + aadProvider},
		{"manual's auth example", baseServer + `  authProvidersConfig:
    providers:
      - providerLoginName: Azure Active Directory
        providerType: AAD
        authority: https://login.microsoftonline.com/common
        endpointUrl: https://graph.microsoft.com/v1.0
        realm: ""
        clientId: e8a69733-d978-47b9-a938-cc8b260636a4
        knownAuthorities: []
        requestScopes: []
        authRefreshRetriesForSipError: 5
        forceLoginPromptOnEmptyCache: false
        userInfoUrlRelativePath: /me
        tokenRevocationRelativePath: ""
        cacheLocation: ""
        sipAttributes:
          SIP_DN_Attribute_name: voip_identity_username
          SIP_Password_Attribute_name: voip_identity_password
      - providerLoginName: Keycloak
        providerType: Keycloak
        authority: https://keycloak.webrtc.example.com:8443
        realm: demo
        clientId: WebRTCDemo
`},
		{"ice servers of every kind", `  defaultServerConfig:
    sipDomain: example.com
    sipServerAddress: ["wss://sbc.example.com:10081"]
    sipIceServers: ["stun:stun.example.com", "stun:[2001:db8::1]:3478", "turn:turn.example.com:3478?transport=tcp", "turns:10.0.0.1:5349"]
`},
		{"localhost keycloak over http", baseServer + `  authProvidersConfig:
    providers:
      - {providerLoginName: Dev, providerType: Keycloak, authority: "http://localhost:8080", realm: dev, clientId: c}
`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := compileString(t, "advancedOptions:\n"+tc.body)
			if err != nil {
				t.Fatalf("errors:\n%v", err)
			}
			if len(res.Warnings) > 0 {
				t.Errorf("warnings: %v", res.Warnings)
			}
		})
	}
	t.Run("embedded default", func(t *testing.T) {
		res, err := compileString(t, string(DefaultYAML))
		if err != nil {
			t.Fatalf("DefaultYAML does not compile:\n%v", err)
		}
		if len(res.Warnings) > 0 || len(res.Migrations) > 0 {
			t.Errorf("DefaultYAML: warnings %v, migrations %v, want none", res.Warnings, res.Migrations)
		}
		if got := res.Options.DefaultServerConfig.SIPServerAddress; len(got) != 1 || got[0] != "wss://sbc.example.com:10081" {
			t.Errorf("default sipServerAddress = %q, want [wss://sbc.example.com:10081]", got)
		}
	})
}

func TestDecodeErrorsSuppressFollowOnValidation(t *testing.T) {
	_, err := compileString(t, "advancedOptions:\n"+baseServer+"  authProvidersConfig:\n    providers:\n      - {providerLoginName: O, providerType: OIDC, authority: \"https://id.example.com\", clientId: 5}\n")
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 {
		t.Fatalf("want exactly the type error for clientId, got:\n%v", err)
	}
	if errs[0].Path != "advancedOptions.authProvidersConfig.providers[0].clientId" || !strings.Contains(errs[0].Message, "must be a string") {
		t.Errorf("error = %v, want the clientId type error only", errs[0])
	}
}

func TestValidationPositions(t *testing.T) {
	_, err := compileString(t, `advancedOptions:
  defaultServerConfig:
    sipDomain: example.com
    sipServerAddress:
      - wss://sbc.example.com
      - http://sbc2.example.com
  storageConfig:
    location: cookies
`)
	for _, tc := range []struct {
		path      string
		line, col int
	}{
		{"advancedOptions.defaultServerConfig.sipServerAddress[1]", 6, 9},
		{"advancedOptions.storageConfig.location", 8, 5},
	} {
		d := findDiag(t, err, tc.path)
		if d.Line != tc.line || d.Col != tc.col {
			t.Errorf("%s at %d:%d, want %d:%d", tc.path, d.Line, d.Col, tc.line, tc.col)
		}
	}
}
