package advancedoptions

// ServerConfig is defaultServerConfig: the default SIP server configuration.
type ServerConfig struct {
	// SIPDomain is the domain used in SIP messages (INVITE, REGISTER), e.g.
	// "example.com". Default: unset.
	SIPDomain string `json:"sipDomain,omitzero"`
	// SIPServerAddress lists the SBC WebSocket URLs, each wss:// (ws:// is
	// accepted with a warning), unique. Default: unset.
	SIPServerAddress []string `json:"sipServerAddress,omitzero"`
	// Prioritize tries SIPServerAddress in order when true, at random when
	// false. Default: unset (client default).
	Prioritize *bool `json:"prioritize,omitzero"`
	// SIPIceServers lists ICE servers as stun:, turn: or turns: URLs.
	// Recommended empty. The manual's spelling sipIpsServers and bare
	// host:port entries are migrated. Default: unset.
	SIPIceServers []string `json:"sipIceServers,omitzero"`
	// BackupSIPServerAddress lists backup SBC URLs (as SIPServerAddress,
	// disjoint from it); when set, dual registration is enabled. Default: [] (disabled).
	BackupSIPServerAddress []string `json:"backupSipServerAddress,omitzero"`
	// GUIEnabled shows the server settings in the client GUI. Default: true.
	GUIEnabled *bool `json:"guiEnabled,omitzero"`
	// DisableEditing forbids users to edit the server settings. Default: false.
	DisableEditing *bool `json:"disableEditing,omitzero"`
}

// StorageConfig is storageConfig: client storage and caching.
type StorageConfig struct {
	// Location is the web storage the client caches user data and
	// authentication state in: "localStorage" (persistent) or "sessionStorage"
	// (tab lifetime). Default: unset (client default).
	Location string `json:"location,omitzero"`
}
