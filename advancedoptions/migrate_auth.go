package advancedoptions

import (
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/softphone/softphone/internal/yamlnode"
)

// Legacy authentication scheme values of supportedAuthenticationSchemes.
const (
	schemeUserPassword          = "user-password"
	schemeOAuth                 = "oauth"
	schemeUserPasswordFromOAuth = "user-password_from_oauth"
)

// providerKeys are the authProvidersConfig.providers[] keys in schema order,
// the order the migrated provider is written in.
func providerKeys() []string {
	return schemaFields(reflect.TypeFor[AuthProvider]()).names
}

// carriedOAuthKeys are defaultOAuthConfig keys that keep their name and
// meaning in a provider ("all other properties ... set similarly").
var carriedOAuthKeys = []string{
	"providerLoginName", "authority", "endpointUrl", "realm", "clientId", "redirectUri",
	"knownAuthorities", "requestScopes", "userInfoUrlRelativePath",
	"tokenRevocationRelativePath", "cacheLocation",
}

// auth migrates defaultOAuthConfig and supportedAuthenticationSchemes into
// authProvidersConfig, following the manual's "Migrating to the new
// configuration":
//   - providerType: "Keycloak" when mechanismType is "keycloak", else protocolMode;
//   - authority: msal.authority (msal) or keycloak.oAuthUrl (keycloak);
//   - realm: keycloak.realm; authRefreshRetriesForSipError: accessTokenRefreshRetries;
//   - forceLoginPromptOnEmptyCache as is; sipAttributes: msal.SIP_DN_Attribute_name
//     and msal.SIP_Password_Attribute_name; redirectUri: msal.redirectUri;
//   - other provider keys (clientId, endpointUrl...) as they are;
//   - without "user-password" among the schemes, the provider becomes
//     mandatoryProviderLoginName; with it, there is no mandatory provider.
func (m *migrator) auth(root *yaml.Node) {
	ok, oauth := lookupKey(root, "defaultOAuthConfig")
	sk, schemes := lookupKey(root, "supportedAuthenticationSchemes")
	if ok == nil && sk == nil {
		return
	}
	removeKey(root, "defaultOAuthConfig")
	removeKey(root, "supportedAuthenticationSchemes")
	newPath := p("authProvidersConfig")
	if isSet(child(root, "authProvidersConfig")) {
		if isSet(oauth) {
			m.warnf(ok, p("defaultOAuthConfig"), "is deprecated and ignored, because %s is set", newPath)
		}
		if isSet(schemes) {
			m.warnf(sk, p("supportedAuthenticationSchemes"), "is deprecated and ignored, because %s is set", newPath)
		}
		return
	}
	var provider *yaml.Node
	if isSet(oauth) {
		if oauth.Kind != yaml.MappingNode {
			m.errorf(oauth, p("defaultOAuthConfig"), "must be a mapping, got %s", yamlnode.Describe(oauth))
			return
		}
		provider = m.oauthProvider(oauth)
	}
	mandatory := m.schemes(sk, schemes, provider)
	if provider == nil && mandatory == nil {
		return
	}
	ap := mapNode()
	if mandatory != nil {
		setKey(ap, "mandatoryProviderLoginName", mandatory)
	}
	if provider != nil {
		setKey(ap, "providers", seqNode(provider))
	}
	setKey(root, "authProvidersConfig", ap)
}

// oauthProvider builds the provider entry from defaultOAuthConfig.
func (m *migrator) oauthProvider(oauth *yaml.Node) *yaml.Node {
	base := p("defaultOAuthConfig")
	to := idx(p("authProvidersConfig", "providers"), 0)
	out := map[string]*yaml.Node{}
	used := map[string]bool{}
	take := func(from *yaml.Node, fromPath, key, newKey string) {
		_, v := lookupKey(from, key)
		used[fromPath+"."+key] = true
		if !isSet(v) || out[newKey] != nil {
			return
		}
		out[newKey] = v
		m.record(fromPath+"."+key, to+"."+newKey, v)
	}
	mech := strings.ToLower(scalar(child(oauth, "mechanismType")))
	used[base+".mechanismType"] = true
	msal, keycloak := child(oauth, "msal"), child(oauth, "keycloak")
	msalPath, kcPath := base+".msal", base+".keycloak"
	if mech == "keycloak" {
		kn, _ := lookupKey(oauth, "mechanismType")
		out["providerType"] = strNode(ProviderKeycloak)
		out["providerType"].Line, out["providerType"].Column = kn.Line, kn.Column
		m.record(base+".mechanismType", to+".providerType", out["providerType"])
		used[base+".protocolMode"] = true
		take(keycloak, kcPath, "oAuthUrl", "authority")
		take(keycloak, kcPath, "realm", "realm")
		take(keycloak, kcPath, "clientId", "clientId")
	} else {
		if _, pm := lookupKey(oauth, "protocolMode"); isSet(pm) && pm.Kind == yaml.ScalarNode {
			for _, t := range []string{ProviderAAD, ProviderKeycloak, ProviderOIDC} {
				if strings.EqualFold(pm.Value, t) {
					pm.Value = t
				}
			}
		}
		take(oauth, base, "protocolMode", "providerType")
		take(msal, msalPath, "authority", "authority")
		take(msal, msalPath, "clientId", "clientId")
		take(msal, msalPath, "redirectUri", "redirectUri")
	}
	take(oauth, base, "accessTokenRefreshRetries", "authRefreshRetriesForSipError")
	take(oauth, base, "forceLoginPromptOnEmptyCache", "forceLoginPromptOnEmptyCache")
	sip := mapNode()
	for _, attr := range []string{"SIP_DN_Attribute_name", "SIP_Password_Attribute_name"} {
		used[msalPath+"."+attr] = true
		if _, v := lookupKey(msal, attr); isSet(v) {
			setKey(sip, attr, v)
			m.record(msalPath+"."+attr, to+".sipAttributes."+attr, v)
		}
	}
	if len(sip.Content) > 0 {
		out["sipAttributes"] = sip
	}
	for _, k := range carriedOAuthKeys {
		take(oauth, base, k, k)
	}
	if out["providerLoginName"] == nil {
		out["providerLoginName"] = strNode(defaultProviderName(scalar(out["providerType"])))
		m.record(base, to+".providerLoginName", out["providerLoginName"])
	}
	// Whatever is left has no counterpart; say so rather than drop it silently.
	m.leftovers(oauth, base, used)
	if mech == "keycloak" {
		m.leftovers(keycloak, kcPath, used)
		if kn, v := lookupKey(oauth, "msal"); isSet(v) {
			m.warnf(kn, msalPath, "is ignored: mechanismType is \"keycloak\"")
		}
	} else {
		m.leftovers(msal, msalPath, used)
		if kn, v := lookupKey(oauth, "keycloak"); isSet(v) {
			m.warnf(kn, kcPath, "is ignored: mechanismType is not \"keycloak\"")
		}
	}
	used[msalPath], used[kcPath] = true, true
	prov := mapNode()
	prov.Line, prov.Column = oauth.Line, oauth.Column
	for _, k := range providerKeys() {
		if v := out[k]; v != nil {
			setKey(prov, k, v)
		}
	}
	return prov
}

// leftovers warns about keys of n not consumed by the migration.
func (m *migrator) leftovers(n *yaml.Node, path string, used map[string]bool) {
	if n == nil || n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		kp := path + "." + k.Value
		if used[kp] || k.Value == "msal" || k.Value == "keycloak" {
			continue
		}
		if isSet(n.Content[i+1]) {
			m.warnf(k, kp, "has no counterpart in authProvidersConfig and was dropped")
		}
	}
}

// schemes maps supportedAuthenticationSchemes to mandatoryProviderLoginName:
// the provider's name when "user-password" is not allowed, nothing otherwise.
func (m *migrator) schemes(kn, schemes, provider *yaml.Node) *yaml.Node {
	if !isSet(schemes) {
		return nil
	}
	path := p("supportedAuthenticationSchemes")
	if schemes.Kind != yaml.SequenceNode {
		m.errorf(schemes, path, "must be a list, got %s", yamlnode.Describe(schemes))
		return nil
	}
	allowed := []string{schemeUserPassword, schemeOAuth, schemeUserPasswordFromOAuth}
	var vals []string
	for i, s := range schemes.Content {
		v := scalar(s)
		if !slices.Contains(allowed, v) {
			m.errorf(s, idx(path, i), "must be one of %s, got %s", quoteList(allowed), yamlnode.Describe(s))
			continue
		}
		vals = append(vals, v)
	}
	newPath := p("authProvidersConfig", "mandatoryProviderLoginName")
	switch {
	case len(vals) == 0:
		m.warnf(kn, path, "lists no scheme and was dropped")
		return nil
	case slices.Contains(vals, schemeUserPassword):
		m.record(path, newPath, nil) // user-password sign-in: no mandatory provider
		return nil
	case provider == nil:
		m.warnf(kn, path, "allows only OAuth sign-in, but there is no defaultOAuthConfig to make the mandatory provider; dropped")
		return nil
	}
	name := child(provider, "providerLoginName")
	mandatory := strNode(name.Value)
	mandatory.Line, mandatory.Column = kn.Line, kn.Column
	m.record(path, newPath, mandatory)
	return mandatory
}

// defaultProviderName names a migrated provider after its type.
func defaultProviderName(providerType string) string {
	switch providerType {
	case ProviderKeycloak:
		return "Keycloak"
	case ProviderOIDC:
		return "OpenID Connect"
	default:
		return "Azure Active Directory"
	}
}

// scalar is the value of a scalar node, or "".
func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}
