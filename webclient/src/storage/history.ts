// Call history (callHistoryConfig): one list per SIP user, newest first, at
// most maxEntries long, kept in the configured web storage by Store.
import type { CallSnapshot, CallUuid, EndReason } from '../sip/call';
import { failureText, type FailureReason } from '../sip/failure';

export interface HistoryEntry {
  /** The call's id (unique per call). */
  id: string;
  direction: 'incoming' | 'outgoing';
  remoteUser: string;
  remoteName: string;
  /** When the call started ringing or dialling (ms since epoch). */
  startedAt: number;
  answeredAt: number | null;
  endedAt: number;
  endReason: EndReason;
  video: boolean;
  callUuids: CallUuid[];
  /** The call's last quality score (MOS, 1 to 4.5, one decimal), null when not measured. */
  quality: number | null;
  /** Why the call failed (sip/failure.ts), null when it did not. */
  failure: FailureReason | null;
}

/** entryFromCall makes the history entry of an ended call. */
export function entryFromCall(c: CallSnapshot): HistoryEntry {
  return {
    id: c.id,
    direction: c.direction,
    remoteUser: c.remoteUser,
    remoteName: c.remoteName,
    startedAt: c.createdAt,
    answeredAt: c.answeredAt,
    endedAt: c.endedAt ?? Date.now(),
    endReason: c.endReason ?? 'normal',
    video: c.localVideo || c.remoteVideo,
    callUuids: c.callUuids,
    quality: c.quality ? roundMos(c.quality.mos) : null,
    failure: c.failure,
  };
}

/** roundMos keeps one decimal, as shown. */
export function roundMos(mos: number): number {
  return Math.round(mos * 10) / 10;
}

/**
 * addEntry puts e first (replacing an entry with the same id) and keeps at
 * most max entries, newest first by start time.
 */
export function addEntry(list: readonly HistoryEntry[], e: HistoryEntry, max: number): HistoryEntry[] {
  const rest = list.filter((x) => x.id !== e.id);
  return [e, ...rest].sort((a, b) => b.startedAt - a.startedAt).slice(0, Math.max(0, max));
}

const reasons: ReadonlySet<string> = new Set<EndReason>(['normal', 'no-answer', 'busy', 'rejected', 'canceled', 'transferred', 'failed']);

function validEntry(v: unknown): v is HistoryEntry {
  if (!v || typeof v !== 'object') return false;
  const e = v as Record<string, unknown>;
  const time = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  return typeof e.id === 'string' && (e.direction === 'incoming' || e.direction === 'outgoing')
    && typeof e.remoteUser === 'string' && typeof e.remoteName === 'string'
    && time(e.startedAt) && time(e.endedAt) && (e.answeredAt === null || time(e.answeredAt))
    && typeof e.endReason === 'string' && reasons.has(e.endReason);
}

/** readHistory keeps the well-formed entries of a stored list, at most max. */
export function readHistory(stored: unknown, max: number): HistoryEntry[] {
  if (!Array.isArray(stored)) return [];
  return stored.filter(validEntry).map((e) => ({
    ...e,
    video: e.video === true,
    callUuids: Array.isArray(e.callUuids) ? e.callUuids.filter((u) => u && typeof u.serviceName === 'string' && typeof u.uuid === 'string') : [],
    quality: typeof e.quality === 'number' && e.quality >= 1 && e.quality <= 4.5 ? e.quality : null,
    failure: typeof e.failure === 'string' && e.failure in failureText ? (e.failure as FailureReason) : null,
  })).sort((a, b) => b.startedAt - a.startedAt).slice(0, max);
}
