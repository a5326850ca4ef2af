package advancedoptions

// VDIIntegrationConfig configures integration with VDI solutions.
type VDIIntegrationConfig struct {
	// VDISolutionType is "none" or "citrix" (Citrix Workspace). This client
	// cannot redirect media through Citrix HDX: "citrix" is accepted with a
	// warning and changes nothing. Default: "none".
	VDISolutionType string `json:"vdiSolutionType,omitzero"`
}

// MediaDeviceSettings configures media device selection.
type MediaDeviceSettings struct {
	// DeviceCategories lists the allowed device categories, each one of
	// "microphone", "voiceoutput", "ringeroutput", "camera", without repeats.
	// Default: all four.
	DeviceCategories []string `json:"deviceCategories,omitzero"`
	// AllowMediaDeviceSelection lets the user choose input and output
	// devices. Default: false.
	AllowMediaDeviceSelection *bool `json:"allowMediaDeviceSelection,omitzero"`
	// DevicesMustBeSelectedByUser prompts the user to choose devices instead
	// of using the defaults. Default: false.
	DevicesMustBeSelectedByUser *bool `json:"devicesMustBeSelectedByUser,omitzero"`
}

// CodecFilter filters and orders codecs in generated SDP.
type CodecFilter struct {
	// Audio filters audio codecs. Default: unset.
	Audio *CodecRules `json:"audio,omitzero"`
	// Video filters video codecs. Default: unset.
	Video *CodecRules `json:"video,omitzero"`
}

// CodecRules remove and order codecs by name (e.g. "opus", "pcma").
type CodecRules struct {
	// Remove lists codec names to remove. A codec may not be both removed and prioritized. Default: unset.
	Remove []string `json:"remove,omitzero"`
	// Priority lists codec names in descending priority. Default: unset.
	Priority []string `json:"priority,omitzero"`
}

// LocalVideoFilter configures camera video filters.
type LocalVideoFilter struct {
	// VirtualBackgroundSupported offers virtual background settings to the
	// user. Replaces the deprecated supported. Default: unset (client default).
	VirtualBackgroundSupported *bool `json:"virtualBackgroundSupported,omitzero"`
	// MaxSizeForLocalBGImages is how many extra background images the user
	// may add, 0 to 100. Default: unset (client default).
	MaxSizeForLocalBGImages *int `json:"maxSizeForLocalBGImages,omitzero"`
}

// LocalizationConfig configures the client's text resource.
type LocalizationConfig struct {
	// DefaultLanguageResourceURL is an alternative location of the text
	// resource JSON: a path on this site or an https:// URL. Default: unset
	// (static/localization/strings-default.json).
	DefaultLanguageResourceURL string `json:"defaultLanguageResourceURL,omitzero"`
	// WaitForDefaultResourceFetch hides the GUI until a text resource is
	// loaded from cache or network. Default: unset (client default).
	WaitForDefaultResourceFetch *bool `json:"waitForDefaultResourceFetch,omitzero"`
}
