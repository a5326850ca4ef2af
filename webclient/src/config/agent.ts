// The contact-center agent's options from advancedOptions.js: customer info,
// ACD ready/not-ready, auto-answer, call history, video and the
// contact-center integrations' SIP header names. Like options.ts, a missing
// or mistyped value takes the contract's default, never an exception.

import { boolOpt, defaultOf, intOpt } from './contract';

export interface Integration {
  serviceName: string;
  /** "genesys_cloud" or "genesys_pure_engage". */
  platform: string;
  /** The header carrying the platform's call UUID (lower-case), or "" for none. */
  callUuidHeader: string;
}

export interface AgentConfig {
  /** Header whose JSON value is the customer info. Default "x-customer-info". */
  customerInfoHeader: string;
  /** customerInfoContextDisplayMapping: keyword -> readable text. */
  customerInfoMapping: Readonly<Record<string, string>>;
  /** Enabled integrations only, in configured order. */
  integrations: Integration[];
  acd: {
    enabled: boolean;
    /** Code used when the client goes not-ready by itself. */
    notReadyDefaultReasonCode: string;
    /** Selectable codes and their text, in configured order. */
    reasons: { code: string; text: string }[];
  };
  autoAnswer: { answerDelayedOfferWithVideo: boolean; defaultDelaySeconds: number };
  history: { maxEntries: number; guiEnabled: boolean };
  video: { enabled: boolean; addVideo: boolean };
}

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}
function text(v: unknown): string {
  return typeof v === 'string' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
}

/** The manual's default header names (contactCenterConfig.defaultSipHeaderNames). */
export const defaultCustomerInfoHeader = defaultOf('contactCenterConfig.defaultSipHeaderNames.contactCenterCallUserInfoHeader');

/** stringMap keeps the string (or number) values of a JSON object, in order. */
function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) {
    const s = text(val);
    if (k.trim() && s) out[k.trim()] = s;
  }
  return out;
}

/** readAgentConfig reads the agent's options from the declared globals (ClientConfig.raw). */
export function readAgentConfig(raw: Readonly<Obj>): AgentConfig {
  const cc = obj(raw.contactCenterConfig);
  const defaults = obj(cc.defaultSipHeaderNames);
  const list = Array.isArray(cc.integrations) ? cc.integrations.map(obj) : [];
  const enabled = list.filter((i) => i.enabled === true);
  const integrations: Integration[] = enabled.map((i, n) => {
    const names = obj(i.customSipHeaderNames);
    return {
      serviceName: text(i.serviceName) || `integration ${n + 1}`,
      platform: text(i.contactCenterPlatform),
      callUuidHeader: (text(names.contactCenterCallUuidHeader) || text(defaults.contactCenterCallUuidHeader)).toLowerCase(),
    };
  });
  // The active integration's customer-info header wins over the default name.
  const infoHeader = enabled.map((i) => text(obj(i.customSipHeaderNames).contactCenterCallUserInfoHeader)).find((h) => h)
    || text(defaults.contactCenterCallUserInfoHeader) || defaultCustomerInfoHeader;

  const acd = obj(raw.ACDClientConfig);
  const mapping = stringMap(acd.notReadyReasonCodeMapping);
  const reasons = Object.entries(mapping).map(([code, t]) => ({ code, text: t }));
  // notReadyStatusValue is the deprecated spelling of the default code.
  const defaultCode = text(acd.notReadyDefaultReasonCode) || text(acd.notReadyStatusValue) || reasons[0]?.code || 'not-ready';

  const auto = obj(raw.autoAnswerOptions);
  const history = obj(raw.callHistoryConfig);
  const videoEnabled = boolOpt(raw.isVideoEnabled, 'isVideoEnabled');
  return {
    customerInfoHeader: infoHeader.toLowerCase(),
    customerInfoMapping: stringMap(raw.customerInfoContextDisplayMapping),
    integrations,
    acd: { enabled: boolOpt(acd.enabled, 'ACDClientConfig.enabled'), notReadyDefaultReasonCode: defaultCode, reasons },
    autoAnswer: {
      answerDelayedOfferWithVideo: boolOpt(auto.answerDelayedOfferWithVideo, 'autoAnswerOptions.answerDelayedOfferWithVideo'),
      defaultDelaySeconds: intOpt(auto.autoAnswerDefaultDelaySeconds, 'autoAnswerOptions.autoAnswerDefaultDelaySeconds'),
    },
    history: {
      // maxSizeForCallHistory is the deprecated spelling of maxEntries.
      maxEntries: intOpt(history.maxEntries ?? raw.maxSizeForCallHistory, 'callHistoryConfig.maxEntries'),
      guiEnabled: boolOpt(history.guiEnabled, 'callHistoryConfig.guiEnabled'),
    },
    video: { enabled: videoEnabled, addVideo: videoEnabled && boolOpt(raw.enableAddVideo, 'enableAddVideo') },
  };
}
