package advancedoptions

import "strings"

// contactCenter checks contactCenterConfig.
func (v *validator) contactCenter(cc *ContactCenterConfig) {
	if cc == nil {
		return
	}
	base := p("contactCenterConfig")
	v.sipHeaderNames(base+".defaultSipHeaderNames", cc.DefaultSipHeaderNames)
	names := map[string]int{}
	for i, in := range cc.Integrations {
		ip := idx(base+".integrations", i)
		if in.ContactCenterPlatform == "" {
			v.errorf(ip+".contactCenterPlatform", "must be set to %s", quoteList([]string{PlatformGenesysCloud, PlatformGenesysPureEngage}))
		} else {
			v.oneOf(ip+".contactCenterPlatform", in.ContactCenterPlatform, PlatformGenesysCloud, PlatformGenesysPureEngage)
		}
		if in.ServiceName == "" {
			v.errorf(ip+".serviceName", "must be set: it names the integration in the client")
		} else if j, dup := names[in.ServiceName]; dup {
			v.errorf(ip+".serviceName", "must be unique, %q is also integrations[%d]", in.ServiceName, j)
		} else {
			names[in.ServiceName] = i
		}
		switch in.ContactCenterPlatform {
		case PlatformGenesysCloud:
			if in.Environment == "" {
				v.errorf(ip+".environment", "must be set for genesys_cloud: the region domain such as \"usw2.pure.cloud\" or \"mypurecloud.com\"")
			} else if !validGenesysEnvironment(in.Environment) {
				v.errorf(ip+".environment", "must be a Genesys Cloud region domain such as \"usw2.pure.cloud\" or \"mypurecloud.com\" (no scheme, no path), got %q", in.Environment)
			}
			if in.ClientID == "" {
				v.errorf(ip+".clientId", "must be set for genesys_cloud: the OAuth client id of the integration")
			}
			if in.RedirectURI != "" {
				v.httpsURL(ip+".redirectUri", in.RedirectURI)
			}
		case PlatformGenesysPureEngage:
			for _, kv := range [][2]string{{"environment", in.Environment}, {"clientId", in.ClientID}, {"redirectUri", in.RedirectURI}} {
				if kv[1] != "" {
					v.errorf(ip+"."+kv[0], "is for genesys_cloud sign-in only, not genesys_pure_engage")
				}
			}
		}
		v.sipHeaderNames(ip+".customSipHeaderNames", in.CustomSipHeaderNames)
	}
}

func (v *validator) sipHeaderNames(path string, h *SipHeaderNames) {
	if h == nil {
		return
	}
	v.headerName(path+".contactCenterCallUuidHeader", h.ContactCenterCallUUIDHeader)
	v.headerName(path+".contactCenterCallUserInfoHeader", h.ContactCenterCallUserInfoHeader)
}

// validGenesysEnvironment reports whether env is a bare domain with at least two labels.
func validGenesysEnvironment(env string) bool {
	return strings.Contains(env, ".") && !strings.HasSuffix(env, ".") && validHost(env) && !strings.ContainsAny(env, ":/")
}

// signsIn reports whether the integration can serve as a sign-in provider.
func (in Integration) signsIn() bool {
	return in.ContactCenterPlatform == PlatformGenesysCloud
}
