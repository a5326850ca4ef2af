import { describe, expect, it } from 'vitest';
import { C } from 'jssip';
import { defaultStrings } from '../i18n/defaults';
import { failureReason, failureText, statusCodeOf, type FailureReason } from './failure';

const c = C.causes;

describe('failureReason', () => {
  it.each<[string, number | null, FailureReason | null]>([
    [c.BYE, null, null],
    [c.CANCELED, null, null],
    [c.BUSY, 486, 'busy'],
    [c.BUSY, 600, 'busy'],
    [c.REJECTED, 603, 'declined'],
    [c.REJECTED, 403, 'declined'],
    [c.NOT_FOUND, 404, 'not-found'],
    [c.UNAVAILABLE, 480, 'unavailable'],
    [c.UNAVAILABLE, 408, 'no-answer'],
    [c.NO_ANSWER, null, 'no-answer'],
    [c.ADDRESS_INCOMPLETE, 484, 'address-incomplete'],
    [c.INCOMPATIBLE_SDP, 488, 'media-refused'],
    [c.BAD_MEDIA_DESCRIPTION, null, 'media-refused'],
    [c.CONNECTION_ERROR, null, 'sbc-unreachable'],
    [c.REQUEST_TIMEOUT, null, 'timeout'],
    [c.AUTHENTICATION_ERROR, 407, 'auth'],
    [c.REDIRECTED, 302, 'redirected'],
    [c.WEBRTC_ERROR, null, 'media-error'],
    [c.USER_DENIED_MEDIA_ACCESS, null, 'microphone'],
    [c.NO_ACK, null, 'no-ack'],
    [c.RTP_TIMEOUT, null, 'rtp-timeout'],
    [c.EXPIRES, null, 'expired'],
    [c.SIP_FAILURE_CODE, 500, 'server-error'],
    [c.SIP_FAILURE_CODE, 503, 'server-error'],
    [c.SIP_FAILURE_CODE, 488, 'media-refused'],
    [c.SIP_FAILURE_CODE, 420, 'failed'],
    [c.SIP_FAILURE_CODE, null, 'failed'],
    ['Something new', null, 'failed'],
  ])('%s (%s) is %s', (cause, statusCode, want) => {
    expect(failureReason({ cause, statusCode, originator: 'remote' })).toBe(want);
  });

  it('words a WebRTC error after a refused remote SDP as media refused', () => {
    expect(failureReason({ cause: c.WEBRTC_ERROR, statusCode: null, originator: 'system', remoteSdpRefused: true })).toBe('media-refused');
  });

  it.each([c.REJECTED, c.BUSY])("is null for the agent's own %s", (cause) => {
    expect(failureReason({ cause, statusCode: null, originator: 'local' })).toBeNull();
  });

  it('has a text for every reason, and distinct texts', () => {
    const keys = Object.values(failureText);
    for (const k of keys) expect(defaultStrings[k]).toBeTruthy();
    expect(new Set(keys.map((k) => defaultStrings[k])).size).toBe(keys.length);
  });
});

describe('statusCodeOf', () => {
  const request = (reason?: string) => ({ getHeader: (n: string) => (n === 'Reason' ? reason : undefined) });
  it.each<[string, unknown, number | null]>([
    ['a response', { status_code: 486 }, 486],
    ['a BYE with a SIP Reason', request('SIP ;cause=488 ;text="Not Acceptable Here"'), 488],
    ['a BYE with a Q.850 Reason', request('Q.850;cause=16'), null],
    ['a BYE without Reason', request(), null],
    ['nothing', null, null],
  ])('%s', (_n, message, want) => expect(statusCodeOf(message)).toBe(want));
});
