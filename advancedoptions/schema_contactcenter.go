package advancedoptions

// Contact-center platforms (contactCenterPlatform values).
const (
	PlatformGenesysCloud      = "genesys_cloud"
	PlatformGenesysPureEngage = "genesys_pure_engage"
)

// ContactCenterConfig is contactCenterConfig: integrations with contact-center platforms.
type ContactCenterConfig struct {
	// Integrations lists the integrations; serviceName is unique. Default: unset.
	Integrations []Integration `json:"integrations,omitzero"`
	// DefaultSipHeaderNames are the SIP header names used where an
	// integration sets none. Default: unset (client default).
	DefaultSipHeaderNames *SipHeaderNames `json:"defaultSipHeaderNames,omitzero"`
}

// Integration is one contact-center integration.
type Integration struct {
	// Enabled makes the integration available in the client. Default: false.
	Enabled *bool `json:"enabled,omitzero"`
	// ContactCenterPlatform is "genesys_cloud" or "genesys_pure_engage"
	// (the manual's "genesys cloud" and "genesys pure engage" are migrated). Required.
	ContactCenterPlatform string `json:"contactCenterPlatform,omitzero"`
	// ServiceName names the integration, unique among integrations and
	// distinct from every providerLoginName. Required.
	ServiceName string `json:"serviceName,omitzero"`
	// Environment is the Genesys Cloud region domain, e.g. "usw2.pure.cloud"
	// or "mypurecloud.com". Required for genesys_cloud, not allowed otherwise.
	Environment string `json:"environment,omitzero"`
	// ClientID is the Genesys Cloud OAuth client id (implicit grant).
	// Required for genesys_cloud, not allowed otherwise.
	ClientID string `json:"clientId,omitzero"`
	// RedirectURI is the Genesys Cloud OAuth redirect URI; empty for the
	// client's current URL. Only for genesys_cloud. Default: unset.
	RedirectURI string `json:"redirectUri,omitzero"`
	// CustomSipHeaderNames are the SIP header names significant for this
	// platform. Default: unset.
	CustomSipHeaderNames *SipHeaderNames `json:"customSipHeaderNames,omitzero"`
}

// SipHeaderNames name SIP headers with a meaning for contact-center integrations.
type SipHeaderNames struct {
	// ContactCenterCallUUIDHeader carries the call UUID of the platform,
	// e.g. "x-genesys-calluuid". Default: unset.
	ContactCenterCallUUIDHeader string `json:"contactCenterCallUuidHeader,omitzero"`
	// ContactCenterCallUserInfoHeader carries a customer-info JSON value,
	// e.g. "x-customer-info". Default: unset.
	ContactCenterCallUserInfoHeader string `json:"contactCenterCallUserInfoHeader,omitzero"`
}
