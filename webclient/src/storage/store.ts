// What the client keeps in web storage (storageConfig.location): the SIP
// account for auto-login, the user's server settings, device choices, the
// cached text resource, the call history per user and the ACD state. Keys are prefixed so the page shares storage safely.
import type { Account, AgentState, ServerSettings } from '../sip/phone';
import { readHistory, type HistoryEntry } from './history';

const prefix = 'softphone.';

export interface Devices {
  microphone: string | null;
  speaker: string | null;
  ringer: string | null;
  camera: string | null;
}

/** The last call quality score and when it was measured (ms since epoch). */
export interface LastQuality {
  mos: number;
  at: number;
}

export class Store {
  readonly #s: Storage | null;

  constructor(storage: Storage | null) {
    this.#s = storage;
  }

  #get<T>(key: string): T | null {
    try {
      const v = this.#s?.getItem(prefix + key);
      return v ? (JSON.parse(v) as T) : null;
    } catch {
      return null;
    }
  }

  #put(key: string, value: unknown): void {
    try {
      if (value === null) this.#s?.removeItem(prefix + key);
      else this.#s?.setItem(prefix + key, JSON.stringify(value));
    } catch (err) {
      console.warn(`storing ${key}`, err);
    }
  }

  account(): Account | null {
    const a = this.#get<Partial<Account>>('account');
    if (!a || typeof a.user !== 'string' || typeof a.password !== 'string' || !a.user) return null;
    return { user: a.user, password: a.password, displayName: typeof a.displayName === 'string' ? a.displayName : '' };
  }
  setAccount(a: Account | null): void {
    this.#put('account', a);
  }

  /** serverSettings are the user's edits of the server settings, if any. */
  serverSettings(): ServerSettings | null {
    const s = this.#get<Partial<ServerSettings>>('server');
    if (!s || typeof s.sipDomain !== 'string' || !Array.isArray(s.addresses)) return null;
    const strs = (a: unknown) => (Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : []);
    return { sipDomain: s.sipDomain, addresses: strs(s.addresses), backupAddresses: strs(s.backupAddresses) };
  }
  setServerSettings(s: ServerSettings | null): void {
    this.#put('server', s);
  }

  devices(): Devices {
    const d = this.#get<Partial<Devices>>('devices') ?? {};
    const id = (v: unknown) => (typeof v === 'string' && v ? v : null);
    return { microphone: id(d.microphone), speaker: id(d.speaker), ringer: id(d.ringer), camera: id(d.camera) };
  }
  setDevices(d: Devices): void {
    this.#put('devices', d);
  }

  /** history is the user's call history, newest first, at most max entries. */
  history(user: string, max: number): HistoryEntry[] {
    return readHistory(this.#get<unknown>(`history.${user}`), max);
  }
  setHistory(user: string, entries: readonly HistoryEntry[]): void {
    this.#put(`history.${user}`, entries);
  }

  /** agentState is the user's last ACD state (ready unless stored otherwise). */
  agentState(user: string): AgentState {
    const a = this.#get<Partial<AgentState>>(`agentState.${user}`);
    if (!a || a.ready !== false) return { ready: true, reasonCode: null };
    return { ready: false, reasonCode: typeof a.reasonCode === 'string' ? a.reasonCode : null };
  }
  setAgentState(user: string, a: AgentState): void {
    this.#put(`agentState.${user}`, a);
  }

  /**
   * lastQuality is the last call quality score (MOS) when it was measured at
   * most maxAgeSeconds ago (restoreCallQualityMaxDelay), else null.
   */
  lastQuality(maxAgeSeconds: number, now = Date.now()): LastQuality | null {
    const q = this.#get<Partial<LastQuality>>('lastQuality');
    if (!q || typeof q.mos !== 'number' || typeof q.at !== 'number' || q.mos < 1 || q.mos > 4.5) return null;
    return now - q.at <= maxAgeSeconds * 1000 && q.at <= now ? { mos: q.mos, at: q.at } : null;
  }
  setLastQuality(q: LastQuality): void {
    this.#put('lastQuality', q);
  }

  strings(): Record<string, string> | null {
    return this.#get<Record<string, string>>('strings');
  }
  setStrings(s: Record<string, string>): void {
    this.#put('strings', s);
  }
}

/** openStorage returns the configured web storage, or null where the browser refuses it. */
export function openStorage(location: 'localStorage' | 'sessionStorage'): Storage | null {
  try {
    const s = location === 'sessionStorage' ? window.sessionStorage : window.localStorage;
    s.getItem(prefix + 'probe');
    return s;
  } catch {
    return null;
  }
}

/**
 * devicesToChoose lists the device kinds the user still has to pick
 * (mediaDeviceSettings.devicesMustBeSelectedByUser): every allowed category
 * without a remembered choice. Empty when the defaults may be used.
 */
export function devicesToChoose(
  md: { deviceCategories: readonly string[]; allowMediaDeviceSelection: boolean; devicesMustBeSelectedByUser: boolean },
  videoEnabled: boolean,
  d: Devices,
): (keyof Devices)[] {
  if (!md.allowMediaDeviceSelection || !md.devicesMustBeSelectedByUser) return [];
  const byCategory: Record<string, keyof Devices> = { microphone: 'microphone', voiceoutput: 'speaker', ringeroutput: 'ringer', camera: 'camera' };
  return md.deviceCategories
    .filter((c) => c in byCategory && (c !== 'camera' || videoEnabled))
    .map((c) => byCategory[c])
    .filter((k) => d[k] === null);
}
