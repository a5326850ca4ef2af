import { describe, expect, it } from 'vitest';
import { SipAuthRetry } from './retry';

describe('SipAuthRetry', () => {
  it('refreshes up to authRefreshRetriesForSipError times in a row, then asks for sign-in', () => {
    const r = new SipAuthRetry(3);
    const steps = Array.from({ length: 5 }, () => r.afterAuthError(false));
    expect(steps).toEqual(['refresh', 'refresh', 'refresh', 'relogin', 'relogin']);
  });

  it('starts afresh after a successful registration', () => {
    const r = new SipAuthRetry(2);
    expect([r.afterAuthError(false), r.afterAuthError(false)]).toEqual(['refresh', 'refresh']);
    r.registered();
    expect(r.refreshes).toBe(0);
    expect([r.afterAuthError(false), r.afterAuthError(false), r.afterAuthError(false)]).toEqual(['refresh', 'refresh', 'relogin']);
  });

  it('never asks to sign in again while a call is live', () => {
    const r = new SipAuthRetry(1);
    expect(r.afterAuthError(true)).toBe('refresh');
    expect(r.afterAuthError(true)).toBe('wait-for-calls');
    expect(r.afterRefreshFailed(true)).toBe('wait-for-calls');
    expect(r.afterAuthError(false)).toBe('relogin');
  });

  it('with 0 retries goes straight to sign-in', () => {
    expect(new SipAuthRetry(0).afterAuthError(false)).toBe('relogin');
  });
});
