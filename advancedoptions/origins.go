package advancedoptions

import (
	"net/url"
	"slices"
	"strings"
)

// connectOrigins lists the origins the client connects to (SBCs, sign-in
// providers, Genesys Cloud, Agent Assist, an absolute text resource URL), as
// scheme://host[:port], sorted and unique: the connect-src of the site's
// Content-Security-Policy.
func connectOrigins(o *Options) []string {
	var out []string
	add := func(raw string) {
		if !strings.Contains(raw, "://") {
			return
		}
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return
		}
		switch strings.ToLower(u.Scheme) {
		case "https", "wss", "http", "ws":
			out = append(out, origin(u))
		}
	}
	if sc := o.DefaultServerConfig; sc != nil {
		for _, s := range sc.SIPServerAddress {
			add(s)
		}
		for _, s := range sc.BackupSIPServerAddress {
			add(s)
		}
	}
	if ap := o.AuthProvidersConfig; ap != nil {
		for _, pr := range ap.Providers {
			add(pr.Authority)
			add(pr.EndpointURL)
		}
	}
	if cc := o.ContactCenterConfig; cc != nil {
		for _, in := range cc.Integrations {
			if in.ContactCenterPlatform == PlatformGenesysCloud && validGenesysEnvironment(in.Environment) {
				add("https://login." + in.Environment)
				add("https://api." + in.Environment)
			}
		}
	}
	// The Agent Assist client is socket.io: it polls over http(s) and
	// upgrades to a WebSocket on the same host, so both schemes are listed
	// (CSP Level 3 lets https: match wss:, older browsers do not).
	add(o.AgentAssistDefaultServiceUrl)
	if u, err := url.Parse(o.AgentAssistDefaultServiceUrl); err == nil && u.Host != "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			add("wss://" + u.Host)
		case "http":
			add("ws://" + u.Host)
		case "wss":
			add("https://" + u.Host)
		case "ws":
			add("http://" + u.Host)
		}
	}
	if lc := o.LocalizationConfig; lc != nil {
		add(lc.DefaultLanguageResourceURL)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
