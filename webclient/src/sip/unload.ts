// Leaving the page during a call. A call the page cannot bring back must
// not strand the far party: leaving asks the agent to confirm first
// (beforeunload), and a page that goes away anyway (pagehide) ends its calls
// with BYE (CANCEL or 486 for calls not yet answered). keepForRestore is the
// one decision point for calls that a reload brings back (restoreCall):
// such calls are neither confirmed nor ended here.
import type { CallSnapshot } from './call';

/** The calls of the page, as the unload guard needs them. */
export interface UnloadCall {
  readonly snapshot: CallSnapshot;
  hangUp(): void;
}

/** KeepForRestore tells whether a call is kept for a reload to bring back (restore.ts restorable). */
export type KeepForRestore<T extends UnloadCall = UnloadCall> = (call: T) => boolean;

/** neverKeep is the decision without restoreCall: no call survives the page. */
export const neverKeep: KeepForRestore = () => false;

/** callsToEnd lists the calls that leaving the page would end: live ones not kept for restore. */
export function callsToEnd<T extends UnloadCall>(calls: readonly T[], keep: KeepForRestore<T>): T[] {
  return calls.filter((c) => c.snapshot.status !== 'ended' && !keep(c));
}

/** The part of window the guard listens on. */
export interface UnloadTarget {
  addEventListener(type: 'beforeunload' | 'pagehide', fn: (e: Event) => void): void;
  removeEventListener(type: 'beforeunload' | 'pagehide', fn: (e: Event) => void): void;
}

/**
 * guardUnload makes target confirm leaving while calls() has a call to end,
 * and end those calls when the page goes away. It returns the function that
 * removes the guard.
 */
export function guardUnload<T extends UnloadCall>(target: UnloadTarget, calls: () => readonly T[], keep: KeepForRestore<T> = neverKeep): () => void {
  const confirm = (e: Event) => {
    if (callsToEnd(calls(), keep).length === 0) return;
    // Browsers show their own text. preventDefault asks for it (the HTML
    // standard); a non-empty returnValue too (browsers before that).
    e.preventDefault();
    if (typeof BeforeUnloadEvent !== 'undefined' && e instanceof BeforeUnloadEvent) e.returnValue = 'calls';
  };
  // A page kept in the back/forward cache may come back: its calls are ended
  // all the same, as the far party cannot wait for that.
  const end = () => {
    for (const c of callsToEnd(calls(), keep)) c.hangUp();
  };
  target.addEventListener('beforeunload', confirm);
  target.addEventListener('pagehide', end);
  return () => {
    target.removeEventListener('beforeunload', confirm);
    target.removeEventListener('pagehide', end);
  };
}
