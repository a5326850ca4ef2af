import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { RTCSession } from 'jssip/lib/RTCSession';
import { readConfig } from '../config/options';
import { Call, canCompleteTransfer } from './call';

// A stand-in for JsSIP's RTCSession that records refer() and terminate().
class FakeSession extends EventEmitter {
  id: string;
  direction = 'incoming';
  remote_identity: { uri: { user: string; toString(): string }; display_name: string };
  connection = null;
  referred: [unknown, Record<string, unknown>][] = [];
  terminated = 0;
  constructor(id: string, user: string) {
    super();
    this.id = id;
    this.remote_identity = { uri: { user, toString: () => `sip:${user}@example.test` }, display_name: '' };
  }
  refer(target: unknown, opts: Record<string, unknown>) { this.referred.push([target, opts]); }
  terminate() {
    this.terminated++;
    this.emit('ended', { originator: 'local', cause: 'Terminated' });
  }
  isEnded() { return this.terminated > 0; }
}

function connected(id: string, user: string) {
  const session = new FakeSession(id, user);
  const config = readConfig({ customGeneralSIPHeaders: ['X-Site: lab'] });
  const call = new Call(session as unknown as RTCSession, 'main', { config, customHeaders: config.customGeneralSIPHeaders, microphoneId: null, sipDomain: 'example.test' });
  session.emit('accepted', { originator: 'local' });
  return { session, call };
}

type Handlers = { accepted: () => void; failed: () => void; requestFailed: () => void };

describe('completeTransfer (consult transfer)', () => {
  it("sends the transferee a REFER to the consulted party with Replaces naming the consultation, and leaves both calls once it is answered", () => {
    const customer = connected('c1', 'bob');
    const expert = connected('c2', 'carl');
    expect(customer.call.completeTransfer(expert.call)).toBe(true);
    expect(customer.session.referred).toHaveLength(1);
    const [target, opts] = customer.session.referred[0];
    expect(String(target)).toBe('sip:carl@example.test');
    expect(opts.replaces).toBe(expert.session);
    // customGeneralSIPHeaders do not go on REFER (headers.ts).
    expect(opts.extraHeaders).toEqual([]);
    expect([customer.call.snapshot.transferring, expert.call.snapshot.transferring]).toEqual([true, true]);
    // A second click while the first runs does nothing.
    expect(customer.call.completeTransfer(expert.call)).toBe(false);
    (opts.eventHandlers as Handlers).accepted();
    expect([customer.session.terminated, expert.session.terminated]).toEqual([1, 1]);
    expect(customer.call.snapshot).toMatchObject({ status: 'ended', endReason: 'transferred' });
    expect(expert.call.snapshot).toMatchObject({ status: 'ended', endReason: 'transferred' });
  });

  it.each(['failed', 'requestFailed'] as const)('keeps both calls when the transfer %s', (event) => {
    const customer = connected('c1', 'bob');
    const expert = connected('c2', 'carl');
    customer.call.completeTransfer(expert.call);
    (customer.session.referred[0][1].eventHandlers as Handlers)[event]();
    expect([customer.session.terminated, expert.session.terminated]).toEqual([0, 0]);
    expect([customer.call.snapshot.transferring, expert.call.snapshot.transferring]).toEqual([false, false]);
  });

  it('needs two different connected calls', () => {
    const customer = connected('c1', 'bob');
    expect(customer.call.completeTransfer(customer.call)).toBe(false);
    const ringing = new Call(new FakeSession('c3', 'dan') as unknown as RTCSession, 'main', { config: readConfig({}), customHeaders: [], microphoneId: null, sipDomain: 'example.test' });
    expect(canCompleteTransfer(customer.call.snapshot, ringing.snapshot)).toBe(false);
    expect(customer.call.completeTransfer(ringing)).toBe(false);
    expect(customer.session.referred).toEqual([]);
  });
});
