// Reads the client configuration from the global variables that the server's
// rendered static/js/advancedOptions.js declares (one `var` per key, names as
// in the vendor manual). Any variable, or any key inside one, may be absent or
// of the wrong type: the documented default is used then, never an exception.
// This module has no DOM dependency; pass it the global object.

import { readAgentConfig, type AgentConfig } from './agent';
import { boolOpt, contractGlobals, defaultOf, intOpt, strOpt } from './contract';

export type StorageLocation = 'localStorage' | 'sessionStorage';

export interface CodecRules {
  /** Codec names to remove, lower-cased (e.g. "pcma"). */
  remove: string[];
  /** Codec names in descending priority, lower-cased. */
  priority: string[];
}

export interface ClientConfig {
  server: {
    sipDomain: string;
    /** SBC WebSocket URLs, in configured order. */
    sipServerAddress: string[];
    /** Try addresses in order (true) or at random (false). Default true. */
    prioritize: boolean;
    iceServers: RTCIceServer[];
    /** Backup SBC URLs; non-empty enables dual registration. Default []. */
    backupSipServerAddress: string[];
    /** Show server settings in the GUI. Default true. */
    guiEnabled: boolean;
    /** Forbid editing server settings. Default false. */
    disableEditing: boolean;
  };
  storageLocation: StorageLocation;
  account: { sipDisplayNameHidden: boolean; sipDisplayNameDisabled: boolean };
  notification: {
    focusWindowOnClick: boolean;
    /** Present only when notificationOptions.autoplay is configured. */
    autoplay: { showAutoplayDisabledAlert: boolean; showAutoplayDisabledNotification: boolean } | null;
  };
  isAllowedToResumeLocalHoldByRemoteReInvite: boolean;
  /** Seconds. Default 600. */
  registerExpires: number;
  /** Seconds. Default 2. */
  reconnectIntervalMin: number;
  /** Seconds. Default 30. */
  reconnectIntervalMax: number;
  /** RFC 2833 (true, default) or SIP INFO (false). */
  dtmfUseWebRTC: boolean;
  /** Milliseconds. Default 100. */
  dtmfDuration: number;
  /** Milliseconds. Default 500. */
  dtmfInterToneGap: number;
  useSessionTimer: boolean;
  /** Seconds. Default 60. */
  noAnswerTimeout: number;
  avoidTwoWayHold: boolean;
  disableOutgoingCalls: boolean;
  layout: { alwaysShowFullCallsList: boolean };
  modes: { cacheRegisterAuthMode: boolean; iceTimeoutFix: number };
  mediaDevices: { deviceCategories: string[]; allowMediaDeviceSelection: boolean; devicesMustBeSelectedByUser: boolean };
  codecFilter: { audio: CodecRules; video: CodecRules };
  localization: { defaultLanguageResourceURL: string; waitForDefaultResourceFetch: boolean };
  /** Each "Name: value". */
  customGeneralSIPHeaders: string[];
  debugMode: boolean;
  /** Call quality score (voiceQualityMonitorEnabled); the last one is kept restoreMaxDelay seconds (restoreCallQualityMaxDelay). */
  quality: { enabled: boolean; restoreMaxDelay: number };
  /** Screen sharing (isScreenSharingEnabled), also while the far side shares (isCrossScreenSharingAllowed). */
  screenSharing: { enabled: boolean; crossAllowed: boolean };
  /** The contact-center agent's options (customer info, ACD, auto-answer, history, video). */
  agent: AgentConfig;
  /**
   * Every global the file declared, untouched, for the features that read
   * their own keys (customer info, ACD, history, auto-answer, video,
   * contact-center integrations, sign-in providers).
   */
  raw: Readonly<Record<string, unknown>>;
}

/** Deprecated globals a hand-written advancedOptions.js may still declare (softphone migrates them). */
export const deprecatedGlobals = [
  'autoplayNotificationOptions', 'maxSizeForCallHistory', 'defaultOAuthConfig', 'supportedAuthenticationSchemes',
] as const;

/** The global variable names advancedOptions.js may declare: the contract's, and the deprecated ones. */
export const optionNames: readonly string[] = [...contractGlobals, ...deprecatedGlobals];

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}
function strings(v: unknown): string[] {
  if (typeof v === 'string') v = [v];
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.trim() !== '').map((s) => s.trim()) : [];
}
function codecRules(v: unknown): CodecRules {
  const o = obj(v);
  const lower = (a: unknown) => strings(a).map((s) => s.toLowerCase());
  return { remove: lower(o.remove), priority: lower(o.priority) };
}

/**
 * iceServers turns sipIceServers entries into RTCIceServer: URLs
 * (stun:, turn:, turns:), bare "host:port" (taken as STUN, as the manual's
 * example shows) and objects {urls, username, credential}.
 */
export function iceServers(v: unknown): RTCIceServer[] {
  const list = Array.isArray(v) ? v : [];
  const out: RTCIceServer[] = [];
  for (const e of list) {
    if (typeof e === 'string' && e.trim() !== '') {
      const s = e.trim();
      out.push({ urls: /^(stuns?|turns?):/i.test(s) ? s : `stun:${s}` });
    } else if (e && typeof e === 'object' && !Array.isArray(e)) {
      const o = e as Obj;
      const urls = typeof o.urls === 'string' ? o.urls : strings(o.urls);
      if (urls.length === 0) continue;
      const server: RTCIceServer = { urls };
      if (typeof o.username === 'string') server.username = o.username;
      if (typeof o.credential === 'string') server.credential = o.credential;
      out.push(server);
    }
  }
  return out;
}

/** readConfig builds the client configuration from the declared globals. */
export function readConfig(globals: Obj): ClientConfig {
  const raw: Obj = {};
  for (const name of optionNames) {
    if (globals[name] !== undefined) raw[name] = globals[name];
  }
  const server = obj(raw.defaultServerConfig);
  const account = obj(raw.sipAccountGUIConfig);
  const notification = obj(raw.notificationOptions);
  // autoplayNotificationOptions is the deprecated spelling of notificationOptions.autoplay.
  const autoplayRaw = notification.autoplay ?? raw.autoplayNotificationOptions;
  const autoplay = autoplayRaw === undefined ? null : obj(autoplayRaw);
  const modes = obj(raw.modes);
  const devices = obj(raw.mediaDeviceSettings);
  const codecs = obj(raw.codecFilter);
  const localization = obj(raw.localizationConfig);
  const storage = strOpt(obj(raw.storageConfig).location, 'storageConfig.location');
  const reconnectIntervalMin = intOpt(raw.reconnectIntervalMin, 'reconnectIntervalMin');
  const categories = strings(devices.deviceCategories);
  return {
    server: {
      sipDomain: strOpt(server.sipDomain, 'defaultServerConfig.sipDomain').trim(),
      sipServerAddress: strings(server.sipServerAddress),
      prioritize: boolOpt(server.prioritize, 'defaultServerConfig.prioritize'),
      iceServers: iceServers(server.sipIceServers ?? server.sipIpsServers),
      backupSipServerAddress: strings(server.backupSipServerAddress),
      guiEnabled: boolOpt(server.guiEnabled, 'defaultServerConfig.guiEnabled'),
      disableEditing: boolOpt(server.disableEditing, 'defaultServerConfig.disableEditing'),
    },
    storageLocation: storage === 'sessionStorage' ? 'sessionStorage' : 'localStorage',
    account: {
      sipDisplayNameHidden: boolOpt(account.sipDisplayNameHidden, 'sipAccountGUIConfig.sipDisplayNameHidden'),
      sipDisplayNameDisabled: boolOpt(account.sipDisplayNameDisabled, 'sipAccountGUIConfig.sipDisplayNameDisabled'),
    },
    notification: {
      focusWindowOnClick: boolOpt(notification.focusWindowOnClick, 'notificationOptions.focusWindowOnClick'),
      autoplay: autoplay && {
        showAutoplayDisabledAlert: boolOpt(autoplay.showAutoplayDisabledAlert, 'notificationOptions.autoplay.showAutoplayDisabledAlert'),
        showAutoplayDisabledNotification: boolOpt(autoplay.showAutoplayDisabledNotification, 'notificationOptions.autoplay.showAutoplayDisabledNotification'),
      },
    },
    isAllowedToResumeLocalHoldByRemoteReInvite: boolOpt(raw.isAllowedToResumeLocalHoldByRemoteReInvite, 'isAllowedToResumeLocalHoldByRemoteReInvite'),
    registerExpires: intOpt(raw.registerExpires, 'registerExpires'),
    reconnectIntervalMin,
    reconnectIntervalMax: Math.max(reconnectIntervalMin, intOpt(raw.reconnectIntervalMax, 'reconnectIntervalMax')),
    dtmfUseWebRTC: boolOpt(raw.dtmfUseWebRTC, 'dtmfUseWebRTC'),
    dtmfDuration: intOpt(raw.dtmfDuration, 'dtmfDuration'),
    dtmfInterToneGap: intOpt(raw.dtmfInterToneGap, 'dtmfInterToneGap'),
    useSessionTimer: boolOpt(raw.useSessionTimer, 'useSessionTimer'),
    noAnswerTimeout: intOpt(raw.noAnswerTimeout, 'noAnswerTimeout'),
    avoidTwoWayHold: boolOpt(raw.avoidTwoWayHold, 'avoidTwoWayHold'),
    disableOutgoingCalls: boolOpt(raw.disableOutgoingCalls, 'disableOutgoingCalls'),
    layout: { alwaysShowFullCallsList: boolOpt(obj(raw.layoutConfig).alwaysShowFullCallsList, 'layoutConfig.alwaysShowFullCallsList') },
    modes: {
      cacheRegisterAuthMode: boolOpt(modes.cache_register_auth_mode, 'modes.cache_register_auth_mode'),
      iceTimeoutFix: intOpt(modes.ice_timeout_fix, 'modes.ice_timeout_fix'),
    },
    mediaDevices: {
      deviceCategories: categories.length ? categories : [...defaultOf('mediaDeviceSettings.deviceCategories')],
      allowMediaDeviceSelection: boolOpt(devices.allowMediaDeviceSelection, 'mediaDeviceSettings.allowMediaDeviceSelection'),
      devicesMustBeSelectedByUser: boolOpt(devices.devicesMustBeSelectedByUser, 'mediaDeviceSettings.devicesMustBeSelectedByUser'),
    },
    codecFilter: { audio: codecRules(codecs.audio), video: codecRules(codecs.video) },
    localization: {
      defaultLanguageResourceURL: strOpt(localization.defaultLanguageResourceURL, 'localizationConfig.defaultLanguageResourceURL').trim(),
      waitForDefaultResourceFetch: boolOpt(localization.waitForDefaultResourceFetch, 'localizationConfig.waitForDefaultResourceFetch'),
    },
    customGeneralSIPHeaders: strings(raw.customGeneralSIPHeaders),
    debugMode: boolOpt(raw.debugMode, 'debugMode'),
    quality: {
      enabled: boolOpt(raw.voiceQualityMonitorEnabled, 'voiceQualityMonitorEnabled'),
      restoreMaxDelay: intOpt(raw.restoreCallQualityMaxDelay, 'restoreCallQualityMaxDelay'),
    },
    screenSharing: {
      enabled: boolOpt(raw.isScreenSharingEnabled, 'isScreenSharingEnabled'),
      crossAllowed: boolOpt(raw.isCrossScreenSharingAllowed, 'isCrossScreenSharingAllowed'),
    },
    agent: readAgentConfig(raw),
    raw,
  };
}
