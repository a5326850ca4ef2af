package advancedoptions

// Options is the web client configuration: one field per global variable of
// advancedOptions.js, in the order they are rendered. Key names are exactly
// the client's (ACDClientConfig, VDIIntegrationConfig, cache_register_auth_mode...);
// the json tag is the key in softphone.yaml and in the rendered file.
//
// An unset field is left out of the rendered file, so the client applies its
// own default; fields whose default the manual documents are filled in by
// [Options.SetDefaults] and rendered explicitly. Deprecated keys are not fields: they
// are rewritten into these by the migrations before decoding.
type Options struct {
	// DefaultServerConfig is the default SIP server configuration.
	DefaultServerConfig *ServerConfig `json:"defaultServerConfig,omitzero"`
	// StorageConfig sets where the client caches user data. Default: unset (client default).
	StorageConfig *StorageConfig `json:"storageConfig,omitzero"`
	// ACDClientConfig configures contact-center agent ACD support. Default: unset.
	ACDClientConfig *ACDClientConfig `json:"ACDClientConfig,omitzero"`
	// SIPAccountGUIConfig configures the display and editing of SIP account details.
	SIPAccountGUIConfig *SIPAccountGUIConfig `json:"sipAccountGUIConfig,omitzero"`
	// NotificationOptions configures browser notifications and the auto-play warning.
	// Replaces the deprecated autoplayNotificationOptions.
	NotificationOptions *NotificationOptions `json:"notificationOptions,omitzero"`
	// CustomerInfoContextDisplayMapping maps keywords of an incoming call's
	// X-Customer-Info header to readable text, e.g. advice: "Getting expert advice
	// for the product". Keys keep their case and order. Default: unset.
	CustomerInfoContextDisplayMapping Mapping `json:"customerInfoContextDisplayMapping,omitzero"`
	// IsVideoEnabled sets whether the client has video support. Default: unset (client default).
	IsVideoEnabled *bool `json:"isVideoEnabled,omitzero"`
	// EnableAddVideo allows adding video to audio calls. Default: unset (client default).
	EnableAddVideo *bool `json:"enableAddVideo,omitzero"`
	// IsScreenSharingEnabled enables screen sharing. Default: unset (client default).
	IsScreenSharingEnabled *bool `json:"isScreenSharingEnabled,omitzero"`
	// IsCrossScreenSharingAllowed allows outgoing screen sharing while an
	// incoming one runs. Default: false.
	IsCrossScreenSharingAllowed *bool `json:"isCrossScreenSharingAllowed,omitzero"`
	// IsAllowedToResumeLocalHoldByRemoteReInvite releases a local hold when a
	// re-INVITE with sendrecv media arrives. Default: false.
	IsAllowedToResumeLocalHoldByRemoteReInvite *bool `json:"isAllowedToResumeLocalHoldByRemoteReInvite,omitzero"`
	// RegisterExpires is the SIP registration expiry in seconds, 60 to 86400.
	// Default: unset (client default).
	RegisterExpires *int `json:"registerExpires,omitzero"`
	// VoiceQualityMonitorEnabled enables voice quality monitoring. Default: unset.
	VoiceQualityMonitorEnabled *bool `json:"voiceQualityMonitorEnabled,omitzero"`
	// RestoreCallQualityMaxDelay is the maximum interval to keep the last call
	// quality score, in seconds, 0 or more. Default: unset.
	RestoreCallQualityMaxDelay *int `json:"restoreCallQualityMaxDelay,omitzero"`
	// RestoreCall restores the previous call when the page is reloaded. Default: unset.
	RestoreCall *bool `json:"restoreCall,omitzero"`
	// RestoreCallMaxDelay is the maximum interval to restore a call after a
	// page reload, in seconds, 0 or more. Default: unset.
	RestoreCallMaxDelay *int `json:"restoreCallMaxDelay,omitzero"`
	// ReconnectIntervalMin is the minimum interval between WebSocket
	// reconnection attempts, in seconds, 1 to 3600, at most ReconnectIntervalMax.
	// Default: unset (client default).
	ReconnectIntervalMin *int `json:"reconnectIntervalMin,omitzero"`
	// ReconnectIntervalMax is the maximum interval between WebSocket
	// reconnection attempts, in seconds, 1 to 3600. Default: unset (client default).
	ReconnectIntervalMax *int `json:"reconnectIntervalMax,omitzero"`
	// DTMFUseWebRTC selects the DTMF type: true for RFC 2833 (in the media),
	// false for SIP INFO. Default: unset (client default).
	DTMFUseWebRTC *bool `json:"dtmfUseWebRTC,omitzero"`
	// DTMFDuration is the duration of a DTMF tone in milliseconds, 70 to 6000. Default: 100.
	DTMFDuration *int `json:"dtmfDuration,omitzero"`
	// DTMFInterToneGap is the interval between two DTMF tones in milliseconds,
	// 50 to 10000. Default: 500.
	DTMFInterToneGap *int `json:"dtmfInterToneGap,omitzero"`
	// UseSessionTimer enables SIP session timers (RFC 4028). Default: false.
	UseSessionTimer *bool `json:"useSessionTimer,omitzero"`
	// NoAnswerTimeout is how long an unanswered incoming call rings before it
	// is terminated, in seconds, 1 to 3600. Default: 60.
	NoAnswerTimeout *int `json:"noAnswerTimeout,omitzero"`
	// AvoidTwoWayHold disables the local Hold button while the call is on
	// remote hold. Default: unset (client default).
	AvoidTwoWayHold *bool `json:"avoidTwoWayHold,omitzero"`
	// DisableOutgoingCalls forbids outgoing calls when true. Default: unset (client default).
	DisableOutgoingCalls *bool `json:"disableOutgoingCalls,omitzero"`
	// AutoAnswerOptions configures auto-answering.
	AutoAnswerOptions *AutoAnswerOptions `json:"autoAnswerOptions,omitzero"`
	// CallHistoryConfig configures the call history. Replaces the deprecated maxSizeForCallHistory.
	CallHistoryConfig *CallHistoryConfig `json:"callHistoryConfig,omitzero"`
	// LayoutConfig configures the layout.
	LayoutConfig *LayoutConfig `json:"layoutConfig,omitzero"`
	// DebugMode turns on the client's debug mode. For debugging only, never on
	// customer deployments: true is accepted with a warning. Default: unset (off).
	DebugMode *bool `json:"debugMode,omitzero"`
	// Modes are miscellaneous SIP/WebRTC stack patches.
	Modes *Modes `json:"modes,omitzero"`
	// VDIIntegrationConfig configures integration with VDI solutions.
	VDIIntegrationConfig *VDIIntegrationConfig `json:"VDIIntegrationConfig,omitzero"`
	// MediaDeviceSettings configures media device selection.
	MediaDeviceSettings *MediaDeviceSettings `json:"mediaDeviceSettings,omitzero"`
	// CodecFilter filters and orders the codecs of generated SDP. Default: unset.
	CodecFilter *CodecFilter `json:"codecFilter,omitzero"`
	// LocalVideoFilter configures camera video filters such as virtual background. Default: unset.
	LocalVideoFilter *LocalVideoFilter `json:"localVideoFilter,omitzero"`
	// LocalizationConfig configures the client's text resource. Default: unset.
	LocalizationConfig *LocalizationConfig `json:"localizationConfig,omitzero"`
	// CustomGeneralSIPHeaders are extra SIP headers, each "Name: value", added to
	// REGISTER, INVITE, video re-INVITE, INFO (except DTMF), answers and rejects.
	// Default: unset (none).
	CustomGeneralSIPHeaders []string `json:"customGeneralSIPHeaders,omitzero"`
	// IsAgentAssistEnabled shows the Agent Assist chatbot, its settings and its
	// history. Default: false.
	IsAgentAssistEnabled *bool `json:"isAgentAssistEnabled,omitzero"`
	// AgentAssistDefaultBotName is the bot the client asks Agent Assist to activate. Default: unset.
	AgentAssistDefaultBotName string `json:"agentAssistDefaultBotName,omitzero"`
	// AgentAssistDefaultServiceUrl is the https:// (or wss://) URL of the Agent
	// Assist service, typically the Voice-AI Connect server. Required when
	// IsAgentAssistEnabled is true. Default: unset.
	AgentAssistDefaultServiceUrl string `json:"agentAssistDefaultServiceUrl,omitzero"`
	// AgentAssistDefaultServicePath is the socket.io path appended to the
	// service URL, starting with "/"; it must match the server's. Default: unset.
	AgentAssistDefaultServicePath string `json:"agentAssistDefaultServicePath,omitzero"`
	// AgentAssistMaxHistoryEntries is how many recent Agent Assist chat
	// sessions are stored, 0 to 10000. Default: 50.
	AgentAssistMaxHistoryEntries *int `json:"agentAssistMaxHistoryEntries,omitzero"`
	// AgentAssistDefaultConversationConfig configures conversation parameters. Default: unset.
	AgentAssistDefaultConversationConfig *AgentAssistConversationConfig `json:"agentAssistDefaultConversationConfig,omitzero"`
	// ContactCenterConfig configures integrations with contact-center platforms. Default: unset.
	ContactCenterConfig *ContactCenterConfig `json:"contactCenterConfig,omitzero"`
	// AuthProvidersConfig configures the sign-in providers. Replaces the
	// deprecated defaultOAuthConfig and supportedAuthenticationSchemes. Default: unset.
	AuthProvidersConfig *AuthProvidersConfig `json:"authProvidersConfig,omitzero"`
}
