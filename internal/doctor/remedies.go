package doctor

// Remedies printed under a failed doctor check. They follow the vendor
// manual's "Troubleshooting Client Connections" chapter, which is where
// agents end up when their phone does not register.
const (
	remedyURL = "Fix the address in advancedOptions: an SBC address is a wss:// URL with the SBC's FQDN and WebSocket port, " +
		"such as wss://sbc.example.com:10081."
	remedyPlainWS = "Browsers refuse ws:// from a page served over https:// (mixed content). Enable a TLS WebSocket " +
		"listener on the SBC and list it as wss://."
	remedyDNS = "The SBC's FQDN must resolve on the agents' machines, through public or internal DNS. Check the " +
		"name for typos and that the DNS the agents use has a record for it."
	remedyTCP = "Nothing answers on this host and port. Check that the SBC's WebRTC (WebSocket) SIP interface " +
		"listens on it, and that firewalls between the agents and the SBC let TCP to it through."
	remedyHandshake = "The TLS handshake failed. Check that the port is the SBC's TLS WebSocket interface (not plain " +
		"SIP or ws://) and that its TLS context has a certificate and allows TLS 1.2 or later."
	remedyChain = "It is highly recommended to use a certificate issued by a public CA for the SBC. A certificate " +
		"from an internal CA works only when the browsers' trusted root certificate store on every agent's machine " +
		"holds a certificate of the same chain: install the internal root CA there (and check from here with " +
		"--ca FILE). Also make sure the SBC sends its intermediate certificates."
	remedySAN = "The certificate must contain the SBC's FQDN, and that name must be in the Subject Alternative " +
		"Name (SAN) extension: browsers ignore the Common Name. Reissue the SBC certificate with SAN DNS:<fqdn>, " +
		"or list the SBC under a name the certificate covers."
	remedyExpired = "Renew the SBC's certificate and load it into the SBC's TLS context; browsers refuse an expired " +
		"certificate and the agents' phones cannot connect."
	remedyExpiring    = "Renew the SBC's certificate before it expires; on that day every agent's phone stops connecting."
	remedyNotYetValid = "The certificate is not valid yet: check the clocks of the SBC's CA and of this machine."
	remedyWebSocket   = "The SBC must accept a WebSocket upgrade with the \"sip\" subprotocol (RFC 7118) at this URL. " +
		"Check the SBC's WebSocket SIP interface and the path, and that any proxy or load balancer in front passes " +
		"the Upgrade and Connection headers."
	remedyDiscovery = "The client signs in through this provider's OpenID Connect metadata. Check the authority " +
		"(AAD: https://login.microsoftonline.com/<tenant-id>; Keycloak: the server URL, with the realm in realm; " +
		"OIDC: the issuer URL) and that agents' machines can reach it over HTTPS with a certificate from a public " +
		"CA, or one their browsers trust."
	remedyJWKS = "The provider's discovery document names a jwks_uri that does not serve its signing keys. Check the " +
		"provider's configuration and that agents' machines can reach that URL over HTTPS."
	remedyHTTPSCert = "Use a valid certificate issued by a public CA for this service. With a self-signed or internal " +
		"CA certificate, browsers must be set to trust it (install the CA on the agents' machines)."
	remedySTUN = "No STUN binding response from this ICE server. Check the address and port and that UDP (or TCP " +
		"for ?transport=tcp) to it is allowed. The manual recommends leaving sipIceServers empty unless required."
)
