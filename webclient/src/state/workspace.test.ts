import { describe, expect, it } from 'vitest';
import type { CallSnapshot } from '../sip/call';
import { focusFor, initialState, maxEnded, reducer, type Action, type WorkspaceState } from './workspace';

function snap(id: string, patch: Partial<CallSnapshot> = {}): CallSnapshot {
  return {
    id, direction: 'incoming', line: 'main', remoteUser: `u${id}`, remoteName: '', status: 'connected',
    localHold: false, remoteHold: false, muted: false, earlyMedia: false, transferring: false, receivedTones: '',
    createdAt: 1000, answeredAt: 2000, endedAt: null, endReason: null, endCause: null, customerInfo: null,
    callUuids: [], delayedOffer: false, remoteVideo: false, localVideo: false, autoAnswerAt: null,
    quality: null, screen: { local: false, remote: false }, sentTones: '', failure: null, ...patch,
  };
}

const run = (actions: Action[], from: WorkspaceState = initialState) => actions.reduce(reducer, from);

describe('workspace reducer', () => {
  it('dialling clears the number, closes the dialer and focuses the new call', () => {
    const s = run([{ type: 'show', view: 'history' }, { type: 'openDialer', digit: '1' }, { type: 'number', number: '123' }, { type: 'dialed', id: 'c1' }]);
    expect(s).toMatchObject({ view: 'phone', focusedId: 'c1', number: '', dialerOpen: false, dialError: null });
  });

  it('keeps a dial error until the number changes', () => {
    const failed = run([{ type: 'number', number: 'x y' }, { type: 'dialFailed', error: 'INVALID_NUMBER' }]);
    expect(failed.dialError).toBe('INVALID_NUMBER');
    expect(reducer(failed, { type: 'number', number: 'xy' }).dialError).toBeNull();
  });

  it('appends a typed digit when the dialer opens', () => {
    expect(run([{ type: 'number', number: '12' }, { type: 'openDialer', digit: '3' }])).toMatchObject({ number: '123', dialerOpen: true });
  });

  it('an incoming call takes over from the history but not from the settings', () => {
    expect(run([{ type: 'show', view: 'history' }, { type: 'incoming', id: 'c9' }])).toMatchObject({ view: 'phone', focusedId: 'c9' });
    expect(run([{ type: 'show', view: 'settings' }, { type: 'incoming', id: 'c9' }])).toMatchObject({ view: 'settings', focusedId: 'c9' });
  });

  it('a refused password ends the sign-in with the error at the field and the user kept', () => {
    const account = { user: 'judy', password: '', displayName: 'Judy' };
    const s = run([{ type: 'signInSent' }, { type: 'signInFailed', error: { field: 'password', text: 'refused' }, account }]);
    expect(s.signingIn).toBe(false);
    expect(s.signInError).toEqual({ field: 'password', text: 'refused' });
    expect(s.lastAccount).toBe(account);
    // The next attempt clears the error.
    expect(reducer(s, { type: 'signInSent' })).toMatchObject({ signingIn: true, signInError: null });
  });

  it('signedIn ends only a sign-in in progress', () => {
    expect(run([{ type: 'signInSent' }, { type: 'signedIn' }]).signingIn).toBe(false);
    expect(reducer(initialState, { type: 'signedIn' })).toBe(initialState);
  });

  it('signing out resets the screen but keeps a blocked-sound notice', () => {
    const s = run([
      { type: 'show', view: 'settings' }, { type: 'notice', notice: 'soundBlocked', on: true },
      { type: 'notice', notice: 'micDenied', on: true }, { type: 'signedOut', account: null },
    ]);
    expect(s).toMatchObject({ view: 'phone', notices: ['soundBlocked'], ended: [] });
  });

  it('notices switch on and off once', () => {
    const on = run([{ type: 'notice', notice: 'micDenied', on: true }, { type: 'notice', notice: 'micDenied', on: true }]);
    expect(on.notices).toEqual(['micDenied']);
    expect(reducer(on, { type: 'notice', notice: 'autoNotReady', on: false })).toBe(on);
    expect(reducer(on, { type: 'notice', notice: 'micDenied', on: false }).notices).toEqual([]);
  });

  it('sums an ended call up: who, how, how long; newest first, at most maxEnded', () => {
    const s = run([
      { type: 'callEnded', call: snap('a', { remoteName: 'Bob', status: 'ended', endReason: 'normal', answeredAt: 10_000, endedAt: 232_000 }), now: 0 },
      { type: 'callEnded', call: snap('b', { status: 'ended', endReason: 'busy', failure: 'busy', answeredAt: null, endedAt: 5000 }), now: 0 },
    ]);
    expect(s.ended).toEqual([
      { id: 'b', who: 'ub', endReason: 'busy', failure: 'busy', restoreFailed: false, talked: null, endedAt: 5000 },
      { id: 'a', who: 'Bob', endReason: 'normal', failure: null, restoreFailed: false, talked: 222_000, endedAt: 232_000 },
    ]);
    const many = run(['c', 'd', 'e', 'f'].map((id) => ({ type: 'callEnded', call: snap(id, { status: 'ended' }), now: 1 }) as Action), s);
    expect(many.ended.map((e) => e.id)).toEqual(['f', 'e', 'd'].slice(0, maxEnded));
    expect(reducer(many, { type: 'dismissEnded', id: 'e' }).ended.map((e) => e.id)).toEqual(['f', 'd']);
  });
});

describe('focusFor', () => {
  it('keeps a live focused call', () => {
    expect(focusFor([snap('a'), snap('b')], 'a')).toBe('a');
  });
  it('moves to the newest live call when the focused one ended', () => {
    expect(focusFor([snap('a'), snap('b'), snap('c', { status: 'ended' })], 'c')).toBe('b');
  });
  it('is null with no live call', () => {
    expect(focusFor([snap('a', { status: 'ended' })], 'a')).toBeNull();
    expect(focusFor([], null)).toBeNull();
  });
});
