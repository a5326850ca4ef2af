// Agent Assist options (isAgentAssistEnabled, agentAssistDefault*,
// agentAssistMaxHistoryEntries) and the agent's own choices of bot and
// service, kept in web storage. Read from the raw advancedOptions globals; a
// missing or mistyped value takes the default. No DOM.

import { defaultOf, intOpt } from '../config/contract';

export interface Roles {
  /** The participant name of the caller in transcript messages. */
  caller: string;
  /** The participant name of the callee. */
  callee: string;
}

export interface AssistConfig {
  /** isAgentAssistEnabled. Default false. */
  enabled: boolean;
  /** agentAssistDefaultBotName. Default "". */
  botName: string;
  /** agentAssistDefaultServiceUrl. Default "". */
  serviceUrl: string;
  /** agentAssistDefaultServicePath. Default "/socket.io" (socket.io's own). */
  servicePath: string;
  /** agentAssistMaxHistoryEntries, 0 to 10000. Default 50. */
  maxHistory: number;
  /** agentAssistDefaultConversationConfig.defaultRoles. Default "participant" and "participant-2". */
  roles: Roles;
  /** agentAssistDefaultConversationConfig as configured, sent with each request. */
  conversationConfig: Record<string, unknown>;
}

/** The agent's settings: which bot, which service, and the service's token. */
export interface AssistSettings {
  botName: string;
  serviceUrl: string;
  servicePath: string;
  token: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown, def: string) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : def);

export function readAssistConfig(raw: Readonly<Obj>): AssistConfig {
  const max = raw.agentAssistMaxHistoryEntries;
  const conversation = obj(raw.agentAssistDefaultConversationConfig);
  const roles = obj(conversation.defaultRoles);
  return {
    enabled: raw.isAgentAssistEnabled === true,
    botName: str(raw.agentAssistDefaultBotName, ''),
    serviceUrl: str(raw.agentAssistDefaultServiceUrl, ''),
    servicePath: str(raw.agentAssistDefaultServicePath, defaultOf('agentAssistDefaultServicePath')),
    maxHistory: intOpt(max, 'agentAssistMaxHistoryEntries'),
    roles: {
      caller: str(roles.caller, defaultOf('agentAssistDefaultConversationConfig.defaultRoles.caller')),
      callee: str(roles.callee, defaultOf('agentAssistDefaultConversationConfig.defaultRoles.callee')),
    },
    conversationConfig: conversation,
  };
}

const settingsKey = 'softphone.agentAssist';

/** readSettings returns the agent's settings, each unset one taken from the config. */
export function readSettings(storage: Storage | null, cfg: AssistConfig): AssistSettings {
  let stored: Obj = {};
  try {
    stored = obj(JSON.parse(storage?.getItem(settingsKey) ?? 'null'));
  } catch {
    // A broken entry counts as none.
  }
  return {
    botName: str(stored.botName, cfg.botName),
    serviceUrl: str(stored.serviceUrl, cfg.serviceUrl),
    servicePath: str(stored.servicePath, cfg.servicePath),
    token: typeof stored.token === 'string' ? stored.token : '',
  };
}

export function writeSettings(storage: Storage | null, s: AssistSettings): void {
  try {
    storage?.setItem(settingsKey, JSON.stringify(s));
  } catch (err) {
    console.warn('storing the Agent Assist settings', err);
  }
}

/** settingsProblem names what keeps the settings from working, or null. */
export function settingsProblem(s: AssistSettings): 'ASSIST_NO_URL' | 'ASSIST_NO_BOT' | null {
  try {
    const u = new URL(s.serviceUrl);
    if (!['https:', 'wss:', 'http:', 'ws:'].includes(u.protocol)) return 'ASSIST_NO_URL';
  } catch {
    return 'ASSIST_NO_URL';
  }
  return s.botName ? null : 'ASSIST_NO_BOT';
}
