/*
 * advancedOptions.js of a WebRTC web client deployment from before 2.6,
 * hand-edited over the years. It uses every key deprecated since then.
 * Turn it into the advancedOptions: section of softphone.yaml with
 *
 *     softphone migrate examples/legacy/advancedOptions.js
 */

var defaultServerConfig = {
  sipDomain: 'contoso.com',
  sipServerAddress: ['wss://sbc1.contoso.com:10081', 'wss://sbc2.contoso.com:10081'],
  prioritize: true,
  // The manual's own spelling, with bare host:port entries.
  sipIpsServers: ["74.125.140.127:19302", "74.125.143.127:19302"],
  backupSipServerAddress: ['wss://sbc-dr.contoso.com:10081'],
  guiEnabled: true,
  disableEditing: false,
};

var storageConfig = {
  location: 'sessionStorage',
};

// Deprecated in 2.6: replaced by authProvidersConfig.
var defaultOAuthConfig = {
  mechanismType: 'msal',
  protocolMode: 'AAD',
  clientId: 'e8a69733-d978-47b9-a938-cc8b260636a4',
  endpointUrl: 'https://graph.microsoft.com/v1.0',
  accessTokenRefreshRetries: 3,
  forceLoginPromptOnEmptyCache: false,
  msal: {
    authority: 'https://login.microsoftonline.com/1911c65c-89a4-4c5d-8a5e-2b4e1c0f0b6d',
    redirectUri: undefined,
    SIP_DN_Attribute_name: 'voip_identity_username',
    SIP_Password_Attribute_name: 'voip_identity_password',
  },
  keycloak: undefined,
};

// Deprecated in 2.6: only OAuth sign-in, so the provider above is mandatory.
var supportedAuthenticationSchemes = ['oauth'];

var ACDClientConfig = {
  enabled: true,
  notReadyStatusValue: 'Not Ready', // deprecated: notReadyDefaultReasonCode
  notReadyReasonCodeMapping: {
    'Break': 'Coffee break',
    'Lunch': 'Lunch',
    'Training': 'In training',
  },
};

var sipAccountGUIConfig = {
  sipDisplayNameHidden: false,
  sipDisplayNameDisabled: true,
};

// Deprecated in 2.5.4: notificationOptions.autoplay.
var autoplayNotificationOptions = {
  showAutoplayDisabledAlert: true,
  showAutoplayDisabledNotification: false,
};

var customerInfoContextDisplayMapping = {
  advice: "Getting expert advice for the product",
  VIPLevel: "Customer loyalty tier",
  'order-id': "Order number",
};

var isVideoEnabled = true;
var enableAddVideo = true;
var isScreenSharingEnabled = false;
var isCrossScreenSharingAllowed = false;
var isAllowedToResumeLocalHoldByRemoteReInvite = false;
var registerExpires = 600;
var voiceQualityMonitorEnabled = true;
var restoreCallQualityMaxDelay = 300;
var restoreCall = true;
var restoreCallMaxDelay = 20;
var reconnectIntervalMin = 2;
var reconnectIntervalMax = 30;
var dtmfUseWebRTC = true;
var dtmfDuration = 160;
var dtmfInterToneGap = 70;
var useSessionTimer = false;
var noAnswerTimeout = 45;
var avoidTwoWayHold = true;
var disableOutgoingCalls = false;

var autoAnswerOptions = {
  answerDelayedOfferWithVideo: false,
  autoAnswerDefaultDelaySeconds: 2,
};

// Deprecated: callHistoryConfig.maxEntries.
var maxSizeForCallHistory = 250;

var layoutConfig = {
  alwaysShowFullCallsList: false,
};

var modes = {
  cache_register_auth_mode: true,
  ice_timeout_fix: 2000,
};

var VDIIntegrationConfig = {
  vdiSolutionType: "none",
};

var mediaDeviceSettings = {
  deviceCategories: ["microphone", "voiceoutput", "ringeroutput"],
  allowMediaDeviceSelection: true,
  devicesMustBeSelectedByUser: false,
};

var codecFilter = {
  audio: { remove: ['isac'], priority: ['opus', 'pcma', 'pcmu'] },
  video: { remove: [], priority: ['vp8'] },
};

var localVideoFilter = {
  supported: true, // deprecated: virtualBackgroundSupported
  maxSizeForLocalBGImages: 5,
};

var localizationConfig = {
  defaultLanguageResourceURL: undefined,
  waitForDefaultResourceFetch: true,
};

var customGeneralSIPHeaders = ["X-Site: contoso-hq", "X-Agent-Group: tier1"];
