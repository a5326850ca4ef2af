import { describe, expect, it } from 'vitest';
import type { LineSnapshot } from '../sip/phone';
import { reconnectBound } from '../sip/phone';
import { canCall, connection, secondsUntil } from './connection';

const line = (patch: Partial<LineSnapshot>): LineSnapshot => ({ name: 'main', state: 'connecting', server: null, cause: null, retryAt: null, ...patch });

describe('connection', () => {
  it('is none without lines, ok with one registered line', () => {
    expect(connection([])).toEqual({ kind: 'none' });
    const c = connection([line({ state: 'disconnected' }), line({ name: 'backup', state: 'registered', server: 'wss://b' })]);
    expect(c).toEqual({ kind: 'ok', server: 'wss://b' });
    expect(canCall(c)).toBe(true);
  });

  it('is starting while the first connection is tried', () => {
    const c = connection([line({ state: 'registering', server: 'wss://a' })]);
    expect(c).toEqual({ kind: 'starting', server: 'wss://a' });
    expect(canCall(c)).toBe(false);
  });

  it('says why it is down and when the next attempt is due', () => {
    const c = connection([
      line({ state: 'disconnected', server: 'wss://a', cause: 'connect timeout', retryAt: 9000 }),
      line({ name: 'backup', state: 'failed', cause: 'Request Timeout', retryAt: 7000 }),
    ]);
    expect(c).toEqual({ kind: 'down', why: 'CONNECTION_SBC_UNREACHABLE', server: 'wss://a', cause: 'connect timeout', retryAt: 7000, auth: false });
    expect(canCall(c)).toBe(false);
  });

  it('is down when one line fails while the other still connects', () => {
    expect(connection([line({ state: 'failed', cause: 'Service Unavailable' }), line({ name: 'backup' })]))
      .toMatchObject({ kind: 'down', why: 'CONNECTION_REGISTRATION_REFUSED', retryAt: null });
  });

  it('tells a refused password apart', () => {
    expect(connection([line({ state: 'failed', cause: 'Authentication Error' })])).toMatchObject({ kind: 'down', why: 'REGISTRATION_AUTH_FAILED', auth: true });
    expect(connection([line({ state: 'unregistered' })])).toMatchObject({ why: 'CONNECTION_NOT_REGISTERED', auth: false });
  });
});

describe('retry times', () => {
  it('secondsUntil rounds up and never goes negative', () => {
    expect(secondsUntil(10_001, 5_000)).toBe(6);
    expect(secondsUntil(1_000, 5_000)).toBe(0);
  });
  it('reconnectBound follows JsSIP: 2^attempt seconds within min..max', () => {
    expect(reconnectBound(1, 2, 30)).toBe(2);
    expect(reconnectBound(3, 2, 30)).toBe(8);
    expect(reconnectBound(5, 2, 30)).toBe(30);
    expect(reconnectBound(99, 2, 30)).toBe(30);
    expect(reconnectBound(1, 5, 30)).toBe(5);
  });
});
