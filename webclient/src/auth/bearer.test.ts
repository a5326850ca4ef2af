import { describe, expect, it } from 'vitest';
import { withAuthorization } from './bearer';

const msg = (method: string, extra: string[] = []) =>
  [`${method} sip:example.test SIP/2.0`, 'Via: SIP/2.0/WS x.invalid;branch=z9hG4bK1', `CSeq: 1 ${method}`, ...extra, 'Content-Length: 0', '', ''].join('\r\n');

describe('withAuthorization', () => {
  it('adds the Bearer header to a REGISTER', () => {
    const out = withAuthorization(msg('REGISTER'), 'Bearer a.b.c');
    expect(out.startsWith(msg('REGISTER').slice(0, -4))).toBe(true);
    expect(out.split('\r\n').filter((l) => l.startsWith('Authorization:'))).toEqual(['Authorization: Bearer a.b.c']);
    expect(out.endsWith('\r\n\r\n')).toBe(true);
  });
  it('leaves other requests, a REGISTER with credentials and a null value alone', () => {
    expect(withAuthorization(msg('INVITE'), 'Bearer t')).toBe(msg('INVITE'));
    const digest = msg('REGISTER', ['Authorization: Digest username="u"']);
    expect(withAuthorization(digest, 'Bearer t')).toBe(digest);
    expect(withAuthorization(msg('REGISTER'), null)).toBe(msg('REGISTER'));
  });
  it('keeps a token from adding header lines', () => {
    const out = withAuthorization(msg('REGISTER'), 'Bearer x\r\nVia: evil');
    expect(out).not.toMatch(/^Via: evil/m);
  });
});
