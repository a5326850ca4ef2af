// The workspace's UI state in one reducer: which screen shows, which call
// has the focus, the number being dialled, the sign-in progress and error,
// the notices, and the summaries of ended calls. The phone's own state
// (lines, calls, agent state) stays in the Phone's snapshots; this is what
// the agent did with the screen. No DOM, no timers: tested in isolation.
import type { StringKey } from '../i18n/defaults';
import type { CallSnapshot, EndReason } from '../sip/call';
import type { FailureReason } from '../sip/failure';
import type { Account } from '../sip/phone';

/** The screen shown while signed in. */
export type View = 'phone' | 'settings' | 'history';

/** A notice the agent closes (role="alert" banners). */
export type Notice = 'autoNotReady' | 'soundBlocked' | 'micDenied';

/** The sign-in form's error, with the field it belongs to (null: the whole form). */
export interface SignInError {
  field: 'user' | 'password' | null;
  text: string;
}

/** One line that stands for an ended call until the agent dismisses it or it times out. */
export interface EndedCall {
  id: string;
  who: string;
  endReason: EndReason;
  /** Why the call failed, in words the agent reads (sip/failure.ts); null when it did not fail. */
  failure: FailureReason | null;
  /** The call was a restore (restoreCall) that the far end refused. */
  restoreFailed: boolean;
  /** How long the call was connected, in ms; null when it never was. */
  talked: number | null;
  endedAt: number;
}

export interface WorkspaceState {
  view: View;
  focusedId: string | null;
  number: string;
  dialError: StringKey | null;
  /** During a call the dialer folds away behind a "New call" button. */
  dialerOpen: boolean;
  /** A sign-in form was sent and the first registration has not answered yet. */
  signingIn: boolean;
  signInError: SignInError | null;
  /** The account shown in the sign-in form after signing out or a refused password. */
  lastAccount: Account | null;
  notices: Notice[];
  ended: EndedCall[];
}

export const initialState: WorkspaceState = {
  view: 'phone',
  focusedId: null,
  number: '',
  dialError: null,
  dialerOpen: false,
  signingIn: false,
  signInError: null,
  lastAccount: null,
  notices: [],
  ended: [],
};

export type Action =
  | { type: 'show'; view: View }
  | { type: 'focus'; id: string | null }
  | { type: 'number'; number: string }
  | { type: 'openDialer'; digit?: string }
  | { type: 'dialFailed'; error: StringKey }
  | { type: 'dialed'; id: string }
  | { type: 'incoming'; id: string }
  | { type: 'signInSent' }
  | { type: 'signInFailed'; error: SignInError; account: Account | null }
  | { type: 'signedIn' }
  | { type: 'signedOut'; account: Account | null }
  | { type: 'notice'; notice: Notice; on: boolean }
  | { type: 'callEnded'; call: CallSnapshot; now: number }
  | { type: 'dismissEnded'; id: string };

/** How many ended-call summaries stay listed at most. */
export const maxEnded = 3;

export function reducer(s: WorkspaceState, a: Action): WorkspaceState {
  switch (a.type) {
    case 'show':
      return { ...s, view: a.view };
    case 'focus':
      return s.focusedId === a.id ? s : { ...s, focusedId: a.id };
    case 'number':
      return { ...s, number: a.number, dialError: null };
    case 'openDialer':
      return { ...s, dialerOpen: true, number: a.digit ? s.number + a.digit : s.number };
    case 'dialFailed':
      return { ...s, dialError: a.error };
    case 'dialed':
      return { ...s, focusedId: a.id, number: '', dialError: null, dialerOpen: false, view: 'phone' };
    case 'incoming':
      // A ringing call takes over from the history; settings stay open (a form may be half filled).
      return { ...s, focusedId: a.id, view: s.view === 'history' ? 'phone' : s.view };
    case 'signInSent':
      return { ...s, signingIn: true, signInError: null };
    case 'signInFailed':
      return { ...s, signingIn: false, signInError: a.error, lastAccount: a.account, view: 'phone' };
    case 'signedIn':
      return s.signingIn ? { ...s, signingIn: false } : s;
    case 'signedOut':
      return { ...initialState, lastAccount: a.account, notices: s.notices.filter((n) => n === 'soundBlocked') };
    case 'notice': {
      const has = s.notices.includes(a.notice);
      if (has === a.on) return s;
      return { ...s, notices: a.on ? [...s.notices, a.notice] : s.notices.filter((n) => n !== a.notice) };
    }
    case 'callEnded': {
      const c = a.call;
      const summary: EndedCall = {
        id: c.id,
        who: c.remoteName || c.remoteUser,
        endReason: c.endReason ?? 'normal',
        failure: c.failure,
        restoreFailed: c.restore === 'failed',
        talked: c.answeredAt !== null ? (c.endedAt ?? a.now) - c.answeredAt : null,
        endedAt: c.endedAt ?? a.now,
      };
      return { ...s, ended: [summary, ...s.ended.filter((e) => e.id !== c.id)].slice(0, maxEnded) };
    }
    case 'dismissEnded':
      return { ...s, ended: s.ended.filter((e) => e.id !== a.id) };
  }
}

/**
 * focusFor picks the call that should have the focus: the focused one while
 * it is live, else the newest live call, else none.
 */
export function focusFor(calls: readonly CallSnapshot[], focusedId: string | null): string | null {
  const live = calls.filter((c) => c.status !== 'ended');
  if (live.some((c) => c.id === focusedId)) return focusedId;
  return live.length ? live[live.length - 1].id : null;
}
