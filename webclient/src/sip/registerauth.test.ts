import { describe, expect, it } from 'vitest';
import { Utils } from 'jssip';
import { parseDigest, RegisterAuthCache } from './registerauth';

const md5 = Utils.calculateMD5;
const register = (extra: string[] = []) =>
  ['REGISTER sip:example.test SIP/2.0', 'Via: SIP/2.0/WSS x.invalid;branch=z9hG4bK1', 'CSeq: 2 REGISTER', ...extra, 'Content-Length: 0', '', ''].join('\r\n');
const authorization =
  'Authorization: Digest algorithm=MD5, username="alice", realm="example.test", nonce="abc123", uri="sip:example.test", response="x", opaque="op", qop=auth, cnonce="c1", nc=00000001';

describe('parseDigest', () => {
  it('reads quoted and bare parameters', () => {
    expect(parseDigest('Digest realm="a, b", nonce="n\\"1", qop=auth, nc=00000002')).toEqual({ realm: 'a, b', nonce: 'n"1', qop: 'auth', nc: '00000002' });
  });
  it('refuses other schemes', () => {
    expect(parseDigest('Bearer abc')).toBeNull();
  });
});

describe('RegisterAuthCache', () => {
  it('leaves REGISTERs alone until it has seen credentials', () => {
    const c = new RegisterAuthCache('pw', md5, () => 'cn');
    expect(c.outgoing(register())).toBe(register());
  });

  it('adds a fresh digest with the next nonce count to a refresh', () => {
    const c = new RegisterAuthCache('pw', md5, () => 'cn');
    expect(c.outgoing(register([authorization]))).toBe(register([authorization]));
    const refresh = c.outgoing(register());
    const line = refresh.split('\r\n').find((l) => l.startsWith('Authorization:'));
    expect(line).toBeDefined();
    const d = parseDigest(line!.slice('Authorization:'.length))!;
    expect(d.nc).toBe('00000002');
    expect(d.cnonce).toBe('cn');
    expect(d.nonce).toBe('abc123');
    expect(d.opaque).toBe('op');
    const ha1 = md5('alice:example.test:pw');
    const ha2 = md5('REGISTER:sip:example.test');
    expect(d.response).toBe(md5(`${ha1}:abc123:00000002:cn:auth:${ha2}`));
    expect(refresh.endsWith('\r\n\r\n')).toBe(true);
    expect(refresh.split('\r\n\r\n')[0].split('\r\n')).toContain('Content-Length: 0');
    const next = parseDigest(c.outgoing(register()).split('\r\n').find((l) => l.startsWith('Authorization:'))!.slice(14))!;
    expect(next.nc).toBe('00000003');
  });

  it('touches nothing but REGISTER, and nothing after forget', () => {
    const c = new RegisterAuthCache('pw', md5, () => 'cn');
    c.outgoing(register([authorization]));
    const invite = register().replace('REGISTER sip', 'INVITE sip');
    expect(c.outgoing(invite)).toBe(invite);
    c.forget();
    expect(c.outgoing(register())).toBe(register());
  });
});
