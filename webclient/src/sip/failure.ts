// Why a call failed, in words the agent understands: a JsSIP end cause and
// the SIP status code behind it (when there is one) map to one reason.
import { C } from 'jssip';
import type { StringKey } from '../i18n/defaults';

export type FailureReason =
  | 'busy' | 'declined' | 'not-found' | 'unavailable' | 'no-answer' | 'address-incomplete' | 'media-refused'
  | 'sbc-unreachable' | 'timeout' | 'auth' | 'redirected' | 'server-error' | 'media-error' | 'microphone'
  | 'no-ack' | 'rtp-timeout' | 'expired' | 'failed';

/** What ended a call: JsSIP's cause, the SIP status code of the response or request that ended it, who ended it. */
export interface EndInfo {
  cause: string;
  /** Status code of the final response (failed outgoing call), or of a Reason header; null when there is none. */
  statusCode: number | null;
  originator: 'local' | 'remote' | 'system';
  /** The browser refused a description from the far end during the call. */
  remoteSdpRefused?: boolean;
}

/**
 * failureReason words why a call failed, or returns null for a call that
 * ended the ordinary way (hung up, canceled by the caller, rejected by the
 * agent). The status code decides where it says more than the cause (500
 * vs 503, 408 vs 480).
 */
export function failureReason(e: EndInfo): FailureReason | null {
  const c = C.causes;
  // The agent's own Reject is no failure (the card says "Rejected").
  if (e.originator === 'local' && (e.cause === c.REJECTED || e.cause === c.BUSY)) return null;
  switch (e.cause) {
    case c.BYE:
    case c.CANCELED:
      return null;
    case c.BUSY:
      return 'busy';
    case c.REJECTED:
      return 'declined';
    case c.NOT_FOUND:
      return 'not-found';
    case c.UNAVAILABLE:
      return e.statusCode === 408 ? 'no-answer' : 'unavailable';
    case c.NO_ANSWER:
      return 'no-answer';
    case c.ADDRESS_INCOMPLETE:
      return 'address-incomplete';
    case c.INCOMPATIBLE_SDP:
    case c.MISSING_SDP:
    case c.BAD_MEDIA_DESCRIPTION:
      return 'media-refused';
    case c.CONNECTION_ERROR:
      return 'sbc-unreachable';
    case c.REQUEST_TIMEOUT:
      return 'timeout';
    case c.AUTHENTICATION_ERROR:
      return 'auth';
    case c.REDIRECTED:
      return 'redirected';
    case c.WEBRTC_ERROR:
      // The far end's SDP was refused (an offer, or the answer to a hold).
      return e.remoteSdpRefused ? 'media-refused' : 'media-error';
    case c.USER_DENIED_MEDIA_ACCESS:
      return 'microphone';
    case c.NO_ACK:
    case c.DIALOG_ERROR:
      return 'no-ack';
    case c.RTP_TIMEOUT:
      return 'rtp-timeout';
    case c.EXPIRES:
      return 'expired';
    case c.SIP_FAILURE_CODE:
      return byStatus(e.statusCode);
    default:
      return 'failed';
  }
}

// Codes JsSIP has no cause for (it reports SIP_FAILURE_CODE).
function byStatus(code: number | null): FailureReason {
  if (code === null) return 'failed';
  if (code === 488 || code === 606) return 'media-refused';
  if (code === 408) return 'no-answer';
  if (code >= 500 && code < 600) return 'server-error';
  return 'failed';
}

/** failureText is the UI text of each reason. */
export const failureText: Record<FailureReason, StringKey> = {
  busy: 'CALL_FAILED_BUSY',
  declined: 'CALL_FAILED_DECLINED',
  'not-found': 'CALL_FAILED_NOT_FOUND',
  unavailable: 'CALL_FAILED_UNAVAILABLE',
  'no-answer': 'CALL_FAILED_NO_ANSWER',
  'address-incomplete': 'CALL_FAILED_ADDRESS_INCOMPLETE',
  'media-refused': 'CALL_FAILED_MEDIA_REFUSED',
  'sbc-unreachable': 'CALL_FAILED_SBC_UNREACHABLE',
  timeout: 'CALL_FAILED_TIMEOUT',
  auth: 'CALL_FAILED_AUTH',
  redirected: 'CALL_FAILED_REDIRECTED',
  'server-error': 'CALL_FAILED_SERVER_ERROR',
  'media-error': 'CALL_FAILED_MEDIA_ERROR',
  microphone: 'CALL_FAILED_MICROPHONE',
  'no-ack': 'CALL_FAILED_NO_ACK',
  'rtp-timeout': 'CALL_FAILED_RTP_TIMEOUT',
  expired: 'CALL_FAILED_EXPIRED',
  failed: 'CALL_STATE_FAILED',
};

/**
 * statusCodeOf reads the SIP status code from what ended a call: a
 * response's status code, or the cause of a Reason header (RFC 3326) on a
 * BYE or CANCEL.
 */
export function statusCodeOf(message: unknown): number | null {
  if (!message || typeof message !== 'object') return null;
  const m = message as { status_code?: unknown; getHeader?: (n: string) => string | undefined };
  if (typeof m.status_code === 'number') return m.status_code;
  const reason = typeof m.getHeader === 'function' ? m.getHeader('Reason') : undefined;
  const cause = reason ? /^\s*SIP\s*;.*?\bcause=(\d{3})/i.exec(reason) : null;
  return cause ? Number(cause[1]) : null;
}
