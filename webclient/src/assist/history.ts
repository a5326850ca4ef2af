// Past Agent Assist sessions, newest first, at most agentAssistMaxHistoryEntries,
// kept per user in the configured web storage. No DOM.
import type { Line } from './session';

export interface AssistEntry {
  /** The call's SIP Call-ID. */
  callId: string;
  /** Who the agent talked to. */
  remote: string;
  botName: string;
  startedAt: number;
  lines: Line[];
}

const key = (user: string) => `softphone.agentAssistHistory.${user}`;

function validLine(l: unknown): l is Line {
  if (!l || typeof l !== 'object') return false;
  const o = l as Record<string, unknown>;
  return ['caller', 'callee', 'bot', 'other'].includes(o.from as string) && typeof o.text === 'string' && typeof o.at === 'number';
}

export function readAssistHistory(storage: Storage | null, user: string, max: number): AssistEntry[] {
  let v: unknown;
  try {
    v = JSON.parse(storage?.getItem(key(user)) ?? '[]');
  } catch {
    return [];
  }
  if (!Array.isArray(v)) return [];
  return v
    .filter((e): e is AssistEntry => !!e && typeof e === 'object' && typeof e.callId === 'string' && typeof e.startedAt === 'number' && Array.isArray(e.lines))
    .map((e) => ({ callId: e.callId, remote: String(e.remote ?? ''), botName: String(e.botName ?? ''), startedAt: e.startedAt, lines: e.lines.filter(validLine) }))
    .slice(0, max);
}

/** addAssistEntry puts e first and keeps at most max entries; 0 keeps none. */
export function addAssistEntry(list: readonly AssistEntry[], e: AssistEntry, max: number): AssistEntry[] {
  return [e, ...list.filter((x) => x.callId !== e.callId)].slice(0, max);
}

export function writeAssistHistory(storage: Storage | null, user: string, list: readonly AssistEntry[]): void {
  try {
    storage?.setItem(key(user), JSON.stringify(list));
  } catch (err) {
    console.warn('storing the Agent Assist history', err);
  }
}
