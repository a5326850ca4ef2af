package advancedoptions

// Documented defaults that other code refers to.
const (
	defaultAADEndpointURL  = "https://graph.microsoft.com/v1.0"
	defaultAADUserInfoPath = "/me"
	defaultOIDCUserInfo    = "openid-connect/userinfo"
)

// DefaultDeviceCategories is the default of mediaDeviceSettings.deviceCategories.
func DefaultDeviceCategories() []string {
	return []string{"microphone", "voiceoutput", "ringeroutput", "camera"}
}

// SetDefaults fills in every default the manual documents, leaving set
// values alone. Keys without a documented default stay unset and are left
// out of the rendered file, so the client applies its own.
func (o *Options) SetDefaults() {
	sc := ensure(&o.DefaultServerConfig)
	if sc.BackupSIPServerAddress == nil {
		sc.BackupSIPServerAddress = []string{}
	}
	setDefault(&sc.GUIEnabled, true)
	setDefault(&sc.DisableEditing, false)

	ga := ensure(&o.SIPAccountGUIConfig)
	setDefault(&ga.SIPDisplayNameHidden, false)
	setDefault(&ga.SIPDisplayNameDisabled, false)

	no := ensure(&o.NotificationOptions)
	setDefault(&no.FocusWindowOnClick, true)
	if ap := no.Autoplay; ap != nil {
		setDefault(&ap.ShowAutoplayDisabledAlert, true)
		setDefault(&ap.ShowAutoplayDisabledNotification, true)
	}

	setDefault(&o.IsCrossScreenSharingAllowed, false)
	setDefault(&o.IsAllowedToResumeLocalHoldByRemoteReInvite, false)
	setDefault(&o.DTMFDuration, 100)
	setDefault(&o.DTMFInterToneGap, 500)
	setDefault(&o.UseSessionTimer, false)
	setDefault(&o.NoAnswerTimeout, 60)

	aa := ensure(&o.AutoAnswerOptions)
	setDefault(&aa.AnswerDelayedOfferWithVideo, false)
	setDefault(&aa.AutoAnswerDefaultDelaySeconds, 0)

	ch := ensure(&o.CallHistoryConfig)
	setDefault(&ch.MaxEntries, 100)
	setDefault(&ch.GUIEnabled, true)

	setDefault(&ensure(&o.LayoutConfig).AlwaysShowFullCallsList, false)

	m := ensure(&o.Modes)
	setDefault(&m.CacheRegisterAuthMode, true)
	setDefault(&m.ICETimeoutFix, 2000)

	vdi := ensure(&o.VDIIntegrationConfig)
	if vdi.VDISolutionType == "" {
		vdi.VDISolutionType = "none"
	}

	md := ensure(&o.MediaDeviceSettings)
	if md.DeviceCategories == nil {
		md.DeviceCategories = DefaultDeviceCategories()
	}
	setDefault(&md.AllowMediaDeviceSelection, false)
	setDefault(&md.DevicesMustBeSelectedByUser, false)

	setDefault(&o.IsAgentAssistEnabled, false)
	setDefault(&o.AgentAssistMaxHistoryEntries, 50)

	if cc := o.ContactCenterConfig; cc != nil {
		for i := range cc.Integrations {
			setDefault(&cc.Integrations[i].Enabled, false)
		}
	}
	if ap := o.AuthProvidersConfig; ap != nil {
		storage := ""
		if o.StorageConfig != nil {
			storage = o.StorageConfig.Location
		}
		for i := range ap.Providers {
			ap.Providers[i].setDefaults(storage)
		}
	}
}

func (p *AuthProvider) setDefaults(storageLocation string) {
	if p.ProviderType == "" {
		p.ProviderType = ProviderAAD
	}
	if p.EndpointURL == "" {
		switch p.ProviderType {
		case ProviderAAD:
			p.EndpointURL = defaultAADEndpointURL
		case ProviderOIDC:
			p.EndpointURL = p.Authority
		}
	}
	if p.UserInfoURLRelativePath == "" {
		if p.ProviderType == ProviderAAD {
			p.UserInfoURLRelativePath = defaultAADUserInfoPath
		} else {
			p.UserInfoURLRelativePath = defaultOIDCUserInfo
		}
	}
	if p.CacheLocation == "" {
		p.CacheLocation = storageLocation
	}
	setDefault(&p.AuthRefreshRetriesForSipError, 5)
	setDefault(&p.ForceLoginPromptOnEmptyCache, false)
}

// ensure allocates *p when nil and returns it.
func ensure[T any](p **T) *T {
	if *p == nil {
		*p = new(T)
	}
	return *p
}

// setDefault sets *p to v when unset.
func setDefault[T any](p **T, v T) {
	if *p == nil {
		*p = &v
	}
}
