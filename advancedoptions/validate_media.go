package advancedoptions

import "strings"

// media checks VDI, device, codec and localization settings.
func (v *validator) media(o *Options) {
	// "citrix" is legal but not implemented: the client contract warns.
	if vdi := o.VDIIntegrationConfig; vdi != nil {
		v.oneOf(p("VDIIntegrationConfig", "vdiSolutionType"), vdi.VDISolutionType, "none", "citrix")
	}
	if md := o.MediaDeviceSettings; md != nil {
		path := p("mediaDeviceSettings", "deviceCategories")
		if md.DeviceCategories != nil && len(md.DeviceCategories) == 0 {
			v.errorf(path, "must list at least one of %s, got an empty list", quoteList(DefaultDeviceCategories()))
		}
		seen := map[string]int{}
		for i, c := range md.DeviceCategories {
			if !v.oneOf(idx(path, i), c, DefaultDeviceCategories()...) {
				continue
			}
			if j, dup := seen[c]; dup {
				v.errorf(idx(path, i), "must be unique, %q is also [%d]", c, j)
			}
			seen[c] = i
		}
	}
	if cf := o.CodecFilter; cf != nil {
		v.codecs(p("codecFilter", "audio"), cf.Audio)
		v.codecs(p("codecFilter", "video"), cf.Video)
	}
	if lc := o.LocalizationConfig; lc != nil && lc.DefaultLanguageResourceURL != "" {
		path, u := p("localizationConfig", "defaultLanguageResourceURL"), lc.DefaultLanguageResourceURL
		if strings.Contains(u, "://") || strings.HasPrefix(u, "//") {
			v.httpsURL(path, u)
		} else if strings.ContainsAny(u, " \t\r\n\\") {
			v.errorf(path, "must be a path on this site or an https:// URL, got %q", u)
		}
	}
}

// codecs checks one codec rule set: names set, unique, not both removed and prioritized.
func (v *validator) codecs(path string, r *CodecRules) {
	if r == nil {
		return
	}
	removed := map[string]bool{}
	for _, kl := range []struct {
		key  string
		list []string
	}{{"remove", r.Remove}, {"priority", r.Priority}} {
		key, list := kl.key, kl.list
		seen := map[string]int{}
		for i, c := range list {
			ip := idx(path+"."+key, i)
			lc := strings.ToLower(strings.TrimSpace(c))
			if lc == "" || strings.ContainsAny(lc, " \t/") {
				v.errorf(ip, "must be a codec name such as \"opus\" or \"pcma\", got %q", c)
				continue
			}
			if j, dup := seen[lc]; dup {
				v.errorf(ip, "must be unique, %q is also [%d]", c, j)
			}
			seen[lc] = i
			if key == "remove" {
				removed[lc] = true
			}
		}
	}
	for i, c := range r.Priority {
		if removed[strings.ToLower(strings.TrimSpace(c))] {
			v.errorf(idx(path+".priority", i), "codec %q is also in remove; a codec cannot be both removed and prioritized", c)
		}
	}
}

// agentAssist checks the Agent Assist keys.
func (v *validator) agentAssist(o *Options) {
	if o.AgentAssistDefaultServiceUrl != "" {
		path := p("agentAssistDefaultServiceUrl")
		if _, err := parseAbsURL(o.AgentAssistDefaultServiceUrl, "an https:// or wss:// URL", "https", "wss", "http", "ws"); err != nil {
			v.errorf(path, "%v", err)
		} else if s := strings.ToLower(o.AgentAssistDefaultServiceUrl); strings.HasPrefix(s, "http:") || strings.HasPrefix(s, "ws:") {
			v.warnf(path, "unencrypted URL %q: call transcripts would travel in clear; use https://", o.AgentAssistDefaultServiceUrl)
		}
	}
	if sp := o.AgentAssistDefaultServicePath; sp != "" && (!strings.HasPrefix(sp, "/") || strings.ContainsAny(sp, " ?#")) {
		v.errorf(p("agentAssistDefaultServicePath"), "must be a path starting with \"/\" such as \"/socket.io\", got %q", sp)
	}
	if o.IsAgentAssistEnabled != nil && *o.IsAgentAssistEnabled && o.AgentAssistDefaultServiceUrl == "" {
		v.errorf(p("agentAssistDefaultServiceUrl"), "must be set when isAgentAssistEnabled is true")
	}
}
