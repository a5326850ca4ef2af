package advancedoptions

// ACDClientConfig configures contact-center agent ACD support.
type ACDClientConfig struct {
	// Enabled turns Automatic Call Distribution on. Default: unset (client default).
	Enabled *bool `json:"enabled,omitzero"`
	// NotReadyDefaultReasonCode is the code used when the client goes to
	// "not ready" by itself; one of NotReadyReasonCodeMapping or another.
	// Replaces the deprecated notReadyStatusValue. Default: unset.
	NotReadyDefaultReasonCode string `json:"notReadyDefaultReasonCode,omitzero"`
	// NotReadyReasonCodeMapping maps the selectable not-ready codes to the
	// text shown; order and case are kept. Default: unset.
	NotReadyReasonCodeMapping Mapping `json:"notReadyReasonCodeMapping,omitzero"`
}

// SIPAccountGUIConfig is sipAccountGUIConfig: display and editing of SIP account details.
type SIPAccountGUIConfig struct {
	// SIPDisplayNameHidden hides the SIP display name altogether. Default: false.
	SIPDisplayNameHidden *bool `json:"sipDisplayNameHidden,omitzero"`
	// SIPDisplayNameDisabled forbids editing the SIP display name in Settings. Default: false.
	SIPDisplayNameDisabled *bool `json:"sipDisplayNameDisabled,omitzero"`
}

// NotificationOptions is notificationOptions.
type NotificationOptions struct {
	// FocusWindowOnClick focuses the client's tab when one of its browser
	// notifications is clicked. Default: true.
	FocusWindowOnClick *bool `json:"focusWindowOnClick,omitzero"`
	// Autoplay configures the warning shown when the browser blocks
	// auto-play. When unset, no warning is shown. Replaces the deprecated
	// autoplayNotificationOptions.
	Autoplay *AutoplayNotification `json:"autoplay,omitzero"`
}

// AutoplayNotification is notificationOptions.autoplay.
type AutoplayNotification struct {
	// ShowAutoplayDisabledAlert shows an alert on the page at load. Default: true.
	ShowAutoplayDisabledAlert *bool `json:"showAutoplayDisabledAlert,omitzero"`
	// ShowAutoplayDisabledNotification shows a browser notification at load
	// (Chrome, Edge and Safari). Default: true.
	ShowAutoplayDisabledNotification *bool `json:"showAutoplayDisabledNotification,omitzero"`
}

// AutoAnswerOptions is autoAnswerOptions.
type AutoAnswerOptions struct {
	// AnswerDelayedOfferWithVideo answers an auto-answered offer without SDP
	// with video. Default: false.
	AnswerDelayedOfferWithVideo *bool `json:"answerDelayedOfferWithVideo,omitzero"`
	// AutoAnswerDefaultDelaySeconds is the delay before an eligible call is
	// auto-answered, in seconds, 0 to 300. Default: 0.
	AutoAnswerDefaultDelaySeconds *int `json:"autoAnswerDefaultDelaySeconds,omitzero"`
}

// CallHistoryConfig is callHistoryConfig.
type CallHistoryConfig struct {
	// MaxEntries is the maximum number of call history entries per user,
	// 1 to 100000. Replaces the deprecated maxSizeForCallHistory. Default: 100.
	MaxEntries *int `json:"maxEntries,omitzero"`
	// GUIEnabled shows the call history GUI. Default: true.
	GUIEnabled *bool `json:"guiEnabled,omitzero"`
}

// LayoutConfig is layoutConfig.
type LayoutConfig struct {
	// AlwaysShowFullCallsList keeps the calls list expanded, showing every
	// call; when false it may collapse to the focused call. Default: false.
	AlwaysShowFullCallsList *bool `json:"alwaysShowFullCallsList,omitzero"`
}

// Modes are miscellaneous patches to the SIP/WebRTC stack.
type Modes struct {
	// CacheRegisterAuthMode reuses the SIP Authorization header for REGISTER
	// refreshes, so refreshes are not challenged each time. Default: true.
	CacheRegisterAuthMode *bool `json:"cache_register_auth_mode,omitzero"`
	// ICETimeoutFix is the ICE candidate gathering timeout in milliseconds,
	// 100 to 60000. Default: 2000.
	ICETimeoutFix *int `json:"ice_timeout_fix,omitzero"`
}

// AgentAssistConversationConfig is agentAssistDefaultConversationConfig.
type AgentAssistConversationConfig struct {
	// DefaultRoles names the conversation's participants.
	DefaultRoles *AgentAssistRoles `json:"defaultRoles,omitzero"`
}

// AgentAssistRoles tell which party speaks when a transcript message arrives.
type AgentAssistRoles struct {
	// Caller is the caller's participant name, typically "participant". Default: unset.
	Caller string `json:"caller,omitzero"`
	// Callee is the callee's participant name, typically "participant-2". Default: unset.
	Callee string `json:"callee,omitzero"`
}
