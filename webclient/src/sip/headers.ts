// customGeneralSIPHeaders: "Name: value" strings added to the SIP requests
// and responses the manual lists (REGISTER, INVITE, re-INVITE adding video,
// INFO other than DTMF, the answer and the reject of a call) and to nothing else.

/** The requests and responses a custom header may go on. */
export type HeaderTarget =
  | 'REGISTER'
  | 'INVITE'
  | 'VIDEO_REINVITE'
  | 'INFO'
  | 'ANSWER'
  | 'REJECT'
  | 'DTMF_INFO'
  | 'HOLD_REINVITE'
  | 'BYE'
  | 'REFER';

const carriesCustomHeaders: ReadonlySet<HeaderTarget> = new Set<HeaderTarget>([
  'REGISTER', 'INVITE', 'VIDEO_REINVITE', 'INFO', 'ANSWER', 'REJECT',
]);

// Headers the SIP stack writes itself; a custom copy would corrupt the message.
const reserved = new Set([
  'via', 'v', 'from', 'f', 'to', 't', 'call-id', 'i', 'cseq', 'contact', 'm',
  'content-length', 'l', 'content-type', 'c', 'max-forwards', 'route', 'record-route',
  'authorization', 'proxy-authorization', 'expires', 'allow', 'supported', 'k',
  'session-expires', 'x', 'min-se', 'require', 'event', 'o', 'refer-to', 'r', 'replaces',
]);

// RFC 3261 token characters for a header name.
const tokenRE = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

export interface ParsedHeaders {
  /** Valid headers, normalised to "Name: value". */
  headers: string[];
  /** One message per refused entry, for the console. */
  problems: string[];
}

/** parseCustomHeaders checks each "Name: value" entry and keeps the valid ones. */
export function parseCustomHeaders(entries: readonly string[]): ParsedHeaders {
  const headers: string[] = [];
  const problems: string[] = [];
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':');
    const name = colon < 0 ? '' : entry.slice(0, colon).trim();
    const value = colon < 0 ? '' : entry.slice(colon + 1).trim();
    if (!name || !tokenRE.test(name)) {
      problems.push(`customGeneralSIPHeaders[${i}]: must be "Name: value" with a header name of letters, digits and -.!%*_+\`'~, got ${JSON.stringify(entry)}`);
    } else if (/[\r\n\0]/.test(value)) {
      problems.push(`customGeneralSIPHeaders[${i}]: value must be one line, got ${JSON.stringify(entry)}`);
    } else if (reserved.has(name.toLowerCase())) {
      problems.push(`customGeneralSIPHeaders[${i}]: ${name} is written by the SIP stack and cannot be set`);
    } else {
      headers.push(`${name}: ${value}`);
    }
  });
  return { headers, problems };
}

/** headersFor returns the extra headers for one request or response, extra first. */
export function headersFor(target: HeaderTarget, custom: readonly string[], extra: readonly string[] = []): string[] {
  return carriesCustomHeaders.has(target) ? [...extra, ...custom] : [...extra];
}
