// restoreCall: a page reload during a call brings the call back. While a call
// is connected, what the client needs to rejoin its dialog is kept in the
// configured web storage (storageConfig.location); the reloaded page, once
// registered, sends the far end an INVITE with Replaces (RFC 3891, see
// replaces.ts) to the saved remote target, and shows the saved party and
// start time. Past restoreCallMaxDelay seconds after the page went away the
// saved dialog is dropped.
//
// The leave-page rules (confirm, BYE) ask leaveKeepsCalls whether the calls
// are left up for the next page to rejoin.
import { boolOpt, intOpt } from '../config/contract';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { Call } from './call';
import type { DialogId } from './replaces';

/** What the client keeps to rejoin one call. */
export interface SavedCall extends DialogId {
  /** The call's id in the UI, kept so the call card stays the same. */
  id: string;
  /** Where the far end is reached: the Contact (remote target) of the dialog. */
  remoteTarget: string;
  /** The far party's address (From or To), for the card and the history. */
  remoteUri: string;
  remoteUser: string;
  remoteName: string;
  direction: 'incoming' | 'outgoing';
  line: 'main' | 'backup';
  /** When the call was answered (ms since epoch): the call timer runs from there. */
  answeredAt: number;
  /** When this was last written, the page's last sign of life (ms since epoch). */
  savedAt: number;
  /** The agent held the call. */
  held?: boolean;
  /** The page that keeps the call (a random id per page load). */
  page?: string;
  /** When that page went away (ms since epoch); unset while it is open. */
  leftAt?: number;
}

export interface RestoreOptions {
  /** restoreCall. Default false. */
  enabled: boolean;
  /** restoreCallMaxDelay in seconds. Default 30. */
  maxDelaySeconds: number;
}

/**
 * restoreOptions reads restoreCall and restoreCallMaxDelay from advancedOptions,
 * with the contract's default (30 s: a browser peer's ICE consent check gives
 * up on a silent path after about 30 seconds, so a longer wait rarely finds the
 * far end still there) and range.
 */
export function restoreOptions(raw: Readonly<Record<string, unknown>>): RestoreOptions {
  return {
    enabled: boolOpt(raw.restoreCall, 'restoreCall'),
    maxDelaySeconds: intOpt(raw.restoreCallMaxDelay, 'restoreCallMaxDelay'),
  };
}

export type RestoreDecision = 'restore' | 'expired' | 'off';

/** restoreDecision tells what the reloaded page does with a saved call. */
export function restoreDecision(opts: RestoreOptions, saved: SavedCall, now: number): RestoreDecision {
  if (!opts.enabled) return 'off';
  const age = now - (saved.leftAt ?? saved.savedAt);
  return age >= 0 && age <= opts.maxDelaySeconds * 1000 ? 'restore' : 'expired';
}

/**
 * restorable tells the leave-page rules that call may be left up without
 * BYE when the page goes away: restoreCall is on and the next page can
 * rejoin it (it is connected and has a dialog).
 */
export function restorable(opts: RestoreOptions, call: Call): boolean {
  return opts.enabled && savedCall(call, 0) !== null;
}

/**
 * leaveKeepsCalls tells the leave-page rules that the page may go away
 * without asking: every live call is restorable.
 */
export function leaveKeepsCalls(opts: RestoreOptions, calls: readonly Call[]): boolean {
  return calls.every((c) => c.snapshot.status === 'ended' || restorable(opts, c));
}

// The JsSIP dialog fields the client reads (not in its type declarations).
interface DialogFields {
  _dialog?: {
    id?: { call_id?: string; local_tag?: string; remote_tag?: string };
    _remote_target?: { toString(): string };
  } | null;
}

/** dialogOf reads a session's dialog identifiers and remote target; null before it has a dialog. */
export function dialogOf(session: RTCSession): (DialogId & { remoteTarget: string }) | null {
  const d = (session as unknown as DialogFields)._dialog;
  const id = d?.id;
  const target = d?._remote_target?.toString();
  if (!id?.call_id || !id.local_tag || !id.remote_tag || !target) return null;
  return { callId: id.call_id, localTag: id.local_tag, remoteTag: id.remote_tag, remoteTarget: target };
}

/** savedCall is what to keep of a connected call; null when there is nothing to rejoin. */
export function savedCall(call: Call, now: number): SavedCall | null {
  const s = call.snapshot;
  if (s.status !== 'connected' || s.answeredAt === null || s.restore === 'pending') return null;
  const d = dialogOf(call.session);
  if (!d) return null;
  return {
    ...d,
    id: s.id,
    remoteUri: call.session.remote_identity?.uri?.toString() ?? '',
    remoteUser: s.remoteUser,
    remoteName: s.remoteName,
    direction: s.direction,
    line: s.line,
    answeredAt: s.answeredAt,
    savedAt: now,
    held: s.localHold,
  };
}

const str = (v: unknown): v is string => typeof v === 'string';

/** parseSaved reads what was stored, dropping entries that are not whole. */
export function parseSaved(v: unknown): SavedCall[] {
  if (!Array.isArray(v)) return [];
  const out: SavedCall[] = [];
  for (const e of v as Partial<SavedCall>[]) {
    if (!e || typeof e !== 'object') continue;
    if (![e.id, e.callId, e.localTag, e.remoteTag, e.remoteTarget].every((x) => str(x) && x !== '')) continue;
    if (!str(e.remoteUri) || !str(e.remoteUser) || !str(e.remoteName)) continue;
    if (e.direction !== 'incoming' && e.direction !== 'outgoing') continue;
    if (e.line !== 'main' && e.line !== 'backup') continue;
    if (!Number.isFinite(e.answeredAt) || !Number.isFinite(e.savedAt)) continue;
    if (e.held !== undefined && typeof e.held !== 'boolean') continue;
    if (e.page !== undefined && !str(e.page)) continue;
    if (e.leftAt !== undefined && !Number.isFinite(e.leftAt)) continue;
    out.push(e as SavedCall);
  }
  return out;
}

/**
 * RestoreStore keeps one user's saved calls in web storage. Each page owns
 * its entries; with localStorage, pages in other tabs see them but only
 * claim those of a page that went away, so an open tab's call is never
 * taken over by another tab.
 */
export class RestoreStore {
  readonly #s: Storage | null;
  readonly #key: string;

  constructor(storage: Storage | null, user: string) {
    this.#s = storage;
    this.#key = `softphone.restore.${user}`;
  }

  read(): SavedCall[] {
    try {
      const v = this.#s?.getItem(this.#key);
      return v ? parseSaved(JSON.parse(v)) : [];
    } catch {
      return [];
    }
  }

  write(calls: readonly SavedCall[]): void {
    try {
      if (calls.length === 0) this.#s?.removeItem(this.#key);
      else this.#s?.setItem(this.#key, JSON.stringify(calls));
    } catch (err) {
      console.warn('storing calls to restore', err);
    }
  }

  /** put replaces the entries of page with calls. */
  put(page: string, calls: readonly SavedCall[]): void {
    const others = this.read().filter((c) => c.page !== page);
    this.write([...others, ...calls.map((c) => ({ ...c, page, leftAt: undefined }))]);
  }

  /** leave marks the entries of page as left at now (the page is going away). */
  leave(page: string, now: number): void {
    const all = this.read();
    if (all.some((c) => c.page === page)) this.write(all.map((c) => (c.page === page ? { ...c, savedAt: now, leftAt: now } : c)));
  }

  /** claim returns the calls of pages that went away and forgets them; the others stay. */
  claim(): SavedCall[] {
    const all = this.read();
    const left = all.filter((c) => c.leftAt !== undefined);
    if (left.length) this.write(all.filter((c) => c.leftAt === undefined));
    return left;
  }
}

/** newPageId names this page load (randomUUID needs a secure context; this does not). */
function newPageId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The phone as the restore logic uses it (see Phone). */
export interface RestorablePhone {
  readonly calls: readonly Call[];
  readonly snapshot: { lines: readonly { state: string }[] };
  on(type: 'change', fn: () => void): () => void;
  /** rejoin sends the INVITE with Replaces for saved; null when no line can call. */
  rejoin(saved: SavedCall): Call | null;
}

/** The page events restore listens to. */
export type PageEvents = Pick<Window, 'addEventListener' | 'removeEventListener'>;

/**
 * startRestore runs restoreCall for one phone: it rejoins the calls saved by
 * the previous page once a line is registered, and keeps the connected calls
 * saved from then on. It returns the function that stops it (the phone is
 * stopping: nothing is left to restore).
 */
export function startRestore(
  phone: RestorablePhone, store: RestoreStore, opts: RestoreOptions, page: PageEvents,
  clock: () => number = Date.now, pageId: string = newPageId(),
): () => void {
  let pending = store.claim();
  if (!opts.enabled) return () => {};
  pending = pending.filter((s) => {
    const d = restoreDecision(opts, s, clock());
    if (d === 'expired') console.info(`call ${s.id} not restored: the page was away longer than restoreCallMaxDelay (${opts.maxDelaySeconds} s)`);
    return d === 'restore';
  });
  let last = '';
  const save = () => {
    const now = clock();
    // Calls not rejoined yet stay saved too, should this page go away first.
    const calls = [...pending, ...phone.calls.map((c) => savedCall(c, now)).filter((c): c is SavedCall => c !== null)];
    // Rewrite only when the calls changed, not for every snapshot.
    const key = JSON.stringify(calls.map((c) => ({ ...c, savedAt: 0 })));
    if (key === last) return;
    last = key;
    store.put(pageId, calls);
  };
  const onChange = () => {
    if (pending.length && phone.snapshot.lines.some((l) => l.state === 'registered')) {
      const todo = pending;
      pending = [];
      for (const s of todo) {
        try {
          if (!phone.rejoin(s)) console.warn(`call ${s.id} not restored: no line to call on`);
        } catch (err) {
          console.warn(`call ${s.id} not restored`, err);
        }
      }
    }
    save();
  };
  const onHide = () => store.leave(pageId, clock());
  // A page back from the back-forward cache is open again: its calls are its own.
  const onShow = (e: Event) => {
    if (!(e as PageTransitionEvent).persisted) return;
    last = '';
    save();
  };
  const off = phone.on('change', onChange);
  page.addEventListener('pagehide', onHide);
  page.addEventListener('pageshow', onShow);
  onChange();
  return () => {
    off();
    page.removeEventListener('pagehide', onHide);
    page.removeEventListener('pageshow', onShow);
    store.put(pageId, []);
  };
}
