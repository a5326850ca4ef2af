package advancedoptions

// Authentication provider types (providerType values).
const (
	ProviderAAD      = "AAD"
	ProviderKeycloak = "Keycloak"
	ProviderOIDC     = "OIDC"
)

// AuthProvidersConfig is authProvidersConfig: the sign-in providers.
type AuthProvidersConfig struct {
	// MandatoryProviderLoginName names the provider the user must be signed
	// in to: a providerLoginName, or the serviceName of an enabled
	// integration that signs in (genesys_cloud). Empty allows user-password
	// SIP sign-in. Default: unset (no mandatory provider).
	MandatoryProviderLoginName string `json:"mandatoryProviderLoginName,omitzero"`
	// Providers lists the providers the user may sign in to. Default: unset.
	Providers []AuthProvider `json:"providers,omitzero"`
}

// AuthProvider is one OpenID Connect / OAuth 2.0 sign-in provider.
type AuthProvider struct {
	// ProviderLoginName is the name shown in Account Settings; unique. Required.
	ProviderLoginName string `json:"providerLoginName,omitzero"`
	// ProviderType is "AAD" (Azure Active Directory), "Keycloak" or "OIDC". Default: "AAD".
	ProviderType string `json:"providerType,omitzero"`
	// Authority is the https:// URL tokens are obtained from; for AAD
	// https://login.microsoftonline.com/<tenant-id or common>. Required.
	Authority string `json:"authority,omitzero"`
	// EndpointURL is the https:// identity API the token gives access to
	// (user profile). Default: https://graph.microsoft.com/v1.0 for AAD, the
	// authority for OIDC, unset for Keycloak.
	EndpointURL string `json:"endpointUrl,omitzero"`
	// Realm is the authentication realm. Required for Keycloak. Default: unset.
	Realm string `json:"realm,omitzero"`
	// ClientID is the client application's id at the provider. Required.
	ClientID string `json:"clientId,omitzero"`
	// RedirectURI must be registered as a single-page application redirect;
	// unset means the client's own URL. Default: unset.
	RedirectURI string `json:"redirectUri,omitzero"`
	// KnownAuthorities are the trusted authority hosts; required for AAD when
	// the authority is not login.microsoftonline.com. Default: unset.
	KnownAuthorities []string `json:"knownAuthorities,omitzero"`
	// RequestScopes are extra scopes for access tokens ("User.Read" is added
	// for AAD, "openid" otherwise). Default: unset.
	RequestScopes []string `json:"requestScopes,omitzero"`
	// AuthRefreshRetriesForSipError is how many times the token is refreshed
	// after a SIP registration authentication error, 0 to 100. Default: 5.
	AuthRefreshRetriesForSipError *int `json:"authRefreshRetriesForSipError,omitzero"`
	// ForceLoginPromptOnEmptyCache forces the login page when no cached
	// account exists, instead of reusing session cookies. Default: false.
	ForceLoginPromptOnEmptyCache *bool `json:"forceLoginPromptOnEmptyCache,omitzero"`
	// UserInfoURLRelativePath is appended to EndpointURL to get the user's
	// info. Default: "/me" for AAD, "openid-connect/userinfo" otherwise.
	UserInfoURLRelativePath string `json:"userInfoUrlRelativePath,omitzero"`
	// TokenRevocationRelativePath is appended to the authority to revoke the
	// session at sign-out; unset means no revocation. Default: unset.
	TokenRevocationRelativePath string `json:"tokenRevocationRelativePath,omitzero"`
	// CacheLocation is "localStorage" (warned: tokens outlive the browser
	// session), "sessionStorage" or "memoryStorage". Default: storageConfig.location.
	CacheLocation string `json:"cacheLocation,omitzero"`
	// SIPAttributes names the claims or profile attributes holding SIP
	// credentials. Default: unset (Bearer id-token as SIP authorization).
	SIPAttributes *SIPAttributes `json:"sipAttributes,omitzero"`
}

// SIPAttributes name the user attributes holding SIP credentials; names keep their case.
type SIPAttributes struct {
	// DNAttributeName is the claim/attribute with the directory number (SIP user name). Default: unset.
	DNAttributeName string `json:"SIP_DN_Attribute_name,omitzero"`
	// PasswordAttributeName is the claim/attribute with the SIP password;
	// unset means "Bearer <id-token>" authorizes SIP. Default: unset.
	PasswordAttributeName string `json:"SIP_Password_Attribute_name,omitzero"`
}
