package advancedoptions

import (
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/softphone/softphone/internal/didyoumean"
)

// aadHosts are the Microsoft Entra (Azure AD) authority hosts MSAL trusts
// without knownAuthorities: the public, US government and China clouds.
var aadHosts = map[string]bool{
	"login.microsoftonline.com": true, "login.microsoftonline.us": true,
	"login.chinacloudapi.cn": true, "login.partner.microsoftonline.cn": true,
}

var guidRE = regexp.MustCompile(`^(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// auth checks authProvidersConfig and its references to integrations.
func (v *validator) auth(o *Options) {
	ap := o.AuthProvidersConfig
	if ap == nil {
		return
	}
	base := p("authProvidersConfig")
	services := map[string]Integration{}
	if cc := o.ContactCenterConfig; cc != nil {
		for _, in := range cc.Integrations {
			services[in.ServiceName] = in
		}
	}
	names := map[string]int{}
	for i := range ap.Providers {
		pr := &ap.Providers[i]
		ip := idx(base+".providers", i)
		switch {
		case pr.ProviderLoginName == "":
			v.errorf(ip+".providerLoginName", "must be set: it names the provider in Account Settings")
		default:
			if j, dup := names[pr.ProviderLoginName]; dup {
				v.errorf(ip+".providerLoginName", "must be unique, %q is also providers[%d]", pr.ProviderLoginName, j)
			} else {
				names[pr.ProviderLoginName] = i
			}
			if _, clash := services[pr.ProviderLoginName]; clash {
				v.errorf(ip+".providerLoginName", "%q is also the serviceName of a contact-center integration; mandatoryProviderLoginName could not tell them apart", pr.ProviderLoginName)
			}
		}
		v.provider(ip, pr)
	}
	m := ap.MandatoryProviderLoginName
	if m == "" {
		return
	}
	mp := base + ".mandatoryProviderLoginName"
	if _, ok := names[m]; ok {
		return
	}
	if in, ok := services[m]; ok {
		switch {
		case !in.signsIn():
			v.errorf(mp, "names integration %q, which does not sign users in (only genesys_cloud does)", m)
		case in.Enabled == nil || !*in.Enabled:
			v.errorf(mp, "names integration %q, which is not enabled", m)
		}
		return
	}
	var known []string
	for _, pr := range ap.Providers {
		known = append(known, pr.ProviderLoginName)
	}
	for name, in := range services {
		if in.signsIn() {
			known = append(known, name)
		}
	}
	slices.Sort(known)
	msg := "must be the providerLoginName of a provider or the serviceName of a signing-in integration, got %q"
	if s := didyoumean.Closest(m, known); s != "" {
		msg += ", did you mean \"" + s + "\"?"
	}
	v.errorf(mp, msg, m)
}

// provider checks one authentication provider.
func (v *validator) provider(ip string, pr *AuthProvider) {
	v.oneOf(ip+".providerType", pr.ProviderType, ProviderAAD, ProviderKeycloak, ProviderOIDC)
	if pr.ClientID == "" {
		v.errorf(ip+".clientId", "must be set: the client application id registered with the provider")
	}
	if pr.ProviderType == ProviderKeycloak && pr.Realm == "" {
		v.errorf(ip+".realm", "must be set for providerType \"Keycloak\"")
	}
	if pr.Authority == "" {
		v.errorf(ip+".authority", "must be set: the https:// URL tokens are obtained from")
	} else if u := v.httpsURL(ip+".authority", pr.Authority); u != nil && pr.ProviderType == ProviderAAD {
		v.aadAuthority(ip, pr, u)
	}
	if pr.EndpointURL != "" {
		v.httpsURL(ip+".endpointUrl", pr.EndpointURL)
	}
	if pr.RedirectURI != "" {
		v.httpsURL(ip+".redirectUri", pr.RedirectURI)
	}
	for i, ka := range pr.KnownAuthorities {
		h := ka
		if strings.Contains(ka, "://") {
			if u := v.httpsURL(idx(ip+".knownAuthorities", i), ka); u == nil {
				continue
			} else {
				h = u.Hostname()
			}
		}
		if !validHost(h) {
			v.errorf(idx(ip+".knownAuthorities", i), "must be a host name such as \"contoso.b2clogin.com\", got %q", ka)
		}
	}
	for i, s := range pr.RequestScopes {
		if s == "" || strings.ContainsAny(s, " \t\r\n\"\\") {
			v.errorf(idx(ip+".requestScopes", i), "must be one scope without spaces or quotes, got %q", s)
		}
	}
	for _, kv := range [][2]string{{"userInfoUrlRelativePath", pr.UserInfoURLRelativePath}, {"tokenRevocationRelativePath", pr.TokenRevocationRelativePath}} {
		if strings.Contains(kv[1], "://") || strings.HasPrefix(kv[1], "//") || strings.ContainsAny(kv[1], " \t\r\n") {
			v.errorf(ip+"."+kv[0], "must be a relative path such as \"/me\", got %q", kv[1])
		}
	}
	if v.oneOf(ip+".cacheLocation", pr.CacheLocation, "localStorage", "sessionStorage", "memoryStorage") && pr.CacheLocation == "localStorage" {
		v.warnf(ip+".cacheLocation", "tokens cached in localStorage outlive the browser session and are readable by any script on the site; sessionStorage or memoryStorage is safer")
	}
}

// aadAuthority checks an Azure AD authority: a trusted Microsoft host with a
// tenant, or a host listed in knownAuthorities.
func (v *validator) aadAuthority(ip string, pr *AuthProvider, u *url.URL) {
	host := strings.ToLower(u.Hostname())
	if !aadHosts[host] {
		for _, ka := range pr.KnownAuthorities {
			if strings.EqualFold(ka, host) {
				return
			}
			if ku, err := url.Parse(ka); err == nil && strings.EqualFold(ku.Hostname(), host) {
				return
			}
		}
		v.errorf(ip+".knownAuthorities", "must list %q: for providerType \"AAD\", an authority other than https://login.microsoftonline.com must be a known authority", host)
		return
	}
	tenant := strings.Trim(u.Path, "/")
	tenant = strings.TrimSuffix(tenant, "/v2.0")
	switch {
	case tenant == "common", tenant == "organizations", tenant == "consumers", guidRE.MatchString(tenant):
	case strings.Contains(tenant, ".") && validHost(tenant):
	default:
		v.errorf(ip+".authority", "must be https://%s/<tenant-id> (a tenant GUID, a tenant domain, or common/organizations/consumers), got %q", host, pr.Authority)
	}
}
