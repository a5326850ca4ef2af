import { describe, expect, it } from 'vitest';
import type { CallSnapshot } from '../sip/call';
import { desiredTone, endTone } from './tones';

const call = (p: Partial<CallSnapshot>): CallSnapshot => ({
  id: Math.random().toString(), direction: 'outgoing', line: 'main', remoteUser: 'u', remoteName: '', status: 'calling',
  localHold: false, remoteHold: false, muted: false, earlyMedia: false, transferring: false, receivedTones: '', sentTones: '', failure: null,
  createdAt: 0, answeredAt: null, endedAt: null, endReason: null, endCause: null,
  customerInfo: null, callUuids: [], delayedOffer: false, remoteVideo: false, localVideo: false, autoAnswerAt: null, quality: null, screen: { local: false, remote: false }, ...p,
});

describe('desiredTone', () => {
  it.each<[string, CallSnapshot[], string | null]>([
    ['no calls', [], null],
    ['an incoming call', [call({ direction: 'incoming', status: 'incoming' })], 'ringing'],
    ['an incoming call during a call', [call({ status: 'connected' }), call({ direction: 'incoming', status: 'incoming' })], 'call-waiting'],
    ['outgoing call ringing', [call({ status: 'ringing' })], 'ringback'],
    ['outgoing call with early media', [call({ status: 'ringing', earlyMedia: true })], null],
    ['outgoing call not yet ringing', [call({ status: 'calling' })], null],
    ['a call rejoining after a reload (restoreCall), ringing', [call({ status: 'ringing', restore: 'pending' })], null],
    ['connected call', [call({ status: 'connected' })], null],
    ['ended incoming call', [call({ direction: 'incoming', status: 'ended' })], null],
  ])('%s', (_n, calls, want) => expect(desiredTone(calls)).toBe(want));
});

describe('endTone', () => {
  it.each<[Partial<CallSnapshot>, string | null]>([
    [{ endReason: 'busy' }, 'busy'],
    [{ endReason: 'rejected' }, 'busy'],
    [{ endReason: 'failed' }, 'error'],
    [{ endReason: 'normal' }, 'call-ended'],
    [{ endReason: 'canceled', direction: 'incoming' }, null],
    [{ endReason: 'no-answer' }, 'call-ended'],
  ])('%j -> %s', (p, want) => expect(endTone(call({ status: 'ended', ...p }))).toBe(want));
});
