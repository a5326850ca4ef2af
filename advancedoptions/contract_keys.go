package advancedoptions

// clientKeys says, for every key of the schema, what the embedded web client
// does with it: the client's own default where the manual documents none
// (documented defaults come from SetDefaults), the range of integer keys
// (validation enforces it, the client falls back to the default outside
// it), and whether the client implements the key at all. A key set in the
// configuration that the client does not implement is a warning of
// softphone check. Contract() fails when this table and the schema disagree.
var clientKeys = map[string]clientKey{
	"defaultServerConfig.sipDomain":              does("domain of SIP URIs in REGISTER and INVITE").orElse(""),
	"defaultServerConfig.sipServerAddress":       does("SBC WebSocket URLs, tried in turn; a dead one is skipped at once"),
	"defaultServerConfig.prioritize":             does("tries the addresses in order, or shuffled when false").orElse(true),
	"defaultServerConfig.sipIceServers":          does("STUN/TURN servers of every call"),
	"defaultServerConfig.backupSipServerAddress": does("dual registration to the backup SBCs when set"),
	"defaultServerConfig.guiEnabled":             does("shows the server fields at sign-in and in Settings"),
	"defaultServerConfig.disableEditing":         does("shows the server fields read-only"),

	"storageConfig.location": does("where credentials, settings, history and the last call quality are kept").orElse("localStorage"),

	"ACDClientConfig.enabled":                   does("Ready / Not ready bar; not ready refuses calls with 486").orElse(false),
	"ACDClientConfig.notReadyDefaultReasonCode": does("reason code when a missed call makes the agent not ready (else the first mapped code)"),
	"ACDClientConfig.notReadyReasonCodeMapping": does("selectable not-ready reasons"),

	"sipAccountGUIConfig.sipDisplayNameHidden":   does("hides the display name field"),
	"sipAccountGUIConfig.sipDisplayNameDisabled": does("shows the display name read-only"),

	"notificationOptions.focusWindowOnClick":                        does("clicking a notification focuses the tab"),
	"notificationOptions.autoplay.showAutoplayDisabledAlert":        does("alert on the page when auto-play is blocked"),
	"notificationOptions.autoplay.showAutoplayDisabledNotification": does("browser notification when auto-play is blocked"),

	"customerInfoContextDisplayMapping": does("words the customer info of a call"),

	"isVideoEnabled":                             does(`"Video call" and "Answer with video"`).orElse(false),
	"enableAddVideo":                             does(`"Add video" on an audio call`).orElse(false),
	"isScreenSharingEnabled":                     does(`"Share screen" in a call (re-INVITE with a=content:slides video); shows the far side's shared screen`).orElse(false),
	"isCrossScreenSharingAllowed":                does("allows sharing while the far side shares"),
	"isAllowedToResumeLocalHoldByRemoteReInvite": does("a sendrecv re-INVITE releases our hold"),
	"registerExpires":                            does("REGISTER expiry").orElse(600).within(60, 86400),
	"voiceQualityMonitorEnabled":                 does("live quality score of each call (E-model MOS from loss, jitter and round trip), kept in the history").orElse(false),
	"restoreCallQualityMaxDelay":                 does("seconds the last score is kept across a reload, in storageConfig.location").orElse(60).within(0, 86400),
	"restoreCall":                                does("a reload rejoins connected calls with an INVITE with Replaces (RFC 3891)").orElse(false),
	"restoreCallMaxDelay":                        does("seconds after the page went away within which calls are rejoined").orElse(30).within(0, 86400),
	"reconnectIntervalMin":                       does("first wait before reconnecting after every SBC failed").orElse(2).within(1, 3600),
	"reconnectIntervalMax":                       does("longest wait between reconnection rounds").orElse(30).within(1, 3600),
	"dtmfUseWebRTC":                              does("DTMF in the media (RFC 2833) or by SIP INFO").orElse(true),
	"dtmfDuration":                               does("DTMF tone length").within(70, 6000),
	"dtmfInterToneGap":                           does("gap between DTMF tones").within(50, 10000),
	"useSessionTimer":                            does("RFC 4028 session timers"),
	"noAnswerTimeout":                            does("an unanswered incoming call ends after it").within(1, 3600),
	"avoidTwoWayHold":                            does("disables Hold while the far side holds").orElse(false),
	"disableOutgoingCalls":                       does("hides dialing").orElse(false),

	"autoAnswerOptions.answerDelayedOfferWithVideo":   does("auto-answers an offerless INVITE with video"),
	"autoAnswerOptions.autoAnswerDefaultDelaySeconds": does("auto-answer delay when the INVITE gives none").within(0, 300),

	"callHistoryConfig.maxEntries": does("history entries kept per user").within(1, 100000),
	"callHistoryConfig.guiEnabled": does("shows the call history"),

	"layoutConfig.alwaysShowFullCallsList": does("keeps every call of the calls list visible"),

	"debugMode": does("JsSIP debug log in the browser console").orElse(false),

	"modes.cache_register_auth_mode": does("reuses the Authorization of REGISTER refreshes"),
	"modes.ice_timeout_fix":          does("ICE gathering timeout").within(100, 60000),

	"VDIIntegrationConfig.vdiSolutionType": lacks("media redirection through a VDI solution").warn(
		`this client cannot redirect media through Citrix HDX: inside a Citrix session it runs as a plain WebRTC page, ` +
			`so audio, video and devices are those of the VDI host (the session's redirected microphone and speakers), not offloaded to the endpoint`),

	"mediaDeviceSettings.deviceCategories":            does("device kinds offered in Settings"),
	"mediaDeviceSettings.allowMediaDeviceSelection":   does("device choice in Settings"),
	"mediaDeviceSettings.devicesMustBeSelectedByUser": does("asks the agent to choose each device"),

	"codecFilter.audio.remove":   does("audio codecs removed from our SDP"),
	"codecFilter.audio.priority": does("audio codec order of our SDP"),
	"codecFilter.video.remove":   does("video codecs removed from our SDP"),
	"codecFilter.video.priority": does("video codec order of our SDP"),

	"localVideoFilter.virtualBackgroundSupported": does("blur or a picture behind the outgoing camera (MediaPipe selfie segmentation, loaded on first use)").orElse(false),
	"localVideoFilter.maxSizeForLocalBGImages":    does("how many background images the agent may add").orElse(5).within(0, 100),

	"localizationConfig.defaultLanguageResourceURL":  does("text resource location").orElse(""),
	"localizationConfig.waitForDefaultResourceFetch": does("hides the page until a text resource is loaded").orElse(false),

	"customGeneralSIPHeaders": does("headers added to REGISTER, INVITE, re-INVITE, INFO, answers and rejects"),

	"isAgentAssistEnabled":                                     does("Agent Assist panel: live transcript and bot messages beside the call"),
	"agentAssistDefaultBotName":                                does("bot requested for each call (Settings can change it)"),
	"agentAssistDefaultServiceUrl":                             does("socket.io service URL (Settings can change it)"),
	"agentAssistDefaultServicePath":                            does("socket.io path (Settings can change it)").orElse("/socket.io"),
	"agentAssistMaxHistoryEntries":                             does("past assist sessions kept per user").within(0, 10000),
	"agentAssistDefaultConversationConfig.defaultRoles.caller": does("participant name of the caller in the transcript").orElse("participant"),
	"agentAssistDefaultConversationConfig.defaultRoles.callee": does("participant name of the callee in the transcript").orElse("participant-2"),

	"contactCenterConfig.integrations[].enabled":                                              does("uses the integration"),
	"contactCenterConfig.integrations[].contactCenterPlatform":                                does("Genesys Cloud sign-in, or Pure Engage call UUIDs"),
	"contactCenterConfig.integrations[].serviceName":                                          does("names the integration"),
	"contactCenterConfig.integrations[].environment":                                          does("Genesys Cloud sign-in region"),
	"contactCenterConfig.integrations[].clientId":                                             does("Genesys Cloud OAuth client"),
	"contactCenterConfig.integrations[].redirectUri":                                          does("Genesys Cloud OAuth redirect"),
	"contactCenterConfig.integrations[].customSipHeaderNames.contactCenterCallUuidHeader":     does(`shows "<serviceName> call ID"`),
	"contactCenterConfig.integrations[].customSipHeaderNames.contactCenterCallUserInfoHeader": does("reads the customer info from it"),
	"contactCenterConfig.defaultSipHeaderNames.contactCenterCallUuidHeader":                   does("call UUID header when an integration names none"),
	"contactCenterConfig.defaultSipHeaderNames.contactCenterCallUserInfoHeader":               does("customer info header when an integration names none").orElse("x-customer-info"),

	"authProvidersConfig.mandatoryProviderLoginName":                            does("sign-in only through this provider or integration"),
	"authProvidersConfig.providers[].providerLoginName":                         does("names the provider at sign-in"),
	"authProvidersConfig.providers[].providerType":                              does("AAD, Keycloak or OIDC sign-in"),
	"authProvidersConfig.providers[].authority":                                 does("OpenID Connect issuer"),
	"authProvidersConfig.providers[].endpointUrl":                               does("user profile API").conditional(),
	"authProvidersConfig.providers[].realm":                                     does("Keycloak realm, and the SIP realm of Bearer REGISTER"),
	"authProvidersConfig.providers[].clientId":                                  does("OAuth client"),
	"authProvidersConfig.providers[].redirectUri":                               does("OAuth redirect"),
	"authProvidersConfig.providers[].knownAuthorities":                          does("checked by softphone: an authority outside login.microsoftonline.com must be listed"),
	"authProvidersConfig.providers[].requestScopes":                             does("extra scopes requested"),
	"authProvidersConfig.providers[].authRefreshRetriesForSipError":             does("token refreshes after a SIP 401/403").within(0, 100),
	"authProvidersConfig.providers[].forceLoginPromptOnEmptyCache":              does("forces the login prompt"),
	"authProvidersConfig.providers[].userInfoUrlRelativePath":                   does("user info path").conditional(),
	"authProvidersConfig.providers[].tokenRevocationRelativePath":               does("revokes the token at sign-out"),
	"authProvidersConfig.providers[].cacheLocation":                             does("where tokens are kept").conditional(),
	"authProvidersConfig.providers[].sipAttributes.SIP_DN_Attribute_name":       does("claim with the SIP user"),
	"authProvidersConfig.providers[].sipAttributes.SIP_Password_Attribute_name": does("claim with the SIP password, else the id token authorizes SIP"),
}
