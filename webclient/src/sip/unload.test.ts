import { describe, expect, it } from 'vitest';
import type { CallSnapshot, CallStatus } from './call';
import { callsToEnd, guardUnload, neverKeep, type UnloadCall } from './unload';

function fakeCall(id: string, status: CallStatus) {
  const c = { snapshot: { id, status } as CallSnapshot, hungUp: 0, hangUp() { c.hungUp++; } };
  return c;
}

function leave(target: EventTarget, type: 'beforeunload' | 'pagehide'): Event {
  const e = new Event(type, { cancelable: true });
  target.dispatchEvent(e);
  return e;
}

describe('callsToEnd', () => {
  it('lists live calls that are not kept for restore', () => {
    const calls = [fakeCall('a', 'connected'), fakeCall('b', 'ended'), fakeCall('c', 'incoming'), fakeCall('d', 'calling')];
    expect(callsToEnd(calls, neverKeep).map((c) => c.snapshot.id)).toEqual(['a', 'c', 'd']);
    expect(callsToEnd(calls, (c) => c.snapshot.id === 'a').map((c) => c.snapshot.id)).toEqual(['c', 'd']);
  });
});

describe('guardUnload', () => {
  it('asks to confirm leaving during a call, and not without one', () => {
    const target = new EventTarget();
    let calls: UnloadCall[] = [fakeCall('a', 'ended')];
    guardUnload(target, () => calls);
    expect(leave(target, 'beforeunload').defaultPrevented).toBe(false);
    calls = [fakeCall('a', 'connected')];
    expect(leave(target, 'beforeunload').defaultPrevented).toBe(true);
  });

  it('ends the live calls when the page goes away, except those kept for restore', () => {
    const target = new EventTarget();
    const calls = [fakeCall('a', 'connected'), fakeCall('b', 'ringing'), fakeCall('c', 'ended'), fakeCall('kept', 'connected')];
    guardUnload(target, () => calls, (c) => c.snapshot.id === 'kept');
    leave(target, 'pagehide');
    expect(calls.map((c) => c.hungUp)).toEqual([1, 1, 0, 0]);
  });

  it('does not ask to confirm when every live call is kept for restore', () => {
    const target = new EventTarget();
    guardUnload(target, () => [fakeCall('a', 'connected')], () => true);
    expect(leave(target, 'beforeunload').defaultPrevented).toBe(false);
  });

  it('stops guarding once removed', () => {
    const target = new EventTarget();
    const calls = [fakeCall('a', 'connected')];
    const remove = guardUnload(target, () => calls);
    remove();
    expect(leave(target, 'beforeunload').defaultPrevented).toBe(false);
    leave(target, 'pagehide');
    expect(calls[0].hungUp).toBe(0);
  });
});
